// Loki's stream-shaped answers (query_range results, tail frames) as flat, ordered entries.
import { compareNs, isNsTimestamp } from './nanoseconds';
import { streamKey } from './parseLogEntry';
import type { LokiEntry } from './types';

export type Direction = 'forward' | 'backward';

/** A key that is the same for the same entry fetched twice (paging boundaries, tail reconnects). */
export function entryKey(entry: LokiEntry): string {
  return `${streamKey(entry.stream)}\u0000${entry.ts}\u0000${entry.line}`;
}

export function sortEntries(entries: LokiEntry[], direction: Direction): LokiEntry[] {
  const sign = direction === 'forward' ? 1 : -1;
  // Same-time entries of different streams are ordered by stream; within a stream the order Loki
  // sent is kept (a stable sort), since that is the only order same-time lines have.
  const byStream = (a: LokiEntry, b: LokiEntry) => {
    const x = streamKey(a.stream);
    const y = streamKey(b.stream);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return entries.sort((a, b) => sign * (compareNs(a.ts, b.ts) || byStream(a, b)));
}

/** Loki's `{"streams":[{stream, values:[[ns, line]]}]}` → flat entries; undefined when the shape is wrong. */
export function entriesFromStreams(result: unknown): LokiEntry[] | undefined {
  if (!Array.isArray(result)) return undefined;
  const out: LokiEntry[] = [];
  for (const s of result) {
    if (!s || typeof s !== 'object') return undefined;
    const stream = (s as { stream?: unknown }).stream;
    const values = (s as { values?: unknown }).values;
    if (!stream || typeof stream !== 'object' || Array.isArray(stream) || !Array.isArray(values)) return undefined;
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(stream as Record<string, unknown>)) labels[k] = String(v);
    for (const v of values) {
      if (!Array.isArray(v) || !isNsTimestamp(v[0]) || typeof v[1] !== 'string') return undefined;
      out.push({ stream: labels, ts: v[0], line: v[1] });
    }
  }
  return out;
}

/** `{container="zenops-api-1",job="docker"}`: a selector matching exactly this stream. */
export function selectorFor(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k].replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${parts.join(',')}}`;
}

