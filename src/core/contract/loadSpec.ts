// Loads an OpenAPI 3.0/3.1 or Swagger 2.0 document (file or URL, JSON or YAML) into the flat
// list of operations the matcher needs. Every failure becomes a SpecLoadError a user can act on.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { request } from 'undici';
import { LineCounter, parseDocument } from 'yaml';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type * as oas30 from 'openapi3-ts/oas30';
import type * as oas31 from 'openapi3-ts/oas31';
import { HTTP_METHODS, type HttpMethod, type LoadedSpec, type SpecOperation } from './types';
import { locateJsonPaths, locateYamlPaths, type SpecLineMap } from './specLines';

export type SpecLoadErrorKind =
  | 'not-found'
  | 'unreadable'
  | 'unreachable'
  | 'timeout'
  | 'cancelled'
  | 'http-status'
  | 'html'
  | 'syntax'
  | 'empty'
  | 'not-openapi';

/** Why a spec could not be loaded, in words a user can act on. */
export class SpecLoadError extends Error {
  override readonly name = 'SpecLoadError';
  constructor(
    message: string,
    readonly kind: SpecLoadErrorKind,
    readonly source: string,
    /** 1-based line of a syntax error, when known. */
    readonly line?: number,
  ) {
    super(message);
  }
}

export interface LoadSpecOptions {
  /** Folder a relative file path is resolved against. */
  cwd: string;
  /** The `zenops.contract.apiPrefix` setting: when non-empty it replaces the document's own prefix. */
  apiPrefix?: string;
  /**
   * For a URL, in ms (default 10 s): the longest wait for each response's headers or between two pieces of the
   * body; the whole load (redirects and body) must also finish within three times this, so a server that
   * trickles bytes cannot hold the check forever.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ParseSpecOptions {
  apiPrefix?: string;
  /** The URL the document was fetched from; relative `servers[].url` values resolve against it. */
  documentUrl?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;

/**
 * A document with nothing to check against (a path kept in another file still counts as something): checking
 * against it would flag every call, so the CLI and the editor both refuse it, with `noOperationsMessage`.
 */
export function hasNoOperations(spec: LoadedSpec): boolean {
  return spec.operations.length === 0 && !spec.unreadPaths?.length;
}

export function noOperationsMessage(source: string): string {
  return `${source} has no operations ("paths" is empty)`;
}

/** How long a whole URL load (redirects and body) may take: three times the per-read timeout. */
export function wholeLoadTimeoutMs(timeoutMs: number): number {
  return timeoutMs * 3;
}

export function isSpecUrl(source: string): boolean {
  return /^https?:\/\//i.test(source.trim());
}

export async function loadSpec(source: string, options: LoadSpecOptions): Promise<LoadedSpec> {
  if (isSpecUrl(source)) {
    const text = await fetchSpecText(source.trim(), options);
    return parseSpecText(text, source, { apiPrefix: options.apiPrefix, documentUrl: source.trim() });
  }
  const file = path.resolve(options.cwd, source);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A relative path is named with where it was looked for: `--spec` is relative to the current folder, the setting to the root.
    if (code === 'ENOENT') throw new SpecLoadError(`${source}: no such file${path.isAbsolute(source) ? '' : ` (looked for ${file})`}`, 'not-found', source);
    if (code === 'EISDIR') throw new SpecLoadError(`${source} is a folder, not an OpenAPI file`, 'unreadable', source);
    throw new SpecLoadError(`${source}: cannot read (${code ?? (err as Error).message})`, 'unreadable', source);
  }
  return parseSpecText(text, source, { apiPrefix: options.apiPrefix });
}

async function fetchSpecText(url: string, options: LoadSpecOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const totalMs = wholeLoadTimeoutMs(timeoutMs);
  // Our own timers (undici's fire late by up to a second): one for each response's headers, one for the whole load.
  const controller = new AbortController();
  let expired: 'headers' | 'total' | undefined;
  const expire = (what: 'headers' | 'total') => () => {
    expired ??= what;
    controller.abort();
  };
  const totalTimer = setTimeout(expire('total'), totalMs);
  const forward = (): void => controller.abort();
  options.signal?.addEventListener('abort', forward);
  if (options.signal?.aborted) controller.abort();
  const failed = (at: string, err: unknown): SpecLoadError => {
    if (options.signal?.aborted) return new SpecLoadError(`loading ${url} was cancelled`, 'cancelled', url);
    if (expired === 'headers') return new SpecLoadError(`${at} did not answer within ${formatSeconds(timeoutMs)}`, 'timeout', url);
    if (expired === 'total') return unfinishedLoadError(at, url, totalMs);
    return networkError(url, at, err, timeoutMs);
  };
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      let response: Awaited<ReturnType<typeof request>>;
      const headersTimer = setTimeout(expire('headers'), timeoutMs);
      try {
        response = await request(current, {
          method: 'GET',
          headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' },
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: controller.signal,
        });
      } catch (err) {
        throw failed(current, err);
      } finally {
        clearTimeout(headersTimer);
      }
      const { statusCode, headers, body } = response;
      const header = (name: string): string => {
        const value = headers[name];
        return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
      };
      if (statusCode >= 300 && statusCode < 400 && header('location') && hop < MAX_REDIRECTS) {
        await body.dump().catch(() => undefined);
        current = new URL(header('location'), current).toString();
        continue;
      }
      let text: string;
      try {
        text = await body.text();
      } catch (err) {
        throw failed(current, err);
      }
      if (statusCode < 200 || statusCode >= 300) {
        const hint = statusCode === 404 ? ' (is the path right? FastAPI serves /openapi.json)' : '';
        throw new SpecLoadError(`${current} answered HTTP ${statusCode}${hint}`, 'http-status', url);
      }
      if (/text\/html/i.test(header('content-type')) || looksLikeHtml(text)) {
        throw new SpecLoadError(
          `${current} answered HTML, not an OpenAPI document (is this the /docs page? FastAPI serves the document at /openapi.json)`,
          'html',
          url,
        );
      }
      return text;
    }
  } finally {
    clearTimeout(totalTimer);
    options.signal?.removeEventListener('abort', forward);
  }
}

/** The whole load took longer than `wholeLoadTimeoutMs` (a server that trickles bytes). */
export function unfinishedLoadError(at: string, source: string, totalMs: number): SpecLoadError {
  return new SpecLoadError(`${at} did not finish sending the document within ${formatSeconds(totalMs)}`, 'timeout', source);
}

function networkError(source: string, url: string, err: unknown, timeoutMs: number): SpecLoadError {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return new SpecLoadError(`loading ${url} was cancelled`, 'cancelled', source);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new SpecLoadError(`${url} did not answer within ${formatSeconds(timeoutMs)}`, 'timeout', source);
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is the backend running?)',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    UND_ERR_SOCKET: 'connection closed',
  };
  const reason = (code && reasons[code]) ?? e.message ?? String(err);
  return new SpecLoadError(`cannot reach ${url}: ${reason}`, 'unreachable', source);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body|\?xml|!--)/i.test(text.slice(0, 200));
}

/** Parses spec text (a saved file, an editor buffer, a response body) into operations. */
export function parseSpecText(text: string, source: string, options: ParseSpecOptions = {}): LoadedSpec {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new SpecLoadError(`${source}: empty file`, 'empty', source);
  if (looksLikeHtml(text)) {
    throw new SpecLoadError(`${source} is HTML, not an OpenAPI document (is this the /docs page?)`, 'html', source);
  }
  const { value, lines } = /^\s*[[{]/.test(text) ? parseJsonText(text, source) : parseYamlText(text, source);
  return readDocument(value, source, lines, options);
}

function parseJsonText(text: string, source: string): { value: unknown; lines: SpecLineMap } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    if (first) {
      const line = lineAt(text, first.offset);
      throw new SpecLoadError(`${source} line ${line}: ${describeJsonError(printParseErrorCode(first.error))}`, 'syntax', source, line);
    }
    throw new SpecLoadError(`${source}: invalid JSON (${(err as Error).message})`, 'syntax', source);
  }
  return { value, lines: locateJsonPaths(text) };
}

function describeJsonError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected token',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'property name expected (a trailing comma?)',
    ValueExpected: 'value expected (a trailing comma?)',
    ColonExpected: "':' expected",
    CommaExpected: "',' expected",
    CloseBraceExpected: "'}' expected",
    CloseBracketExpected: "']' expected",
    EndOfFileExpected: 'unexpected text after the document',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return words[code] ?? 'unexpected token';
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function parseYamlText(text: string, source: string): { value: unknown; lines: SpecLineMap } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new SpecLoadError(`${source}${line ? ` line ${line}` : ''}: ${lowerFirst(what)}`, 'syntax', source, line);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10_000 });
  } catch (err) {
    throw new SpecLoadError(`${source}: ${(err as Error).message}`, 'syntax', source);
  }
  if (value === null || value === undefined) throw new SpecLoadError(`${source}: empty file`, 'empty', source);
  return { value, lines: locateYamlPaths(doc, lineCounter) };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// Swagger 2.0 has no types in openapi3-ts: the few fields read here.
interface Swagger2Document {
  swagger: string;
  info?: { title?: string; version?: string };
  basePath?: string;
  paths?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
}

type AnyDocument = (oas30.OpenAPIObject | oas31.OpenAPIObject | Swagger2Document) & Record<string, unknown>;
type AnyPathItem = oas30.PathItemObject | oas31.PathItemObject;
type AnyOperation = oas30.OperationObject | oas31.OperationObject;
type AnyParameter = oas30.ParameterObject | oas31.ParameterObject;

function readDocument(value: unknown, source: string, lines: SpecLineMap, options: ParseSpecOptions): LoadedSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SpecLoadError(`${source}: not an OpenAPI document: expected an object at the top`, 'not-openapi', source);
  }
  const doc = value as AnyDocument;
  const version = 'openapi' in doc ? doc.openapi : 'swagger' in doc ? doc.swagger : undefined;
  if (version === undefined) {
    throw new SpecLoadError(`${source}: not an OpenAPI document: no \`openapi\` or \`swagger\` field`, 'not-openapi', source);
  }
  const versionText = String(version);
  const isSwagger2 = 'swagger' in doc && !('openapi' in doc);
  // Unquoted in YAML, `swagger: 2.0` and `openapi: 3.0` arrive as the numbers 2 and 3.
  if (!(isSwagger2 ? /^2(\.|$)/ : /^3(\.|$)/).test(versionText)) {
    throw new SpecLoadError(
      `${source}: ${isSwagger2 ? 'Swagger' : 'OpenAPI'} ${versionText} is not supported (use OpenAPI 3.x or Swagger 2.0)`,
      'not-openapi',
      source,
    );
  }
  const paths = doc.paths ?? {};
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths)) {
    throw new SpecLoadError(`${source}: \`paths\` is not an object`, 'not-openapi', source);
  }

  const prefix = options.apiPrefix?.trim()
    ? normalizePrefix(options.apiPrefix)
    : isSwagger2
      ? normalizePrefix((doc as Swagger2Document).basePath ?? '')
      : serverPrefix((doc as oas30.OpenAPIObject).servers, options.documentUrl);

  const refs = new RefResolver(doc);
  const operations: SpecOperation[] = [];
  const unreadPaths: string[] = [];
  const brokenPaths: string[] = [];
  for (const [specPath, rawItem] of Object.entries(paths as Record<string, unknown>)) {
    if (specPath.startsWith('x-')) continue;
    const item = refs.resolve<AnyPathItem>(rawItem);
    if (!item) {
      // A path item in another file is not followed; the path still exists, so calls to it must not be "missing".
      if (isExternalRef(rawItem)) unreadPaths.push(joinPrefix(prefix, specPath));
      else brokenPaths.push(specPath);
      continue;
    }
    const pathLines = lines.get(specPath);
    const pathParams = readParameters(item.parameters, refs);
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, unknown>)[method.toLowerCase()] as AnyOperation | undefined;
      if (!op || typeof op !== 'object') continue;
      operations.push(readOperation(method, specPath, prefix, op, pathParams, refs, pathLines?.methods.get(method.toLowerCase()) ?? pathLines?.line));
    }
  }
  const info = (doc.info ?? {}) as { title?: unknown; version?: unknown };
  return {
    source,
    title: typeof info.title === 'string' ? info.title : '',
    version: info.version === undefined ? '' : String(info.version),
    openapi: versionText,
    basePath: prefix,
    serverOrigins: serverOrigins(doc, isSwagger2, options.documentUrl),
    ...(unreadPaths.length > 0 ? { unreadPaths } : {}),
    ...(unreadPaths.length > 0 || brokenPaths.length > 0 ? { warnings: pathWarnings(source, unreadPaths, brokenPaths) } : {}),
    operations,
  };
}

function readOperation(
  method: HttpMethod,
  specPath: string,
  prefix: string,
  op: AnyOperation,
  pathParams: SpecOperation['parameters'],
  refs: RefResolver,
  line: number | undefined,
): SpecOperation {
  const own = readParameters(op.parameters, refs);
  const parameters = [...pathParams.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
  const operation: SpecOperation = {
    method,
    path: joinPrefix(prefix, specPath),
    specPath,
    tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
    deprecated: op.deprecated === true,
    parameters,
    responses: op.responses && typeof op.responses === 'object' ? Object.keys(op.responses) : [],
  };
  if (typeof op.operationId === 'string') operation.operationId = op.operationId;
  if (typeof op.summary === 'string') operation.summary = op.summary;
  if (typeof op.description === 'string') operation.description = op.description;
  if (line !== undefined) operation.line = line;
  return operation;
}

function readParameters(raw: unknown, refs: RefResolver): SpecOperation['parameters'] {
  if (!Array.isArray(raw)) return [];
  const out: SpecOperation['parameters'] = [];
  for (const entry of raw) {
    const p = refs.resolve<AnyParameter>(entry);
    if (!p || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
    const param: SpecOperation['parameters'][number] = { name: p.name, in: p.in, required: p.required === true || p.in === 'path' };
    if (typeof p.description === 'string') param.description = p.description;
    out.push(param);
  }
  return out;
}

function listPaths(paths: string[]): string {
  return `${paths.length} path${paths.length === 1 ? '' : 's'} (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''})`;
}

function pathWarnings(source: string, unreadPaths: string[], brokenPaths: string[]): string[] {
  const warnings: string[] = [];
  if (unreadPaths.length > 0) {
    warnings.push(
      `${source}: ${listPaths(unreadPaths)} ${unreadPaths.length === 1 ? 'points' : 'point'} to other files with $ref, which are not followed: ` +
        'any method is accepted there. Bundle the spec into one file for a full check.',
    );
  }
  if (brokenPaths.length > 0) {
    warnings.push(
      `${source}: ${listPaths(brokenPaths)} ${brokenPaths.length === 1 ? 'is' : 'are'} a $ref that leads nowhere in the document ` +
        '(a missing target, or a cycle): left out, so calls to them are flagged as missing.',
    );
  }
  return warnings;
}

function isExternalRef(value: unknown): boolean {
  const ref = value && typeof value === 'object' ? (value as { $ref?: unknown }).$ref : undefined;
  return typeof ref === 'string' && !ref.startsWith('#');
}

/** Follows internal `#/…` references; an external, dangling or circular chain yields undefined. */
class RefResolver {
  constructor(private readonly doc: unknown) {}

  resolve<T>(value: unknown): T | undefined {
    const seen = new Set<string>();
    let current = value;
    while (current && typeof current === 'object' && typeof (current as { $ref?: unknown }).$ref === 'string') {
      const ref = (current as { $ref: string }).$ref;
      if (!ref.startsWith('#') || seen.has(ref)) return undefined;
      seen.add(ref);
      current = this.pointer(ref);
    }
    return current && typeof current === 'object' ? (current as T) : undefined;
  }

  private pointer(ref: string): unknown {
    const tokens = ref.slice(1).split('/').slice(1);
    let node: unknown = this.doc;
    for (const raw of tokens) {
      let token: string;
      try {
        token = decodeURIComponent(raw);
      } catch {
        token = raw;
      }
      token = token.replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token)) return undefined;
      node = (node as Record<string, unknown>)[token];
    }
    return node;
  }
}

/** `/api/`, `api`, `/` → `/api`, `/api`, ``. */
export function normalizePrefix(prefix: string): string {
  let p = prefix.trim();
  if (p === '') return '';
  if (!p.startsWith('/')) p = `/${p}`;
  return p.replace(/\/+$/, '');
}

function joinPrefix(prefix: string, specPath: string): string {
  const p = specPath.startsWith('/') ? specPath : `/${specPath}`;
  if (!prefix) return p;
  return p === '/' ? `${prefix}/` : prefix + p;
}

/** The origins the API is served from, per the document: calls to them are the app's own, never external. */
function serverOrigins(doc: AnyDocument, isSwagger2: boolean, documentUrl: string | undefined): string[] {
  const urls: string[] = [];
  if (isSwagger2) {
    const { host, schemes } = doc as { host?: unknown; schemes?: unknown };
    if (typeof host === 'string' && host) {
      for (const scheme of Array.isArray(schemes) && schemes.length ? schemes : ['https', 'http']) urls.push(`${String(scheme)}://${host}`);
    }
  } else {
    for (const server of Array.isArray(doc.servers) ? (doc.servers as oas30.ServerObject[]) : []) {
      if (!server || typeof server.url !== 'string') continue;
      const variables = server.variables ?? {};
      urls.push(server.url.replace(/\{([^}]+)\}/g, (_, name: string) => String(variables[name]?.default ?? '')));
    }
  }
  if (documentUrl) urls.push(documentUrl);
  const origins = new Set<string>();
  for (const text of urls) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) continue;
    try {
      origins.add(new URL(text).origin);
    } catch {
      // A server URL that is not a URL names no origin.
    }
  }
  return [...origins];
}

/** The path part of `servers[0].url`, server variables replaced by their defaults. */
function serverPrefix(servers: oas30.ServerObject[] | undefined, documentUrl: string | undefined): string {
  const server = Array.isArray(servers) ? servers[0] : undefined;
  if (!server || typeof server.url !== 'string') return '';
  const variables = server.variables ?? {};
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = variables[name];
    return v && v.default !== undefined ? String(v.default) : '';
  });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith('//')) {
    try {
      return normalizePrefix(decodeURI(new URL(url, 'http://placeholder').pathname));
    } catch {
      return '';
    }
  }
  // A relative server URL is relative to where the document was served from.
  if (documentUrl && !url.startsWith('/')) {
    try {
      return normalizePrefix(decodeURI(new URL(url, documentUrl).pathname));
    } catch {
      return '';
    }
  }
  const pathOnly = url.split(/[?#]/)[0];
  return pathOnly === '.' || pathOnly === './' ? '' : normalizePrefix(pathOnly.replace(/^\.\//, ''));
}
