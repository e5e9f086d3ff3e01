// Finds which of the configured traffic metrics and labels exist in Prometheus (`/api/v1/labels?match[]=…`, one call
// per metric), falling back to common exporter label names, and says plainly what is missing.
import type { PrometheusClient } from '../health/prometheusClient';
import type { Fetched } from '../health/types';
import type { TrafficSettings } from '../settings';
import type { TrafficMetrics } from './types';

export const ROUTE_LABEL_FALLBACKS = ['handler', 'path', 'route', 'endpoint'];
export const STATUS_LABEL_FALLBACKS = ['status', 'status_code', 'code'];

export type TrafficDiscovery = { kind: 'found'; metrics: TrafficMetrics } | { kind: 'missing'; message: string };

type MetricNames = Pick<TrafficSettings, 'requestsMetric' | 'durationMetric' | 'routeLabel' | 'methodLabel' | 'statusLabel'>;

/** Label names each series has, as Prometheus reports them; undefined = the series does not exist. */
export interface SeriesLabels {
  requests?: string[];
  buckets?: string[];
  counts?: string[];
}

/** Asks Prometheus for the label names of the counter and the histogram (three small calls, once per configuration). */
export async function discoverTrafficMetrics(client: PrometheusClient, names: MetricNames, signal?: AbortSignal): Promise<Fetched<TrafficDiscovery>> {
  const [requests, buckets, counts] = await Promise.all([
    client.labels(signal, names.requestsMetric),
    client.labels(signal, `${names.durationMetric}_bucket`),
    client.labels(signal, `${names.durationMetric}_count`),
  ]);
  for (const res of [requests, buckets, counts]) if (!res.ok) return res;
  const present = (res: Fetched<string[]>) => (res.ok && res.value.length > 0 ? res.value : undefined);
  const discovery = chooseTrafficMetrics(names, { requests: present(requests), buckets: present(buckets), counts: present(counts) });
  const elapsedMs = Math.max(...[requests, buckets, counts].map((r) => (r.ok ? r.elapsedMs : 0)));
  return { ok: true, value: discovery, elapsedMs };
}

/** Picks metrics and labels from what exists: the configured name first, then the usual alternatives. */
export function chooseTrafficMetrics(names: MetricNames, found: SeriesLabels): TrafficDiscovery {
  const requestsName = names.requestsMetric.trim();
  const durationName = names.durationMetric.trim();
  const counterLabels = found.requests ?? found.counts;
  if (!counterLabels) {
    return {
      kind: 'missing',
      message:
        `No traffic metrics: Prometheus has no series named ${requestsName} or ${durationName}_bucket. ` +
        'Set zenops.traffic.requestsMetric and zenops.traffic.durationMetric to the names your API exporter uses.',
    };
  }
  const notes: string[] = [];
  const requestsSeries = found.requests ? requestsName : `${durationName}_count`;
  if (!found.requests) notes.push(`${requestsName} is missing: requests are counted from ${durationName}_count (no status codes)`);
  const routeLabel = pick(names.routeLabel, ROUTE_LABEL_FALLBACKS, counterLabels);
  if (!routeLabel) {
    return {
      kind: 'missing',
      message:
        `No traffic metrics: ${requestsSeries} has no route label (looked for ${unique([names.routeLabel, ...ROUTE_LABEL_FALLBACKS]).join(', ')}). ` +
        'Set zenops.traffic.routeLabel to the label holding the route template.',
    };
  }
  if (routeLabel !== names.routeLabel) notes.push(`route label ${routeLabel} (${requestsSeries} has no ${names.routeLabel} label)`);
  const methodLabel = counterLabels.includes(names.methodLabel) ? names.methodLabel : undefined;
  if (!methodLabel) notes.push(`${requestsSeries} has no ${names.methodLabel} label: a path's traffic is shown for every method`);
  const statusLabel = found.requests ? pick(names.statusLabel, STATUS_LABEL_FALLBACKS, counterLabels) : undefined;
  if (found.requests && !statusLabel) notes.push(`${requestsSeries} has no status label (looked for ${unique([names.statusLabel, ...STATUS_LABEL_FALLBACKS]).join(', ')}): no error shares`);
  else if (statusLabel && statusLabel !== names.statusLabel) notes.push(`status label ${statusLabel} (no ${names.statusLabel} label)`);
  let bucketSeries: string | undefined;
  if (!found.buckets) notes.push(`${durationName}_bucket is missing: no p95 latency`);
  else if (!found.buckets.includes(routeLabel) || (methodLabel && !found.buckets.includes(methodLabel))) notes.push(`${durationName}_bucket lacks the ${routeLabel}/${methodLabel} labels: no p95 latency`);
  else bucketSeries = `${durationName}_bucket`;
  return { kind: 'found', metrics: { requestsSeries, bucketSeries, routeLabel, methodLabel, statusLabel, notes } };
}

function pick(configured: string, fallbacks: string[], labels: string[]): string | undefined {
  return unique([configured, ...fallbacks]).find((name) => name && labels.includes(name));
}

function unique(names: string[]): string[] {
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}
