// The collector against real parts: a real Prometheus scraping the real example app, the app's own error lines
// pushed into the Loki stand-in, the real `docker` CLI (no engine runs here), and the contract check of examples/zenops.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectDiagnostics, type CollectOptions, type CollectResult, type CollectStepId, type SourceRecord } from '../../../src/core/collect/collectDiagnostics';
import { resolveSettings, type ZenOpsSettings } from '../../../src/core/settings';
import { checkContractOnDisk } from '../../../src/core/contract/runContractCheck';
import { logRecords, startExampleApp, type ExampleApp } from '../../harness/exampleApp';
import { until } from '../../harness/until';
import { freePort } from '../../harness/freePort';
import { pushToLoki, startLokiStandIn, type LokiStandIn } from '../../harness/lokiStandIn';
import { alertRule, startPrometheus, type RunningPrometheus } from '../../harness/prometheus';

const repo = path.resolve(__dirname, '../../..');
const workspace = path.join(repo, 'examples/zenops');
const REQUEST_IDS = ['req-collect-1', 'req-collect-2', 'req-collect-3'];
/** Lines planted next to the app's own records; their secrets must not reach a bundle. */
const PLANTED = [
  `2026-12-03 16:40:00,001 ERROR [app] request_id=req-secret-1 upstream call failed with Authorization: Bearer abc.def.ghi`,
  `2026-12-03 16:40:00,002 WARNING [app] request_id=req-secret-2 retrying login with password=hunter2`,
  `2026-12-03 16:40:00,003 ERROR [app] request_id=req-secret-3 cannot reach database postgres://u:p@db/x`,
  // Secrets with digits: the error index masks digits (Pa55word → Pa<n>word), which must not unmask them.
  `2026-12-03 16:40:00,004 ERROR [app] request_id=req-secret-4 db connect failed dsn=postgresql://app_user:Pa55word@db.internal:5432/prod`,
  `2026-12-03 16:40:00,005 ERROR [app] request_id=req-secret-5 upstream refused Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0cGF5bG9hZA.sig for https://svc:s3cret9@auth.internal/token`,
];
/**
 * Secrets none of a bundle's files may hold: the planted lines', the settings' and credentials' (s3cretpw, prom-token-xyz,
 * dXNlcjpwYXNz = base64 "user:pass"), and what the example app leaks with ZENOPS_EXAMPLE_LEAKY=1 (its DSNs, api_key, token, bearer).
 */
const SECRETS = ['abc.def.ghi', 'hunter2', 'u:p@db', 'prom-token-xyz', 's3cretpw', 'dXNlcjpwYXNz', ':pw@redis', 'zk-leaky-api-key-7731', 'leaky-token-5521', 'leaky.bearer.9903', 'Pa55word', 'Pa<n>word', 'app_user', 'eyJhbGciOiJIUzI1NiJ9', 'c2VjcmV0cGF5bG9hZA', 's3cret9', 's<n>cret<n>'];

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

function source(result: CollectResult, name: string): SourceRecord {
  const found = result.sources.find((s) => s.source === name);
  assert.ok(found, `no manifest entry for ${name}: ${result.sources.map((s) => s.source).join(', ')}`);
  return found;
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('collectDiagnostics against a real Prometheus, the real example app and the Loki stand-in', function () {
  this.timeout(60_000);
  let app: ExampleApp;
  let loki: LokiStandIn;
  let prometheus: RunningPrometheus;
  /** The example app with ZENOPS_EXAMPLE_LEAKY=1 and a failing database, its real log records in a Loki of its own. */
  let leakyApp: ExampleApp;
  let leakyLoki: LokiStandIn;
  let closedPort: number;
  let outRoot: string;
  let pushedLines = 0;

  before(async () => {
    app = await startExampleApp();
    // A Loki whose per-query cap is 7 (max_entries_limit_per_query): the collector falls back to zenops.loki.limit pages.
    loki = await startLokiStandIn({ maxEntriesLimit: 7 });
    closedPort = await freePort();
    for (const id of REQUEST_IDS) {
      const res = await fetch(`${app.url}/api/payroll/runs/0`, { headers: { 'X-Request-Id': id } });
      assert.equal(res.status, 500);
    }
    await fetch(`${app.url}/api/payroll/payslips`);
    await until('three tracebacks', () => (app.output().match(/^ZeroDivisionError/gm) ?? []).length === 3);
    await until('the last -> 500 line', () => app.output().includes('request_id=req-collect-3 GET /api/payroll/runs/0 -> 500'));

    // The app's real log records, shipped one entry per record, a millisecond apart, ending a second ago.
    const recs = logRecords(app.output());
    const lines = [...recs, ...PLANTED];
    const base = BigInt(Date.now() - 1000 - lines.length) * 1_000_000n;
    await pushToLoki(loki.url, { container: 'zenops-api-1', job: 'docker' }, lines.map((l, i) => [(base + BigInt(i) * 1_000_000n).toString(), l]));
    // A second service, so the bundle has one log file per service.
    await pushToLoki(loki.url, { container: 'zenops-worker-api', job: 'docker' }, [[(base + 5n).toString(), '2026-12-03 16:40:00,000 INFO [worker] started']]);
    pushedLines = lines.length + 1;

    prometheus = await startPrometheus({
      targets: [
        { job: 'api', urls: [`${app.url}/metrics`] },
        { job: 'worker', urls: [`http://127.0.0.1:${closedPort}/metrics`] },
      ],
      rules: alertRule('TargetDown', 'up == 0', 'critical', '{{ $labels.job }} is down'),
    });
    await prometheus.waitForTargets((t) => t.length === 2 && t.every((x) => x.health !== 'unknown'));
    await prometheus.waitForAlert('TargetDown', 'firing', 30_000);
    // 500s after the first scrape, so the counter rises between two scrapes and the error rate is above 0.
    const scraped500s = async () => {
      const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('sum(http_requests_total{job="api",status="500"})')}`);
      const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
      return Number(body.data.result[0]?.value[1] ?? 0);
    };
    await until('Prometheus to scrape the first 500s', async () => (await scraped500s()) >= REQUEST_IDS.length);
    for (const id of ['req-rate-1', 'req-rate-2']) assert.equal((await fetch(`${app.url}/api/payroll/runs/0`, { headers: { 'X-Request-Id': id } })).status, 500);
    assert.equal((await fetch(`${app.url}/api/payroll/payslips`)).status, 200);
    await until('Prometheus to scrape the later 500s', async () => (await scraped500s()) >= REQUEST_IDS.length + 2, 20_000);

    // The real app leaking secrets in its health answer and its log, as misconfigured services do.
    [leakyApp, leakyLoki] = await Promise.all([startExampleApp({ leaky: true, failDeps: ['database'] }), startLokiStandIn()]);
    assert.equal((await fetch(`${leakyApp.url}/healthz/deps`, { headers: { 'X-Request-Id': 'req-leaky-1' } })).status, 503);
    await until('the leaky log line', () => leakyApp.output().includes('request_id=req-leaky-1 dependency probe'));
    const leakyLines = [...logRecords(leakyApp.output()), ...PLANTED];
    await pushToLoki(leakyLoki.url, { container: 'zenops-api-1', job: 'docker' }, leakyLines.map((l, i) => [(base + BigInt(i) * 1_000_000n).toString(), l]));
    outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-collect-'));
  });

  after(async () => {
    await Promise.all([app?.stop(), loki?.stop(), prometheus?.stop(), leakyApp?.stop(), leakyLoki?.stop()]);
    if (outRoot) fs.rmSync(outRoot, { recursive: true, force: true });
  });

  function settingsFor(overrides: Record<string, unknown> = {}): ZenOpsSettings {
    return resolveSettings({
      'zenops.loki.url': loki.url,
      'zenops.loki.limit': 7,
      'zenops.prometheus.url': prometheus.url,
      'zenops.api.url': app.url,
      'zenops.contract.spec': 'backend/openapi.json',
      ...overrides,
    });
  }

  function collect(name: string, settings: ZenOpsSettings, extra: Partial<CollectOptions> = {}): Promise<CollectResult> {
    return collectDiagnostics({ root: workspace, outDir: path.join(outRoot, name), settings, contractCheck: () => checkContractOnDisk(workspace, settings), ...extra });
  }

  it('writes every file of a full bundle, and an error index sorted by count led by the ZeroDivisionError', async () => {
    const steps: CollectStepId[] = [];
    const result = await collect('full', settingsFor(), { onProgress: (s) => steps.push(s.id) });

    assert.equal(result.status, 'complete');
    assert.deepEqual(steps, ['loki', 'prometheus', 'api', 'contract', 'docker', 'index']);
    assert.match(path.basename(result.folder), /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/, 'a timestamp without ":"');
    assert.deepEqual(filesUnder(result.folder), [
      'api/healthz-deps.json',
      'api/healthz.json',
      'api/openapi.json',
      'contract.json',
      'error_index.txt',
      'logs/zenops-api-1.log',
      'logs/zenops-worker-api.log',
      'manifest.json',
      'prometheus/alerts.json',
      'prometheus/error-rate.json',
      'prometheus/targets.json',
      'prometheus/up.json',
    ]);

    // Loki: every pushed entry (the app's records and the planted lines), paged past the 7-entry limit, oldest first, one file per service.
    const loki = source(result, 'loki');
    assert.equal(loki.status, 'ok');
    assert.equal(loki.detail?.lines, pushedLines);
    assert.ok((loki.detail?.pages as number) > 1, `paged: ${JSON.stringify(loki.detail)}`);
    assert.equal(loki.detail?.pageSize, 'zenops.loki.limit (Loki refused bigger pages)');
    assert.equal(loki.detail?.truncated, false);
    const apiLog = fs.readFileSync(path.join(result.folder, 'logs/zenops-api-1.log'), 'utf8');
    assert.equal((apiLog.match(/^ZeroDivisionError: integer division or modulo by zero$/gm) ?? []).length, 3);
    assert.ok(apiLog.indexOf('req-collect-1') < apiLog.indexOf('req-collect-3'), 'oldest first');

    const targets = readJson(path.join(result.folder, 'prometheus/targets.json')).targets;
    assert.deepEqual(targets.map((t: { job: string; health: string }) => `${t.job}:${t.health}`).sort(), ['api:up', 'worker:down']);
    const alerts = readJson(path.join(result.folder, 'prometheus/alerts.json')).alerts;
    assert.ok(alerts.some((a: { name: string; state: string }) => a.name === 'TargetDown' && a.state === 'firing'));
    const up = readJson(path.join(result.folder, 'prometheus/up.json'));
    assert.equal(up.query, 'up');
    assert.deepEqual(up.samples.map((s: { metric: { job: string }; value: number }) => `${s.metric.job}=${s.value}`).sort(), ['api=1', 'worker=0']);
    const errorRate = readJson(path.join(result.folder, 'prometheus/error-rate.json'));
    assert.match(errorRate.query, /http_requests_total\{status=~"5\.\."\}/);
    const rates = Object.fromEntries(errorRate.samples.map((s: { metric: { job: string }; value: number }) => [s.metric.job, s.value]));
    assert.ok(rates.api > 0, `the api job's 5xx share after its 500s: ${JSON.stringify(errorRate.samples)}`);
    assert.ok(rates.api < 1, `a share of all requests (the api also answered a 200): ${rates.api}`);

    const health = readJson(path.join(result.folder, 'api/healthz.json'));
    assert.equal(health.httpStatus, 200);
    assert.deepEqual(health.body, { status: 'ok', version: '1.4.0' });
    const deps = readJson(path.join(result.folder, 'api/healthz-deps.json'));
    assert.deepEqual(Object.keys(deps.body.checks).sort(), ['database', 'disk', 'uploads']);
    assert.deepEqual(Object.keys(deps.body).sort(), ['checks', 'status'], 'without ZENOPS_EXAMPLE_LEAKY the app leaks nothing');
    assert.equal(deps.body.checks.database.dsn, undefined);
    const openapi = readJson(path.join(result.folder, 'api/openapi.json'));
    assert.equal(openapi.info.title, 'ZenOps API');
    assert.ok(openapi.paths['/api/payroll/runs/{run_id}']);

    const contract = readJson(path.join(result.folder, 'contract.json'));
    assert.equal(contract.spec.source, 'backend/openapi.json');
    assert.ok(contract.calls.length > 0);
    assert.ok(contract.calls.some((c: { status: string }) => c.status === 'missing-path'), 'the example has broken calls');

    // No Docker engine runs here: the real docker CLI says so (or is not installed at all).
    const docker = source(result, 'docker');
    assert.equal(docker.status, 'skipped');
    assert.match(docker.reason ?? '', /no Docker engine answers|not installed/);

    const index = fs.readFileSync(result.errorIndexFile, 'utf8');
    const counts = [...index.matchAll(/^#\d+ .*\((\d+)×\)$/gm)].map((m) => Number(m[1]));
    assert.ok(counts.length >= 3, index);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'sorted by count');
    const first = index.slice(index.indexOf('#1 '), index.indexOf('#2 '));
    assert.match(first, /^#1 {2}ZeroDivisionError in get_run \(app\/main\.py\) {2}\(3×\)$/m);
    assert.match(first, /signature: {3}ZeroDivisionError@app\/main\.py:get_run/);
    assert.match(first, /count: {7}3/);
    assert.match(first, /first seen: {2}\d{4}-\d{2}-\d{2}T/);
    assert.match(first, /last seen: {3}\d{4}-\d{2}-\d{2}T/);
    assert.match(first, /services: {4}zenops-api-1/);
    assert.match(first, /request ids: req-collect-3, req-collect-2, req-collect-1/);
    assert.match(first, /^ {6}backend\/app\/main\.py:\d+ in get_run$/m);
    assert.match(first, /\| Traceback \(most recent call last\):/);
    assert.match(first, /related: {5}GET \/api\/payroll\/runs\/<n> -> <n>/);
    // Other sources' errors are in the index too: the down target and the firing alert.
    assert.match(index, /^#\d+ {2}scrape target of job worker is down {2}\(1×\)$/m);
    assert.match(index, /\| scrape target 127\.0\.0\.1:\d+ of job worker is down: .*connection refused/);
    assert.match(index, /^#\d+ {2}alert TargetDown firing {2}\(1×\)$/m);
    assert.match(index, /\| alert TargetDown firing: worker is down \(severity critical\)/);
    // A long traceback's sample keeps its end: the raising line and the exception.
    assert.match(first, /\| +share = 100 \/\/ run_id\n(?: +\| +[~^]+\n)? +\| ZeroDivisionError: integer division or modulo by zero/);

    const manifest = readJson(result.manifestFile);
    assert.equal(manifest.status, 'complete');
    assert.deepEqual(
      manifest.sources.map((s: SourceRecord) => s.source),
      ['loki', 'prometheus.targets', 'prometheus.alerts', 'prometheus.up', 'prometheus.error-rate', 'api.healthz', 'api.healthz-deps', 'api.openapi', 'contract', 'docker', 'error-index'],
    );
    assert.deepEqual(
      manifest.sources.filter((s: SourceRecord) => s.status !== 'ok').map((s: SourceRecord) => s.source),
      ['docker'],
    );
    assert.deepEqual([...manifest.files].sort(), filesUnder(result.folder));
  });

  it('keeps the newest lines up to zenops.collect.maxLogLines and says the logs were cut', async () => {
    const result = await collect('capped', settingsFor({ 'zenops.collect.maxLogLines': 4 }));
    const loki = source(result, 'loki');
    assert.equal(loki.detail?.lines, 4, JSON.stringify(loki.detail));
    assert.equal(loki.detail?.truncated, true, JSON.stringify(loki.detail));
    assert.match(String(loki.detail?.note), /the newest were kept/);
    const text = fs.readFileSync(path.join(result.folder, 'logs/zenops-api-1.log'), 'utf8');
    assert.match(text, /req-secret-3/, 'the newest line is kept');
  });

  it('writes the rest of the bundle when Loki is down, and the manifest says why', async () => {
    const result = await collect('loki-down', settingsFor({ 'zenops.loki.url': `http://127.0.0.1:${closedPort}` }));
    assert.equal(result.status, 'complete');
    const loki = source(result, 'loki');
    assert.equal(loki.status, 'failed');
    assert.match(loki.reason ?? '', new RegExp(`connection refused by 127\\.0\\.0\\.1:${closedPort}`));
    const files = filesUnder(result.folder);
    assert.ok(!files.some((f) => f.startsWith('logs/')));
    for (const f of ['prometheus/targets.json', 'api/healthz.json', 'api/openapi.json', 'contract.json', 'error_index.txt', 'manifest.json']) {
      assert.ok(files.includes(f), `${f} missing: ${files.join(', ')}`);
    }
    const manifest = readJson(result.manifestFile);
    assert.equal(manifest.sources.find((s: SourceRecord) => s.source === 'loki').reason, loki.reason);
    assert.match(fs.readFileSync(result.errorIndexFile, 'utf8'), /loki: failed — connection refused/);
  });

  it('leaves a partial bundle marked cancelled when cancelled as a step starts', async () => {
    const controller = new AbortController();
    const result = await collect('cancelled', settingsFor(), {
      signal: controller.signal,
      onProgress: (step) => {
        if (step.id === 'api') controller.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    const status = Object.fromEntries(result.sources.map((s) => [s.source, s.status]));
    assert.equal(status.loki, 'ok');
    assert.equal(status['prometheus.targets'], 'ok');
    assert.equal(status['api.healthz'], 'cancelled');
    assert.equal(status['api.openapi'], 'cancelled');
    assert.deepEqual(Object.keys(status).length, 11, 'the same sources as a complete run');
    assert.equal(status.contract, 'cancelled');
    assert.equal(status.docker, 'cancelled');
    const files = filesUnder(result.folder);
    assert.ok(files.includes('logs/zenops-api-1.log'));
    assert.ok(!files.some((f) => f.startsWith('api/')) && !files.includes('contract.json'), files.join(', '));
    assert.equal(readJson(result.manifestFile).status, 'cancelled');
    const index = fs.readFileSync(result.errorIndexFile, 'utf8');
    assert.match(index, /PARTIAL: the collection was cancelled/);
    assert.match(index, /ZeroDivisionError in get_run/, 'the index covers what was gathered');
  });

  it('aborts an in-flight request on cancel instead of waiting for its timeout', async () => {
    loki.failNext(1, 'hang');
    const controller = new AbortController();
    const result = await collect('cancel-in-flight', settingsFor({ 'zenops.health.requestTimeout': 120 }), {
      signal: controller.signal,
      onProgress: (step) => {
        if (step.id === 'loki') setTimeout(() => controller.abort(), 200);
      },
    });
    // Without the abort the Loki request would hang for 120 s, past this test's timeout.
    assert.equal(result.status, 'cancelled');
    assert.equal(source(result, 'loki').status, 'cancelled');
    assert.match(source(result, 'loki').reason ?? '', /cancelled/);
    assert.equal(readJson(result.manifestFile).status, 'cancelled');
  });

  it('builds the error-rate query from zenops.traffic, and skips it with a reason when that metric does not exist', async () => {
    const renamed = await collect('renamed-status', settingsFor({ 'zenops.traffic.statusLabel': 'code' }));
    // The traffic view's discovery falls back to the label the series has (status), as it does for its own queries.
    assert.match(readJson(path.join(renamed.folder, 'prometheus/error-rate.json')).query, /http_requests_total\{status=~"5\.\."\}/);

    const result = await collect('no-metric', settingsFor({ 'zenops.traffic.requestsMetric': 'payroll_requests_total' }));
    const rate = source(result, 'prometheus.error-rate');
    assert.equal(rate.status, 'skipped');
    assert.match(rate.reason ?? '', /no error rate: Prometheus has no series named payroll_requests_total \(zenops\.traffic\.requestsMetric\)/);
    assert.ok(!filesUnder(result.folder).includes('prometheus/error-rate.json'));
    const manifest = readJson(result.manifestFile);
    assert.equal(manifest.sources.find((s: SourceRecord) => s.source === 'prometheus.error-rate').reason, rate.reason);
    assert.equal(source(result, 'prometheus.up').status, 'ok', 'the other queries still ran');

    // The app's exception counter exists but has no status label (handler, exception): no 5xx share to compute.
    const noStatus = await collect('no-status', settingsFor({ 'zenops.traffic.requestsMetric': 'http_exceptions_total' }));
    assert.equal(source(noStatus, 'prometheus.error-rate').status, 'skipped');
    assert.match(source(noStatus, 'prometheus.error-rate').reason ?? '', /no error rate: http_exceptions_total has no status label/);

    const neither = await collect('no-metrics', settingsFor({ 'zenops.traffic.requestsMetric': 'payroll_requests_total', 'zenops.traffic.durationMetric': 'payroll_seconds' }));
    assert.match(source(neither, 'prometheus.error-rate').reason ?? '', /no error rate: No traffic metrics: Prometheus has no series named payroll_requests_total/);
  });

  it("never writes the secrets the real app leaks in its health answer and its log, nor planted ones, to any file", async () => {
    const result = await collect(
      'secrets',
      settingsFor({
        'zenops.loki.url': leakyLoki.url,
        'zenops.api.url': `http://user:s3cretpw@${new URL(leakyApp.url).host}`,
        'zenops.collect.redactPatterns': ['req-secret-\\d'],
      }),
      { credentials: { prometheus: { kind: 'bearer', token: 'prom-token-xyz' }, loki: { kind: 'basic', username: 'user', password: 'pass' } } },
    );
    assert.equal(source(result, 'api.healthz').status, 'ok');
    assert.equal(source(result, 'api.healthz-deps').status, 'ok');
    const files = filesUnder(result.folder);
    assert.ok(files.includes('api/healthz-deps.json') && files.includes('logs/zenops-api-1.log'), files.join(', '));
    for (const file of files) {
      const text = fs.readFileSync(path.join(result.folder, file), 'utf8');
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `${file} contains ${secret}`);
      assert.ok(!/req-secret-\d/.test(text), `${file} contains a request id the extra pattern hides`);
    }
    // The non-secret parts survive: hosts, paths, key names, the rest of each line.
    const log = fs.readFileSync(path.join(result.folder, 'logs/zenops-api-1.log'), 'utf8');
    assert.match(log, /request_id=req-leaky-1 dependency probe called the billing upstream with token=\[REDACTED\] and headers \{'Authorization': 'Bearer \[REDACTED\]'\}/);
    assert.match(log, /Authorization: Bearer \[REDACTED\]/);
    assert.match(log, /password=\[REDACTED\]/);
    assert.match(log, /postgres:\/\/\[REDACTED\]@db\/x/);
    const deps = readJson(path.join(result.folder, 'api/healthz-deps.json'));
    assert.equal(deps.httpStatus, 503);
    assert.equal(deps.body.checks.database.dsn, 'postgres://[REDACTED]@db/x');
    assert.equal(deps.body.checks.database.error, 'could not connect to server: Connection refused');
    assert.equal(deps.body.cache.url, 'redis://[REDACTED]@redis:6379/0');
    assert.equal(deps.body.api_key, '[REDACTED]');
    assert.deepEqual(Object.keys(deps.body.checks).sort(), ['database', 'disk', 'uploads']);
    assert.equal(deps.url, `${leakyApp.url}/healthz/deps`, 'the URL without its credentials');
    const index = fs.readFileSync(result.errorIndexFile, 'utf8');
    assert.match(index, /dependency database failing/);
    // The digit-bearing secrets' lines are indexed, with the secrets hidden and the rest kept.
    assert.match(index, /db connect failed dsn=postgresql:\/\/\[REDACTED\]@db\.internal:<n>\/prod/);
    assert.match(index, /upstream refused Authorization: Bearer \[REDACTED\]/);
  });

  it('refuses to run with a redact pattern it cannot use, before writing anything', async () => {
    const out = path.join(outRoot, 'bad-pattern');
    await assert.rejects(collect('bad-pattern', settingsFor({ 'zenops.collect.redactPatterns': ['(unclosed'] })), /redactPatterns entry "\(unclosed"/);
    assert.equal(fs.existsSync(out), false);
  });
});
