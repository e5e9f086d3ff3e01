// What the editor shows about an endpoint's traffic, as plain text: the lens line, the hover, the
// "fails in production" rule and the note on operations no frontend call reaches.
import type { HealthNote } from '../health/healthTree';
import { windowSeconds } from './trafficQuery';
import type { EndpointTraffic, TrafficState } from './types';

export const NO_TRAFFIC = 'no traffic';

/** `last hour`, `last 30 min`, `last 24 h`, `last 7 days`. */
export function windowLabel(window: string): string {
  const s = windowSeconds(window);
  if (!Number.isFinite(s)) return `last ${window}`;
  if (s === 3600) return 'last hour';
  if (s === 86400) return 'last day';
  if (s < 60) return `last ${s} s`;
  if (s < 3600) return `last ${round1(s / 60)} min`;
  if (s < 2 * 86400) return `last ${round1(s / 3600)} h`;
  return `last ${round1(s / 86400)} days`;
}

/** Requests per minute (`12.4 req/min`), or per hour below 0.1 a minute (`3 req/h`). */
export function formatRate(requests: number, window: string): string {
  const seconds = windowSeconds(window);
  const perMinute = (requests / seconds) * 60;
  if (perMinute >= 0.1) return `${perMinute >= 100 ? Math.round(perMinute) : perMinute.toFixed(1)} req/min`;
  const perHour = perMinute * 60;
  return `${perHour >= 10 ? Math.round(perHour) : round1(perHour)} req/h`;
}

/** `0.3%`, `12%`, `100%`; a share that rounds to 0 but is not 0 reads `<0.1%`. */
export function formatShare(part: number, total: number): string {
  if (total <= 0) return '0%';
  const pct = (part / total) * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  return pct < 10 ? `${round1(pct)}%` : `${Math.round(pct)}%`;
}

/** `180 ms`, `<1 ms`, `1.2 s`. */
export function formatLatency(seconds: number): string {
  const ms = seconds * 1000;
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${round1(seconds)} s`;
}

/** A count from `increase` is extrapolated: shown whole. */
export function formatCount(n: number): string {
  return String(Math.round(n));
}

export function hasTraffic(traffic: EndpointTraffic | undefined): traffic is EndpointTraffic {
  return traffic !== undefined && Math.round(traffic.requests) > 0;
}

/** The text after the operation: `12.4 req/min · 5xx 0.3% · p95 180 ms`, or `no traffic`. */
export function trafficSummary(traffic: EndpointTraffic | undefined, window: string, hasStatus = true): string {
  if (!hasTraffic(traffic)) return NO_TRAFFIC;
  const parts = [formatRate(traffic.requests, window)];
  if (hasStatus) parts.push(`5xx ${formatShare(traffic.byClass['5xx'], traffic.requests)}`);
  if (traffic.p95Seconds !== undefined && Number.isFinite(traffic.p95Seconds)) parts.push(`p95 ${formatLatency(traffic.p95Seconds)}`);
  return parts.join(' · ');
}

/** The lens line: `GET /api/payroll/payslips · 12.4 req/min · 5xx 0.3% · p95 180 ms`. */
export function lensText(operationKey: string, traffic: EndpointTraffic | undefined, window: string, hasStatus = true): string {
  return `${operationKey} · ${trafficSummary(traffic, window, hasStatus)}`;
}

export interface FailingRule {
  /** 0–1: a 5xx share at or above this fails. */
  share: number;
  /** Fewer requests than this never fail (a single 500 is not a broken endpoint). */
  minRequests: number;
}

export interface FailingVerdict {
  /** 5xx share, 0–1. */
  share5xx: number;
  /** 501 share, 0–1 (the endpoint is a stub). */
  share501: number;
  message: string;
}

/** Mostly 5xx (or 501 Not Implemented) over enough requests: the contract has it, production cannot serve it. */
export function failingInProduction(traffic: EndpointTraffic | undefined, rule: FailingRule, window: string): FailingVerdict | undefined {
  if (!traffic || traffic.requests <= 0 || Math.round(traffic.requests) < Math.max(1, rule.minRequests)) return undefined;
  const share5xx = traffic.byClass['5xx'] / traffic.requests;
  const share501 = (traffic.byStatus['501'] ?? 0) / traffic.requests;
  if (share5xx < rule.share) return undefined;
  const pct = formatShare(traffic.byClass['5xx'], traffic.requests);
  const why = share501 >= rule.share ? `${formatShare(traffic.byStatus['501'] ?? 0, traffic.requests)} 501 Not Implemented` : `${pct} 5xx`;
  return { share5xx, share501, message: `exists in the contract but fails in production (${why} ${windowLabel(window)})` };
}

/** For an operation no frontend call reaches: other clients use it, or nothing does. */
export function unusedOperationNote(traffic: EndpointTraffic | undefined, window: string): string {
  if (!hasTraffic(traffic)) return 'unused · no traffic (dead code candidate)';
  const perHour = (traffic.requests / windowSeconds(window)) * 3600;
  const n = perHour >= 10 ? String(Math.round(perHour)) : String(round1(perHour));
  return `unused by the frontend, but ${n} req/h (other clients)`;
}

export interface HoverOptions {
  window: string;
  hasStatus: boolean;
  /** The PromQL behind the numbers and a Grafana Explore link running it, when Grafana is configured. */
  promql?: string;
  grafanaUrl?: string;
}

/** Hover markdown: the lens line, counts by status class, and where to look further (a failing verdict is the diagnostic's to say). */
export function trafficHoverMarkdown(operationKey: string, traffic: EndpointTraffic | undefined, options: HoverOptions): string {
  const lines = [`**Traffic** (${windowLabel(options.window)}): \`${operationKey}\` · ${trafficSummary(traffic, options.window, options.hasStatus)}`];
  if (hasTraffic(traffic)) {
    const c = traffic.byClass;
    lines.push('');
    if (options.hasStatus) {
      const extra = (['1xx', '3xx', 'other'] as const).filter((k) => Math.round(c[k]) > 0).map((k) => ` · ${k} ${formatCount(c[k])}`).join('');
      lines.push(`≈ ${formatCount(traffic.requests)} requests: 2xx ${formatCount(c['2xx'])} · 4xx ${formatCount(c['4xx'])} · 5xx ${formatCount(c['5xx'])}${extra}`);
    } else {
      lines.push(`≈ ${formatCount(traffic.requests)} requests`);
    }
  }
  if (options.promql) {
    lines.push('', options.grafanaUrl ? `[Open in Grafana Explore](${markdownUrl(options.grafanaUrl)})` : 'Query:', '', '```promql', options.promql, '```');
  }
  return lines.join('\n');
}

/** Parentheses would end a markdown link early. */
function markdownUrl(url: string): string {
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The Traffic section of the Health view: which metrics are read, or plainly that none fit. */
export function trafficHealthNote(state: TrafficState, windowNote?: string): HealthNote {
  const base = { id: 'traffic', label: 'Traffic' };
  switch (state.kind) {
    case 'off':
      return { ...base, description: 'off', level: 'off', detail: state.reason };
    case 'unknown':
      return { ...base, description: 'not read yet (opens with a file that calls the API)', level: 'off' };
    case 'error':
      return { ...base, description: `cannot read (${state.error.kind})`, level: 'unreachable', detail: state.error.message };
    case 'missing-metrics':
      return { ...base, description: state.wrongType ? 'traffic metrics of the wrong type' : 'no traffic metrics in Prometheus', level: 'warning', detail: state.message };
    case 'ok': {
      const m = state.metrics;
      const active = [...state.endpoints.values()].filter(hasTraffic).length;
      const detail = [...m.notes, ...(windowNote ? [windowNote] : [])].join('; ');
      return {
        ...base,
        description: `${m.requestsSeries} by ${m.routeLabel} · ${active} endpoint${active === 1 ? '' : 's'} with traffic (${windowLabel(state.window)})`,
        level: 'ok',
        detail: detail || undefined,
      };
    }
  }
}
