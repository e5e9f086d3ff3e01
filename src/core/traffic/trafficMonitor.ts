// Keeps the latest traffic of every endpoint: discovers the metric names once per configuration, then each refresh
// sends ONE PromQL query for all endpoints (never one per call site) and caches the answer for lookups.
import type { PrometheusClient } from '../health/prometheusClient';
import type { TrafficSettings } from '../settings';
import { DEFAULT_SETTINGS } from '../settings';
import { discoverTrafficMetrics } from './discoverTrafficMetrics';
import { buildTrafficQuery, findEndpoint, isPromDuration, parseTrafficSamples } from './trafficQuery';
import type { EndpointTraffic, TrafficMetrics, TrafficState } from './types';

export interface TrafficMonitorOptions {
  /** Undefined when Prometheus is off (no URL). */
  client: PrometheusClient | undefined;
  settings: TrafficSettings;
  now?: () => number;
  /** Called as each PromQL query is sent (a restart's new monitor keeps counting where the old one stopped). */
  onQuery?: () => void;
}

export class TrafficMonitor {
  private state: TrafficState = { kind: 'unknown' };
  private metrics: TrafficMetrics | undefined;
  private inFlight: Promise<TrafficState> | undefined;
  private readonly now: () => number;
  /** The window in use: the setting, or the default when the setting is not a PromQL duration. */
  readonly window: string;
  /** PromQL queries sent so far (`/api/v1/query`), for logs and tests. */
  queriesSent = 0;

  constructor(private readonly options: TrafficMonitorOptions) {
    this.now = options.now ?? Date.now;
    const window = options.settings.window.trim();
    this.window = isPromDuration(window) ? window : DEFAULT_SETTINGS.traffic.window;
    if (!options.client) this.state = { kind: 'off', reason: 'zenops.prometheus.url is empty' };
  }

  get snapshot(): TrafficState {
    return this.state;
  }

  /** A note when the window setting was not usable. */
  get windowNote(): string | undefined {
    const given = this.options.settings.window.trim();
    return given === this.window ? undefined : `zenops.traffic.window "${given}" is not a PromQL duration; using ${this.window}`;
  }

  /** The cached traffic of an operation (no request). */
  lookup(operation: { method: string; path: string; specPath?: string }): EndpointTraffic | undefined {
    return this.state.kind === 'ok' ? findEndpoint(this.state.endpoints, operation) : undefined;
  }

  /** Re-reads traffic; a refresh asked for while one runs shares it. Never rejects. */
  refresh(signal?: AbortSignal): Promise<TrafficState> {
    if (!this.options.client) return Promise.resolve(this.state);
    this.inFlight ??= this.read(this.options.client, signal).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(client: PrometheusClient, signal?: AbortSignal): Promise<TrafficState> {
    try {
      if (!this.metrics) {
        const found = await discoverTrafficMetrics(client, this.options.settings, signal);
        if (!found.ok) return (this.state = { kind: 'error', error: found.error, at: this.now() });
        if (found.value.kind === 'missing') return (this.state = { kind: 'missing-metrics', message: found.value.message, wrongType: found.value.wrongType, at: this.now() });
        this.metrics = found.value.metrics;
      }
      const metrics = this.metrics;
      const promql = buildTrafficQuery(metrics, this.window);
      this.queriesSent++;
      this.options.onQuery?.();
      const res = await client.query(promql, { signal });
      if (!res.ok) {
        // The names may have changed (exporter upgraded): look again next time.
        this.metrics = undefined;
        return (this.state = { kind: 'error', error: res.error, at: this.now() });
      }
      const endpoints = parseTrafficSamples(metrics, res.value.samples);
      return (this.state = { kind: 'ok', metrics, endpoints, promql, window: this.window, at: this.now() });
    } catch (error) {
      this.metrics = undefined;
      return (this.state = { kind: 'error', error: { kind: 'other', message: error instanceof Error ? error.message : String(error) }, at: this.now() });
    }
  }
}
