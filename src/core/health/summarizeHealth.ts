// What the status bar and the tree headline show for a health snapshot: counts, one overall level, short text.
import type { HealthAlert, HealthSnapshot, ScrapeTarget } from './types';

export type HealthLevel = 'ok' | 'degraded' | 'api-down' | 'prometheus-unreachable' | 'not-configured';

export interface JobSummary {
  job: string;
  up: number;
  total: number;
  targets: ScrapeTarget[];
}

export interface HealthSummary {
  level: HealthLevel;
  /** Status-bar text without the icon, e.g. `11/12 · 1 alert · API ok`. */
  text: string;
  /** undefined when Prometheus is off or unreachable. */
  targets?: { up: number; down: number; unknown: number; total: number; jobs: JobSummary[] };
  /** The alerts shown: Alertmanager's when it answered, else Prometheus's; firing first. */
  alerts: HealthAlert[];
  /** Firing alerts that are neither silenced nor inhibited. */
  firing: number;
  pending: number;
  api: 'ok' | 'degraded' | 'down' | 'off';
  apiLatencyMs?: number;
  failingDeps: string[];
  /** One line per problem, worst first (for tooltips and logs). */
  problems: string[];
}

export function summarizeHealth(snapshot: HealthSnapshot): HealthSummary {
  const problems: string[] = [];
  const { prometheus, alertmanager, api } = snapshot;

  let targets: HealthSummary['targets'];
  if (prometheus.state === 'ok') {
    const all = prometheus.value.targets;
    const jobs = new Map<string, JobSummary>();
    for (const t of all) {
      const job = jobs.get(t.job) ?? { job: t.job, up: 0, total: 0, targets: [] };
      job.total++;
      if (t.health === 'up') job.up++;
      job.targets.push(t);
      jobs.set(t.job, job);
    }
    const up = all.filter((t) => t.health === 'up').length;
    const down = all.filter((t) => t.health === 'down').length;
    targets = { up, down, unknown: all.length - up - down, total: all.length, jobs: [...jobs.values()].sort((a, b) => a.job.localeCompare(b.job)) };
    for (const t of all.filter((t) => t.health === 'down')) problems.push(`target ${t.job} ${t.instance} is down${t.lastError ? `: ${t.lastError}` : ''}`);
  } else if (prometheus.state === 'error') {
    problems.push(`Prometheus unreachable: ${prometheus.error.message}`);
  }

  const alertSource = alertmanager.state === 'ok' ? alertmanager.value : prometheus.state === 'ok' ? prometheus.value.alerts : [];
  const alerts = sortAlerts(alertSource);
  const active = alerts.filter((a) => !a.silenced && !a.inhibited);
  const firing = active.filter((a) => a.state === 'firing').length;
  const pending = active.filter((a) => a.state === 'pending').length;
  for (const a of active.filter((a) => a.state === 'firing')) problems.push(`alert ${a.name} firing${a.summary ? `: ${a.summary}` : ''}`);

  let apiState: HealthSummary['api'] = 'off';
  let apiLatencyMs: number | undefined;
  const failingDeps: string[] = [];
  if (api.state === 'error') {
    apiState = 'down';
    problems.unshift(`API down: ${api.error.message}`);
  } else if (api.state === 'ok') {
    apiState = api.value.health.status;
    apiLatencyMs = api.value.health.latencyMs;
    if (apiState === 'degraded') problems.push(`API degraded: ${api.value.health.detail ?? ''}`.trim());
    const deps = api.value.deps;
    if (deps.ok) {
      for (const c of deps.value.checks) if (c.status === 'failing') failingDeps.push(c.name);
      if (failingDeps.length > 0) {
        apiState = 'degraded';
        problems.push(`failing dependencies: ${failingDeps.join(', ')}`);
      } else if (deps.value.status === 'degraded') {
        apiState = 'degraded';
        problems.push(`dependency check answered HTTP ${deps.value.httpStatus}`);
      }
    }
  }

  const level: HealthLevel =
    prometheus.state === 'off' && api.state === 'off' && alertmanager.state === 'off'
      ? 'not-configured'
      : apiState === 'down'
        ? 'api-down'
        : prometheus.state === 'error'
          ? 'prometheus-unreachable'
          : (targets && targets.down > 0) || firing > 0 || apiState === 'degraded'
            ? 'degraded'
            : 'ok';

  return { level, text: statusText(level, prometheus.state === 'error', targets, firing, apiState, failingDeps), targets, alerts, firing, pending, api: apiState, apiLatencyMs, failingDeps, problems };
}

function statusText(level: HealthLevel, prometheusUnreachable: boolean, targets: HealthSummary['targets'], firing: number, api: HealthSummary['api'], failingDeps: string[]): string {
  if (level === 'not-configured') return 'ZenOps: not configured';
  const parts: string[] = [];
  if (targets) parts.push(`${targets.up}/${targets.total}`);
  else if (prometheusUnreachable) parts.push('Prometheus unreachable');
  if (firing > 0) parts.push(`${firing} alert${firing === 1 ? '' : 's'}`);
  if (api === 'ok') parts.push('API ok');
  else if (api === 'down') parts.push('API down');
  else if (api === 'degraded') parts.push(failingDeps.length > 0 ? `API degraded (${failingDeps.join(', ')})` : 'API degraded');
  return parts.join(' · ');
}

const SEVERITY_ORDER = ['critical', 'error', 'high', 'warning', 'medium', 'info', 'low', 'none'];

/** Firing before pending, silenced/inhibited last, then by severity, then oldest first. */
export function sortAlerts(alerts: HealthAlert[]): HealthAlert[] {
  const rank = (a: HealthAlert) => (a.silenced || a.inhibited ? 2 : a.state === 'firing' ? 0 : 1);
  const severity = (a: HealthAlert) => {
    const i = SEVERITY_ORDER.indexOf((a.severity ?? 'none').toLowerCase());
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return [...alerts].sort(
    (a, b) => rank(a) - rank(b) || severity(a) - severity(b) || (a.activeAt ?? '').localeCompare(b.activeAt ?? '') || a.name.localeCompare(b.name),
  );
}
