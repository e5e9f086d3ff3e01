// Shared shapes of the contract engine. Pure data: no vscode, no I/O.

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** ESTree-style position: line is 1-based, column is 0-based (UTF-16 code units). */
export interface Position {
  line: number;
  column: number;
}

export interface Span {
  start: Position;
  end: Position;
}

/**
 * One piece of a resolved URL. `placeholder` stands for a value only known at run time
 * (`${id}`, a function parameter); `source` is the code text it came from, kept for quick fixes.
 */
export type UrlPart = { kind: 'text'; text: string } | { kind: 'placeholder'; source: string };

/**
 * Where the URL points before its path:
 * - `relative`: no origin in the code (path only, joined to the client's base if any);
 * - `literal`: an origin written in the code or the client's base (`https://cdn.example.com`);
 * - `unknown`: an origin from the environment or a run-time value (`import.meta.env.VITE_API_URL`,
 *   `` `http://${host}:${port}` ``): the app's own API, path known, host not.
 */
export type UrlOrigin = { kind: 'relative' } | { kind: 'literal'; origin: string } | { kind: 'unknown'; source: string };

export type UrlResolution =
  | {
      kind: 'resolved';
      origin: UrlOrigin;
      /** The path, query and fragment already stripped; parts concatenate to the path. */
      path: UrlPart[];
      /** True when the path is written in OpenAPI syntax already (`client.GET('/items/{id}')`). */
      specSyntax?: boolean;
    }
  | { kind: 'unresolved'; reason: string };

/** A single HTTP call site found in frontend code. */
export interface ApiCall {
  /** Absolute path of the file. */
  file: string;
  /** Which client made it: 'axios', 'fetch', 'ky', 'ofetch', 'swr', 'openapi-fetch', 'request', … */
  client: string;
  /** Upper-case method, or null when it cannot be known statically. */
  method: HttpMethod | null;
  url: UrlResolution;
  /** The whole call expression. */
  callSpan: Span;
  /** The URL argument (or the `url` property value in the config-object form). */
  urlSpan: Span;
  /** The method's source (`.get` property or `method: 'POST'` value), when there is one; for quick fixes. */
  methodSpan?: Span;
  /** A `// zenops-ignore` comment on or above the line. */
  suppressed: boolean;
  /** When the call is through a wrapper function, the wrapper's name (its callers are the sites). */
  via?: string;
}

/** A file the scanner could not use (syntax error, unreadable). It is reported, the rest still checked. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ScanResult {
  calls: ApiCall[];
  /** How many source files were considered. */
  files: number;
  skipped: SkippedFile[];
}

/** A path segment of a call, for matching: literal text, a placeholder, or text mixed with a placeholder. */
export type CallSegment = { kind: 'literal'; text: string } | { kind: 'param' } | { kind: 'mixed'; parts: UrlPart[] };

export type CallStatus =
  | 'ok'
  | 'missing-path'
  | 'method-not-allowed'
  | 'trailing-slash'
  | 'deprecated'
  | 'unresolved'
  | 'external';

export interface SpecOperation {
  method: HttpMethod;
  /** The path as the backend serves it, prefix included: `/api/payroll/payslips/{id}`. */
  path: string;
  /** The path as written in the document (without the server/base prefix). */
  specPath: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: { name: string; in: string; required: boolean; description?: string }[];
  responses: string[];
  /** 1-based line of the operation in the spec file, when it came from a file and could be located. */
  line?: number;
}

export interface LoadedSpec {
  /** A file path or URL, as given. */
  source: string;
  title: string;
  version: string;
  /** '3.0.3', '3.1.0', '2.0'… */
  openapi: string;
  /** The prefix put in front of every document path (from servers[].url, basePath, or the setting). */
  basePath: string;
  /** Origins the document says the API is served from (absolute `servers[].url`, Swagger `host`, the URL it was fetched from). */
  serverOrigins?: string[];
  /** Paths whose item is an external `$ref` (another file): they exist, their operations are unknown. */
  unreadPaths?: string[];
  /** What the user should know about how the document was read (e.g. external `$ref`s not followed). */
  warnings?: string[];
  operations: SpecOperation[];
}

export interface MatchResult {
  status: CallStatus;
  /** The operation reached (for ok, deprecated, trailing-slash). */
  operation?: SpecOperation;
  message: string;
  /** The closest spec path for missing-path; the fixed path for trailing-slash; the allowed methods for method-not-allowed. */
  suggestion?: string;
  /** For missing-path: the suggestion is near (a typo, a prefix), not merely the closest there is. */
  nearMiss?: boolean;
  /** For method-not-allowed: the methods the path has. */
  allowedMethods?: HttpMethod[];
  /** Nearest candidate operations, best first, for hovers. */
  candidates?: SpecOperation[];
  /** Every operation the call may reach (a placeholder against literal routes, an unknown method); for `unused`. */
  reachable?: SpecOperation[];
}

export interface CheckedCall extends ApiCall {
  /** Resolved path with placeholders as `{}`, or null when unresolved. */
  path: string | null;
  result: MatchResult;
}

export interface ContractReport {
  spec: { source: string; title: string; operations: number };
  files: number;
  calls: CheckedCall[];
  skipped: SkippedFile[];
  /** Operations no call reaches, as `GET /api/x/{id}`. */
  unused: string[];
}
