// Gives every call found in the frontend exactly one status against the spec, and lists the
// operations no call reaches.
import type { ContractSettings } from '../settings';
import { renderCallPath } from './callPath';
import { SpecIndex } from './matchOperation';
import { HTTP_METHODS, type ApiCall, type CheckedCall, type ContractReport, type HttpMethod, type LoadedSpec, type MatchResult, type ScanResult, type UrlOrigin } from './types';

export type CheckSettings = Pick<ContractSettings, 'extraRoutes' | 'ignoreCalls' | 'apiOrigins'> & { apiUrl: string };

/**
 * Checks scanned calls against a loaded spec. Suppressed calls (`// zenops-ignore`) and calls
 * matching `ignoreCalls` are left out of `calls` (they still count as reaching their operation).
 * Pass `index` to reuse one built for the same spec and extraRoutes.
 */
export function checkContract(scan: ScanResult, spec: LoadedSpec, settings: CheckSettings, index?: SpecIndex): ContractReport {
  const specIndex = index ?? new SpecIndex(spec, settings.extraRoutes);
  const ignored = settings.ignoreCalls.map(compileCallPattern).filter((p): p is CallPattern => p !== undefined);
  const own = ownOrigins(settings.apiUrl, [...settings.apiOrigins, ...(spec.serverOrigins ?? [])]);
  const reached = new Set<string>();
  const calls: CheckedCall[] = [];

  for (const call of scan.calls) {
    const checked = checkCall(call, specIndex, own);
    for (const op of checked.result.reachable ?? (checked.result.operation ? [checked.result.operation] : [])) {
      reached.add(operationKey(op.method, op.path));
    }
    if (call.suppressed) continue;
    if (checked.path !== null && ignored.some((p) => p(call.method, checked.path as string))) continue;
    calls.push(checked);
  }

  calls.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.urlSpan.start.line - b.urlSpan.start.line || a.urlSpan.start.column - b.urlSpan.start.column);
  const unused = spec.operations
    .filter((op) => !reached.has(operationKey(op.method, op.path)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || HTTP_METHODS.indexOf(a.method) - HTTP_METHODS.indexOf(b.method))
    .map((op) => operationKey(op.method, op.path));

  return {
    spec: { source: spec.source, title: spec.title, operations: spec.operations.length },
    files: scan.files,
    calls,
    skipped: scan.skipped,
    unused: [...new Set(unused)],
  };
}

function operationKey(method: HttpMethod, path: string): string {
  return `${method} ${path}`;
}

function checkCall(call: ApiCall, index: SpecIndex, own: OwnOrigins): CheckedCall {
  if (call.url.kind === 'unresolved') {
    return { ...call, path: null, result: { status: 'unresolved', message: `URL not known without running the code: ${call.url.reason}` } };
  }
  const path = renderCallPath(call.url.path);
  if (isExternal(call.url.origin, own)) {
    const origin = (call.url.origin as { origin: string }).origin;
    return { ...call, path, result: { status: 'external', message: `${origin}${path} is another host's API: not checked` } };
  }
  const result: MatchResult = index.match(call.method, call.url.path, { specSyntax: call.url.specSyntax === true });
  return { ...call, path, result };
}

interface OwnOrigins {
  origins: Set<string>;
  hosts: Set<string>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

function ownOrigins(apiUrl: string, apiOrigins: string[]): OwnOrigins {
  const own: OwnOrigins = { origins: new Set(), hosts: new Set() };
  for (const entry of [apiUrl, ...apiOrigins]) {
    const text = entry.trim();
    if (!text) continue;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      const url = parseUrl(text);
      if (url) own.origins.add(url.origin);
    } else {
      // An entry without a scheme names a host (`api.example.com`, `api.example.com:8443`).
      own.hosts.add(text.replace(/\/.*$/, '').toLowerCase());
    }
  }
  return own;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text, 'http://origin.invalid');
  } catch {
    return undefined;
  }
}

/** Only a literal origin that is none of the app's own is external; unknown origins are the app's. */
function isExternal(origin: UrlOrigin, own: OwnOrigins): boolean {
  if (origin.kind !== 'literal') return false;
  const url = parseUrl(origin.origin);
  if (!url || url.hostname === 'origin.invalid') return false;
  if (LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost')) return false;
  if (own.origins.has(url.origin)) return false;
  if (own.hosts.has(url.host.toLowerCase()) || own.hosts.has(url.hostname.toLowerCase())) return false;
  return true;
}

type CallPattern = (method: HttpMethod | null, path: string) => boolean;

/**
 * `GET /api/legacy/**`, `* /health`, `/api/x/*`: `*` is one segment (also within a segment: `report-*`),
 * `**` any number, `{…}` one segment. Without a method, or with `*`, any method matches.
 */
export function compileCallPattern(pattern: string): CallPattern | undefined {
  const text = pattern.trim();
  const m = /^(?:(\*|[A-Za-z]+)\s+)?(\/\S*)$/.exec(text);
  if (!m) return undefined;
  const method = (m[1] ?? '*').toUpperCase();
  const segments = m[2].split('/').filter(Boolean);
  const regex = new RegExp(
    `^${segments
      .map((seg) => {
        if (seg === '**') return '(?:/[^/]*)*';
        if (/^\{[^{}]*\}$/.test(seg)) return '/[^/]*';
        return `/${seg
          .split('*')
          .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*')}`;
      })
      .join('')}/?$`,
  );
  return (callMethod, path) => (method === '*' || method === callMethod) && regex.test(path === '/' ? '' : path);
}
