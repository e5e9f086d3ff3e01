import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTlsDispatcher, getJson, redactUrl } from '../../../src/core/http/getJson';
import { freePort } from '../../harness/freePort';
import { answer, LocalServer, startLocalServer } from './localServer';

const grafanaLogin = fs.readFileSync(path.resolve(__dirname, '../../fixtures/health/grafana-login.html'), 'utf8');

describe('getJson', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('returns the parsed body, status and elapsed time of a JSON answer', async () => {
    server = await startLocalServer(answer(200, 'application/json', '{"a":[1,2]}'));
    const res = await getJson<{ a: number[] }>(`${server.url}/x`, { query: { q: 'up{job="api"}', skip: undefined } });
    assert.ok(res.ok);
    assert.deepEqual(res.data, { a: [1, 2] });
    assert.equal(res.status, 200);
    assert.ok(res.elapsedMs >= 0);
    assert.equal(server.requests[0].url, '/x?q=up%7Bjob%3D%22api%22%7D');
  });

  it('says the connection was refused when nothing listens on the port', async () => {
    const res = await getJson(`http://127.0.0.1:${await freePort()}/api`);
    assert.ok(!res.ok);
    assert.equal(res.kind, 'refused');
    assert.match(res.message, /connection refused by 127\.0\.0\.1:\d+/);
  });

  it('gives up on a server that never answers within the timeout', async () => {
    server = await startLocalServer(() => {
      /* never answers */
    });
    const res = await getJson(`${server.url}/hang`, { timeoutMs: 300 });
    assert.ok(!res.ok);
    assert.equal(res.kind, 'timeout');
    assert.match(res.message, /no answer from .*\/hang within 300 ms/);
  });

  it('times out on a body that starts but never ends', async () => {
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"succ');
    });
    const res = await getJson(`${server.url}/slow`, { timeoutMs: 300 });
    assert.ok(!res.ok);
    assert.equal(res.kind, 'timeout');
  });

  it('reports an HTTP 500 with its status and the error the body gives', async () => {
    server = await startLocalServer(answer(500, 'application/json', '{"detail":"database is on fire"}'));
    const res = await getJson(`${server.url}/boom`);
    assert.ok(!res.ok);
    assert.equal(res.kind, 'http');
    assert.equal(res.status, 500);
    assert.match(res.message, /answered HTTP 500: database is on fire/);
    assert.deepEqual(res.body, { detail: 'database is on fire' });
  });

  it('says it got an HTML page (with its title) where JSON was expected', async () => {
    server = await startLocalServer(answer(200, 'text/html; charset=utf-8', grafanaLogin));
    const res = await getJson(`${server.url}/api/v1/targets`);
    assert.ok(!res.ok);
    assert.equal(res.kind, 'not-json');
    assert.equal(res.status, 200);
    assert.match(res.message, /expected JSON from .* but got an HTML page \("Grafana"\)/);
  });

  it('reports truncated JSON as not JSON', async () => {
    server = await startLocalServer(answer(200, 'application/json', '{"status":"success","data":{"activeTargets":[{"labels":'));
    const res = await getJson(`${server.url}/api/v1/targets`);
    assert.ok(!res.ok);
    assert.equal(res.kind, 'not-json');
    assert.match(res.message, /is not valid JSON/);
  });

  it('returns aborted when the caller cancels, without waiting for the timeout', async () => {
    server = await startLocalServer(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const pending = getJson(`${server.url}/hang`, { timeoutMs: 30_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const res = await pending;
    assert.ok(!res.ok);
    assert.equal(res.kind, 'aborted');
  });

  it('sends basic and bearer credentials as a header and never puts them in a message', async () => {
    server = await startLocalServer(answer(401, 'text/plain', 'unauthorized'));
    const basic = await getJson(`${server.url}/a`, { auth: { kind: 'basic', username: 'ada', password: 's3cret-pw' } });
    const bearer = await getJson(`${server.url}/b`, { auth: { kind: 'bearer', token: 'tok-123456' } });
    const inUrl = await getJson(server.url.replace('http://', 'http://bob:url-pw@') + '/c');
    assert.equal(server.requests[0].headers.authorization, `Basic ${Buffer.from('ada:s3cret-pw').toString('base64')}`);
    assert.equal(server.requests[1].headers.authorization, 'Bearer tok-123456');
    assert.equal(server.requests[2].headers.authorization, `Basic ${Buffer.from('bob:url-pw').toString('base64')}`);
    for (const res of [basic, bearer, inUrl]) {
      assert.ok(!res.ok);
      assert.equal(res.status, 401);
      assert.match(res.message, /authentication required/);
      assert.doesNotMatch(res.message, /s3cret|tok-123456|url-pw|bob/);
    }
  });

  it('says where a redirect goes instead of following it (a login page is not JSON)', async () => {
    server = await startLocalServer((_req, res) => {
      res.writeHead(302, { location: '/login' });
      res.end();
    });
    const res = await getJson(`${server.url}/api/v1/targets`);
    assert.ok(!res.ok);
    assert.equal(res.kind, 'http');
    assert.equal(res.status, 302);
    assert.match(res.message, /redirects to \/login/);
  });

  it('reports a host that does not resolve as a DNS failure', async () => {
    const res = await getJson('http://zenops-no-such-host.invalid/api', { timeoutMs: 3000 });
    assert.ok(!res.ok);
    assert.equal(res.kind, 'dns');
  });

  it('rejects a URL that is not http(s) as a value', async () => {
    const res = await getJson('ftp://example/x');
    assert.ok(!res.ok);
    assert.equal(res.kind, 'other');
  });

  it('strips credentials from a URL for display', () => {
    assert.equal(redactUrl('http://u:p@host:9090/x'), 'http://host:9090/x');
    assert.equal(redactUrl('http://host/x'), 'http://host/x');
  });

  it('reports an unreadable CA file as a value', () => {
    const res = createTlsDispatcher({ caFile: '/nonexistent/ca.pem' });
    assert.ok(!res.ok);
    assert.match(res.message, /cannot read CA file \/nonexistent\/ca\.pem: ENOENT/);
  });
});
