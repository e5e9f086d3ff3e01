// Groups error entries by signature: the same failure seen many times is one row with a count.
// Pure: the Logs view and the log-collection feature both call it on parsed entries.
import { compareNs, type NsTimestamp } from './nanoseconds';
import type { LogLevel, ParsedLogEntry, StackFrame } from './types';

export interface ErrorGroup {
  /** Stable key: exception type + innermost frame, or the message with variable parts masked. */
  signature: string;
  /** A short human title: `ZeroDivisionError in get_run (app/main.py)` or the masked message. */
  title: string;
  exceptionType?: string;
  exceptionMessage?: string;
  count: number;
  firstSeen: NsTimestamp;
  lastSeen: NsTimestamp;
  /** Services (container/service/job labels) that logged it, sorted. */
  services: string[];
  /** The most recent occurrence. */
  sample: ParsedLogEntry;
  /** Distinct request ids, most recent first (capped at maxIds). */
  requestIds: string[];
  traceIds: string[];
  /** The sample's traceback frames, outermost first (empty without a traceback). */
  frames: StackFrame[];
  /** The frame that raised (last frame), if any. */
  innermostFrame?: StackFrame;
  /** Other error lines of the same requests (e.g. `GET /x -> 500` after the traceback), masked, distinct. */
  related: string[];
}

export interface GroupErrorsOptions {
  /** Levels that count as errors. */
  levels: LogLevel[];
  /** Fold a traceback-less error into the traceback group of the same request id instead of counting it apart. */
  foldByRequestId: boolean;
  /** Ids kept per group. */
  maxIds: number;
}

export const DEFAULT_GROUP_OPTIONS: GroupErrorsOptions = {
  levels: ['ERROR', 'CRITICAL'],
  foldByRequestId: true,
  maxIds: 20,
};

const MASKS: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\b((?:request|req|trace|span|correlation)[_-]?id["']?\s*[=:]\s*["']?)[\w.:/+-]+/gi, '$1<id>'],
  [/\d+/g, '<n>'],
];

/** The message with numbers, ids, hex, uuids and timestamps replaced, so occurrences compare equal. */
export function maskMessage(message: string): string {
  let out = message;
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim();
}

function frameTail(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).slice(-2).join('/');
}

/** The signature an entry groups under; undefined for entries that are not errors under the options. */
export function errorSignature(entry: ParsedLogEntry): { signature: string; title: string } {
  const tb = entry.traceback;
  if (tb) {
    const inner = tb.frames[tb.frames.length - 1];
    // Function and file, not the line number: a redeploy shifts lines but it is the same bug.
    const where = inner ? `${frameTail(inner.file)}:${inner.function ?? '?'}` : maskMessage(tb.exceptionMessage);
    const title = inner ? `${tb.exceptionType} in ${inner.function ?? '?'} (${frameTail(inner.file)})` : `${tb.exceptionType}: ${tb.exceptionMessage}`;
    return { signature: `${tb.exceptionType}@${where}`, title };
  }
  const masked = maskMessage(entry.message);
  return { signature: `${entry.level}:${masked}`, title: masked };
}

function pushDistinct(list: string[], value: string | undefined, max: number): void {
  if (!value || list.includes(value)) return;
  list.unshift(value);
  if (list.length > max) list.length = max;
}

/** Groups error entries (any order) by signature; groups come most recent first. */
export function groupErrors(entries: readonly ParsedLogEntry[], options: Partial<GroupErrorsOptions> = {}): ErrorGroup[] {
  const opts = { ...DEFAULT_GROUP_OPTIONS, ...options };
  const errors = entries
    .filter((e) => opts.levels.includes(e.level))
    .slice()
    .sort((a, b) => compareNs(a.ts, b.ts));

  const tracebackGroupByRequest = new Map<string, string>();
  if (opts.foldByRequestId) {
    for (const e of errors) if (e.traceback && e.requestId) tracebackGroupByRequest.set(e.requestId, errorSignature(e).signature);
  }

  const groups = new Map<string, ErrorGroup>();
  const folded: { signature: string; entry: ParsedLogEntry }[] = [];
  for (const entry of errors) {
    const foldInto = !entry.traceback && entry.requestId ? tracebackGroupByRequest.get(entry.requestId) : undefined;
    if (foldInto) {
      folded.push({ signature: foldInto, entry });
      continue;
    }
    const { signature, title } = errorSignature(entry);
    let group = groups.get(signature);
    if (!group) {
      group = {
        signature,
        title,
        ...(entry.traceback ? { exceptionType: entry.traceback.exceptionType, exceptionMessage: entry.traceback.exceptionMessage } : {}),
        count: 0,
        firstSeen: entry.ts,
        lastSeen: entry.ts,
        services: [],
        sample: entry,
        requestIds: [],
        traceIds: [],
        frames: [],
        related: [],
      };
      groups.set(signature, group);
    }
    group.count += 1;
    group.lastSeen = entry.ts;
    group.sample = entry;
    if (entry.traceback) {
      group.frames = entry.traceback.frames;
      group.innermostFrame = entry.traceback.frames[entry.traceback.frames.length - 1];
      group.exceptionMessage = entry.traceback.exceptionMessage;
    }
    if (entry.service && !group.services.includes(entry.service)) group.services.push(entry.service);
    pushDistinct(group.requestIds, entry.requestId, opts.maxIds);
    pushDistinct(group.traceIds, entry.traceId, opts.maxIds);
  }
  for (const { signature, entry } of folded) {
    const group = groups.get(signature);
    if (!group) continue;
    const masked = maskMessage(entry.message);
    if (!group.related.includes(masked)) group.related.push(masked);
    pushDistinct(group.traceIds, entry.traceId, opts.maxIds);
  }
  for (const group of groups.values()) group.services.sort();
  return [...groups.values()].sort((a, b) => compareNs(b.lastSeen, a.lastSeen) || b.count - a.count);
}
