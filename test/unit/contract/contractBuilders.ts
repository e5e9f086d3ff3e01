// Test-data builders for the contract engine: calls as the scanner would produce them, and small specs.
import type { ApiCall, HttpMethod, LoadedSpec, ScanResult, SpecOperation, UrlOrigin, UrlPart } from '../../../src/core/contract/types';

/** `'/items/${id}/tags'` → text and placeholder parts (the `${…}` text is kept as the placeholder source). */
export function parts(url: string): UrlPart[] {
  const out: UrlPart[] = [];
  let last = 0;
  for (const m of url.matchAll(/\$\{([^}]*)\}/g)) {
    if (m.index > last) out.push({ kind: 'text', text: url.slice(last, m.index) });
    out.push({ kind: 'placeholder', source: m[1] });
    last = m.index + m[0].length;
  }
  if (last < url.length) out.push({ kind: 'text', text: url.slice(last) });
  return out;
}

export interface CallInit {
  method?: HttpMethod | null;
  /** Template-literal-like path; omit with `unresolved`. */
  url?: string;
  origin?: UrlOrigin;
  unresolved?: string;
  specSyntax?: boolean;
  file?: string;
  line?: number;
  column?: number;
  suppressed?: boolean;
}

export function apiCall(init: CallInit): ApiCall {
  const line = init.line ?? 1;
  const column = init.column ?? 10;
  const length = (init.url ?? 'x').length + 2;
  return {
    file: init.file ?? '/work/app/frontend/src/api/payroll.js',
    client: 'axios',
    method: init.method === undefined ? 'GET' : init.method,
    url: init.unresolved
      ? { kind: 'unresolved', reason: init.unresolved }
      : { kind: 'resolved', origin: init.origin ?? { kind: 'relative' }, path: parts(init.url ?? '/'), ...(init.specSyntax ? { specSyntax: true } : {}) },
    callSpan: { start: { line, column: column - 8 }, end: { line, column: column + length + 1 } },
    urlSpan: { start: { line, column }, end: { line, column: column + length } },
    suppressed: init.suppressed ?? false,
  };
}

export function scan(calls: ApiCall[], files = 1): ScanResult {
  return { calls, files, skipped: [] };
}

/** A spec from `METHOD /path` lines; `!` after the method marks it deprecated (`GET! /old`). */
export function specOf(routes: string[], basePath = ''): LoadedSpec {
  const operations: SpecOperation[] = routes.map((route) => {
    const [rawMethod, specPath] = route.split(/\s+/);
    return {
      method: rawMethod.replace('!', '') as HttpMethod,
      path: basePath + specPath,
      specPath,
      tags: [],
      deprecated: rawMethod.endsWith('!'),
      parameters: [],
      responses: ['200'],
    };
  });
  return { source: 'openapi.json', title: 'Test API', version: '1', openapi: '3.0.3', basePath, operations };
}
