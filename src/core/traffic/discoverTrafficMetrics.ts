// Finds which of the configured traffic metrics and labels exist in Prometheus (`/api/v1/labels?match[]=…`, one call
// per series) and of which type (`/api/v1/metadata`), falling back to common exporter label names, and says plainly
// what is missing or of the wrong type.
import type { PrometheusClient } from '../health/prometheusClient';
import type { Fetched } from '../health/types';
import type { TrafficSettings } from '../settings';
import type { TrafficMetrics } from './types';

export const ROUTE_LABEL_FALLBACKS = ['handler', 'path', 'route', 'endpoint'];
export const STATUS_LABEL_FALLBACKS = ['status', 'status_code', 'code'];

/** `wrongType`: the metrics exist but are not a counter and a histogram (e.g. the two names swapped). */
export type TrafficDiscovery = { kind: 'found'; metrics: TrafficMetrics } | { kind: 'missing'; message: string; wrongType?: boolean };

type MetricNames = Pick<TrafficSettings, 'requestsMetric' | 'durationMetric' | 'routeLabel' | 'methodLabel' | 'statusLabel'>;

/** Label names each series has, as Prometheus reports them; undefined = the series does not exist. */
export interface SeriesLabels {
  requests?: string[];
  buckets?: string[];
  counts?: string[];
  /** Types Prometheus's metadata reports (`counter`, `histogram`, `gauge`, …); undefined = not known. */
  requestsType?: string;
  durationType?: string;
  /** Why the types could not be checked (metadata unavailable), for a note. */
  typesUnchecked?: string;
}

/**
 * Asks Prometheus for the label names of the counter and the histogram and for the two metrics' types (five small
 * calls, once per configuration). Metadata that cannot be read leaves the types unchecked, with a note.
 */
export async function discoverTrafficMetrics(client: PrometheusClient, names: MetricNames, signal?: AbortSignal): Promise<Fetched<TrafficDiscovery>> {
  const [requests, buckets, counts, requestsType, durationType] = await Promise.all([
    client.labels(signal, names.requestsMetric),
    client.labels(signal, `${names.durationMetric}_bucket`),
    client.labels(signal, `${names.durationMetric}_count`),
    metricType(client, names.requestsMetric.trim(), signal),
    metricType(client, names.durationMetric.trim(), signal),
  ]);
  for (const res of [requests, buckets, counts]) if (!res.ok) return res;
  const present = (res: Fetched<string[]>) => (res.ok && res.value.length > 0 ? res.value : undefined);
  const typeError = [requestsType, durationType].find((r) => !r.ok);
  const discovery = chooseTrafficMetrics(names, {
    requests: present(requests),
    buckets: present(buckets),
    counts: present(counts),
    requestsType: requestsType.ok ? requestsType.value : undefined,
    durationType: durationType.ok ? durationType.value : undefined,
    typesUnchecked: typeError && !typeError.ok ? typeError.error.message : undefined,
  });
  const elapsedMs = Math.max(...[requests, buckets, counts, requestsType, durationType].map((r) => (r.ok ? r.elapsedMs : 0)));
  return { ok: true, value: discovery, elapsedMs };
}

/**
 * A metric's type from `/api/v1/metadata?metric=…`; a counter scraped as OpenMetrics is listed without `_total`, so
 * that name is asked too when the first answer is empty. Undefined when Prometheus has no metadata for it.
 */
async function metricType(client: PrometheusClient, name: string, signal?: AbortSignal): Promise<Fetched<string | undefined>> {
  const candidates = name.endsWith('_total') ? [name, name.slice(0, -'_total'.length)] : [name];
  let elapsedMs = 0;
  for (const metric of candidates) {
    const res = await client.metadata({ metric, signal });
    if (!res.ok) return res;
    elapsedMs += res.elapsedMs;
    const type = (res.value[metric] ?? []).map((e) => e.type).find((t) => t && t !== 'unknown');
    if (type) return { ok: true, value: type, elapsedMs };
  }
  return { ok: true, value: undefined, elapsedMs };
}

/** The sentence for a metric of the wrong type, or undefined when its type fits (or is not known). */
function wrongType(setting: string, name: string, type: string | undefined, expected: string): string | undefined {
  return type && type !== expected ? `zenops.traffic.${setting} ${name} is a ${type} in Prometheus, not a ${expected}` : undefined;
}

/** Picks metrics and labels from what exists: the configured name first, then the usual alternatives. */
export function chooseTrafficMetrics(names: MetricNames, found: SeriesLabels): TrafficDiscovery {
  const requestsName = names.requestsMetric.trim();
  const durationName = names.durationMetric.trim();
  // A metric of the wrong type is not used: increase() of a gauge or a histogram's name as the counter gives nonsense.
  const requestsWrong = wrongType('requestsMetric', requestsName, found.requestsType, 'counter');
  const durationWrong = wrongType('durationMetric', durationName, found.durationType, 'histogram');
  if (requestsWrong || durationWrong) {
    found = { ...found, ...(requestsWrong ? { requests: undefined } : {}), ...(durationWrong ? { buckets: undefined, counts: undefined } : {}) };
  }
  const counterLabels = found.requests ?? found.counts;
  if (!counterLabels && (requestsWrong || durationWrong)) {
    const swapped = found.requestsType === 'histogram' && found.durationType === 'counter' ? ' The two names look swapped.' : '';
    return {
      kind: 'missing',
      wrongType: true,
      message:
        `Traffic metrics of the wrong type: ${[requestsWrong, durationWrong].filter(Boolean).join('; ')}.${swapped} ` +
        'Set zenops.traffic.requestsMetric to a counter of requests and zenops.traffic.durationMetric to a latency histogram.',
    };
  }
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
  if (requestsWrong) notes.push(`${requestsWrong}: requests are counted from ${durationName}_count (no status codes)`);
  else if (!found.requests) notes.push(`${requestsName} is missing: requests are counted from ${durationName}_count (no status codes)`);
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
  if (durationWrong) notes.push(`${durationWrong}: no p95 latency`);
  else if (!found.buckets) notes.push(`${durationName}_bucket is missing: no p95 latency`);
  else if (!found.buckets.includes(routeLabel) || (methodLabel && !found.buckets.includes(methodLabel))) notes.push(`${durationName}_bucket lacks the ${routeLabel}/${methodLabel} labels: no p95 latency`);
  else bucketSeries = `${durationName}_bucket`;
  if (found.typesUnchecked) notes.push(`metric types not checked (${found.typesUnchecked})`);
  return { kind: 'found', metrics: { requestsSeries, bucketSeries, routeLabel, methodLabel, statusLabel, notes } };
}

function pick(configured: string, fallbacks: string[], labels: string[]): string | undefined {
  return unique([configured, ...fallbacks]).find((name) => name && labels.includes(name));
}

function unique(names: string[]): string[] {
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}
