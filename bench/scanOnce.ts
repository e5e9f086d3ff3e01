// One full scan in a process of its own, bundled by bench/calls.ts exactly as dist/cli.js bundles the engine
// (a cold start as `zenops check` or a newly opened editor has it): prints its figures as JSON.
// Arguments: the workspace folder, and optionally a scan-cache file (the content-hash cache, `--cache`).
import { performance } from 'node:perf_hooks';
import { FileScanCache } from '../src/core/contract/scanCache';
import { CallScanner } from '../src/core/contract/scanWorkspace';

async function main(): Promise<void> {
  // Time from the process's start until the engine is loaded (Node's own start and reading the bundle).
  const loadedMs = performance.now();
  const [root, cacheFile] = process.argv.slice(2);
  const cache = cacheFile ? new FileScanCache(cacheFile) : undefined;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const scanner = new CallScanner(root, { include: ['**/*.{js,jsx,ts,tsx,mjs,cjs,vue,svelte}'], exclude: ['**/node_modules/**'], cache });
  const result = await scanner.scanAll();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const stats = scanner.stats();
  console.log(
    JSON.stringify({
      ms,
      cpuMs: (used.user + used.system) / 1000,
      loadedMs,
      calls: result.calls.length,
      cachedFiles: stats.cachedFiles,
      parsedFiles: stats.parsedFiles,
      parsedBytes: stats.parsedBytes,
      callSitesOnlyFiles: stats.callSitesOnlyFiles,
      problem: cache?.problem,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
