// Worker-thread entry (bundled as dist/scanWorker.js): owns the CallScanners, so parsing never blocks
// the extension host. Messages are requests `{ id, op, ... }`; every request gets one reply `{ id, ok, value | error }`.
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { CallScanner } from '../core/contract/scanWorkspace';
import type { ScanRequest, ScanReply } from './scanProtocol';

const scanners = new Map<string, CallScanner>();

function scanner(key: string): CallScanner {
  const found = scanners.get(key);
  if (!found) throw new Error(`no scanner ${key}`);
  return found;
}

async function handle(request: ScanRequest): Promise<unknown> {
  switch (request.op) {
    case 'create':
      // The editor re-checks importers when a shared module changes: keep their trees rather than re-parse them all.
      scanners.set(request.key, new CallScanner(request.root, { include: request.include, exclude: request.exclude, keepAsts: true }));
      return undefined;
    case 'scanAll':
      return scanner(request.key).scanAll();
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
      return undefined;
  }
}

parentPort?.on('message', (request: ScanRequest) => {
  handle(request).then(
    (value) => parentPort?.postMessage({ id: request.id, ok: true, value } satisfies ScanReply),
    (error: unknown) => parentPort?.postMessage({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ScanReply),
  );
});
