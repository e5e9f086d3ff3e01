// What the Logs view shows: recent error entries from Loki, parsed, with tracebacks put back together,
// grouped by signature. One call per refresh; every failure is a value.
// The view: client = new LokiClient({url, tenant, auth}); fetchRecentErrors(client, recentErrorsParamsFrom(settings))
// → groups (tree rows) whose innermostFrame/frames go through mapFrameToWorkspace for "open source" links.
import type { ZenOpsSettings } from '../settings';
import { groupErrors, type ErrorGroup } from './groupErrors';
import type { LokiClient, LokiResult } from './lokiClient';
import { entryKey, selectorFor } from './lokiStreams';
import { addNs, nsFromMs, type NsTimestamp } from './nanoseconds';
import { joinContinuationLines, parseLogEntry, streamKey, type LogLimits } from './parseLogEntry';
import type { LokiEntry, ParsedLogEntry } from './types';

export interface RecentErrorsParams {
  query: string;
  /** Minutes back from `now`. */
  windowMinutes: number;
  /** Entries per query_range request. */
  limit: number;
  /** Entries fetched at most over all pages. Default 5 × limit. */
  maxEntries?: number;
  limits: LogLimits;
  /**
   * With a line filter (`|= "ERROR"`) a traceback shipped one line per entry loses its continuation
   * lines; this many error lines get their stream re-read just after them to find those lines. Default 10.
   */
  contextLookups?: number;
  /** How long after an error line its continuation lines may come. Default 2000. */
  continuationWindowMs?: number;
  now?: Date;
  signal?: AbortSignal;
}

export interface RecentErrors {
  /** Parsed entries, newest first (all levels the query returned). */
  entries: ParsedLogEntry[];
  /** Error groups, most recently seen first. */
  groups: ErrorGroup[];
  /** More matched than was fetched. */
  truncated: boolean;
  start: NsTimestamp;
  end: NsTimestamp;
}

/** The RecentErrorsParams the settings ask for. */
export function recentErrorsParamsFrom(settings: Pick<ZenOpsSettings, 'loki' | 'logs'>): RecentErrorsParams {
  return {
    query: settings.loki.query,
    windowMinutes: settings.loki.window,
    limit: settings.loki.limit,
    limits: { maxLineLength: settings.logs.maxLineLength, maxLines: settings.logs.maxLines },
  };
}

function hasNewline(e: LokiEntry): boolean {
  return e.line.includes('\n');
}

export async function fetchRecentErrors(client: LokiClient, params: RecentErrorsParams): Promise<LokiResult<RecentErrors>> {
  const nowMs = (params.now ?? new Date()).getTime();
  const end = nsFromMs(nowMs + 1);
  const start = nsFromMs(nowMs - params.windowMinutes * 60_000);
  const windowMs = params.continuationWindowMs ?? 2000;
  const page = await client.queryRangePaged({
    query: params.query,
    start,
    end,
    limit: params.limit,
    maxEntries: params.maxEntries ?? params.limit * 5,
    direction: 'backward',
    ...(params.signal ? { signal: params.signal } : {}),
  });
  if (!page.ok) return page;

  const found = page.value.entries;
  const wanted = new Set(found.map(entryKey));
  const join = { maxGapMs: windowMs, maxLines: params.limits.maxLines };
  let pool: LokiEntry[] = [...found];
  const joinedOnce = joinContinuationLines(pool, join);

  // Error lines that still stand alone may have had their traceback lines filtered out by the query.
  const lonely = joinedOnce
    .filter((e) => !hasNewline(e) && ['ERROR', 'CRITICAL'].includes(parseLogEntry(e.line, e.stream, e.ts, params.limits).level))
    .reverse()
    .slice(0, params.contextLookups ?? 10);
  const context = await Promise.all(
    lonely.map((e) =>
      client.queryRange({
        query: selectorFor(e.stream),
        start: e.ts,
        end: addNs(e.ts, BigInt(windowMs) * 1_000_000n + 1n),
        limit: Math.min(params.limits.maxLines, 1000),
        direction: 'forward',
        ...(params.signal ? { signal: params.signal } : {}),
      }),
    ),
  );
  const seen = new Set(wanted);
  for (const result of context) {
    // A failed context read only costs the traceback lines; the error line itself is shown anyway.
    if (!result.ok) continue;
    for (const e of result.value.entries) {
      const key = entryKey(e);
      if (!seen.has(key)) {
        seen.add(key);
        pool.push(e);
      }
    }
  }
  if (context.length > 0) pool = joinContinuationLines(pool, join);
  else pool = joinedOnce;

  // Keep entries the query matched: a joined entry keeps its head's stream and time and starts with its line.
  const heads = new Map<string, string[]>();
  for (const e of found) {
    const at = `${streamKey(e.stream)}\u0000${e.ts}`;
    heads.set(at, [...(heads.get(at) ?? []), e.line]);
  }
  const kept = pool.filter((e) => heads.get(`${streamKey(e.stream)}\u0000${e.ts}`)?.some((line) => e.line.startsWith(line)));
  const entries = kept.map((e) => parseLogEntry(e.line, e.stream, e.ts, params.limits)).reverse();
  return {
    ok: true,
    value: { entries, groups: groupErrors(entries), truncated: page.value.truncated, start, end },
  };
}
