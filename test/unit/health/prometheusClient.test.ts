import * as assert from 'node:assert/strict';
import { HealthPoller } from '../../../src/core/health/healthPoller';
import { createHealthSources, readHealthOnce } from '../../../src/core/health/healthSources';
import { PrometheusClient } from '../../../src/core/health/prometheusClient';
import { summarizeHealth } from '../../../src/core/health/summarizeHealth';
import { resolveSettings } from '../../../src/core/settings';
import { ExampleApp, startExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';
import { alertRule, RunningPrometheus, startPrometheus } from '../../harness/prometheus';

describe('PrometheusClient against a real Prometheus scraping the example app', function () {
  this.timeout(60_000);
  let app: ExampleApp;
  let prometheus: RunningPrometheus;
  let client: PrometheusClient;
  let closedPort: number;

  before(async () => {
    app = await startExampleApp();
    closedPort = await freePort();
    prometheus = await startPrometheus({
      targets: [
        { job: 'api', urls: [`${app.url}/metrics`] },
        { job: 'worker', urls: [`http://127.0.0.1:${closedPort}/metrics`] },
      ],
      rules: alertRule('TargetDown', 'up == 0', 'critical', '{{ $labels.job }} is down'),
    });
    await prometheus.waitForTargets((targets) => targets.length === 2 && targets.every((t) => t.health !== 'unknown'));
    await prometheus.waitForAlert('TargetDown', 'firing', 30_000);
    client = new PrometheusClient({ url: prometheus.url, timeoutMs: 3000 });
  });

  after(async () => {
    await prometheus?.stop();
    await app?.stop();
  });

  it('reports the api job up with its scrape URL and last scrape', async () => {
    const res = await client.targets();
    assert.ok(res.ok, JSON.stringify(res));
    const api = res.value.find((t) => t.job === 'api');
    assert.ok(api, 'no api target');
    assert.equal(api.health, 'up');
    assert.equal(api.scrapeUrl, `${app.url}/metrics`);
    assert.equal(api.instance, `127.0.0.1:${app.port}`);
    assert.equal(api.scrapePool, 'api');
    assert.equal(api.lastError, '');
    assert.ok(api.lastScrape && !Number.isNaN(Date.parse(api.lastScrape)), `lastScrape ${api.lastScrape}`);
    assert.equal(typeof api.lastScrapeDuration, 'number');
  });

  it('reports a target on a closed port down with the connection error', async () => {
    const res = await client.targets();
    assert.ok(res.ok);
    const worker = res.value.find((t) => t.job === 'worker');
    assert.ok(worker);
    assert.equal(worker.health, 'down');
    assert.match(worker.lastError, /connection refused/);
    assert.equal(worker.scrapeUrl, `http://127.0.0.1:${closedPort}/metrics`);
  });

  it('reads the firing alert with its labels and annotations', async () => {
    const res = await client.alerts();
    assert.ok(res.ok, JSON.stringify(res));
    const alert = res.value.find((a) => a.name === 'TargetDown');
    assert.ok(alert, JSON.stringify(res.value));
    assert.equal(alert.state, 'firing');
    assert.equal(alert.labels.job, 'worker');
    assert.equal(alert.severity, 'critical');
    assert.equal(alert.summary, 'worker is down');
    assert.equal(alert.source, 'prometheus');
    assert.ok(alert.activeAt && !Number.isNaN(Date.parse(alert.activeAt)));
    assert.ok(!res.value.some((a) => a.labels.job === 'api'), 'the up job must not alert');
  });

  it('runs an instant query', async () => {
    const res = await client.query('up');
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.value.resultType, 'vector');
    const byJob = Object.fromEntries(res.value.samples.map((s) => [s.metric.job, s.value]));
    assert.deepEqual(byJob, { api: 1, worker: 0 });
  });

  it('answers a scalar query with one sample', async () => {
    const res = await client.query('1 + 1');
    assert.ok(res.ok);
    assert.equal(res.value.resultType, 'scalar');
    assert.equal(res.value.samples[0].value, 2);
  });

  it('turns a bad PromQL expression into a prometheus-error value', async () => {
    const res = await client.query('sum(');
    assert.equal(res.ok, false);
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'prometheus-error');
    assert.equal(res.error.status, 400);
    assert.match(res.error.message, /bad_data/);
  });

  it('lists label names and the example app metric metadata', async () => {
    const labels = await client.labels();
    assert.ok(labels.ok);
    assert.ok(labels.value.includes('job') && labels.value.includes('handler'), labels.value.join(','));
    const metadata = await client.metadata({ metric: 'http_requests_total' });
    assert.ok(metadata.ok, JSON.stringify(metadata));
    assert.equal(metadata.value.http_requests_total?.[0]?.type, 'counter');
  });

  it('keeps a path prefix in the base URL', async () => {
    const prefixed = new PrometheusClient({ url: `${prometheus.url}/nothing-here/`, timeoutMs: 3000 });
    const res = await prefixed.targets();
    assert.ok(!res.ok);
    assert.match(res.error.message, /\/nothing-here\/api\/v1\/targets/);
  });
});

describe('PrometheusClient when Prometheus is not there', () => {
  it('says the connection was refused, not that targets are down', async () => {
    const client = new PrometheusClient({ url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2000 });
    const res = await client.targets();
    assert.ok(!res.ok);
    assert.equal(res.error.kind, 'refused');
    assert.match(res.error.message, /connection refused/);
  });
});

describe('the health sources built from settings, polled once against the real parts', function () {
  this.timeout(60_000);
  let app: ExampleApp;
  let prometheus: RunningPrometheus;

  before(async () => {
    app = await startExampleApp({ failDeps: ['uploads'] });
    prometheus = await startPrometheus({
      targets: [
        { job: 'api', urls: [`${app.url}/metrics`] },
        { job: 'worker', urls: [`http://127.0.0.1:${await freePort()}/metrics`] },
      ],
      rules: alertRule('TargetDown', 'up == 0'),
    });
    await prometheus.waitForTargets((t) => t.length === 2 && t.every((x) => x.health !== 'unknown'));
    await prometheus.waitForAlert('TargetDown', 'firing', 30_000);
  });

  after(async () => {
    await prometheus?.stop();
    await app?.stop();
  });

  it('summarizes to degraded with the down target, the firing alert and the failing dependency', async () => {
    const settings = resolveSettings({
      'zenops.prometheus.url': prometheus.url,
      'zenops.api.url': app.url,
      'zenops.alertmanager.url': '',
    });
    const built = createHealthSources(settings);
    assert.deepEqual(Object.keys(built.sources).sort(), ['api', 'prometheus'], 'an empty alertmanager URL turns it off');
    const poller = new HealthPoller({ sources: built.sources, intervalMs: 60_000 });
    try {
      await poller.start();
      const summary = summarizeHealth(poller.current);
      assert.equal(summary.level, 'degraded');
      assert.equal(summary.text, '1/2 · 1 alert · API degraded (uploads)');
      assert.deepEqual(summary.failingDeps, ['uploads']);
      assert.equal(poller.current.alertmanager.state, 'off');
    } finally {
      poller.dispose();
    }
  });
});

describe('PrometheusClient against a real Prometheus that requires basic auth', function () {
  this.timeout(60_000);
  // bcrypt (cost 4) of the test password, as Prometheus's web config wants it.
  const basicAuth = { username: 'zenops', password: 'zenops-test-pw', bcryptHash: '$2b$04$sUMb/qVql6lgrVaYMrLtweOkVKAO0vtDW6m6m6wEmxNb4/ixHLjrm' };
  let prometheus: RunningPrometheus;

  before(async () => {
    prometheus = await startPrometheus({ targets: [{ job: 'worker', urls: [`http://127.0.0.1:${await freePort()}/metrics`] }], basicAuth });
    await prometheus.waitForTargets();
  });
  after(async () => {
    await prometheus?.stop();
  });

  it('says authentication is required without credentials, and never echoes a wrong password', async () => {
    const anonymous = await new PrometheusClient({ url: prometheus.url }).targets();
    assert.ok(!anonymous.ok);
    assert.equal(anonymous.error.kind, 'http');
    assert.equal(anonymous.error.status, 401);
    assert.match(anonymous.error.message, /authentication required/);
    const wrong = await new PrometheusClient({ url: prometheus.url, auth: { kind: 'basic', username: 'zenops', password: 'not-the-password' } }).targets();
    assert.ok(!wrong.ok);
    assert.equal(wrong.error.status, 401);
    assert.doesNotMatch(wrong.error.message, /not-the-password/);
  });

  it('reads the targets with the basic credentials', async () => {
    const res = await new PrometheusClient({ url: prometheus.url, auth: { kind: 'basic', username: basicAuth.username, password: basicAuth.password } }).targets();
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.value[0]?.job, 'worker');
  });

  it('passes credentials from the settings-built sources (SecretStorage in the editor) to Prometheus', async () => {
    const settings = resolveSettings({ 'zenops.prometheus.url': prometheus.url, 'zenops.api.url': '', 'zenops.alertmanager.url': '' });
    const withAuth = createHealthSources(settings, { prometheus: { kind: 'basic', username: basicAuth.username, password: basicAuth.password } });
    const without = createHealthSources(settings, {});
    const allowed = await readHealthOnce(withAuth.sources);
    assert.equal(allowed.prometheus.state, 'ok');
    assert.equal(allowed.api.state, 'off');
    const denied = await readHealthOnce(without.sources);
    assert.equal(denied.prometheus.state, 'error');
    assert.ok(denied.prometheus.state === 'error' && denied.prometheus.error.status === 401);
  });
});
