// `npm run bench`: performance figures that unit tests must not assert (timings vary with the machine).
import * as os from 'node:os';
import { benchCalls } from './calls';
import { benchSpec } from './spec';

/** The call scanner: cold full scan, per-file re-check, and typescript-estree parsing alone. */
async function runCallScanBenchmark(): Promise<void> {
  await benchCalls();
}

/** SPEC-LOAD BENCHMARK: loading and indexing a large OpenAPI document (bench/spec.ts, `loadSpec`'s owner). */
async function runSpecLoadBenchmark(): Promise<void> {
  await benchSpec();
}

async function main(): Promise<void> {
  const [load1] = os.loadavg();
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${load1.toFixed(1)} (figures scale with other work on the machine)`);
  await runCallScanBenchmark();
  await runSpecLoadBenchmark();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
