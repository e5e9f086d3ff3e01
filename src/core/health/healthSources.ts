// Builds the poller's source readers from settings and credentials (shared by the extension and the CLI).
import type { Dispatcher } from 'undici';
import { createTlsDispatcher, HttpAuth } from '../http/getJson';
import type { ZenOpsSettings } from '../settings';
import { AlertmanagerClient } from './alertmanagerClient';
import { ApiHealthClient } from './apiHealthClient';
import type { HealthSources } from './healthPoller';
import { PrometheusClient } from './prometheusClient';
import { EMPTY_SNAPSHOT, HealthError, HealthSnapshot, SourceState } from './types';

export type CredentialSource = 'prometheus' | 'alertmanager' | 'api' | 'grafana' | 'loki';
export const CREDENTIAL_SOURCES: CredentialSource[] = ['prometheus', 'alertmanager', 'api', 'grafana', 'loki'];

export type SourceCredentials = Partial<Record<CredentialSource, HttpAuth>>;

export interface BuiltHealthSources {
  sources: HealthSources;
  /** The TLS agent, to close when the sources are dropped. */
  dispatcher?: Dispatcher;
  /** A configuration problem (e.g. unreadable CA file), shown as every source's error. */
  configError?: HealthError;
}

/** One reader per configured source; an empty URL leaves the source out (shown as off). */
export function createHealthSources(settings: ZenOpsSettings, credentials: SourceCredentials = {}): BuiltHealthSources {
  const timeoutMs = Math.max(1, settings.health.requestTimeout) * 1000;
  const tls = createTlsDispatcher({ caFile: settings.tls.caFile, rejectUnauthorized: settings.tls.rejectUnauthorized });
  const sources: HealthSources = {};
  if (!tls.ok) {
    const error: HealthError = { kind: 'config', message: tls.message };
    const failing = async () => ({ state: 'error' as const, error, at: Date.now() });
    if (settings.prometheus.url) sources.prometheus = failing;
    if (settings.alertmanager.url) sources.alertmanager = failing;
    if (settings.api.url) sources.api = failing;
    return { sources, configError: error };
  }
  const dispatcher = tls.dispatcher;

  if (settings.prometheus.url.trim()) {
    const client = new PrometheusClient({ url: settings.prometheus.url.trim(), auth: credentials.prometheus, dispatcher, timeoutMs });
    sources.prometheus = async (signal) => {
      const [targets, alerts] = await Promise.all([client.targets(signal), client.alerts(signal)]);
      const at = Date.now();
      if (!targets.ok) return { state: 'error', error: targets.error, at };
      if (!alerts.ok) return { state: 'error', error: alerts.error, at };
      return { state: 'ok', value: { targets: targets.value, alerts: alerts.value }, at };
    };
  }
  if (settings.alertmanager.url.trim()) {
    const client = new AlertmanagerClient({ url: settings.alertmanager.url.trim(), auth: credentials.alertmanager, dispatcher, timeoutMs });
    sources.alertmanager = async (signal) => {
      const res = await client.alerts(signal);
      return res.ok ? { state: 'ok', value: res.value, at: Date.now() } : { state: 'error', error: res.error, at: Date.now() };
    };
  }
  if (settings.api.url.trim()) {
    const client = new ApiHealthClient({
      url: settings.api.url.trim(),
      healthPath: settings.api.healthPath,
      depsPath: settings.api.depsPath,
      auth: credentials.api,
      dispatcher,
      timeoutMs,
    });
    sources.api = async (signal) => {
      const health = await client.health(signal);
      if (!health.ok) return { state: 'error', error: health.error, at: Date.now() };
      const deps = settings.api.depsPath.trim()
        ? await client.deps(signal)
        : { ok: true as const, value: { status: 'missing' as const, httpStatus: 0, checks: [] }, elapsedMs: 0 };
      return { state: 'ok', value: { health: health.value, deps }, at: Date.now() };
    };
  }
  return { sources, dispatcher };
}

/** Reads every source once, in parallel (for the CLI and one-off checks); a reader that throws becomes an error state. */
export async function readHealthOnce(sources: HealthSources, signal: AbortSignal = new AbortController().signal): Promise<HealthSnapshot> {
  const names = Object.keys(sources) as (keyof HealthSnapshot)[];
  const snapshot = { ...EMPTY_SNAPSHOT } as Record<keyof HealthSnapshot, SourceState<unknown>>;
  await Promise.all(
    names.map(async (name) => {
      const reader = sources[name] as ((s: AbortSignal) => Promise<SourceState<unknown>>) | undefined;
      if (!reader) return;
      try {
        snapshot[name] = await reader(signal);
      } catch (err) {
        snapshot[name] = { state: 'error', error: { kind: 'other', message: `${name}: ${(err as Error)?.message ?? String(err)}` }, at: Date.now() };
      }
    }),
  );
  return snapshot as unknown as HealthSnapshot;
}
