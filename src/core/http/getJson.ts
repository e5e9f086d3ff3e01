// GET a JSON document over HTTP(S) and return what happened as a value: every failure (refused, timeout,
// HTTP error, HTML where JSON was expected, TLS, DNS, abort) is a `GetJsonFailure`, never a throw.
// Shared by the health clients, the Loki client and the log collector.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Agent, Dispatcher, request } from 'undici';

export type HttpAuth = { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

export type GetJsonFailureKind = 'refused' | 'timeout' | 'http' | 'not-json' | 'aborted' | 'tls' | 'dns' | 'other';

export interface GetJsonSuccess<T> {
  ok: true;
  data: T;
  status: number;
  elapsedMs: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
}

export interface GetJsonFailure {
  ok: false;
  kind: GetJsonFailureKind;
  /** One readable sentence naming the URL (without credentials) and what went wrong. */
  message: string;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The parsed body of a non-2xx answer that was JSON (e.g. Prometheus `{status:"error"}`, a 503 health report). */
  body?: unknown;
  /** Response headers of a non-2xx answer (lower-case names), e.g. `retry-after` on a 429. */
  headers?: Record<string, string>;
  elapsedMs: number;
}

export type GetJsonResult<T = unknown> = GetJsonSuccess<T> | GetJsonFailure;

export interface GetJsonOptions {
  /** Whole-request deadline in ms (connect + headers + body). Default 5000. */
  timeoutMs?: number;
  /** Aborting it cancels the request; the result is then `aborted`. */
  signal?: AbortSignal;
  auth?: HttpAuth;
  /** For custom CA / skip-verify TLS: see `createTlsDispatcher`. */
  dispatcher?: Dispatcher;
  /** Query parameters appended to the URL (undefined values are skipped). */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Bodies larger than this fail as `other`. Default 32 MiB. */
  maxBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** `url` with any `user:password@` removed, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Joins a base URL and a path without doubling or dropping the slash (`http://h/prom/` + `/api/v1/x`). */
export function joinUrl(base: string, pathAndQuery: string): string {
  return base.replace(/\/+$/, '') + '/' + pathAndQuery.replace(/^\/+/, '');
}

export function authorizationHeader(auth: HttpAuth): string {
  return auth.kind === 'basic'
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    : `Bearer ${auth.token}`;
}

export async function getJson<T = unknown>(url: string, options: GetJsonOptions = {}): Promise<GetJsonResult<T>> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`unsupported scheme ${target.protocol}`);
  } catch (err) {
    return { ok: false, kind: 'other', message: `${redactUrl(url)} is not a valid http(s) URL`, elapsedMs: elapsed() };
  }
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  // Credentials in the URL become a header and leave the URL, so they never reach a message.
  let auth = options.auth;
  if (!auth && (target.username || target.password)) {
    auth = { kind: 'basic', username: decodeURIComponent(target.username), password: decodeURIComponent(target.password) };
  }
  target.username = '';
  target.password = '';
  if (auth) headers.authorization = authorizationHeader(auth);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) target.searchParams.append(key, String(value));
  }
  const shown = target.toString();

  if (options.signal?.aborted) return { ok: false, kind: 'aborted', message: `request to ${shown} was cancelled`, elapsedMs: elapsed() };
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;

  let status: number;
  let bodyText: string;
  let responseHeaders: Record<string, string>;
  try {
    const res = await request(target, {
      method: 'GET',
      headers,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      dispatcher: options.dispatcher,
    });
    status = res.statusCode;
    responseHeaders = flattenHeaders(res.headers);
    const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const declared = Number(responseHeaders['content-length'] ?? NaN);
    if (declared > limit) {
      res.body.destroy();
      return { ok: false, kind: 'other', status, message: `answer from ${shown} is larger than ${limit} bytes`, elapsedMs: elapsed() };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        res.body.destroy();
        return { ok: false, kind: 'other', status, message: `answer from ${shown} is larger than ${limit} bytes`, elapsedMs: elapsed() };
      }
      chunks.push(chunk as Buffer);
    }
    bodyText = Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    const kind = classifyError(err, options.signal, deadline);
    return { ok: false, kind, message: describeFailure(kind, shown, err, timeoutMs), elapsedMs: elapsed() };
  }

  const contentType = responseHeaders['content-type'] ?? '';
  const parsed = parseJson(bodyText);
  if (status < 200 || status >= 300) {
    const failure: GetJsonFailure = {
      ok: false,
      kind: 'http',
      status,
      message: `${shown} answered HTTP ${status}${statusHint(status, responseHeaders)}${httpDetail(parsed, bodyText, contentType)}`,
      headers: responseHeaders,
      elapsedMs: elapsed(),
    };
    if (parsed.ok) failure.body = parsed.value;
    return failure;
  }
  if (!parsed.ok) {
    return { ok: false, kind: 'not-json', status, message: notJsonMessage(shown, bodyText, contentType, parsed.error), elapsedMs: elapsed() };
  }
  return { ok: true, data: parsed.value as T, status, elapsedMs: elapsed(), headers: responseHeaders };
}

export interface TlsSettings {
  /** PEM file with extra CA certificates to trust; empty = system CAs only. */
  caFile?: string;
  /** false accepts any certificate (self-signed test stacks). */
  rejectUnauthorized?: boolean;
}

export type TlsDispatcherResult = { ok: true; dispatcher: Dispatcher | undefined } | { ok: false; message: string };

/** An undici Agent for the given TLS settings, or undefined when the defaults apply. A missing CA file is a value. */
export function createTlsDispatcher(tls: TlsSettings): TlsDispatcherResult {
  const rejectUnauthorized = tls.rejectUnauthorized ?? true;
  if (!tls.caFile && rejectUnauthorized) return { ok: true, dispatcher: undefined };
  let ca: string | undefined;
  if (tls.caFile) {
    try {
      ca = fs.readFileSync(tls.caFile, 'utf8');
    } catch (err) {
      return { ok: false, message: `cannot read CA file ${tls.caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
  }
  return { ok: true, dispatcher: new Agent({ connect: { ca, rejectUnauthorized } }) };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function looksLikeHtml(text: string, contentType: string): boolean {
  return /html/i.test(contentType) || /^\s*(<!doctype html|<html|<head|<body)/i.test(text);
}

function notJsonMessage(shown: string, text: string, contentType: string, parseError: string): string {
  if (looksLikeHtml(text, contentType)) {
    const title = /<title[^>]*>([^<]{0,80})/i.exec(text)?.[1]?.trim();
    return `expected JSON from ${shown} but got an HTML page${title ? ` ("${title}")` : ''}: is the URL a web UI, a login page or a proxy error page?`;
  }
  if (text.trim() === '') return `expected JSON from ${shown} but the answer was empty`;
  return `answer from ${shown} is not valid JSON (${parseError})`;
}

function statusHint(status: number, headers: Record<string, string>): string {
  if (status === 401) return ' (authentication required: check the credentials)';
  if (status === 403) return ' (forbidden: the credentials lack access)';
  if (status >= 300 && status < 400 && headers.location) return ` (redirects to ${redactUrl(headers.location)}; point the URL at the API itself)`;
  return '';
}

function httpDetail(parsed: { ok: boolean; value?: unknown }, text: string, contentType: string): string {
  if (parsed.ok && parsed.value && typeof parsed.value === 'object') {
    const v = parsed.value as Record<string, unknown>;
    const detail = v.error ?? v.detail ?? v.message;
    if (typeof detail === 'string') return `: ${detail.slice(0, 200)}`;
    return '';
  }
  if (looksLikeHtml(text, contentType)) return ' (an HTML page)';
  const line = text.trim().split('\n')[0]?.slice(0, 200);
  return line ? `: ${line}` : '';
}

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; name?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.name === 'string') codes.push(e.name);
    if (Array.isArray(e.errors)) for (const inner of e.errors) codes.push(...errorCodes(inner));
    current = e.cause;
  }
  return codes;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME_MISMATCH|EPROTO/;

function classifyError(err: unknown, callerSignal: AbortSignal | undefined, deadline: AbortSignal): GetJsonFailureKind {
  if (callerSignal?.aborted) return 'aborted';
  if (deadline.aborted) return 'timeout';
  const codes = errorCodes(err);
  if (codes.includes('ECONNREFUSED')) return 'refused';
  if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EAI_NONAME')) return 'dns';
  if (codes.some((c) => /TIMEOUT|ETIMEDOUT|TimeoutError/.test(c))) return 'timeout';
  if (codes.some((c) => TLS_CODE.test(c))) return 'tls';
  if (codes.includes('AbortError')) return 'aborted';
  return 'other';
}

function describeFailure(kind: GetJsonFailureKind, shown: string, err: unknown, timeoutMs: number): string {
  const host = (() => {
    try {
      return new URL(shown).host;
    } catch {
      return shown;
    }
  })();
  switch (kind) {
    case 'refused':
      return `connection refused by ${host} (${shown}): nothing is listening there`;
    case 'timeout':
      return `no answer from ${shown} within ${timeoutMs} ms`;
    case 'aborted':
      return `request to ${shown} was cancelled`;
    case 'dns':
      return `cannot resolve host ${new URL(shown).hostname} (${shown})`;
    case 'tls':
      return `TLS failure talking to ${shown}: ${innermostMessage(err)} (set zenops.tls.caFile, or zenops.tls.rejectUnauthorized to false for a self-signed test stack)`;
    default:
      return `request to ${shown} failed: ${innermostMessage(err)}`;
  }
}

function innermostMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  let message = current?.message ?? String(err);
  for (let depth = 0; current?.cause && depth < 5; depth++) {
    current = current.cause as { message?: string; cause?: unknown };
    if (current?.message) message = current.message;
  }
  return message;
}
