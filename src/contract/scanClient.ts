// The extension host's side of the scan worker: CallScanner's API, asynchronous, backed by one shared
// worker thread (parsing a 2,000-line file takes tens to hundreds of ms: too long for the host's thread).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ApiCall, ScanResult } from '../core/contract/types';
import type { ScanOptions } from '../core/contract/scanWorkspace';
import { log } from '../log';
import type { ScanReply, ScanRequest } from './scanProtocol';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type RequestBody = ScanRequest extends infer R ? (R extends ScanRequest ? Omit<R, 'id' | 'key'> : never) : never;

/** One worker for every folder; started on first use, restarted after a crash. */
class ScanWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Scanners to re-create in a restarted worker. */
  readonly created = new Map<string, Omit<Extract<ScanRequest, { op: 'create' }>, 'id'>>();
  users = 0;

  request(key: string, body: RequestBody): Promise<unknown> {
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, key, ...body } as ScanRequest);
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(__dirname, 'scanWorker.js'));
    worker.unref();
    worker.on('message', (reply: ScanReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new Error(reply.error));
    });
    const fail = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      log().error(`contract: the scan worker stopped: ${error.message}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    for (const create of this.created.values()) worker.postMessage({ ...create, id: this.nextId++ });
    return worker;
  }

  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }
}

const shared = new ScanWorker();
let nextKey = 1;

/** CallScanner, run in the worker. */
export class ScanClient {
  private readonly key = `scanner-${nextKey++}`;

  constructor(root: string, options: Pick<ScanOptions, 'include' | 'exclude'> & { cacheFile?: string }) {
    const create = { op: 'create' as const, key: this.key, root, include: options.include, exclude: options.exclude, cacheFile: options.cacheFile };
    shared.created.set(this.key, create);
    shared.users++;
    void shared.request(this.key, { op: 'create', root, include: options.include, exclude: options.exclude, cacheFile: options.cacheFile });
  }

  /** `cachedFiles`: files whose findings came from the scan cache; `cacheProblem`: why the cache did not work, if it did not. */
  async scanAll(): Promise<{ result: ScanResult; cachedFiles: number; cacheProblem?: string }> {
    return (await shared.request(this.key, { op: 'scanAll' })) as { result: ScanResult; cachedFiles: number; cacheProblem?: string };
  }

  /** `unparsable`: the file lost its calls only because its text does not parse (an edit in progress). */
  async updateFile(file: string, text: string): Promise<{ changed: Map<string, ApiCall[]>; unparsable: boolean }> {
    return (await shared.request(this.key, { op: 'updateFile', file, text })) as { changed: Map<string, ApiCall[]>; unparsable: boolean };
  }

  async removeFile(file: string): Promise<Map<string, ApiCall[]>> {
    return (await shared.request(this.key, { op: 'removeFile', file })) as Map<string, ApiCall[]>;
  }

  dispose(): void {
    shared.created.delete(this.key);
    void shared.request(this.key, { op: 'dispose' }).catch(() => undefined);
    if (--shared.users === 0) shared.stop();
  }
}
