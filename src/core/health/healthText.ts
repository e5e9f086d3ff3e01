// Markdown for hovers: the status-bar tooltip table and each Health-view node's tooltip, built at hover time.
import { ago, HealthNode } from './healthTree';
import type { HealthLevel, HealthSummary } from './summarizeHealth';

/** Escapes text for a markdown table cell or line. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

/** The status-bar tooltip: a small table of the sources, then the problems. */
export function statusTooltipMarkdown(summary: HealthSummary): string {
  const t = summary.targets;
  const rows: [string, string][] = [
    ['API', summary.api === 'off' ? 'off' : `${summary.api}${summary.apiLatencyMs !== undefined ? ` (${Math.round(summary.apiLatencyMs)} ms)` : ''}`],
    ['Dependencies', summary.failingDeps.length > 0 ? `failing: ${summary.failingDeps.join(', ')}` : summary.api === 'ok' || summary.api === 'degraded' ? 'ok' : '—'],
    ['Targets', t ? `${t.up}/${t.total} up` : summary.level === 'prometheus-unreachable' ? 'Prometheus unreachable' : '—'],
    ['Alerts', `${summary.firing} firing${summary.pending ? `, ${summary.pending} pending` : ''}`],
  ];
  const lines = ['**ZenOps health**', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeMarkdown(v)} |`)];
  if (summary.problems.length > 0) {
    lines.push('', ...summary.problems.slice(0, 6).map((p) => `- ${escapeMarkdown(p)}`));
    if (summary.problems.length > 6) lines.push(`- …and ${summary.problems.length - 6} more`);
  }
  lines.push('', 'Click to open the Health view.');
  return lines.join('\n');
}

/** A node's tooltip; scrape ages are computed against `now`, so a hover always shows fresh ones. */
export function nodeTooltipMarkdown(node: HealthNode, now: number): string {
  const d = node.detail ?? {};
  if (d.target) {
    const t = d.target;
    const lines = [
      `**${escapeMarkdown(t.job)}** · ${escapeMarkdown(t.instance)} · **${t.health}**`,
      '',
      `Scrape URL: ${escapeMarkdown(t.scrapeUrl)}`,
      `Last scrape: ${ago(t.lastScrape, now)}${t.lastScrapeDuration !== undefined ? ` (took ${(t.lastScrapeDuration * 1000).toFixed(1)} ms)` : ''}`,
    ];
    if (t.lastError) lines.push(`Last error: ${escapeMarkdown(t.lastError)}`);
    return lines.join('\n\n');
  }
  if (d.alert) {
    const a = d.alert;
    const lines = [`**${escapeMarkdown(a.name)}** · ${a.silenced ? 'silenced' : a.inhibited ? 'inhibited' : a.state}${a.severity ? ` · ${escapeMarkdown(a.severity)}` : ''}`];
    if (a.summary) lines.push(escapeMarkdown(a.summary));
    if (a.activeAt) lines.push(`Active since ${escapeMarkdown(a.activeAt)} (${ago(a.activeAt, now)})`);
    if (a.value !== undefined) lines.push(`Value: ${escapeMarkdown(a.value)}`);
    const labels = Object.entries(a.labels).map(([k, v]) => `${k}="${v}"`).join(', ');
    lines.push(`Labels: ${escapeMarkdown(labels)}`);
    for (const [k, v] of Object.entries(a.annotations)) if (k !== 'summary') lines.push(`${escapeMarkdown(k)}: ${escapeMarkdown(v)}`);
    lines.push(`From ${a.source === 'alertmanager' ? 'Alertmanager' : 'Prometheus'}`);
    return lines.join('\n\n');
  }
  if (d.check) return `**${escapeMarkdown(d.check.name)}**: ${d.check.status}${d.check.detail ? `\n\n${escapeMarkdown(d.check.detail)}` : ''}`;
  if (d.error) return escapeMarkdown(d.error);
  return `**${escapeMarkdown(node.label)}**${node.description ? ` · ${escapeMarkdown(node.description)}` : ''}`;
}

const STATUS_ICON: Record<HealthLevel, string> = {
  ok: '$(pulse)',
  degraded: '$(pulse)',
  'api-down': '$(pulse)',
  'prometheus-unreachable': '$(debug-disconnect)',
  'not-configured': '$(circle-slash)',
};

/** Status-bar text (with codicon) and background theme colour for a summary: warning when degraded, error when the API is down. */
export function statusBarLook(summary: HealthSummary): { text: string; background?: 'statusBarItem.warningBackground' | 'statusBarItem.errorBackground' } {
  const background =
    summary.level === 'api-down' ? 'statusBarItem.errorBackground' : summary.level === 'degraded' ? 'statusBarItem.warningBackground' : undefined;
  return { text: `${STATUS_ICON[summary.level]} ${summary.text}`, background };
}
