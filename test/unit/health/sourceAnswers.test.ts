// How the clients read answers that real servers give when something is off: HTML, error envelopes, 503s.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AlertmanagerClient } from '../../../src/core/health/alertmanagerClient';
import { ApiHealthClient, dependencyReport, statusOf } from '../../../src/core/health/apiHealthClient';
import { PrometheusClient } from '../../../src/core/health/prometheusClient';
import { ExampleApp, startExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';
import { answer, LocalServer, startLocalServer } from './localServer';

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../../fixtures/health', name), 'utf8');

describe('ApiHealthClient against the real example app', function () {
  this.timeout(60_000);
  let app: ExampleApp;
  let failing: ExampleApp;
  before(async () => {
    [app, failing] = await Promise.all([startExampleApp(), startExampleApp({ failDeps: ['database', 'uploads'] })]);
  });
  after(async () => {
    await Promise.all([app?.stop(), failing?.stop()]);
  });

  const client = (url: string) => new ApiHealthClient({ url, healthPath: '/healthz', depsPath: '/healthz/deps', timeoutMs: 3000 });

  it('reports the API ok with its latency and version', async () => {
    const res = await client(app.url).health();
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.value.status, 'ok');
    assert.equal(res.value.httpStatus, 200);
    assert.equal(res.value.detail, 'version 1.4.0');
    assert.ok(res.value.latencyMs >= 0);
  });

  it('lists one ok check per dependency key', async () => {
    const res = await client(app.url).deps();
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.value.status, 'ok');
    assert.deepEqual(
      res.value.checks.map((c) => [c.name, c.status]),
      [['database', 'ok'], ['disk', 'ok'], ['uploads', 'ok']],
    );
  });

  it('reads a 503 deps answer as degraded per key, not as a transport error', async () => {
    const res = await client(failing.url).deps();
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.value.status, 'degraded');
    assert.equal(res.value.httpStatus, 503);
    const byName = Object.fromEntries(res.value.checks.map((c) => [c.name, c]));
    assert.equal(byName.database.status, 'failing');
    assert.match(byName.database.detail ?? '', /could not connect to server/);
    assert.equal(byName.disk.status, 'ok');
    assert.equal(byName.uploads.status, 'failing');
  });

  it('reports a stopped API as an error value', async () => {
    const res = await client(`http://127.0.0.1:${await freePort()}`).health();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'refused');
  });

  it('reads a missing deps endpoint (404) as missing, not failing', async () => {
    const res = await new ApiHealthClient({ url: app.url, healthPath: '/healthz', depsPath: '/no-deps-here', timeoutMs: 3000 }).deps();
    assert.ok(res.ok);
    assert.equal(res.value.status, 'missing');
  });
});

describe('ApiHealthClient with other servers', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('accepts a plain-text OK from /healthz', async () => {
    server = await startLocalServer(answer(200, 'text/plain', 'OK'));
    const res = await new ApiHealthClient({ url: server.url, healthPath: '/healthz', depsPath: '/d' }).health();
    assert.ok(res.ok);
    assert.equal(res.value.status, 'ok');
  });

  it('reads an HTML page on /healthz (a web UI catch-all) as degraded', async () => {
    server = await startLocalServer(answer(200, 'text/html', fixture('grafana-login.html')));
    const res = await new ApiHealthClient({ url: server.url, healthPath: '/healthz', depsPath: '/d' }).health();
    assert.ok(res.ok);
    assert.equal(res.value.status, 'degraded');
    assert.match(res.value.detail ?? '', /HTML page/);
  });

  it('reads a 500 from /healthz as degraded with the status', async () => {
    server = await startLocalServer(answer(500, 'text/plain', 'Internal Server Error'));
    const res = await new ApiHealthClient({ url: server.url, healthPath: '/healthz', depsPath: '/d' }).health();
    assert.ok(res.ok);
    assert.equal(res.value.status, 'degraded');
    assert.equal(res.value.httpStatus, 500);
  });

  it('reads a deps answer that is an HTML page as an error, not as healthy', async () => {
    server = await startLocalServer(answer(200, 'text/html', fixture('grafana-login.html')));
    const res = await new ApiHealthClient({ url: server.url, healthPath: '/healthz', depsPath: '/d' }).deps();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'not-json');
  });
});

describe('dependency report shapes', () => {
  it('reads booleans, strings, {ok}, {healthy} and {status} entries', () => {
    const report = dependencyReport({ db: true, cache: 'up', queue: { ok: false, error: 'timeout' }, search: { healthy: true }, mail: { status: 'DOWN' }, misc: 3 }, 200);
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.status]),
      [['db', 'ok'], ['cache', 'ok'], ['queue', 'failing'], ['search', 'ok'], ['mail', 'failing'], ['misc', 'unknown']],
    );
    assert.equal(report.checks[2].detail, 'timeout');
    assert.equal(report.status, 'degraded');
  });

  it('reads Spring-style components and leaves summary keys out', () => {
    const report = dependencyReport({ status: 'UP', components: { db: { status: 'UP' }, diskSpace: { status: 'UP', details: {} } } }, 200);
    assert.deepEqual(report.checks.map((c) => c.name), ['db', 'diskSpace']);
    assert.equal(report.status, 'ok');
  });

  it('reads a list of named checks', () => {
    const report = dependencyReport({ checks: [{ name: 'redis', status: 'pass' }, { name: 'pg', status: 'fail', output: 'refused' }] }, 200);
    assert.deepEqual(report.checks, [
      { name: 'redis', status: 'ok', detail: 'pass' },
      { name: 'pg', status: 'failing', detail: 'refused' },
    ]);
  });

  it('keeps an unknown word as unknown with the word as detail', () => {
    assert.deepEqual(statusOf('maintenance'), { status: 'unknown', detail: 'maintenance' });
  });
});

describe('PrometheusClient with servers that are not a healthy Prometheus', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('turns status "error" in a 200 answer into a prometheus-error value', async () => {
    server = await startLocalServer(answer(200, 'application/json', '{"status":"error","errorType":"internal","error":"TSDB not ready"}'));
    const res = await new PrometheusClient({ url: server.url }).targets();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'prometheus-error');
    assert.match(res.error.message, /internal: TSDB not ready/);
  });

  it('says an HTML page is not Prometheus (e.g. Grafana on the Prometheus port)', async () => {
    server = await startLocalServer(answer(200, 'text/html', fixture('grafana-login.html')));
    const res = await new PrometheusClient({ url: server.url }).alerts();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'not-json');
    assert.match(res.error.message, /HTML page/);
  });

  it('reports a 500 from a proxy in front of Prometheus as http', async () => {
    server = await startLocalServer(answer(502, 'text/plain', 'Bad Gateway'));
    const res = await new PrometheusClient({ url: server.url }).targets();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'http');
    assert.equal(res.error.status, 502);
  });

  it('reports JSON without the Prometheus envelope as a bad shape', async () => {
    server = await startLocalServer(answer(200, 'application/json', '{"targets":[]}'));
    const res = await new PrometheusClient({ url: server.url }).targets();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'bad-shape');
  });

  it('times out within the configured time on a Prometheus that hangs', async () => {
    server = await startLocalServer(() => {
      /* never answers */
    });
    const res = await new PrometheusClient({ url: server.url, timeoutMs: 250 }).targets();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'timeout');
  });
});

describe('AlertmanagerClient when Alertmanager is not there', () => {
  it('reports a refused Alertmanager as an error value', async () => {
    const res = await new AlertmanagerClient({ url: `http://127.0.0.1:${await freePort()}` }).alerts();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'refused');
  });
});
