// Follows new log entries over Loki's tail WebSocket. Loki treats tail as best-effort and closes it
// (restarts, max duration, querier moves), so this reconnects with backoff and, when tail keeps
// failing, polls query_range instead; entries are delivered once each, oldest first.
import { WebSocket } from 'ws';
import type { LokiClient, LokiError } from './lokiClient';
import { entriesFromStreams, entryKey, sortEntries } from './lokiStreams';
import { compareNs, nsFromDate, type NsTimestamp } from './nanoseconds';
import type { LokiEntry } from './types';

export type TailState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number; delayMs: number; reason: string }
  /** Tail kept failing; query_range is polled. `error` is the last poll's failure, if it failed. */
  | { kind: 'polling'; reason: string; error?: LokiError }
  | { kind: 'stopped' };

export interface TailOptions {
  query: string;
  /** First entry time wanted; default now. */
  start?: NsTimestamp | Date;
  /** Entries Loki replays on connect (its `limit`). Default 100. */
  limit?: number;
  /** Loki's delay_for (seconds), for late-arriving entries. */
  delayForSeconds?: number;
  onEntries(entries: LokiEntry[]): void;
  onState?(state: TailState): void;
  /** First reconnect delay; doubles per consecutive failure up to maxBackoffMs. Default 500. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failed connections before falling back to polling. Default 3. */
  maxFailures?: number;
  /** A connection open this long (or delivering entries) counts as healthy. Default 5000. */
  healthyAfterMs?: number;
  /** Poll period while falling back. Default 15000. */
  pollIntervalMs?: number;
  /** While polling, try the tail again after this long. Default 300000; 0 never. */
  retryTailAfterMs?: number;
  signal?: AbortSignal;
}

export interface LokiTail {
  readonly state: TailState;
  /** Entry keys remembered to drop repeats (a reconnect resends the newest entry); never more than SEEN_KEYS_KEPT. */
  readonly seenKeys: number;
  stop(): void;
}

/** Keys of the newest entries kept for deduplication: enough for any resend, bounded over hours of tail. */
export const SEEN_KEYS_KEPT = 10_000;

export function startTail(client: LokiClient, options: TailOptions): LokiTail {
  const limit = options.limit ?? 100;
  const initialBackoff = options.initialBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const maxFailures = options.maxFailures ?? 3;
  const healthyAfter = options.healthyAfterMs ?? 5000;
  const pollInterval = options.pollIntervalMs ?? 15_000;
  const retryTailAfter = options.retryTailAfterMs ?? 300_000;

  let state: TailState = { kind: 'connecting', attempt: 1 };
  let cursor: NsTimestamp = options.start instanceof Date ? nsFromDate(options.start) : (options.start ?? nsFromDate(new Date()));
  const seen = new Map<string, true>();
  let failures = 0;
  let attempt = 0;
  let socket: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pollingSince = 0;
  let stopped = false;
  const polls = new AbortController();

  const setState = (next: TailState) => {
    state = next;
    options.onState?.(next);
  };

  const deliver = (entries: LokiEntry[]) => {
    const fresh: LokiEntry[] = [];
    for (const e of sortEntries(entries, 'forward')) {
      const key = entryKey(e);
      if (seen.has(key)) continue;
      seen.set(key, true);
      fresh.push(e);
      if (compareNs(e.ts, cursor) > 0) cursor = e.ts;
    }
    while (seen.size > SEEN_KEYS_KEPT) seen.delete(seen.keys().next().value as string);
    if (fresh.length > 0 && !stopped) options.onEntries(fresh);
  };

  const schedule = (ms: number, fn: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };

  const connect = () => {
    if (stopped) return;
    attempt++;
    setState({ kind: 'connecting', attempt });
    // Resume at the newest entry seen: Loki's start is inclusive, so it is resent and deduplicated.
    const target = client.tailTarget(options.query, cursor, limit, options.delayForSeconds ?? 0);
    const ws = new WebSocket(target.url, { headers: target.headers, handshakeTimeout: 10_000 });
    socket = ws;
    let openedAt = 0;
    let healthy = false;
    let lastError = '';
    ws.on('open', () => {
      openedAt = Date.now();
      setState({ kind: 'live' });
    });
    ws.on('message', (data) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return; // a frame that is not JSON carries nothing we can show
      }
      const entries = entriesFromStreams((frame as { streams?: unknown })?.streams ?? []);
      if (!entries) return;
      healthy = true;
      failures = 0;
      deliver(entries);
    });
    ws.on('error', (err) => {
      lastError = err.message;
    });
    ws.on('close', (code, reason) => {
      if (socket === ws) socket = undefined;
      if (stopped) return;
      if (openedAt && Date.now() - openedAt >= healthyAfter) healthy = true;
      failures = healthy ? 1 : failures + 1;
      const why = lastError || `closed by Loki (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
      if (failures >= maxFailures) return startPolling(`tail failed ${failures} times in a row: ${why}`);
      const delay = Math.min(maxBackoff, initialBackoff * 2 ** (failures - 1));
      setState({ kind: 'reconnecting', attempt: attempt + 1, delayMs: delay, reason: why });
      schedule(delay, connect);
    });
  };

  const startPolling = (reason: string) => {
    pollingSince = Date.now();
    setState({ kind: 'polling', reason });
    void poll(reason);
  };

  const poll = async (reason: string) => {
    if (stopped) return;
    if (retryTailAfter > 0 && Date.now() - pollingSince >= retryTailAfter) {
      failures = 0;
      return connect();
    }
    const result = await client.queryRange({
      query: options.query,
      start: cursor,
      end: nsFromDate(new Date(Date.now() + 1)),
      limit,
      direction: 'forward',
      signal: polls.signal,
    });
    if (stopped) return;
    let wait = pollInterval;
    if (result.ok) {
      deliver(result.value.entries);
      if (state.kind === 'polling' && state.error) setState({ kind: 'polling', reason });
      // A full page means more is waiting: fetch it soon rather than a whole interval later.
      if (result.value.limitReached) wait = Math.min(pollInterval, 100);
    } else {
      setState({ kind: 'polling', reason, error: result });
      if (result.retryAfterSeconds !== undefined) wait = Math.max(wait, result.retryAfterSeconds * 1000);
    }
    schedule(wait, () => void poll(reason));
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    polls.abort();
    socket?.terminate();
    socket = undefined;
    setState({ kind: 'stopped' });
  };
  if (options.signal?.aborted) stop();
  else {
    options.signal?.addEventListener('abort', stop, { once: true });
    connect();
  }
  return {
    get state() {
      return state;
    },
    get seenKeys() {
      return seen.size;
    },
    stop,
  };
}
