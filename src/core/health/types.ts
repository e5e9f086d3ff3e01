// The shapes the health clients return and the poller collects: plain data, no vscode.
import type { Dispatcher } from 'undici';
import type { GetJsonFailureKind, HttpAuth } from '../http/getJson';

export type HealthErrorKind = GetJsonFailureKind | 'prometheus-error' | 'bad-shape' | 'config';

export interface HealthError {
  kind: HealthErrorKind;
  message: string;
  status?: number;
}

/** What one call to a source gave: a value, or an error as a value. */
export type Fetched<T> = { ok: true; value: T; elapsedMs: number } | { ok: false; error: HealthError };

/** Connection options every health client takes. */
export interface SourceConnection {
  /** Base URL, e.g. `http://localhost:9090` (a path prefix such as `/prometheus` is kept). */
  url: string;
  auth?: HttpAuth;
  dispatcher?: Dispatcher;
  /** Per-request deadline in ms. */
  timeoutMs?: number;
}

export type TargetHealth = 'up' | 'down' | 'unknown';

export interface ScrapeTarget {
  job: string;
  instance: string;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: TargetHealth;
  /** Empty when the last scrape worked. */
  lastError: string;
  /** ISO time of the last scrape; undefined before the first one. */
  lastScrape?: string;
  /** Seconds the last scrape took. */
  lastScrapeDuration?: number;
}

export interface HealthAlert {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'firing' | 'pending';
  /** ISO time since when the alert is active. */
  activeAt?: string;
  value?: string;
  severity?: string;
  summary?: string;
  source: 'prometheus' | 'alertmanager';
  silenced?: boolean;
  inhibited?: boolean;
}

export type ApiStatus = 'ok' | 'degraded';

export interface ApiHealth {
  status: ApiStatus;
  httpStatus: number;
  latencyMs: number;
  /** Why it is degraded, or the `version` it reported. */
  detail?: string;
}

export type DependencyStatus = 'ok' | 'failing' | 'unknown';

export interface DependencyCheck {
  name: string;
  status: DependencyStatus;
  /** The raw status text or error message, for the tree. */
  detail?: string;
}

export interface DependencyReport {
  /** `missing` = the API has no such endpoint (404). */
  status: 'ok' | 'degraded' | 'missing';
  httpStatus: number;
  checks: DependencyCheck[];
}

/** A source's latest state as the poller holds it. `off` = not configured. */
export type SourceState<T> =
  | { state: 'off' }
  | { state: 'ok'; value: T; at: number }
  | { state: 'error'; error: HealthError; at: number };

export interface PrometheusState {
  targets: ScrapeTarget[];
  alerts: HealthAlert[];
}

export interface ApiState {
  health: ApiHealth;
  /** Failing to read the deps endpoint is not the API being down. */
  deps: Fetched<DependencyReport>;
}

export interface HealthSnapshot {
  prometheus: SourceState<PrometheusState>;
  alertmanager: SourceState<HealthAlert[]>;
  api: SourceState<ApiState>;
}

export const EMPTY_SNAPSHOT: HealthSnapshot = {
  prometheus: { state: 'off' },
  alertmanager: { state: 'off' },
  api: { state: 'off' },
};
