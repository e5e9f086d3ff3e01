// The one PromQL query a traffic refresh sends (request counts by route, method and status, plus p95 by route and
// method, told apart by a label), and turning its samples into traffic per endpoint.
import type { InstantSample } from '../health/prometheusClient';
import type { EndpointTraffic, StatusClass, TrafficMetrics } from './types';

/** The label that tells the two halves of the combined query apart. */
export const SERIES_LABEL = 'zenops_series';

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** True for a PromQL duration such as `1h`, `30m`, `1h30m`. */
export function isPromDuration(text: string): boolean {
  return DURATION.test(text.trim());
}

/** The window's length in seconds (`1h30m` → 5400); NaN when it is not a PromQL duration. */
export function windowSeconds(window: string): number {
  const text = window.trim();
  if (!isPromDuration(text)) return NaN;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const [, n, u] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * unit[u];
  return total;
}

/** A route template with its parameter names dropped (`{id}`, `:id`, `<int:id>` → `{}`), so spec and backend names need not agree. */
export function normalizeRoute(route: string): string {
  return route
    .trim()
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/<[^>]*>/g, '{}')
    .replace(/(^|\/):[A-Za-z_][\w-]*/g, '$1{}');
}

/** The cache key of one endpoint: `GET /api/x/{}`, or `* /api/x/{}` without a method label. */
export function routeKey(method: string | undefined, route: string): string {
  return `${method ? method.toUpperCase() : '*'} ${normalizeRoute(route)}`;
}

function promString(value: string): string {
  return JSON.stringify(value);
}

/** Both halves in one query: `label_replace` tags each, `or` joins them (their label sets never collide). */
export function buildTrafficQuery(metrics: TrafficMetrics, window: string): string {
  const { routeLabel, methodLabel, statusLabel } = metrics;
  const countBy = [routeLabel, methodLabel, statusLabel].filter(Boolean).join(', ');
  const requests = `sum by (${countBy}) (increase(${metrics.requestsSeries}{${routeLabel}!=""}[${window}]))`;
  const parts = [`label_replace(${requests}, "${SERIES_LABEL}", "requests", "", "")`];
  if (metrics.bucketSeries) {
    const latencyBy = ['le', routeLabel, methodLabel].filter(Boolean).join(', ');
    const p95 = `histogram_quantile(0.95, sum by (${latencyBy}) (rate(${metrics.bucketSeries}{${routeLabel}!=""}[${window}])))`;
    parts.push(`label_replace(${p95}, "${SERIES_LABEL}", "p95", "", "")`);
  }
  return parts.join(' or ');
}

/** The PromQL behind one endpoint's numbers (requests per second by status), for a Grafana Explore link. */
export function endpointQuery(metrics: TrafficMetrics, endpoint: Pick<EndpointTraffic, 'method' | 'route'>, window = '5m'): string {
  const matchers = [`${metrics.routeLabel}=${promString(endpoint.route)}`];
  if (metrics.methodLabel && endpoint.method !== '*') matchers.push(`${metrics.methodLabel}=${promString(endpoint.method)}`);
  const by = metrics.statusLabel ? ` by (${metrics.statusLabel})` : '';
  return `sum${by} (rate(${metrics.requestsSeries}{${matchers.join(', ')}}[${window}]))`;
}

export function statusClass(status: string): StatusClass {
  const first = status.trim()[0];
  return first === '1' || first === '2' || first === '3' || first === '4' || first === '5' ? (`${first}xx` as StatusClass) : 'other';
}

function emptyClasses(): Record<StatusClass, number> {
  return { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 };
}

/** Traffic per endpoint from the combined query's samples; NaN counts (no data) are dropped, NaN p95 is no p95. */
export function parseTrafficSamples(metrics: TrafficMetrics, samples: readonly InstantSample[]): Map<string, EndpointTraffic> {
  const endpoints = new Map<string, EndpointTraffic>();
  const entry = (labels: Record<string, string>): EndpointTraffic | undefined => {
    const route = labels[metrics.routeLabel];
    if (!route) return undefined;
    const method = metrics.methodLabel ? (labels[metrics.methodLabel] ?? '').toUpperCase() : '*';
    if (!method) return undefined;
    const key = routeKey(method === '*' ? undefined : method, route);
    let e = endpoints.get(key);
    if (!e) endpoints.set(key, (e = { method, route, requests: 0, byClass: emptyClasses(), byStatus: {} }));
    return e;
  };
  for (const sample of samples) {
    const kind = sample.metric[SERIES_LABEL];
    if (!Number.isFinite(sample.value)) continue;
    if (kind === 'requests') {
      const e = entry(sample.metric);
      if (!e) continue;
      e.requests += sample.value;
      if (metrics.statusLabel) {
        const status = sample.metric[metrics.statusLabel] ?? '';
        e.byStatus[status] = (e.byStatus[status] ?? 0) + sample.value;
        e.byClass[statusClass(status)] += sample.value;
      }
    } else if (kind === 'p95') {
      const e = entry(sample.metric);
      if (e) e.p95Seconds = sample.value;
    }
  }
  return endpoints;
}

/** The endpoint an operation reaches: by its served path (prefix included), else its path as the spec writes it. */
export function findEndpoint(
  endpoints: ReadonlyMap<string, EndpointTraffic>,
  operation: { method: string; path: string; specPath?: string },
): EndpointTraffic | undefined {
  for (const path of [operation.path, operation.specPath]) {
    if (!path) continue;
    const found = endpoints.get(routeKey(operation.method, path)) ?? endpoints.get(routeKey(undefined, path));
    if (found) return found;
  }
  return undefined;
}
