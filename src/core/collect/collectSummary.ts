// Human-readable lines about a finished collection, shared by the CLI and the editor's messages.
import type { CollectResult, SourceRecord } from './collectDiagnostics';

/** `loki            ok       logs/zenops-api-1.log (120 lines)` — one line per source. */
export function sourceSummaryLine(s: SourceRecord): string {
  const lines = typeof s.detail?.lines === 'number' ? ` (${s.detail.lines} line${s.detail.lines === 1 ? '' : 's'}${s.detail.truncated ? ', truncated' : ''})` : '';
  const what = s.files.length > 0 ? `${s.files.join(', ')}${lines}` : '';
  const reason = s.reason ? `${what ? ' — ' : ''}${s.reason}` : '';
  return `${s.source.padEnd(22)} ${s.status.padEnd(9)} ${what}${reason}`.trimEnd();
}

/** `complete: 9 ok, 1 failed (loki), 1 skipped (docker)`. */
export function collectionHeadline(result: CollectResult): string {
  const by = (status: string) => result.sources.filter((s) => s.status === status);
  const parts = [`${by('ok').length} ok`];
  for (const status of ['failed', 'skipped', 'cancelled']) {
    const list = by(status);
    if (list.length > 0) parts.push(`${list.length} ${status} (${list.map((s) => s.source).join(', ')})`);
  }
  return `${result.status}: ${parts.join(', ')}; ${result.signatures} error signature${result.signatures === 1 ? '' : 's'}`;
}

/** `30m`, `2h`, `90s`, `1d`, or plain minutes → minutes; undefined for anything else. */
export function parseSinceMinutes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$/i.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const factor = { s: 1 / 60, m: 1, h: 60, d: 1440 }[(m[2] ?? 'm').toLowerCase() as 's' | 'm' | 'h' | 'd'];
  const minutes = value * factor;
  return minutes > 0 ? minutes : undefined;
}
