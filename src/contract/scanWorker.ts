// Worker-thread entry (bundled as dist/scanWorker.js): owns the CallScanners, so parsing never blocks
// the extension host. Messages are requests `{ id, op, ... }`; every request gets one reply `{ id, ok, value | error }`.
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { FileScanCache } from '../core/contract/scanCache';
import { CallScanner } from '../core/contract/scanWorkspace';
import type { ScanRequest, ScanReply } from './scanProtocol';

const scanners = new Map<string, CallScanner>();
const caches = new Map<string, FileScanCache>();

function scanner(key: string): CallScanner {
  const found = scanners.get(key);
  if (!found) throw new Error(`no scanner ${key}`);
  return found;
}

async function handle(request: ScanRequest): Promise<unknown> {
  switch (request.op) {
    case 'create':
      // The editor re-checks importers when a shared module changes: keep their trees rather than re-parse them all.
      {
        const cache = request.cacheFile ? new FileScanCache(request.cacheFile) : undefined;
        if (cache) caches.set(request.key, cache);
        scanners.set(request.key, new CallScanner(request.root, { include: request.include, exclude: request.exclude, keepAsts: true, cache }));
      }
      return undefined;
    case 'scanAll': {
      const s = scanner(request.key);
      const result = await s.scanAll();
      return { result, cachedFiles: s.stats().cachedFiles, cacheProblem: caches.get(request.key)?.problem };
    }
    case 'updateFile': {
      const s = scanner(request.key);
      const changed = await s.updateFile(request.file, request.text);
      // A file that lost all its calls because it no longer parses is mid-edit, not empty.
      const full = path.resolve(request.file);
      const unparsable = changed.get(full)?.length === 0 && s.skippedReason(full) !== undefined;
      return { changed, unparsable };
    }
    case 'removeFile':
      return scanner(request.key).removeFile(request.file);
    case 'dispose':
      scanners.delete(request.key);
      caches.delete(request.key);
      return undefined;
  }
}

parentPort?.on('message', (request: ScanRequest) => {
  handle(request).then(
    (value) => parentPort?.postMessage({ id: request.id, ok: true, value } satisfies ScanReply),
    (error: unknown) => parentPort?.postMessage({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ScanReply),
  );
});
