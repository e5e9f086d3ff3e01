// The Health view's content as plain data (no vscode): sections, nodes with stable ids, and a fingerprint per
// node that leaves out ever-changing text (scrape age, exact latency) so the view redraws only what changed.
import { summarizeHealth, HealthSummary } from './summarizeHealth';
import type { DependencyCheck, HealthAlert, HealthSnapshot, ScrapeTarget } from './types';

/** A codicon id and an optional theme colour id (`testing.iconPassed`, `list.warningForeground`...). */
export interface HealthIcon {
  id: string;
  color?: string;
}

export type HealthNodeKind = 'section' | 'api' | 'dependency' | 'job' | 'target' | 'alert' | 'message';

export interface HealthNode {
  /** Stable across polls; the same thing keeps the same id. */
  id: string;
  kind: HealthNodeKind;
  label: string;
  description?: string;
  icon?: HealthIcon;
  /** Space-separated capability tags the menus match on: `openable`, `grafana`, `copyable`, plus the kind. */
  contextValue: string;
  /** undefined = a leaf; an array (even empty) = expandable. */
  children?: HealthNode[];
  /** Expanded the first time VS Code shows this id (later it keeps the user's choice). */
  expanded?: boolean;
  /** What "Open" opens (scrape URL, Prometheus page). */
  openUrl?: string;
  /** Grafana Explore deep link for the node's metric. */
  grafanaUrl?: string;
  /** What "Copy" copies. */
  copyText: string;
  /** Everything shown except ever-changing text; equal fingerprints need no redraw. */
  fingerprint: string;
  /** The data the tooltip is built from at hover time (ages are relative to then). */
  detail?: { target?: ScrapeTarget; alert?: HealthAlert; check?: DependencyCheck; error?: string };
}

export interface HealthTreeOptions {
  /** Full URLs of the API's health and deps endpoints, for "Open URL". */
  apiHealthUrl?: string;
  apiDepsUrl?: string;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  grafanaUrl?: string;
  /** Grafana datasource name or uid for Explore links. */
  grafanaDatasource?: string;
  /** Sections other capabilities report (traffic: which metrics it reads, or that none exist), after Alerts. */
  notes?: HealthNote[];
}

/** A one-line status of another capability, shown as its own section; `detail` becomes a child line. */
export interface HealthNote {
  id: string;
  label: string;
  description: string;
  level: 'ok' | 'warning' | 'off' | 'unreachable';
  detail?: string;
}

export const ICONS = {
  ok: { id: 'pass-filled', color: 'testing.iconPassed' },
  down: { id: 'error', color: 'testing.iconFailed' },
  unknown: { id: 'question', color: 'disabledForeground' },
  warning: { id: 'warning', color: 'list.warningForeground' },
  firing: { id: 'flame', color: 'testing.iconFailed' },
  pending: { id: 'clock', color: 'list.warningForeground' },
  silenced: { id: 'bell-slash' },
  off: { id: 'circle-slash', color: 'disabledForeground' },
  unreachable: { id: 'debug-disconnect', color: 'testing.iconFailed' },
} satisfies Record<string, HealthIcon>;

export function buildHealthTree(snapshot: HealthSnapshot, options: HealthTreeOptions = {}): HealthNode[] {
  const summary = summarizeHealth(snapshot);
  const sections = [depsSection(snapshot, options), targetsSection(snapshot, summary, options), alertsSection(snapshot, summary, options)].map(
    // Sections are always expandable (even while empty): VS Code applies an item's collapsible state only the first
    // time it sees its id, so a section that started as a leaf would otherwise stay collapsed once it has children.
    (section) => ({ ...section, children: section.children ?? [], expanded: true }),
  );
  return uniqueIds([apiSection(snapshot, options), ...sections, ...(options.notes ?? []).map(noteSection)]);
}

function noteSection(note: HealthNote): HealthNode {
  const icon = note.level === 'ok' ? ICONS.ok : note.level === 'off' ? ICONS.off : note.level === 'unreachable' ? ICONS.unreachable : ICONS.warning;
  const children = note.detail ? [message(`${note.id}/detail`, note.detail, note.level === 'ok' ? ICONS.ok : ICONS.warning)] : [];
  return node({ id: note.id, kind: 'section', label: note.label, description: note.description, icon, children, expanded: true, copyText: [note.description, note.detail].filter(Boolean).join('\n') });
}

/** VS Code rejects a tree with two items of one id: a repeated id (two deps named alike, relabelled targets) gets `#2`, `#3`… */
function uniqueIds(nodes: HealthNode[], seen = new Set<string>()): HealthNode[] {
  return nodes.map((n) => {
    let id = n.id;
    for (let i = 2; seen.has(id); i++) id = `${n.id}#${i}`;
    seen.add(id);
    const children = n.children ? uniqueIds(n.children, seen) : undefined;
    return id === n.id && children === n.children ? n : { ...n, id, children };
  });
}

function apiSection(snapshot: HealthSnapshot, options: HealthTreeOptions): HealthNode {
  const api = snapshot.api;
  if (api.state === 'off') return node({ id: 'api', kind: 'api', label: 'API', description: 'off', icon: ICONS.off, copyText: 'API: off (zenops.api.url is empty)' });
  if (api.state === 'error') {
    return node({ id: 'api', kind: 'api', label: 'API', description: `down (${api.error.kind})`, icon: ICONS.down, copyText: api.error.message, openUrl: options.apiHealthUrl, detail: { error: api.error.message } });
  }
  const h = api.value.health;
  const latency = `${Math.round(h.latencyMs)} ms`;
  return node({
    id: 'api',
    kind: 'api',
    label: 'API',
    description: `${h.status}${h.status === 'degraded' && h.detail ? ` (${h.detail})` : ''} · ${latency}`,
    icon: h.status === 'ok' ? ICONS.ok : ICONS.warning,
    copyText: `API ${h.status}, HTTP ${h.httpStatus}, ${latency}`,
    openUrl: options.apiHealthUrl,
    // Latency in coarse buckets: a few ms of jitter is not a change worth a redraw.
    stable: `${h.status}|${h.httpStatus}|${h.detail ?? ''}|${latencyBucket(h.latencyMs)}`,
  });
}

function depsSection(snapshot: HealthSnapshot, options: HealthTreeOptions): HealthNode {
  const api = snapshot.api;
  const base = { id: 'deps', kind: 'section' as const, label: 'Dependencies', openUrl: options.apiDepsUrl };
  if (api.state !== 'ok') {
    return node({ ...base, description: api.state === 'off' ? 'off' : 'unknown (API down)', icon: ICONS.unknown, copyText: 'Dependencies: unknown' });
  }
  const deps = api.value.deps;
  if (!deps.ok) {
    const child = message('deps/error', deps.error.message, ICONS.unreachable);
    return node({ ...base, description: `cannot read (${deps.error.kind})`, icon: ICONS.warning, children: [child], expanded: true, copyText: deps.error.message });
  }
  if (deps.value.status === 'missing') return node({ ...base, description: 'no deps endpoint (404)', icon: ICONS.unknown, copyText: 'no dependency endpoint' });
  const children = deps.value.checks.map((check) =>
    node({
      id: `deps/${check.name}`,
      kind: 'dependency',
      label: check.name,
      description: check.status === 'ok' ? 'ok' : check.detail ? `${check.status}: ${check.detail}` : check.status,
      icon: check.status === 'ok' ? ICONS.ok : check.status === 'failing' ? ICONS.down : ICONS.unknown,
      copyText: `${check.name}: ${check.status}${check.detail ? ` (${check.detail})` : ''}`,
      detail: { check },
    }),
  );
  const failing = deps.value.checks.filter((c) => c.status === 'failing').length;
  return node({
    ...base,
    description: failing > 0 ? `${failing} failing` : `${children.length} ok`,
    icon: failing > 0 || deps.value.status === 'degraded' ? ICONS.warning : ICONS.ok,
    children,
    expanded: true,
    copyText: children.map((c) => c.copyText).join('\n'),
  });
}

function targetsSection(snapshot: HealthSnapshot, summary: HealthSummary, options: HealthTreeOptions): HealthNode {
  const prom = snapshot.prometheus;
  const base = { id: 'targets', kind: 'section' as const, label: 'Targets' };
  if (prom.state === 'off') return node({ ...base, description: 'off', icon: ICONS.off, copyText: 'Prometheus: off (zenops.prometheus.url is empty)' });
  if (prom.state === 'error') {
    const child = message('targets/error', prom.error.message, ICONS.unreachable);
    return node({ ...base, description: 'Prometheus unreachable', icon: ICONS.unreachable, children: [child], expanded: true, copyText: prom.error.message, openUrl: options.prometheusUrl });
  }
  const t = summary.targets!;
  const jobs = t.jobs.map((job) => {
    const children = job.targets.map((target) => targetNode(target, options));
    return node({
      id: `targets/${job.job}`,
      kind: 'job',
      label: job.job,
      description: `${job.up}/${job.total} up`,
      icon: job.up === job.total ? ICONS.ok : job.up === 0 ? ICONS.down : ICONS.warning,
      children,
      expanded: job.up < job.total,
      openUrl: options.prometheusUrl ? `${trimSlash(options.prometheusUrl)}/targets?search=${encodeURIComponent(job.job)}` : undefined,
      grafanaUrl: grafanaExploreUrl(options, `up{job=${promString(job.job)}}`),
      copyText: `${job.job}: ${job.up}/${job.total} up`,
    });
  });
  return node({
    ...base,
    description: `${t.up}/${t.total} up`,
    icon: t.total === 0 ? ICONS.unknown : t.down > 0 ? ICONS.warning : ICONS.ok,
    children: jobs.length > 0 ? jobs : [message('targets/none', 'Prometheus has no active targets', ICONS.unknown)],
    expanded: true,
    openUrl: options.prometheusUrl ? `${trimSlash(options.prometheusUrl)}/targets` : undefined,
    copyText: `${t.up}/${t.total} targets up`,
  });
}

function targetNode(target: ScrapeTarget, options: HealthTreeOptions): HealthNode {
  const icon = target.health === 'up' ? ICONS.ok : target.health === 'down' ? ICONS.down : ICONS.unknown;
  return node({
    id: `targets/${target.job}/${target.scrapeUrl || target.instance}`,
    kind: 'target',
    label: target.instance || target.scrapeUrl,
    description: target.health === 'down' && target.lastError ? `down: ${shortError(target.lastError)}` : target.health,
    icon,
    openUrl: target.scrapeUrl || undefined,
    grafanaUrl: grafanaExploreUrl(options, `up{job=${promString(target.job)},instance=${promString(target.instance)}}`),
    copyText: target.scrapeUrl || target.instance,
    // lastScrape and lastScrapeDuration change every scrape: they are in the hover tooltip, not the fingerprint.
    stable: `${target.health}|${target.lastError}|${target.scrapeUrl}|${JSON.stringify(target.labels)}`,
    detail: { target },
  });
}

function alertsSection(snapshot: HealthSnapshot, summary: HealthSummary, options: HealthTreeOptions): HealthNode {
  const base = { id: 'alerts', kind: 'section' as const, label: 'Alerts' };
  const { prometheus: prom, alertmanager: am } = snapshot;
  if (prom.state !== 'ok' && am.state !== 'ok') {
    const why = prom.state === 'off' && am.state === 'off' ? 'off' : 'unknown (no source answers)';
    return node({ ...base, description: why, icon: why === 'off' ? ICONS.off : ICONS.unknown, copyText: `Alerts: ${why}` });
  }
  const children: HealthNode[] = summary.alerts.map((alert) => alertNode(alert, options));
  if (am.state === 'error') children.push(message('alerts/alertmanager-error', `Alertmanager: ${am.error.message} (showing Prometheus's alerts)`, ICONS.unreachable));
  const active = summary.firing;
  return node({
    ...base,
    description: active > 0 ? `${active} firing` : summary.pending > 0 ? `${summary.pending} pending` : 'none firing',
    icon: active > 0 ? ICONS.firing : summary.pending > 0 ? ICONS.pending : ICONS.ok,
    children,
    expanded: true,
    openUrl: am.state === 'ok' && options.alertmanagerUrl ? trimSlash(options.alertmanagerUrl) : options.prometheusUrl ? `${trimSlash(options.prometheusUrl)}/alerts` : undefined,
    copyText: summary.alerts.map((a) => `${a.state} ${a.name}: ${a.summary ?? ''}`).join('\n') || 'no alerts',
  });
}

function alertNode(alert: HealthAlert, options: HealthTreeOptions): HealthNode {
  const muted = alert.silenced ? 'silenced' : alert.inhibited ? 'inhibited' : undefined;
  const since = alert.activeAt ? ` · since ${clock(alert.activeAt)}` : '';
  const identity = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
  return node({
    id: `alerts/${alert.source}/${identity}`,
    kind: 'alert',
    label: alert.name,
    description: [muted ?? alert.state, alert.severity, alert.summary].filter(Boolean).join(' · ') + since,
    icon: muted ? ICONS.silenced : alert.state === 'firing' ? ICONS.firing : ICONS.pending,
    grafanaUrl: grafanaExploreUrl(options, `ALERTS{alertname=${promString(alert.name)}}`),
    openUrl: alert.source === 'alertmanager' && options.alertmanagerUrl ? trimSlash(options.alertmanagerUrl) : options.prometheusUrl ? `${trimSlash(options.prometheusUrl)}/alerts` : undefined,
    copyText: `${alert.name} (${alert.state}${alert.severity ? `, ${alert.severity}` : ''}): ${alert.summary ?? ''}`.trim(),
    stable: `${alert.state}|${muted ?? ''}|${alert.severity ?? ''}|${alert.summary ?? ''}|${alert.activeAt ?? ''}`,
    detail: { alert },
  });
}

function message(id: string, text: string, icon: HealthIcon): HealthNode {
  return node({ id, kind: 'message', label: text, icon, copyText: text, detail: { error: text } });
}

type NodeInput = Omit<HealthNode, 'fingerprint' | 'contextValue'> & { stable?: string };

function node(input: NodeInput): HealthNode {
  const { stable, ...rest } = input;
  const tags = [input.kind, 'copyable'];
  if (input.openUrl) tags.push('openable');
  if (input.grafanaUrl) tags.push('grafana');
  const shown = stable ?? `${input.label}|${input.description ?? ''}`;
  const fingerprint = [shown, input.label, input.icon?.id ?? '', input.icon?.color ?? '', tags.join(' '), input.openUrl ?? '', input.grafanaUrl ?? '', (input.children ?? []).map((c) => c.id).join(',')].join('\u0000');
  return { ...rest, contextValue: tags.join(' '), fingerprint };
}

export interface TreeDiff {
  /** The top-level list changed: refresh the whole view. */
  all: boolean;
  /** Nodes to refresh (no node listed whose ancestor is listed too). */
  changed: HealthNode[];
}

/** Which nodes need a redraw going from `before` to `after` (compared by id and fingerprint). */
export function diffHealthTrees(before: HealthNode[] | undefined, after: HealthNode[]): TreeDiff {
  if (!before || before.map((n) => n.id).join('\n') !== after.map((n) => n.id).join('\n')) return { all: true, changed: [] };
  const old = new Map<string, string>();
  const index = (nodes: HealthNode[]) => {
    for (const n of nodes) {
      old.set(n.id, n.fingerprint);
      if (n.children) index(n.children);
    }
  };
  index(before);
  const changed: HealthNode[] = [];
  const walk = (nodes: HealthNode[]) => {
    for (const n of nodes) {
      // A changed node redraws with its children, so its subtree need not be listed.
      if (old.get(n.id) !== n.fingerprint) changed.push(n);
      else if (n.children) walk(n.children);
    }
  };
  walk(after);
  return { all: false, changed };
}

/** A Grafana Explore link running `expr` on the Prometheus datasource over the last hour. */
export function grafanaExploreUrl(options: HealthTreeOptions, expr: string): string | undefined {
  if (!options.grafanaUrl) return undefined;
  const left = { datasource: options.grafanaDatasource ?? 'Prometheus', queries: [{ refId: 'A', expr }], range: { from: 'now-1h', to: 'now' } };
  return `${trimSlash(options.grafanaUrl)}/explore?orgId=1&left=${encodeURIComponent(JSON.stringify(left))}`;
}

/** "3 s ago", "5 min ago", "2 h ago" relative to `now`. */
export function ago(iso: string | undefined, now: number): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'unknown';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = new Date().toDateString() === d.toDateString();
  const time = d.toTimeString().slice(0, 5);
  return sameDay ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}

function latencyBucket(ms: number): number {
  return ms <= 0 ? 0 : Math.floor(Math.log2(ms));
}

function shortError(error: string): string {
  // Prometheus prefixes errors with `Get "URL": `; the URL is in the tooltip already.
  const text = error.replace(/^Get "[^"]*":\s*/, '').replace(/^dial tcp [^:]+:\d+:\s*/, '');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function promString(value: string): string {
  return JSON.stringify(value);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
