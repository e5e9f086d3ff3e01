// One full scan with the scan cache, in a process of its own (as a new `zenops check --cache` run or a
// reopened editor would do it): prints its figures as JSON. Used by bench/calls.ts.
import { performance } from 'node:perf_hooks';
import { FileScanCache } from '../src/core/contract/scanCache';
import { CallScanner } from '../src/core/contract/scanWorkspace';

async function main(): Promise<void> {
  const [root, cacheFile] = process.argv.slice(2);
  const cache = new FileScanCache(cacheFile);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const scanner = new CallScanner(root, { include: ['**/*.{js,jsx,ts,tsx,mjs,cjs,vue,svelte}'], exclude: ['**/node_modules/**'], cache });
  const result = await scanner.scanAll();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const stats = scanner.stats();
  console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, calls: result.calls.length, cachedFiles: stats.cachedFiles, parsedFiles: stats.parsedFiles, problem: cache.problem }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
