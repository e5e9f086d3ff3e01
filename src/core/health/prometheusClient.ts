// Reads Prometheus's HTTP API (/api/v1/...): scrape targets, alerts, instant queries, label names, metadata.
import { getJson, GetJsonResult, joinUrl } from '../http/getJson';
import { isObject, str, stringRecord } from './jsonShapes';
import type { Fetched, HealthAlert, HealthError, ScrapeTarget, SourceConnection, TargetHealth } from './types';

export interface InstantSample {
  metric: Record<string, string>;
  /** The sample value (NaN for values Prometheus reports as non-numbers). */
  value: number;
  /** Unix seconds. */
  timestamp: number;
}

export interface InstantQueryResult {
  resultType: 'vector' | 'scalar' | 'string' | 'matrix';
  /** vector/scalar: one sample per series; matrix: each series' latest sample. */
  samples: InstantSample[];
}

export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

type Envelope = { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown };

const NEVER = '0001-01-01T00:00:00Z';

export class PrometheusClient {
  constructor(private readonly connection: SourceConnection) {}

  /** Active scrape targets (`/api/v1/targets?state=active`). */
  async targets(signal?: AbortSignal): Promise<Fetched<ScrapeTarget[]>> {
    const res = await this.call('/api/v1/targets', { state: 'active' }, signal);
    if (!res.ok) return res;
    const list = (res.value as { activeTargets?: unknown })?.activeTargets;
    if (!Array.isArray(list)) return badShape('/api/v1/targets', 'data.activeTargets is not a list');
    return { ok: true, value: list.filter(isObject).map(parseTarget), elapsedMs: res.elapsedMs };
  }

  /** Alerts Prometheus's rules currently raise (`/api/v1/alerts`): pending and firing. */
  async alerts(signal?: AbortSignal): Promise<Fetched<HealthAlert[]>> {
    const res = await this.call('/api/v1/alerts', {}, signal);
    if (!res.ok) return res;
    const list = (res.value as { alerts?: unknown })?.alerts;
    if (!Array.isArray(list)) return badShape('/api/v1/alerts', 'data.alerts is not a list');
    const alerts = list.filter(isObject).map(parseAlert).filter((a): a is HealthAlert => a !== undefined);
    return { ok: true, value: alerts, elapsedMs: res.elapsedMs };
  }

  /** An instant query (`/api/v1/query`), evaluated now unless `time` (unix seconds) is given. */
  async query(promql: string, options: { time?: number; signal?: AbortSignal } = {}): Promise<Fetched<InstantQueryResult>> {
    const res = await this.call('/api/v1/query', { query: promql, time: options.time }, options.signal);
    if (!res.ok) return res;
    const data = res.value as { resultType?: unknown; result?: unknown };
    const resultType = data?.resultType;
    if (resultType === 'scalar' || resultType === 'string') {
      const pair = data.result as unknown[];
      return { ok: true, value: { resultType, samples: [sample({}, pair)] }, elapsedMs: res.elapsedMs };
    }
    if ((resultType === 'vector' || resultType === 'matrix') && Array.isArray(data.result)) {
      const samples = data.result.filter(isObject).map((series) => {
        const metric = stringRecord(series.metric);
        const pair = resultType === 'vector' ? series.value : lastOf(series.values);
        return sample(metric, pair);
      });
      return { ok: true, value: { resultType, samples }, elapsedMs: res.elapsedMs };
    }
    return badShape('/api/v1/query', 'unknown resultType');
  }

  /** Label names (`/api/v1/labels`): all of them, or only those of the series `match` selects. */
  async labels(signal?: AbortSignal, match?: string): Promise<Fetched<string[]>> {
    const res = await this.call('/api/v1/labels', { 'match[]': match }, signal);
    if (!res.ok) return res;
    if (!Array.isArray(res.value)) return badShape('/api/v1/labels', 'data is not a list');
    return { ok: true, value: res.value.filter((v): v is string => typeof v === 'string'), elapsedMs: res.elapsedMs };
  }

  /** Metric metadata (`/api/v1/metadata`): metric name → type/help/unit entries. */
  async metadata(options: { metric?: string; signal?: AbortSignal } = {}): Promise<Fetched<Record<string, MetricMetadata[]>>> {
    const res = await this.call('/api/v1/metadata', { metric: options.metric }, options.signal);
    if (!res.ok) return res;
    if (!isObject(res.value)) return badShape('/api/v1/metadata', 'data is not an object');
    const out: Record<string, MetricMetadata[]> = {};
    for (const [name, entries] of Object.entries(res.value)) {
      if (!Array.isArray(entries)) continue;
      out[name] = entries.filter(isObject).map((e) => ({ type: str(e.type), help: str(e.help), unit: str(e.unit) }));
    }
    return { ok: true, value: out, elapsedMs: res.elapsedMs };
  }

  /** GET an API path and unwrap Prometheus's `{status, data}` envelope; `status:"error"` is an error value. */
  private async call(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<Fetched<unknown>> {
    const { url, auth, dispatcher, timeoutMs } = this.connection;
    const res: GetJsonResult<Envelope> = await getJson<Envelope>(joinUrl(url, path), { query, auth, dispatcher, timeoutMs, signal });
    if (!res.ok) {
      const envelope = res.body as Envelope | undefined;
      if (isObject(envelope) && envelope.status === 'error') {
        return { ok: false, error: prometheusError(path, envelope, res.status) };
      }
      return { ok: false, error: { kind: res.kind, message: res.message, status: res.status } };
    }
    const envelope = res.data;
    if (!isObject(envelope) || typeof envelope.status !== 'string') {
      return badShape(path, 'the answer is JSON but not a Prometheus API response (no "status")');
    }
    if (envelope.status !== 'success') return { ok: false, error: prometheusError(path, envelope, res.status) };
    return { ok: true, value: envelope.data, elapsedMs: res.elapsedMs };
  }
}

function prometheusError(path: string, envelope: Envelope, status: number | undefined): HealthError {
  const type = typeof envelope.errorType === 'string' ? `${envelope.errorType}: ` : '';
  const message = typeof envelope.error === 'string' ? envelope.error : 'no error message';
  return { kind: 'prometheus-error', status, message: `Prometheus ${path} answered with an error (${type}${message})` };
}

function badShape<T>(path: string, why: string): Fetched<T> {
  return { ok: false, error: { kind: 'bad-shape', message: `unexpected answer from Prometheus ${path}: ${why}` } };
}

function parseTarget(raw: Record<string, unknown>): ScrapeTarget {
  const labels = stringRecord(raw.labels);
  const health: TargetHealth = raw.health === 'up' || raw.health === 'down' ? raw.health : 'unknown';
  const lastScrape = typeof raw.lastScrape === 'string' && raw.lastScrape !== NEVER && !raw.lastScrape.startsWith('0001-') ? raw.lastScrape : undefined;
  return {
    job: labels.job ?? str(raw.scrapePool),
    instance: labels.instance ?? '',
    labels,
    scrapePool: str(raw.scrapePool),
    scrapeUrl: str(raw.scrapeUrl),
    health,
    lastError: str(raw.lastError),
    lastScrape,
    lastScrapeDuration: typeof raw.lastScrapeDuration === 'number' && lastScrape ? raw.lastScrapeDuration : undefined,
  };
}

function parseAlert(raw: Record<string, unknown>): HealthAlert | undefined {
  if (raw.state !== 'firing' && raw.state !== 'pending') return undefined; // 'inactive' is not an alert to show
  const labels = stringRecord(raw.labels);
  const annotations = stringRecord(raw.annotations);
  return {
    name: labels.alertname ?? '(unnamed alert)',
    labels,
    annotations,
    state: raw.state,
    activeAt: typeof raw.activeAt === 'string' ? raw.activeAt : undefined,
    value: typeof raw.value === 'string' ? raw.value : undefined,
    severity: labels.severity,
    summary: annotations.summary ?? annotations.description ?? annotations.message,
    source: 'prometheus',
  };
}

function sample(metric: Record<string, string>, pair: unknown): InstantSample {
  const [ts, v] = Array.isArray(pair) ? pair : [NaN, NaN];
  return { metric, timestamp: Number(ts), value: Number(v) };
}

function lastOf(values: unknown): unknown {
  return Array.isArray(values) && values.length > 0 ? values[values.length - 1] : undefined;
}
