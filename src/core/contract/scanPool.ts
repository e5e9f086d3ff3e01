// A small pool of worker threads that find the calls of independent files in parallel during a cold scan.
// Started on first use, kept for later scans, and stopped once idle: each worker pays TypeScript's load once.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ApiCall } from './types';

/** What a worker needs to analyse files the way the scanner itself would. */
export interface PoolJob {
  root: string;
  include: string[];
  exclude: string[];
  /** Every workspace text the scanner holds (imports resolve against them, not the disk). */
  texts: [string, string][];
  relevant: string[];
  callSitesOnly?: boolean;
}

/** One file's outcome, as CallScanner.analyse would have recorded it. */
export interface PoolFileResult {
  file: string;
  calls: ApiCall[];
  deps: string[];
  error?: string;
  generated: boolean;
}

export type PoolRequest = { op: 'job'; jobId: number; job: PoolJob } | { op: 'files'; jobId: number; files: string[] } | { op: 'end'; jobId: number };
export type PoolReply = { jobId: number; ok: true; results: PoolFileResult[] } | { jobId: number; ok: false; error: string };

const IDLE_MS = 30_000;

/** The worker script: the bundled .js beside this file, or the .ts source run through tsx (tests, bench). */
function workerScript(): { file: string; eval: boolean } {
  const dir = __dirname;
  if (__filename.endsWith('.ts')) {
    const source = path.join(dir, 'scanPoolWorker.ts');
    return { file: `require('tsx/cjs'); require(${JSON.stringify(source)});`, eval: true };
  }
  return { file: path.join(dir, 'scanPoolWorker.js'), eval: false };
}

class PoolWorker {
  readonly worker: Worker;
  private waiting: ((reply: PoolReply) => void) | undefined;
  failed: Error | undefined;

  constructor() {
    const script = workerScript();
    this.worker = new Worker(script.file, { eval: script.eval });
    this.worker.unref();
    this.worker.on('message', (reply: PoolReply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(reply);
    });
    const fail = (error: Error): void => {
      this.failed = error;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.({ jobId: -1, ok: false, error: error.message });
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`scan pool worker exited (code ${code})`)));
  }

  send(request: PoolRequest): void {
    this.worker.postMessage(request);
  }

  /** Sends files and waits for their results. */
  analyse(jobId: number, files: string[]): Promise<PoolReply> {
    if (this.failed) return Promise.resolve({ jobId, ok: false, error: this.failed.message });
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.send({ op: 'files', jobId, files });
    });
  }
}

let workers: PoolWorker[] = [];
let idleTimer: NodeJS.Timeout | undefined;
let nextJobId = 1;

/** Worker count for `'auto'`: one per core beyond the scanning thread's own. */
export function defaultPoolSize(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, cores - 1);
}

function acquire(size: number): PoolWorker[] {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  workers = workers.filter((w) => !w.failed);
  while (workers.length < size) workers.push(new PoolWorker());
  return workers.slice(0, size);
}

function release(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(stopScanPool, IDLE_MS);
  idleTimer.unref();
}

/** Stops the pool's workers now (they also stop by themselves after 30 s without work). */
export function stopScanPool(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  for (const w of workers) void w.worker.terminate();
  workers = [];
}

/**
 * Analyses `files` with `size` workers and the calling thread together: each takes the next chunk of
 * files from one queue, so a worker still loading TypeScript simply takes fewer. `local` analyses a
 * chunk on the calling thread. Files a worker could not analyse (it crashed) fall back to `local`.
 */
export async function analyseInPool(
  job: PoolJob,
  files: string[],
  size: number,
  local: (files: string[]) => void,
  merge: (results: PoolFileResult[]) => void,
): Promise<void> {
  const jobId = nextJobId++;
  const pool = acquire(size);
  const queue = [...files];
  const chunk = Math.max(4, Math.min(16, Math.ceil(files.length / (8 * (size + 1)))));
  const take = (): string[] => queue.splice(0, chunk);
  try {
    for (const w of pool) w.send({ op: 'job', jobId, job });
    const runWorker = async (w: PoolWorker): Promise<void> => {
      for (let batch = take(); batch.length > 0; batch = take()) {
        const reply = await w.analyse(jobId, batch);
        if (reply.ok) merge(reply.results);
        else {
          local(batch);
          return;
        }
      }
    };
    const runLocal = async (): Promise<void> => {
      for (let batch = take(); batch.length > 0; batch = take()) {
        local(batch);
        // Let worker replies in between the chunks.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([runLocal(), ...pool.map(runWorker)]);
  } finally {
    for (const w of pool) if (!w.failed) w.send({ op: 'end', jobId });
    release();
  }
}
