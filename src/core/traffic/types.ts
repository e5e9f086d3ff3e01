// Shapes of live traffic per endpoint, read from Prometheus: plain data, no vscode.
import type { HealthError } from '../health/types';

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'other';

/** The metric and label names found in Prometheus, and how they were chosen. */
export interface TrafficMetrics {
  /** The series counted as requests: the configured counter, or the histogram's `_count` when the counter is missing. */
  requestsSeries: string;
  /** The histogram's `_bucket` series, when it exists with the route label; no p95 without it. */
  bucketSeries?: string;
  routeLabel: string;
  /** Absent: the traffic of a path is shown for every method. */
  methodLabel?: string;
  /** Absent: no error shares. */
  statusLabel?: string;
  /** Plain sentences about fallbacks taken ("route label `path` (no `handler` label)"). */
  notes: string[];
}

export interface EndpointTraffic {
  /** Upper-case method as reported, or `*` when there is no method label. */
  method: string;
  /** The route label's value as the backend reports it (`/api/payroll/payslips/{payslip_id}`). */
  route: string;
  /** Requests in the window (Prometheus `increase`, so extrapolated and possibly fractional). */
  requests: number;
  byClass: Record<StatusClass, number>;
  /** Requests per status label value (`500`, `501`, or `5xx` for exporters that group). */
  byStatus: Record<string, number>;
  /** 95th percentile latency in seconds, when the histogram exists and saw requests in the window. */
  p95Seconds?: number;
}

export type TrafficState =
  | { kind: 'off'; reason: string }
  | { kind: 'unknown' }
  | { kind: 'error'; error: HealthError; at: number }
  /** Prometheus answers but none of the configured metrics (or no route label) exist, or they have the wrong type: `message` says which. */
  | { kind: 'missing-metrics'; message: string; wrongType?: boolean; at: number }
  | {
      kind: 'ok';
      metrics: TrafficMetrics;
      /** Keyed by `METHOD /normalised/{}/route` (see `routeKey`). */
      endpoints: Map<string, EndpointTraffic>;
      /** The PromQL sent for this snapshot. */
      promql: string;
      window: string;
      at: number;
    };
