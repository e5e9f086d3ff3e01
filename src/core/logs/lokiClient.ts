// Reads logs from Loki's HTTP API (query_range, labels) and follows them over its tail WebSocket.
// Every failure is a value (LokiError); credentials go in headers and never into a message.
import type { Dispatcher } from 'undici';
import { authorizationHeader, getJson, GetJsonFailure, HttpAuth, joinUrl, redactUrl } from '../http/getJson';
import { entriesFromStreams, entryKey, sortEntries } from './lokiStreams';
import { addNs, nsFromDate, type NsTimestamp } from './nanoseconds';
import { startTail, type LokiTail, type TailOptions } from './tailLogs';
import type { LokiEntry } from './types';

export type LokiErrorKind =
  | GetJsonFailure['kind']
  /** 429: Loki or a proxy in front of it asks us to slow down. */
  | 'rate-limited'
  /** 400: Loki refused the query (its parse error is in the message). */
  | 'bad-query'
  /** 401/403: missing or wrong credentials or tenant. */
  | 'unauthorized'
  /** Loki answered `{"status":"error"}`. */
  | 'loki-error'
  /** JSON, but not the shape Loki documents. */
  | 'bad-response';

export interface LokiError {
  ok: false;
  kind: LokiErrorKind;
  message: string;
  status?: number;
  /** From Retry-After on a 429, when the answer carried one. */
  retryAfterSeconds?: number;
}

export type LokiResult<T> = { ok: true; value: T } | LokiError;

export interface LokiClientOptions {
  /** Base URL, e.g. http://localhost:3100 (a path prefix behind a proxy is kept). */
  url: string;
  /** Sent as X-Scope-OrgID; empty or undefined sends none. */
  tenant?: string;
  auth?: HttpAuth;
  /** Per-request deadline. Default 10 s. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

import type { Direction } from './lokiStreams';
export type { Direction };

export interface QueryRangeParams {
  query: string;
  start: NsTimestamp | Date;
  end: NsTimestamp | Date;
  limit: number;
  /** backward (Loki's default) returns the newest `limit` entries; forward the oldest. */
  direction?: Direction;
  signal?: AbortSignal;
}

export interface QueryRangeValue {
  /** All streams merged, ordered by time in the query's direction. */
  entries: LokiEntry[];
  /** The answer held `limit` entries: there may be more in the range. */
  limitReached: boolean;
}

export interface PagedQueryParams extends QueryRangeParams {
  /** Stop after this many entries in total. */
  maxEntries: number;
  /** Stop after this many requests. Default 20. */
  maxPages?: number;
}

export interface PagedQueryValue {
  entries: LokiEntry[];
  pages: number;
  /** More entries remain in the range than were fetched (maxEntries/maxPages hit, or a page was all one timestamp). */
  truncated: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function toNs(value: NsTimestamp | Date): NsTimestamp {
  return value instanceof Date ? nsFromDate(value) : value;
}

function lokiFailure(failure: GetJsonFailure, what: string): LokiError {
  const status = failure.status;
  const body = failure.body as { status?: unknown; error?: unknown } | undefined;
  if (body && body.status === 'error' && typeof body.error === 'string') {
    return { ok: false, kind: 'loki-error', status, message: `Loki could not run the ${what}: ${body.error}` };
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(failure.headers?.['retry-after']);
    return {
      ok: false,
      kind: 'rate-limited',
      status,
      message: `${failure.message} (Loki is rate-limiting queries${retryAfter !== undefined ? `; retry after ${retryAfter} s` : ''})`,
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    };
  }
  if (status === 400) return { ok: false, kind: 'bad-query', status, message: failure.message };
  if (status === 401 || status === 403) {
    return { ok: false, kind: 'unauthorized', status, message: `${failure.message} (check the Loki credentials and zenops.loki.tenant)` };
  }
  return { ok: false, kind: failure.kind, message: failure.message, ...(status !== undefined ? { status } : {}) };
}

/** Retry-After as seconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000));
}

export class LokiClient {
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: LokiClientOptions) {
    this.baseUrl = options.url;
    this.headers = options.tenant ? { 'X-Scope-OrgID': options.tenant } : {};
  }

  /** The base URL without credentials, for messages. */
  get displayUrl(): string {
    return redactUrl(this.baseUrl);
  }

  private get<T>(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal) {
    return getJson<T>(joinUrl(this.baseUrl, path), {
      query,
      headers: this.headers,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(this.options.auth ? { auth: this.options.auth } : {}),
      ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /** One `GET /loki/api/v1/query_range`: entries of all streams merged and ordered by time. */
  async queryRange(params: QueryRangeParams): Promise<LokiResult<QueryRangeValue>> {
    const direction = params.direction ?? 'backward';
    const res = await this.get<{ status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } }>(
      '/loki/api/v1/query_range',
      { query: params.query, start: toNs(params.start), end: toNs(params.end), limit: params.limit, direction },
      params.signal,
    );
    if (!res.ok) return lokiFailure(res, 'query');
    const body = res.data;
    if (body && typeof body === 'object' && body.status === 'error') {
      return { ok: false, kind: 'loki-error', status: res.status, message: `Loki could not run the query: ${String(body.error ?? 'unknown error')}` };
    }
    if (!body || typeof body !== 'object' || body.status !== 'success' || !body.data || typeof body.data !== 'object') {
      return { ok: false, kind: 'bad-response', status: res.status, message: `answer from ${this.displayUrl} is JSON but not a Loki query result` };
    }
    if (body.data.resultType !== 'streams') {
      return {
        ok: false,
        kind: 'bad-query',
        status: res.status,
        message: `the query returned ${String(body.data.resultType)}, not log lines: use a log query like {container=~".*api.*"} |= "ERROR", not a metric query`,
      };
    }
    const entries = entriesFromStreams(body.data.result);
    if (!entries) return { ok: false, kind: 'bad-response', status: res.status, message: `answer from ${this.displayUrl} has malformed streams` };
    return { ok: true, value: { entries: sortEntries(entries, direction), limitReached: entries.length >= params.limit } };
  }

  /**
   * Fetches past the per-query limit: each next page moves `end` (backward) or `start` (forward) to the
   * oldest/newest timestamp seen, re-fetching that boundary timestamp and dropping what was already seen.
   */
  async queryRangePaged(params: PagedQueryParams): Promise<LokiResult<PagedQueryValue>> {
    const direction = params.direction ?? 'backward';
    const maxPages = params.maxPages ?? 20;
    const seen = new Set<string>();
    const entries: LokiEntry[] = [];
    let start = toNs(params.start);
    let end = toNs(params.end);
    let pages = 0;
    let skipped = false;
    for (;;) {
      const page = await this.queryRange({ ...params, start, end, direction });
      if (!page.ok) return page;
      pages++;
      for (const e of page.value.entries) {
        const key = entryKey(e);
        if (seen.has(key)) continue;
        seen.add(key);
        entries.push(e);
      }
      const done = !page.value.limitReached;
      if (done || entries.length >= params.maxEntries || pages >= maxPages) {
        sortEntries(entries, direction);
        const truncated = !done || skipped || entries.length > params.maxEntries;
        return { ok: true, value: { entries: entries.slice(0, params.maxEntries), pages, truncated } };
      }
      const edge = page.value.entries[page.value.entries.length - 1].ts;
      if (direction === 'backward') {
        // Loki's end is exclusive: end = edge + 1 ns asks again for the boundary timestamp.
        let next = addNs(edge, 1);
        if (next === end) {
          // The whole page was one timestamp: step past it (entries beyond the limit at it are lost).
          next = edge;
          skipped = true;
        }
        end = next;
      } else {
        let next = edge;
        if (next === start) {
          next = addNs(edge, 1);
          skipped = true;
        }
        start = next;
      }
    }
  }

  /** `GET /loki/api/v1/labels`: label names seen in the last hour (Loki's default range). */
  async labels(signal?: AbortSignal): Promise<LokiResult<string[]>> {
    const res = await this.get<{ status?: unknown; data?: unknown }>('/loki/api/v1/labels', {}, signal);
    if (!res.ok) return lokiFailure(res, 'label query');
    const data = res.data?.data;
    if (res.data?.status !== 'success' || !Array.isArray(data) || !data.every((d) => typeof d === 'string')) {
      return { ok: false, kind: 'bad-response', status: res.status, message: `answer from ${this.displayUrl} is JSON but not a Loki label list` };
    }
    return { ok: true, value: data as string[] };
  }

  /** Follows `query` over the tail WebSocket (reconnecting, falling back to polling); see TailOptions. */
  tail(options: TailOptions): LokiTail {
    return startTail(this, options);
  }

  /** What the tail WebSocket needs to connect: its URL (ws/wss) and headers, credentials taken out of the URL. */
  tailTarget(query: string, start: NsTimestamp, limit: number, delayForSeconds: number): { url: string; headers: Record<string, string> } {
    const target = new URL(joinUrl(this.baseUrl, '/loki/api/v1/tail'));
    const headers: Record<string, string> = { ...this.headers };
    let auth = this.options.auth;
    if (!auth && (target.username || target.password)) {
      auth = { kind: 'basic', username: decodeURIComponent(target.username), password: decodeURIComponent(target.password) };
    }
    target.username = '';
    target.password = '';
    if (auth) headers.Authorization = authorizationHeader(auth);
    target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:';
    target.searchParams.set('query', query);
    target.searchParams.set('start', start);
    target.searchParams.set('limit', String(limit));
    if (delayForSeconds > 0) target.searchParams.set('delay_for', String(delayForSeconds));
    return { url: target.toString(), headers };
  }
}
