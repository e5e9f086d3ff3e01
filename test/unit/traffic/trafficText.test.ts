import * as assert from 'node:assert/strict';
import { buildHealthTree } from '../../../src/core/health/healthTree';
import { EMPTY_SNAPSHOT } from '../../../src/core/health/types';
import { chooseTrafficMetrics } from '../../../src/core/traffic/discoverTrafficMetrics';
import { buildTrafficQuery, endpointQuery, findEndpoint, normalizeRoute, parseTrafficSamples, windowSeconds } from '../../../src/core/traffic/trafficQuery';
import {
  failingInProduction,
  formatLatency,
  formatRate,
  formatShare,
  lensText,
  trafficHealthNote,
  trafficHoverMarkdown,
  unusedOperationNote,
  windowLabel,
} from '../../../src/core/traffic/trafficText';
import type { EndpointTraffic, TrafficMetrics } from '../../../src/core/traffic/types';

const NAMES = { requestsMetric: 'http_requests_total', durationMetric: 'http_request_duration_seconds', routeLabel: 'handler', methodLabel: 'method', statusLabel: 'status' };
const METRICS: TrafficMetrics = {
  requestsSeries: 'http_requests_total',
  bucketSeries: 'http_request_duration_seconds_bucket',
  routeLabel: 'handler',
  methodLabel: 'method',
  statusLabel: 'status',
  notes: [],
};

/** Traffic of one endpoint from counts per status. */
function endpoint(byStatus: Record<string, number>, p95Seconds?: number): EndpointTraffic {
  const samples = Object.entries(byStatus).map(([status, value]) => ({
    metric: { zenops_series: 'requests', handler: '/api/x/{id}', method: 'GET', status },
    value,
    timestamp: 0,
  }));
  if (p95Seconds !== undefined) samples.push({ metric: { zenops_series: 'p95', handler: '/api/x/{id}', method: 'GET', status: '' }, value: p95Seconds, timestamp: 0 });
  const found = parseTrafficSamples(METRICS, samples).get('GET /api/x/{}');
  assert.ok(found);
  return found;
}

describe('traffic text', () => {
  it('reads the lens line as operation, rate per minute, 5xx share and p95', () => {
    // 744 requests in an hour = 12.4 a minute; 2 of them 5xx = 0.3 %.
    const t = endpoint({ '200': 742, '503': 2 }, 0.18);
    assert.equal(lensText('GET /api/payroll/payslips', t, '1h'), 'GET /api/payroll/payslips · 12.4 req/min · 5xx 0.3% · p95 180 ms');
  });

  it('says "no traffic" for an endpoint without requests, and for one that rounds to none', () => {
    assert.equal(lensText('GET /api/x', undefined, '1h'), 'GET /api/x · no traffic');
    assert.equal(lensText('GET /api/x', endpoint({ '200': 0.2 }), '1h'), 'GET /api/x · no traffic');
  });

  it('switches to requests per hour below 0.1 a minute and leaves out p95 without a histogram', () => {
    assert.equal(formatRate(3, '1h'), '3 req/h');
    assert.equal(lensText('GET /api/x', endpoint({ '200': 3 }), '1h'), 'GET /api/x · 3 req/h · 5xx 0%');
    assert.equal(lensText('GET /api/x', endpoint({ '200': 3 }), '1h', false), 'GET /api/x · 3 req/h');
  });

  it('formats shares, latencies and windows for people', () => {
    assert.equal(formatShare(0, 10), '0%');
    assert.equal(formatShare(1, 10_000), '<0.1%');
    assert.equal(formatShare(93, 100), '93%');
    assert.equal(formatLatency(0.0004), '<1 ms');
    assert.equal(formatLatency(1.234), '1.2 s');
    assert.equal(windowLabel('1h'), 'last hour');
    assert.equal(windowLabel('30m'), 'last 30 min');
    assert.equal(windowLabel('1d'), 'last day');
    assert.equal(windowSeconds('1h30m'), 5400);
    assert.ok(Number.isNaN(windowSeconds('an hour')));
  });

  it('flags an endpoint that mostly answers 5xx, naming 501 stubs, once it has enough requests', () => {
    const rule = { share: 0.5, minRequests: 5 };
    assert.equal(failingInProduction(endpoint({ '500': 93, '200': 7 }), rule, '1h')?.message, 'exists in the contract but fails in production (93% 5xx last hour)');
    assert.equal(failingInProduction(endpoint({ '501': 20 }), rule, '1h')?.message, 'exists in the contract but fails in production (100% 501 Not Implemented last hour)');
    assert.equal(failingInProduction(endpoint({ '500': 4 }), rule, '1h'), undefined, 'too few requests to call it failing');
    assert.equal(failingInProduction(endpoint({ '500': 4, '200': 6 }), rule, '1h'), undefined, '40 % 5xx is under the threshold');
    assert.equal(failingInProduction(undefined, rule, '1h'), undefined);
  });

  it('tells unused operations with other clients from dead code candidates', () => {
    assert.equal(unusedOperationNote(endpoint({ '200': 42 }), '1h'), 'unused by the frontend, but 42 req/h (other clients)');
    assert.equal(unusedOperationNote(endpoint({ '200': 84 }), '2h'), 'unused by the frontend, but 42 req/h (other clients)');
    assert.equal(unusedOperationNote(undefined, '1h'), 'unused · no traffic (dead code candidate)');
  });

  it('puts counts by status class, the warning and a Grafana link with the PromQL in the hover', () => {
    const t = endpoint({ '200': 60, '404': 3, '500': 2 });
    const promql = endpointQuery(METRICS, t);
    assert.equal(promql, 'sum by (status) (rate(http_requests_total{handler="/api/x/{id}", method="GET"}[5m]))');
    const md = trafficHoverMarkdown('GET /api/x/{id}', t, { window: '1h', hasStatus: true, promql, grafanaUrl: 'http://grafana/explore?left=(a)' });
    assert.match(md, /≈ 65 requests: 2xx 60 · 4xx 3 · 5xx 2/);
    assert.match(md, /\[Open in Grafana Explore\]\(http:\/\/grafana\/explore\?left=%28a%29\)/);
    assert.ok(md.includes(promql));
  });
});

describe('traffic query', () => {
  it('asks for counts by route, method and status and p95 by route and method in ONE query', () => {
    assert.equal(
      buildTrafficQuery(METRICS, '1h'),
      'label_replace(sum by (handler, method, status) (increase(http_requests_total{handler!=""}[1h])), "zenops_series", "requests", "", "")' +
        ' or label_replace(histogram_quantile(0.95, sum by (le, handler, method) (rate(http_request_duration_seconds_bucket{handler!=""}[1h]))), "zenops_series", "p95", "", "")',
    );
  });

  it('matches routes to operations whatever the parameter names, by served path or spec path', () => {
    assert.equal(normalizeRoute('/api/payslips/{payslip_id}/download'), '/api/payslips/{}/download');
    assert.equal(normalizeRoute('/api/payslips/:id'), '/api/payslips/{}');
    assert.equal(normalizeRoute('/api/files/<path:name>'), '/api/files/{}');
    const endpoints = parseTrafficSamples(METRICS, [
      { metric: { zenops_series: 'requests', handler: '/payslips/{payslip_id}', method: 'get', status: '200' }, value: 5, timestamp: 0 },
    ]);
    assert.equal(findEndpoint(endpoints, { method: 'GET', path: '/api/payslips/{id}', specPath: '/payslips/{id}' })?.requests, 5);
    assert.equal(findEndpoint(endpoints, { method: 'POST', path: '/api/payslips/{id}', specPath: '/payslips/{id}' }), undefined);
  });

  it('drops no-data samples and keeps a NaN p95 out of the numbers', () => {
    const endpoints = parseTrafficSamples(METRICS, [
      { metric: { zenops_series: 'requests', handler: '/a', method: 'GET', status: '200' }, value: 4, timestamp: 0 },
      { metric: { zenops_series: 'p95', handler: '/a', method: 'GET' }, value: NaN, timestamp: 0 },
    ]);
    assert.equal(endpoints.get('GET /a')?.p95Seconds, undefined);
  });
});

describe('choosing traffic metrics', () => {
  it('uses the configured names when they exist', () => {
    const found = chooseTrafficMetrics(NAMES, { requests: ['__name__', 'handler', 'method', 'status'], buckets: ['__name__', 'handler', 'method', 'le'] });
    assert.deepEqual(found, { kind: 'found', metrics: { ...METRICS } });
  });

  it('falls back to path and status_code labels and says so', () => {
    const found = chooseTrafficMetrics(NAMES, { requests: ['path', 'method', 'status_code'], buckets: ['path', 'method', 'le'] });
    assert.equal(found.kind, 'found');
    if (found.kind !== 'found') return;
    assert.equal(found.metrics.routeLabel, 'path');
    assert.equal(found.metrics.statusLabel, 'status_code');
    assert.deepEqual(found.metrics.notes, ['route label path (http_requests_total has no handler label)', 'status label status_code (no status label)']);
  });

  it('counts requests from the histogram when the counter is missing', () => {
    const found = chooseTrafficMetrics(NAMES, { counts: ['handler', 'method'], buckets: ['handler', 'method', 'le'] });
    assert.equal(found.kind === 'found' && found.metrics.requestsSeries, 'http_request_duration_seconds_count');
    assert.equal(found.kind === 'found' && found.metrics.statusLabel, undefined);
  });

  it('says plainly when none of the metrics exist, or no route label does', () => {
    const none = chooseTrafficMetrics(NAMES, {});
    assert.equal(none.kind, 'missing');
    assert.match(none.kind === 'missing' ? none.message : '', /no series named http_requests_total or http_request_duration_seconds_bucket/);
    const noRoute = chooseTrafficMetrics(NAMES, { requests: ['method', 'status', 'instance'] });
    assert.match(noRoute.kind === 'missing' ? noRoute.message : '', /has no route label \(looked for handler, path, route, endpoint\)/);
    assert.equal(trafficHealthNote({ kind: 'missing-metrics', message: 'x', at: 0 }).description, 'no traffic metrics in Prometheus');
  });

  it('keeps a latency metric that is not a histogram out of p95, and says its type', () => {
    const labels = { requests: ['handler', 'method', 'status'], buckets: ['handler', 'method', 'le'], counts: ['handler', 'method'] };
    const summary = chooseTrafficMetrics(NAMES, { ...labels, requestsType: 'counter', durationType: 'summary' });
    assert.equal(summary.kind, 'found');
    if (summary.kind !== 'found') return;
    assert.equal(summary.metrics.requestsSeries, 'http_requests_total');
    assert.equal(summary.metrics.bucketSeries, undefined);
    assert.deepEqual(summary.metrics.notes, ['zenops.traffic.durationMetric http_request_duration_seconds is a summary in Prometheus, not a histogram: no p95 latency']);
  });

  it('trusts the labels when Prometheus has no metadata, and notes when metadata could not be read', () => {
    const labels = { requests: ['handler', 'method', 'status'], buckets: ['handler', 'method', 'le'] };
    const unknown = chooseTrafficMetrics(NAMES, { ...labels, requestsType: undefined, durationType: undefined });
    assert.deepEqual(unknown.kind === 'found' && [unknown.metrics.requestsSeries, unknown.metrics.bucketSeries, unknown.metrics.notes], ['http_requests_total', 'http_request_duration_seconds_bucket', []]);
    const unchecked = chooseTrafficMetrics(NAMES, { ...labels, typesUnchecked: 'Prometheus /api/v1/metadata answered 404' });
    assert.deepEqual(unchecked.kind === 'found' && unchecked.metrics.notes, ['metric types not checked (Prometheus /api/v1/metadata answered 404)']);
  });
});

describe('the Traffic section of the Health view', () => {
  it('is an extra section after Alerts, its detail a child line', () => {
    const note = trafficHealthNote({ kind: 'missing-metrics', message: 'No traffic metrics: Prometheus has no series named x.', at: 0 });
    const tree = buildHealthTree(EMPTY_SNAPSHOT, { notes: [note] });
    const section = tree[tree.length - 1];
    assert.equal(section.id, 'traffic');
    assert.equal(section.description, 'no traffic metrics in Prometheus');
    assert.deepEqual(section.children?.map((c) => c.label), ['No traffic metrics: Prometheus has no series named x.']);
    assert.deepEqual(buildHealthTree(EMPTY_SNAPSHOT).map((n) => n.id), ['api', 'deps', 'targets', 'alerts'], 'no section without a note');
  });
});
