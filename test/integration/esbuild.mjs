// Bundles the integration suite (index + every *.test.ts) into out/integration/ for the real extension host.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const suiteDir = 'test/integration/suite';
const entryPoints = readdirSync(suiteDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file === 'index.ts' || file.endsWith('.test.ts'))
  .map((file) => join(suiteDir, file));

await esbuild.build({
  entryPoints,
  outbase: 'test/integration',
  outdir: 'out/integration',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  // vscode is provided by the extension host; mocha is loaded from node_modules so its reporters resolve normally.
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
