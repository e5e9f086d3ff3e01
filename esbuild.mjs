// One build script: the extension (vscode external) and the CLI (plain Node), both CommonJS bundles.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** A hash of the engine's sources: the scan cache (src/core/contract/scanCache.ts) ignores entries another engine wrote. */
function engineId() {
  const hash = crypto.createHash('sha1');
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else hash.update(name).update(fs.readFileSync(full));
    }
  };
  walk('src/core');
  return hash.digest('hex');
}

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's `main` is a UMD file whose internal requires esbuild cannot follow; its ESM `module` bundles.
  mainFields: ['module', 'main'],
  define: { ZENOPS_ENGINE_ID: JSON.stringify(engineId()) },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The contract scanner's worker thread: parsing stays off the extension host's thread.
  { ...common, entryPoints: ['src/contract/scanWorker.ts'], outfile: 'dist/scanWorker.js' },
  // Helpers of a large cold scan (src/core/contract/scanPool.ts): independent files analysed in parallel.
  { ...common, entryPoints: ['src/core/contract/scanPoolWorker.ts'], outfile: 'dist/scanPoolWorker.js' },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
