// Test-data builders for health snapshots: the smallest snapshot that says what a test needs.
import type { ApiState, DependencyCheck, HealthAlert, HealthSnapshot, ScrapeTarget } from '../../../src/core/health/types';

export function target(job: string, instance: string, health: ScrapeTarget['health'] = 'up', extra: Partial<ScrapeTarget> = {}): ScrapeTarget {
  return {
    job,
    instance,
    labels: { job, instance },
    scrapePool: job,
    scrapeUrl: `http://${instance}/metrics`,
    health,
    lastError: health === 'down' ? `Get "http://${instance}/metrics": dial tcp ${instance}: connect: connection refused` : '',
    lastScrape: '2026-12-03T16:00:00Z',
    lastScrapeDuration: 0.004,
    ...extra,
  };
}

export function alert(name: string, extra: Partial<HealthAlert> = {}): HealthAlert {
  return {
    name,
    labels: { alertname: name, severity: extra.severity ?? 'critical' },
    annotations: { summary: `${name} summary` },
    state: 'firing',
    activeAt: '2026-12-03T16:00:00Z',
    severity: 'critical',
    summary: `${name} summary`,
    source: 'prometheus',
    ...extra,
  };
}

export function apiState(checks: DependencyCheck[] = [], latencyMs = 4): ApiState {
  const failing = checks.some((c) => c.status === 'failing');
  return {
    health: { status: 'ok', httpStatus: 200, latencyMs },
    deps: { ok: true, value: { status: failing ? 'degraded' : 'ok', httpStatus: failing ? 503 : 200, checks }, elapsedMs: 2 },
  };
}

export function snapshot(parts: { targets?: ScrapeTarget[]; alerts?: HealthAlert[]; api?: ApiState | 'down' | 'off'; prometheus?: 'down' | 'off'; alertmanager?: HealthAlert[] | 'down' }): HealthSnapshot {
  const at = 0;
  const prometheus: HealthSnapshot['prometheus'] =
    parts.prometheus === 'off'
      ? { state: 'off' }
      : parts.prometheus === 'down'
        ? { state: 'error', error: { kind: 'refused', message: 'connection refused by localhost:9090' }, at }
        : { state: 'ok', value: { targets: parts.targets ?? [], alerts: parts.alerts ?? [] }, at };
  const api: HealthSnapshot['api'] =
    parts.api === 'off'
      ? { state: 'off' }
      : parts.api === 'down'
        ? { state: 'error', error: { kind: 'refused', message: 'connection refused by localhost:8000' }, at }
        : { state: 'ok', value: parts.api ?? apiState(), at };
  const alertmanager: HealthSnapshot['alertmanager'] =
    parts.alertmanager === undefined
      ? { state: 'off' }
      : parts.alertmanager === 'down'
        ? { state: 'error', error: { kind: 'refused', message: 'connection refused by localhost:9093' }, at }
        : { state: 'ok', value: parts.alertmanager, at };
  return { prometheus, api, alertmanager };
}
