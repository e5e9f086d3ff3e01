// A Loki stand-in on a free loopback port, for tests only: Loki has no Debian package to run for real.
// Written from Loki's documented HTTP API (push, query_range, labels, label values, ready, tail WebSocket);
// queries support stream selectors and line filters (see logql.ts). Test hooks make it misbehave on demand.
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { LogQLParseError, LogQuery, parseLogQuery } from './logql';

export interface StoredStream {
  labels: Record<string, string>;
  /** [ns, line], kept sorted by time. */
  entries: [bigint, string][];
}

export interface CannedAnswer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

export interface LokiStandInOptions {
  /** Loki with auth_enabled: every request needs X-Scope-OrgID, data is kept per tenant. */
  multiTenant?: boolean;
  /** What a reverse proxy in front of Loki demands: HTTP basic credentials or a bearer token. */
  requireAuth?: { basic: { username: string; password: string } } | { bearer: string };
  /** Loki's max_entries_limit_per_query (default 5000). */
  maxEntriesLimit?: number;
  /** A fixed port (the demo uses Loki's default 3100); a free one when absent. */
  port?: number;
}

export interface LokiStandIn {
  url: string;
  port: number;
  /** Requests seen (query endpoints, push and tail), oldest first. */
  readonly requests: RecordedRequest[];
  /** Tail WebSocket connections accepted so far. */
  readonly tailConnections: number;
  /** Answers the next `count` read requests (query_range, labels, …; not push or tail) with this instead. */
  failNext(count: number, answer: CannedAnswer | 'rate-limited' | 'server-error' | 'garbage' | 'hang'): void;
  /** Refuses the next `count` tail upgrades with HTTP 500 (Infinity: every one). */
  rejectTails(count: number): void;
  /** Closes every open tail socket, as Loki does when a tail ends (code 1011 unless given). */
  closeTailSockets(code?: number, reason?: string): void;
  stop(): Promise<void>;
}

export const CANNED: Record<'rate-limited' | 'server-error' | 'garbage', CannedAnswer> = {
  'rate-limited': { status: 429, body: 'too many outstanding requests\n', headers: { 'Retry-After': '7' } },
  'server-error': { status: 500, body: 'rpc error: code = Unavailable desc = connection refused\n' },
  garbage: { status: 200, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DEFAULT_TENANT = 'fake';

/** Loki's timestamp parameter: integer ns (≤10 digits: seconds), float seconds, or RFC3339. */
export function parseLokiTime(value: string | undefined, fallback: bigint): bigint {
  if (value === undefined || value === '') return fallback;
  if (value.includes('.') && /^\d+\.\d*$/.test(value)) {
    const [s, frac] = value.split('.');
    return BigInt(s) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
  }
  if (/^-?\d+$/.test(value)) return value.length <= 10 ? BigInt(value) * 1_000_000_000n : BigInt(value);
  const rfc = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (rfc) {
    const ms = Date.parse(`${rfc[1]}${rfc[3]}`);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n + BigInt(((rfc[2] ?? '') + '000000000').slice(0, 9));
  }
  throw new Error(`cannot parse "${value}" to a valid timestamp`);
}

function parseDuration(value: string): bigint {
  const units: Record<string, bigint> = { ns: 1n, us: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };
  let total = 0n;
  const re = /(\d+)(ns|us|ms|s|m|h|d)/g;
  let consumed = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += BigInt(m[1]) * units[m[2]];
    consumed += m[0].length;
  }
  if (consumed !== value.length || consumed === 0) throw new Error(`cannot parse "${value}" to a valid duration`);
  return total;
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function streamKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

/** Loki's `{"streams":[…]}` answer shape for matched entries: per stream, values in the given direction. */
function streamsOf(matched: { labels: Record<string, string>; ts: bigint; line: string }[], forward: boolean) {
  const byStream = new Map<string, { stream: Record<string, string>; values: [string, string][] }>();
  for (const e of matched) {
    const key = streamKey(e.labels);
    let s = byStream.get(key);
    if (!s) byStream.set(key, (s = { stream: e.labels, values: [] }));
    s.values.push([e.ts.toString(), e.line]);
  }
  for (const s of byStream.values()) {
    s.values.sort((a, b) => {
      const d = BigInt(a[0]) - BigInt(b[0]);
      return (d < 0n ? -1 : d > 0n ? 1 : 0) * (forward ? 1 : -1);
    });
  }
  return [...byStream.values()];
}

export async function startLokiStandIn(options: LokiStandInOptions = {}): Promise<LokiStandIn> {
  const tenants = new Map<string, Map<string, StoredStream>>();
  const requests: RecordedRequest[] = [];
  const canned: (CannedAnswer | 'hang')[] = [];
  const hanging = new Set<http.ServerResponse>();
  let tailRejects = 0;
  let tailConnections = 0;
  const tails = new Set<{ ws: WebSocket; tenant: string; query: LogQuery }>();
  const maxEntries = options.maxEntriesLimit ?? 5000;

  const storeOf = (tenant: string) => {
    let store = tenants.get(tenant);
    if (!store) tenants.set(tenant, (store = new Map()));
    return store;
  };

  const select = (tenant: string, query: LogQuery, start: bigint, end: bigint) => {
    const out: { labels: Record<string, string>; ts: bigint; line: string }[] = [];
    for (const s of storeOf(tenant).values()) {
      if (!query.matchesStream(s.labels)) continue;
      for (const [ts, line] of s.entries) {
        // Loki's range is [start, end).
        if (ts >= start && ts < end && query.matchesLine(line)) out.push({ labels: s.labels, ts, line });
      }
    }
    return out;
  };

  const authProblem = (req: http.IncomingMessage): string | undefined => {
    const need = options.requireAuth;
    if (!need) return undefined;
    const given = req.headers.authorization ?? '';
    if ('bearer' in need) return given === `Bearer ${need.bearer}` ? undefined : 'unauthorized';
    const expected = `Basic ${Buffer.from(`${need.basic.username}:${need.basic.password}`).toString('base64')}`;
    return given === expected ? undefined : 'unauthorized';
  };

  const tenantOf = (req: http.IncomingMessage): string | undefined => {
    const header = req.headers['x-scope-orgid'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!options.multiTenant) return DEFAULT_TENANT;
    return value ? value : undefined;
  };

  const text = (res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };
  const json = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  };

  const handlePush = (tenant: string, body: string, res: http.ServerResponse) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      return text(res, 400, `loghttp.PushRequest: ${(err as Error).message}\n`);
    }
    const streams = (parsed as { streams?: unknown })?.streams;
    if (!Array.isArray(streams)) return text(res, 400, 'loghttp.PushRequest.Streams: expects an array\n');
    const accepted: { labels: Record<string, string>; ts: bigint; line: string }[] = [];
    for (const s of streams) {
      const labels = s?.stream;
      if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) {
        return text(res, 400, 'error at least one label pair is required per stream\n');
      }
      for (const [k, v] of Object.entries(labels)) {
        if (!LABEL_NAME.test(k) || typeof v !== 'string') return text(res, 400, `invalid label ${JSON.stringify(k)}\n`);
      }
      if (!Array.isArray(s.values)) return text(res, 400, 'loghttp.PushRequest.Streams: values expects an array\n');
      for (const v of s.values) {
        if (!Array.isArray(v) || typeof v[0] !== 'string' || !/^\d+$/.test(v[0]) || typeof v[1] !== 'string') {
          return text(res, 400, 'loghttp.PushRequest.Streams: each value must be ["<unix epoch in nanoseconds>", "<log line>"]\n');
        }
      }
    }
    const store = storeOf(tenant);
    for (const s of streams) {
      const labels = { ...(s.stream as Record<string, string>) };
      const key = streamKey(labels);
      let stored = store.get(key);
      if (!stored) store.set(key, (stored = { labels, entries: [] }));
      for (const [ts, line] of s.values as [string, string][]) {
        const t = BigInt(ts);
        // Loki drops an exact duplicate (same stream, time and line).
        if (stored.entries.some(([et, el]) => et === t && el === line)) continue;
        stored.entries.push([t, line]);
        accepted.push({ labels, ts: t, line });
      }
      stored.entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    }
    for (const tail of tails) {
      if (tail.tenant !== tenant || tail.ws.readyState !== WebSocket.OPEN) continue;
      const matched = accepted.filter((e) => tail.query.matchesStream(e.labels) && tail.query.matchesLine(e.line));
      if (matched.length > 0) tail.ws.send(JSON.stringify({ streams: streamsOf(matched, true), dropped_entries: [] }));
    }
    res.writeHead(204);
    res.end();
  };

  const handleQueryRange = (tenant: string, params: URLSearchParams, res: http.ServerResponse) => {
    const started = process.hrtime.bigint();
    let query: LogQuery;
    try {
      query = parseLogQuery(params.get('query') ?? '');
    } catch (err) {
      return text(res, 400, `${(err as Error).message}\n`);
    }
    let start: bigint;
    let end: bigint;
    try {
      end = parseLokiTime(params.get('end') ?? undefined, nowNs());
      const since = params.get('since');
      start = parseLokiTime(params.get('start') ?? undefined, end - (since ? parseDuration(since) : 3_600_000_000_000n));
    } catch (err) {
      return text(res, 400, `${(err as Error).message}\n`);
    }
    if (end < start) return text(res, 400, 'end timestamp must not be before or equal to start time\n');
    const limitText = params.get('limit') ?? '100';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit <= 0) return text(res, 400, 'limit must be a positive value\n');
    if (limit > maxEntries) return text(res, 400, `max entries limit per query exceeded, limit > max_entries_limit (${limit} > ${maxEntries})\n`);
    const direction = (params.get('direction') ?? 'backward').toLowerCase();
    if (direction !== 'forward' && direction !== 'backward') return text(res, 400, `invalid direction '${params.get('direction')}'\n`);
    const forward = direction === 'forward';

    const matched = select(tenant, query, start, end);
    matched.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0) * (forward ? 1 : -1));
    const kept = matched.slice(0, limit);
    const bytes = kept.reduce((n, e) => n + Buffer.byteLength(e.line), 0);
    const execTime = Number(process.hrtime.bigint() - started) / 1e9;
    json(res, {
      status: 'success',
      data: {
        resultType: 'streams',
        result: streamsOf(kept, forward),
        stats: {
          summary: {
            bytesProcessedPerSecond: 0,
            linesProcessedPerSecond: 0,
            totalBytesProcessed: bytes,
            totalLinesProcessed: matched.length,
            totalEntriesReturned: kept.length,
            execTime,
            queueTime: 0,
            subqueries: 0,
          },
        },
      },
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loki');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST' && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(params), headers: req.headers });

      if (url.pathname === '/ready') return text(res, 200, 'ready\n');
      const auth = authProblem(req);
      if (auth) return text(res, 401, `${auth}\n`);
      const tenant = tenantOf(req);
      if (!tenant) return text(res, 401, 'no org id\n');

      if (url.pathname === '/loki/api/v1/push') {
        if (req.method !== 'POST') return text(res, 405, 'method not allowed\n');
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          return text(res, 415, 'the Loki stand-in accepts JSON pushes only (Content-Type: application/json)\n');
        }
        return handlePush(tenant, body, res);
      }

      const next = canned.shift();
      if (next === 'hang') {
        hanging.add(res);
        return;
      }
      if (next) {
        res.writeHead(next.status, { 'Content-Type': next.contentType ?? 'text/plain; charset=utf-8', ...(next.headers ?? {}) });
        return res.end(next.body);
      }

      if (url.pathname === '/loki/api/v1/query_range') return handleQueryRange(tenant, params, res);
      if (url.pathname === '/loki/api/v1/labels') {
        const names = new Set<string>();
        for (const s of storeOf(tenant).values()) for (const k of Object.keys(s.labels)) names.add(k);
        return json(res, { status: 'success', data: [...names].sort() });
      }
      const values = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(url.pathname);
      if (values) {
        const name = decodeURIComponent(values[1]);
        const set = new Set<string>();
        for (const s of storeOf(tenant).values()) if (s.labels[name] !== undefined) set.add(s.labels[name]);
        return json(res, { status: 'success', data: [...set].sort() });
      }
      text(res, 404, '404 page not found\n');
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://loki');
    const params = url.searchParams;
    requests.push({ method: 'GET', path: url.pathname, query: Object.fromEntries(params), headers: req.headers });
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`);
    };
    if (url.pathname !== '/loki/api/v1/tail') return refuse(404, '404 page not found\n');
    if (tailRejects > 0) {
      tailRejects--;
      return refuse(500, 'tail refused by test hook\n');
    }
    if (authProblem(req)) return refuse(401, 'unauthorized\n');
    const tenant = tenantOf(req);
    if (!tenant) return refuse(401, 'no org id\n');
    let query: LogQuery;
    let start: bigint;
    try {
      query = parseLogQuery(params.get('query') ?? '');
      start = parseLokiTime(params.get('start') ?? undefined, nowNs() - 3_600_000_000_000n);
    } catch (err) {
      return refuse(err instanceof LogQLParseError ? 400 : 400, `${(err as Error).message}\n`);
    }
    const limit = Number(params.get('limit') ?? '100') || 100;
    wss.handleUpgrade(req, socket, head, (ws) => {
      tailConnections++;
      const entry = { ws, tenant, query };
      tails.add(entry);
      ws.on('close', () => tails.delete(entry));
      ws.on('error', () => tails.delete(entry));
      // Loki first sends what already matches since `start` (oldest first, up to `limit`), then follows.
      const past = select(tenant, query, start, nowNs() + 1n)
        .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
        .slice(-limit);
      if (past.length > 0) ws.send(JSON.stringify({ streams: streamsOf(past, true), dropped_entries: [] }));
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get tailConnections() {
      return tailConnections;
    },
    failNext(count, answer) {
      const resolved = answer === 'hang' ? 'hang' : typeof answer === 'string' ? CANNED[answer] : answer;
      for (let i = 0; i < count; i++) canned.push(resolved);
    },
    rejectTails(count) {
      tailRejects = count;
    },
    closeTailSockets(code = 1011, reason = 'tail ended') {
      for (const t of tails) t.ws.close(code, reason);
    },
    async stop() {
      for (const t of tails) t.ws.terminate();
      for (const res of hanging) res.destroy();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Pushes lines to Loki's push API the way a log shipper does: one stream, one [ns, line] per entry. */
export async function pushToLoki(
  lokiUrl: string,
  labels: Record<string, string>,
  values: [string, string][],
  headers: Record<string, string> = {},
): Promise<void> {
  const res = await fetch(`${lokiUrl}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ streams: [{ stream: labels, values }] }),
  });
  if (res.status !== 204) throw new Error(`push answered ${res.status}: ${await res.text()}`);
}
