// Live traffic against the real parts: the example FastAPI app (its middleware counts requests by route template,
// method and status and times them in a histogram), a real Prometheus scraping it every second, and a bounded loop
// of requests. The numbers the lenses would show are checked against the traffic sent.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadSpec } from '../../../src/core/contract/loadSpec';
import { operationKey } from '../../../src/core/contract/operationUsage';
import type { LoadedSpec, SpecOperation } from '../../../src/core/contract/types';
import { PrometheusClient } from '../../../src/core/health/prometheusClient';
import { DEFAULT_SETTINGS, type TrafficSettings } from '../../../src/core/settings';
import { TrafficMonitor } from '../../../src/core/traffic/trafficMonitor';
import { failingInProduction, lensText, trafficHealthNote, trafficHoverMarkdown, unusedOperationNote } from '../../../src/core/traffic/trafficText';
import { ExampleApp, startExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';
import { RunningPrometheus, startPrometheus } from '../../harness/prometheus';

const EXAMPLE = path.resolve(__dirname, '../../../examples/zenops');
const RULE = { share: DEFAULT_SETTINGS.traffic.failingShare, minRequests: DEFAULT_SETTINGS.traffic.failingMinRequests };

/** The requests the test sends after the warm-up: [path, route template, count, status]. */
const TRAFFIC = [
  { path: '/api/payroll/payslips', route: '/api/payroll/payslips', count: 60, status: 200 },
  { path: '/api/payroll/runs/0', route: '/api/payroll/runs/{run_id}', count: 10, status: 500 },
  { path: '/api/payroll/payslips/1/download', route: '/api/payroll/payslips/{payslip_id}/download', count: 20, status: 501 },
  // One payslip: found, not found, and a validation error (payslip_id is an int).
  { path: '/api/payroll/payslips/1', route: '/api/payroll/payslips/{payslip_id}', count: 6, status: 200 },
  { path: '/api/payroll/payslips/99', route: '/api/payroll/payslips/{payslip_id}', count: 8, status: 404 },
  { path: '/api/payroll/payslips/abc', route: '/api/payroll/payslips/{payslip_id}', count: 4, status: 422 },
];

/** Requests to each route template after the warm-up (1 each) and after the loop, summed over its statuses. */
function perRoute(after: 'warm-up' | 'loop'): Map<string, number> {
  const totals = new Map<string, number>();
  for (const t of TRAFFIC) totals.set(t.route, (totals.get(t.route) ?? 0) + 1 + (after === 'loop' ? t.count : 0));
  return totals;
}

/** A pass-through proxy in front of Prometheus that records every request path, to count the queries sent. */
async function recordingProxy(target: string): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** The app's own counter for a route and status, read from its /metrics (the ground truth of what it served). */
async function appCounter(app: ExampleApp, route: string, status: number): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('http_requests_total{') && l.includes(`handler="${route}"`) && l.includes(`status="${status}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The app's latency histogram buckets for a route: upper bound → cumulative count. */
async function appBuckets(app: ExampleApp, route: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const l of text.split('\n')) {
    if (!l.startsWith('http_request_duration_seconds_bucket{') || !l.includes(`handler="${route}"`)) continue;
    const le = /le="([^"]+)"/.exec(l)?.[1] ?? '';
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(l.split(' ').pop()));
  }
  return buckets;
}

/** Waits until Prometheus's raw counter for `route` equals `expected` (it has scraped everything sent). */
async function waitForScraped(prometheus: RunningPrometheus, route: string, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let seen = NaN;
  while (Date.now() < deadline) {
    const q = encodeURIComponent(`sum(http_requests_total{handler="${route}"})`);
    const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${q}`)).json()) as { data: { result: { value: [number, string] }[] } };
    seen = Number(body.data.result[0]?.value[1] ?? NaN);
    if (seen === expected) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Prometheus shows ${seen} requests to ${route}, expected ${expected}`);
}

async function send(app: ExampleApp, urlPath: string, times: number, status: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${app.url}${urlPath}`);
    await res.arrayBuffer();
    assert.equal(res.status, status, `${urlPath} answered ${res.status}`);
  }
}

function op(spec: LoadedSpec, method: string, specPath: string): SpecOperation {
  const found = spec.operations.find((o) => o.method === method && o.path === specPath);
  assert.ok(found, `no ${method} ${specPath} in the example spec`);
  return found;
}

describe('Live traffic from the example app through a real Prometheus', function () {
  this.timeout(120_000);
  let app: ExampleApp;
  let prometheus: RunningPrometheus;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let spec: LoadedSpec;
  let monitor: TrafficMonitor;
  let firstScrapeAt = 0;
  let bucketsBefore: Map<number, number>;
  let bucketsAfter: Map<number, number>;

  before(async () => {
    [app, spec] = await Promise.all([startExampleApp(), loadSpec('backend/openapi.json', { cwd: EXAMPLE })]);
    prometheus = await startPrometheus({ targets: [{ job: 'api', urls: [`${app.url}/metrics`] }], scrapeInterval: '1s' });
    proxy = await recordingProxy(prometheus.url);
    // Warm-up: one request each, scraped, so every series exists before the counted traffic. A series first seen
    // with its count already in it has no earlier sample, and increase() would miss what came before.
    for (const t of TRAFFIC) await send(app, t.path, 1, t.status);
    for (const [route, n] of perRoute('warm-up')) await waitForScraped(prometheus, route, n);
    firstScrapeAt = Date.now();
    bucketsBefore = await appBuckets(app, '/api/payroll/payslips');
    for (const t of TRAFFIC) await send(app, t.path, t.count, t.status);
    bucketsAfter = await appBuckets(app, '/api/payroll/payslips');
    for (const [route, n] of perRoute('loop')) await waitForScraped(prometheus, route, n);
    // At least 10 s of samples since the warm-up keeps Prometheus's extrapolation small (see the bounds below).
    const wait = firstScrapeAt + 10_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    monitor = new TrafficMonitor({ client: new PrometheusClient({ url: proxy.url, timeoutMs: 5000 }), settings: { ...DEFAULT_SETTINGS.traffic } });
    const state = await monitor.refresh();
    assert.equal(state.kind, 'ok', JSON.stringify(state));
  });

  after(async () => {
    await proxy?.close();
    await prometheus?.stop();
    await app?.stop();
  });

  it('served exactly the traffic sent (the app counts warm-up plus loop)', async () => {
    for (const t of TRAFFIC) assert.equal(await appCounter(app, t.route, t.status), t.count + 1, t.path);
  });

  it('counts the requests sent to each endpoint, within Prometheus extrapolation', () => {
    // increase() = the raw counter delta (exactly the loop's count: the warm-up sample is the first one in range),
    // stretched by at most half a scrape interval at the start and about one interval at the end, over >= 10 s of
    // samples: never below the count sent, at most 25 % above it.
    for (const t of TRAFFIC) {
      const traffic = monitor.lookup(op(spec, 'GET', t.route));
      assert.ok(traffic, `no traffic for ${t.route}`);
      const counted = traffic.byStatus[String(t.status)];
      assert.ok(counted >= t.count - 1e-9 && counted <= t.count * 1.25, `${t.route} ${t.status}: ${counted} for ${t.count} sent`);
    }
  });

  it('counts the 404s and 422s of one payslip as 4xx, next to its 2xx, in the hover', () => {
    const operation = op(spec, 'GET', '/api/payroll/payslips/{payslip_id}');
    const traffic = monitor.lookup(operation);
    assert.ok(traffic, 'no traffic for the payslip');
    // Sent: 6 × 200, 8 × 404, 12 × 4xx in all; each series is stretched by the same bounded extrapolation.
    assert.ok(traffic.byClass['4xx'] >= 12 - 1e-9 && traffic.byClass['4xx'] <= 15, `4xx ${traffic.byClass['4xx']}`);
    assert.ok(traffic.byClass['2xx'] >= 6 - 1e-9 && traffic.byClass['2xx'] <= 7.5, `2xx ${traffic.byClass['2xx']}`);
    assert.equal(traffic.byClass['5xx'], 0);
    const share4xx = traffic.byClass['4xx'] / traffic.requests;
    assert.ok(Math.abs(share4xx - 12 / 18) < 0.05, `4xx share ${share4xx}, sent 12 of 18`);
    const hover = trafficHoverMarkdown(operationKey(operation), traffic, { window: monitor.window, hasStatus: true });
    const counts = /≈ (\d+) requests: 2xx (\d+) · 4xx (\d+) · 5xx (\d+)$/m.exec(hover);
    assert.ok(counts, hover);
    const [total, ok, client, server] = counts.slice(1).map(Number);
    assert.ok(client >= 12 && client <= 15 && ok >= 6 && ok <= 8 && server === 0 && total >= 18 && total <= 23, hover);
  });

  it('shows the lens line of the payslips list: rate per minute over the hour, no 5xx, a p95 within the slowest bucket', () => {
    const operation = op(spec, 'GET', '/api/payroll/payslips');
    const traffic = monitor.lookup(operation)!;
    const text = lensText(operationKey(operation), traffic, monitor.window);
    // 60 requests (up to 75 with extrapolation) in a 1 h window: 1.0–1.3 a minute.
    assert.match(text, /^GET \/api\/payroll\/payslips · 1\.[0-3] req\/min · 5xx 0% · p95 (<1|\d+) ms$/);
    // The p95 lies below the upper bound of the bucket holding the slowest request the loop sent.
    const sent = (le: number) => (bucketsAfter.get(le) ?? 0) - (bucketsBefore.get(le) ?? 0);
    const bounds = [...bucketsAfter.keys()].sort((a, b) => a - b);
    const slowest = bounds.find((le) => sent(le) === 60);
    assert.ok(slowest !== undefined && traffic.p95Seconds !== undefined && traffic.p95Seconds > 0 && traffic.p95Seconds <= slowest, `p95 ${traffic.p95Seconds} s, slowest bucket ${slowest}`);
  });

  it('shows 100 % 5xx for the run that divides by zero and flags it as failing in production', () => {
    const operation = op(spec, 'GET', '/api/payroll/runs/{run_id}');
    const traffic = monitor.lookup(operation)!;
    assert.equal(traffic.byClass['5xx'], traffic.requests);
    assert.match(lensText(operationKey(operation), traffic, monitor.window), /^GET \/api\/payroll\/runs\/\{run_id\} · 0\.[2-3] req\/min · 5xx 100%/);
    assert.equal(failingInProduction(traffic, RULE, monitor.window)?.message, 'exists in the contract but fails in production (100% 5xx last hour)');
  });

  it('flags the 501 download stub as failing in production', () => {
    const traffic = monitor.lookup(op(spec, 'GET', '/api/payroll/payslips/{payslip_id}/download'));
    assert.equal(failingInProduction(traffic, RULE, monitor.window)?.message, 'exists in the contract but fails in production (100% 501 Not Implemented last hour)');
    assert.equal(failingInProduction(monitor.lookup(op(spec, 'GET', '/api/payroll/payslips')), RULE, monitor.window), undefined, 'the healthy list is not flagged');
  });

  it('says "no traffic" for an endpoint nobody called, and tells dead code from other clients', () => {
    const mine = op(spec, 'GET', '/api/payroll/payslips/my');
    assert.equal(monitor.lookup(mine), undefined);
    assert.equal(lensText(operationKey(mine), monitor.lookup(mine), monitor.window), 'GET /api/payroll/payslips/my · no traffic');
    assert.equal(unusedOperationNote(monitor.lookup(op(spec, 'GET', '/api/reports/strategic')), monitor.window), 'unused · no traffic (dead code candidate)');
    assert.match(unusedOperationNote(monitor.lookup(op(spec, 'GET', '/api/payroll/payslips')), monitor.window), /^unused by the frontend, but (6\d|7[0-5]) req\/h \(other clients\)$/);
  });

  it('sends one PromQL query per refresh, however many operations are looked up', async () => {
    const queries = () => proxy.paths.filter((p) => p.startsWith('/api/v1/query?')).length;
    assert.equal(queries(), 1, proxy.paths.join('\n'));
    for (let refresh = 2; refresh <= 3; refresh++) {
      await monitor.refresh();
      for (const operation of spec.operations) monitor.lookup(operation);
      assert.equal(queries(), refresh);
    }
    assert.equal(monitor.queriesSent, 3);
    // Discovery (labels of the counter, the histogram's buckets and its count; the two metrics' types) ran once, on
    // the first refresh.
    assert.equal(proxy.paths.filter((p) => p.startsWith('/api/v1/labels?')).length, 3);
    assert.deepEqual(proxy.paths.filter((p) => p.startsWith('/api/v1/metadata?')).sort(), ['/api/v1/metadata?metric=http_request_duration_seconds', '/api/v1/metadata?metric=http_requests_total']);
    assert.equal(proxy.paths.length, 8);
  });

  it('draws lens lines, hovers and verdicts from the cache: many of them between refreshes send nothing', () => {
    const before = proxy.paths.length;
    const texts = new Set<string>();
    for (let round = 0; round < 50; round++) {
      for (const operation of spec.operations) {
        const traffic = monitor.lookup(operation);
        texts.add(lensText(operationKey(operation), traffic, monitor.window));
        texts.add(trafficHoverMarkdown(operationKey(operation), traffic, { window: monitor.window, hasStatus: true }));
        failingInProduction(traffic, RULE, monitor.window);
        unusedOperationNote(traffic, monitor.window);
      }
    }
    assert.ok([...texts].some((t) => t.includes('req/min')), 'the lines carry numbers');
    assert.equal(proxy.paths.length, before, proxy.paths.slice(before).join('\n'));
  });

  it('reports which metrics it reads for the Health view', () => {
    const note = trafficHealthNote(monitor.snapshot);
    assert.equal(note.level, 'ok');
    assert.equal(note.description, 'http_requests_total by handler · 4 endpoints with traffic (last hour)');
  });

  it('falls back to the handler label when the configured route label is absent, and says so', async () => {
    const fallback = new TrafficMonitor({ client: new PrometheusClient({ url: prometheus.url }), settings: { ...DEFAULT_SETTINGS.traffic, routeLabel: 'path', statusLabel: 'status_code' } });
    const state = await fallback.refresh();
    assert.equal(state.kind, 'ok');
    if (state.kind !== 'ok') return;
    assert.equal(state.metrics.routeLabel, 'handler');
    assert.equal(state.metrics.statusLabel, 'status');
    assert.deepEqual(state.metrics.notes, ['route label handler (http_requests_total has no path label)', 'status label status (no status_code label)']);
    const runs = fallback.lookup(op(spec, 'GET', '/api/payroll/runs/{run_id}'));
    assert.ok(runs && runs.requests >= 10 && runs.byClass['5xx'] === runs.requests, JSON.stringify(runs));
  });

  it('says plainly when Prometheus has none of the configured metrics', async () => {
    const settings: TrafficSettings = { ...DEFAULT_SETTINGS.traffic, requestsMetric: 'api_requests_total', durationMetric: 'api_latency_seconds' };
    const missing = new TrafficMonitor({ client: new PrometheusClient({ url: prometheus.url }), settings });
    const state = await missing.refresh();
    assert.equal(state.kind, 'missing-metrics');
    assert.equal(missing.queriesSent, 0, 'no traffic query without metrics');
    const note = trafficHealthNote(state);
    assert.equal(note.description, 'no traffic metrics in Prometheus');
    assert.equal(note.detail, 'No traffic metrics: Prometheus has no series named api_requests_total or api_latency_seconds_bucket. Set zenops.traffic.requestsMetric and zenops.traffic.durationMetric to the names your API exporter uses.');
  });

  it('says the metrics have the wrong type when the counter and histogram names are swapped, and sends no query', async () => {
    const settings: TrafficSettings = { ...DEFAULT_SETTINGS.traffic, requestsMetric: 'http_request_duration_seconds', durationMetric: 'http_requests_total' };
    const swapped = new TrafficMonitor({ client: new PrometheusClient({ url: prometheus.url }), settings });
    const state = await swapped.refresh();
    assert.equal(state.kind, 'missing-metrics', JSON.stringify(state));
    assert.equal(swapped.queriesSent, 0, 'no traffic query with metrics of the wrong type');
    const note = trafficHealthNote(state);
    assert.equal(note.level, 'warning');
    assert.equal(note.description, 'traffic metrics of the wrong type');
    assert.equal(
      note.detail,
      'Traffic metrics of the wrong type: zenops.traffic.requestsMetric http_request_duration_seconds is a histogram in Prometheus, not a counter; ' +
        'zenops.traffic.durationMetric http_requests_total is a counter in Prometheus, not a histogram. The two names look swapped. ' +
        'Set zenops.traffic.requestsMetric to a counter of requests and zenops.traffic.durationMetric to a latency histogram.',
    );
  });

  it('does not count requests from a gauge: it counts the histogram\'s _count instead, and says why', async () => {
    // http_requests_created is a real gauge of the app (the counter's creation time) with the same labels: increase()
    // of it would read "no traffic" everywhere.
    const settings: TrafficSettings = { ...DEFAULT_SETTINGS.traffic, requestsMetric: 'http_requests_created' };
    const gauge = new TrafficMonitor({ client: new PrometheusClient({ url: prometheus.url }), settings });
    const state = await gauge.refresh();
    assert.equal(state.kind, 'ok', JSON.stringify(state));
    if (state.kind !== 'ok') return;
    assert.equal(state.metrics.requestsSeries, 'http_request_duration_seconds_count');
    assert.deepEqual(state.metrics.notes, ['zenops.traffic.requestsMetric http_requests_created is a gauge in Prometheus, not a counter: requests are counted from http_request_duration_seconds_count (no status codes)']);
    const list = gauge.lookup(op(spec, 'GET', '/api/payroll/payslips'));
    assert.ok(list && list.requests >= 60 - 1e-9 && list.requests <= 75, JSON.stringify(list));
  });

  it('turns an unreachable Prometheus into an error state, not a crash', async () => {
    const closed = new TrafficMonitor({ client: new PrometheusClient({ url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2000 }), settings: DEFAULT_SETTINGS.traffic });
    const state = await closed.refresh();
    assert.equal(state.kind, 'error');
    assert.equal(state.kind === 'error' && state.error.kind, 'refused');
    assert.equal(trafficHealthNote(state).description, 'cannot read (refused)');
  });
});
