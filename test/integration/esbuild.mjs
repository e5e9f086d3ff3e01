// Bundles the integration suite (index + every *.test.ts) for the real extension host.
// Usage: node test/integration/esbuild.mjs [OUTDIR]   (default out/integration/default; the entry is OUTDIR/suite/index.js).
// OUTDIR must stay inside the repository: the bundles load mocha from its node_modules.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const suiteDir = 'test/integration/suite';
const entryPoints = readdirSync(suiteDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file === 'index.ts' || file.endsWith('.test.ts'))
  .map((file) => join(suiteDir, file));

const outdir = process.argv[2] ?? 'out/integration/default';

// Start clean: index.js runs every *.test.js it finds, so a deleted test must not linger as a stale bundle.
rmSync(outdir, { recursive: true, force: true });

await esbuild.build({
  entryPoints,
  outbase: 'test/integration',
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  // vscode is provided by the extension host; mocha is loaded from node_modules so its reporters resolve normally.
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
