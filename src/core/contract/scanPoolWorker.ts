// Entry of a scan pool worker (bundled as dist/scanPoolWorker.js): finds the calls of the files it is
// sent, with a CallScanner holding the same texts and relevant files as the scanner that sent them.
import { parentPort } from 'node:worker_threads';
import type { PoolReply, PoolRequest } from './scanPool';
import { CallScanner } from './scanWorkspace';

const jobs = new Map<number, CallScanner>();

parentPort?.on('message', (request: PoolRequest) => {
  if (request.op === 'job') {
    const { root, include, exclude, texts, relevant, callSitesOnly } = request.job;
    const scanner = new CallScanner(root, { include, exclude, workers: 0, callSitesOnly });
    scanner.loadForPool(texts, relevant);
    jobs.set(request.jobId, scanner);
  } else if (request.op === 'end') {
    jobs.delete(request.jobId);
  } else {
    let reply: PoolReply;
    try {
      const scanner = jobs.get(request.jobId);
      if (!scanner) throw new Error(`no scan job ${request.jobId}`);
      reply = { jobId: request.jobId, ok: true, results: scanner.analyseForPool(request.files) };
    } catch (error) {
      reply = { jobId: request.jobId, ok: false, error: (error as Error).message };
    }
    parentPort?.postMessage(reply);
  }
});
