import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadSpec, SpecLoadError } from '../../../src/core/contract/loadSpec';

const specs = path.resolve(__dirname, '../../fixtures/specs');

/** A real HTTP server on a free loopback port; `handler` decides what each request gets. */
async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function loadError(url: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<SpecLoadError> {
  try {
    await loadSpec(url, { cwd: specs, ...options });
  } catch (err) {
    assert.ok(err instanceof SpecLoadError, `expected a SpecLoadError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${url} loaded, but it should not`);
}

describe('loadSpec: a spec URL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });
  async function server(handler: http.RequestListener): Promise<string> {
    const s = await serve(handler);
    cleanups.push(s.close);
    return s.url;
  }

  it('fetches JSON over HTTP and keeps the URL as the source', async () => {
    const body = fs.readFileSync(path.join(specs, 'openapi30.json'));
    const base = await server((req, res) => {
      if (req.url !== '/openapi.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const spec = await loadSpec(`${base}/openapi.json`, { cwd: specs });
    assert.equal(spec.source, `${base}/openapi.json`);
    assert.equal(spec.title, 'Payroll API');
    assert.equal(spec.operations.length, 10);
  });

  it('fetches YAML and resolves a relative server URL against the document URL', async () => {
    const body = fs.readFileSync(path.join(specs, 'relative-server-nested.yaml'));
    const base = await server((_req, res) => res.writeHead(200, { 'content-type': 'application/yaml' }).end(body));
    const spec = await loadSpec(`${base}/svc/openapi.yaml`, { cwd: specs });
    assert.equal(spec.basePath, '/svc/v3');
  });

  it('follows a redirect to the document', async () => {
    const body = fs.readFileSync(path.join(specs, 'swagger2.json'));
    const base = await server((req, res) => {
      if (req.url === '/spec') return void res.writeHead(307, { location: '/v2/swagger.json' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    assert.equal((await loadSpec(`${base}/spec`, { cwd: specs })).openapi, '2.0');
  });

  it('says the connection was refused when nothing listens on the port', async () => {
    const closed = await serve((_req, res) => res.end());
    await closed.close();
    const err = await loadError(`${closed.url}/openapi.json`);
    assert.equal(err.kind, 'unreachable');
    assert.equal(err.message, `cannot reach ${closed.url}/openapi.json: connection refused (is the backend running?)`);
  });

  it('gives up on a server that never answers once the timeout fires, and says so', async () => {
    const base = await server(() => {
      // Never answers.
    });
    const err = await loadError(`${base}/openapi.json`, { timeoutMs: 300 });
    assert.equal(err.kind, 'timeout');
    assert.equal(err.message, `${base}/openapi.json did not answer within 300 ms`);
  });

  it('gives up on a server that keeps trickling bytes, once the whole load takes three times the timeout', async () => {
    const timers: NodeJS.Timeout[] = [];
    cleanups.push(async () => timers.forEach(clearInterval));
    const base = await server((_req, res) => {
      // Answers at once and never stops sending: a byte well within every per-read timeout, forever.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"openapi": "3.0.0",');
      timers.push(setInterval(() => res.write(' '), 40));
    });
    const err = await loadError(`${base}/openapi.json`, { timeoutMs: 200 });
    assert.equal(err.kind, 'timeout');
    assert.equal(err.message, `${base}/openapi.json did not finish sending the document within 600 ms`);
  });

  it('stops when the caller aborts', async () => {
    const base = await server(() => {
      // Never answers.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await loadError(`${base}/openapi.json`, { signal: controller.signal });
    assert.equal(err.kind, 'cancelled');
  });

  it('says a page of HTML is not an OpenAPI document and suggests the /docs mix-up', async () => {
    const base = await server((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html></html>'));
    const err = await loadError(`${base}/docs`);
    assert.equal(err.kind, 'html');
    assert.match(err.message, new RegExp(`^${base}/docs answered HTML, not an OpenAPI document \\(is this the /docs page\\?`));
  });

  it('reports an HTTP 500 with its status', async () => {
    const base = await server((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error'));
    const err = await loadError(`${base}/openapi.json`);
    assert.equal(err.kind, 'http-status');
    assert.equal(err.message, `${base}/openapi.json answered HTTP 500`);
  });

  it('hints at the path on a 404', async () => {
    const base = await server((_req, res) => res.writeHead(404).end('{"detail":"Not Found"}'));
    const err = await loadError(`${base}/openapi`);
    assert.match(err.message, /answered HTTP 404 \(is the path right\? FastAPI serves \/openapi\.json\)/);
  });

  it('reports a JSON body that is not OpenAPI with the URL as the source', async () => {
    const base = await server((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    const err = await loadError(`${base}/healthz`);
    assert.equal(err.message, `${base}/healthz: not an OpenAPI document: no \`openapi\` or \`swagger\` field`);
  });
});
