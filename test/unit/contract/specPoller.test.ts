import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpecLoadError } from '../../../src/core/contract/loadSpec';
import { pollSpecUrl } from '../../../src/core/contract/specPoller';
import { startExampleApp, type ExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';

const SPEC_V1 = JSON.stringify({ openapi: '3.1.0', info: { title: 'T', version: '1' }, paths: { '/a': { get: { responses: { '200': {} } } } } });
const SPEC_V2 = JSON.stringify({ openapi: '3.1.0', info: { title: 'T', version: '2' }, paths: { '/a': { get: {} }, '/b': { post: {} } } });

/** A spec server that honours If-None-Match, and counts full bodies sent. */
function etagServer(): Promise<{ url: string; bodies: () => number; set: (text: string) => void; close: () => Promise<void> }> {
  let text = SPEC_V1;
  let version = 1;
  let bodies = 0;
  const server = http.createServer((req, res) => {
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    bodies++;
    res.writeHead(200, { 'content-type': 'application/json', etag }).end(text);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/openapi.json`,
        bodies: () => bodies,
        set: (next) => {
          text = next;
          version++;
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

describe('polling a spec URL', () => {
  it('sends the ETag back and gets the document again only after it changed', async () => {
    const server = await etagServer();
    try {
      const first = await pollSpecUrl(server.url, undefined);
      assert.equal(first.changed, true);
      assert.equal(first.changed && first.spec.operations.length, 1);
      assert.equal(first.version.etag, '"v1"');

      const second = await pollSpecUrl(server.url, first.version);
      assert.equal(second.changed, false);
      assert.equal(server.bodies(), 1, 'an unchanged document is answered with 304, no body');

      server.set(SPEC_V2);
      const third = await pollSpecUrl(server.url, second.version);
      assert.equal(third.changed, true);
      assert.deepEqual(third.changed && third.spec.operations.map((o) => `${o.method} ${o.path}`), ['GET /a', 'POST /b']);
      assert.equal(third.version.etag, '"v2"');
    } finally {
      await server.close();
    }
  });

  describe('against the example FastAPI backend, which sends no ETag', () => {
    let app: ExampleApp;
    before(async () => {
      app = await startExampleApp();
    });
    after(async () => {
      await app?.stop();
    });

    it('reports an identical document as unchanged by comparing its content', async () => {
      const first = await pollSpecUrl(`${app.url}/openapi.json`, undefined);
      assert.equal(first.changed, true);
      assert.ok(first.changed && first.spec.operations.some((o) => o.path === '/api/payroll/runs/{run_id}/close'));
      const second = await pollSpecUrl(`${app.url}/openapi.json`, first.version);
      assert.equal(second.changed, false);
    });

    it('words a wrong path the way loading it would', async () => {
      await assert.rejects(pollSpecUrl(`${app.url}/docs`, undefined), (err: unknown) => err instanceof SpecLoadError && err.kind === 'html');
      await assert.rejects(pollSpecUrl(`${app.url}/nope.json`, undefined), (err: unknown) => err instanceof SpecLoadError && err.kind === 'http-status');
    });
  });

  it('gives up on a server that keeps trickling bytes, with the timeout error loading it gives', async () => {
    const timers: NodeJS.Timeout[] = [];
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"openapi": "3.1.0",');
      timers.push(setInterval(() => res.write(' '), 40));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`;
    try {
      await assert.rejects(pollSpecUrl(url, undefined, { timeoutMs: 200 }), (err: unknown) => {
        assert.ok(err instanceof SpecLoadError, String(err));
        assert.equal(err.kind, 'timeout');
        assert.equal(err.message, `${url} did not finish sending the document within 600 ms`);
        return true;
      });
    } finally {
      timers.forEach(clearInterval);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('throws a clear error when nothing listens', async () => {
    const port = await freePort();
    await assert.rejects(
      pollSpecUrl(`http://127.0.0.1:${port}/openapi.json`, undefined),
      (err: unknown) => err instanceof SpecLoadError && err.kind === 'unreachable' && /connection refused/.test(err.message),
    );
  });
});
