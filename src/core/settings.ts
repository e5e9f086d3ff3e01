// The one typed view of ZenOps settings, shared by the extension and the CLI.
// Defaults here must equal the defaults in package.json `contributes.configuration`
// (test/unit/settings.test.ts checks that).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, ParseError } from 'jsonc-parser';

export interface ContractSettings {
  /** A spec file (relative to the folder, or absolute) or an http(s) URL; empty = find one in the folder, else `${api.url}/openapi.json`. */
  spec: string;
  include: string[];
  exclude: string[];
  /** Prefix the backend serves the spec's paths under, when the spec does not say (FastAPI root_path). */
  apiPrefix: string;
  /** Routes the backend has but hides from the spec, as `GET /internal/ping` (`*` for any method). */
  extraRoutes: string[];
  /** Calls never flagged, as `METHOD /path` patterns; `*` matches one segment, `**` any number. */
  ignoreCalls: string[];
  /** Origins that are the app's own API (besides localhost and api.url). Other absolute URLs are external. */
  apiOrigins: string[];
  /** Show a hint on calls whose URL cannot be resolved statically. */
  showUnresolved: boolean;
  /** Seconds between polls of a spec URL (ETag-aware). 0 turns polling off. */
  specPollInterval: number;
}

export interface ApiSettings {
  url: string;
  healthPath: string;
  depsPath: string;
}

export interface LokiSettings {
  url: string;
  /** LogQL query for the Logs view: a stream selector plus line filters. */
  query: string;
  /** Minutes back from now the Logs view looks. */
  window: number;
  /** Entries per query_range request. */
  limit: number;
  /** X-Scope-OrgID for multi-tenant Loki; empty sends none. */
  tenant: string;
  /** Seconds between queries when not tailing. 0 turns polling off. */
  pollInterval: number;
  /** Follow new entries over Loki's tail WebSocket instead of polling. */
  live: boolean;
}

/** Container path → workspace path: `{"/app": "backend"}` or `[{"from": "/app", "to": "backend"}]`. */
export type PathMappingsSetting = Record<string, string> | { from: string; to: string }[];

export interface LogsSettings {
  pathMappings: PathMappingsSetting;
  /** Characters kept of one log line; the rest is cut with a marker. */
  maxLineLength: number;
  /** Lines kept of one multi-line entry (a traceback); the rest is cut with a marker. */
  maxLines: number;
}

/** Empty `url` turns a source off. */
export interface PrometheusSettings {
  url: string;
}

export interface AlertmanagerSettings {
  url: string;
}

export interface GrafanaSettings {
  url: string;
}

export interface HealthSettings {
  /** Seconds between health polls. */
  pollInterval: number;
  /** Seconds each health request may take before it counts as a timeout. */
  requestTimeout: number;
}

export interface TlsSettings {
  /** PEM file with extra CAs to trust for https sources; empty = system CAs. */
  caFile: string;
  rejectUnauthorized: boolean;
}

export interface CollectSettings {
  /** Where bundles go: relative to the workspace folder, or absolute. Each run writes `<outputFolder>/<timestamp>/`. */
  outputFolder: string;
  /** Minutes of logs (back from now) a bundle holds. */
  since: number;
  /** Log lines fetched from Loki at most (the newest are kept), and per service from `docker compose logs`. */
  maxLogLines: number;
  /** Extra regular expressions (`pattern` or `/pattern/flags`) whose matches are replaced by [REDACTED]. */
  redactPatterns: string[];
}

export type TrafficDisplay = 'codeLens' | 'inlayHint' | 'off';

export interface TrafficSettings {
  /** Request counter with route, method and status labels. */
  requestsMetric: string;
  /** Latency histogram (its `_bucket` series) with route and method labels; for p95. */
  durationMetric: string;
  /** Route-template label; `path`, `route`, `endpoint` are tried when it is absent. */
  routeLabel: string;
  methodLabel: string;
  /** Status-code label; `status_code`, `code` are tried when it is absent. */
  statusLabel: string;
  /** PromQL range the numbers cover, e.g. `1h`, `30m`, `1d`. */
  window: string;
  /** How each call shows its traffic. */
  display: TrafficDisplay;
  /** Share of 5xx answers (0–1) from which a call is flagged as failing in production. */
  failingShare: number;
  /** Requests an endpoint needs in the window before it can be flagged. */
  failingMinRequests: number;
}

export interface ZenOpsSettings {
  contract: ContractSettings;
  api: ApiSettings;
  prometheus: PrometheusSettings;
  alertmanager: AlertmanagerSettings;
  grafana: GrafanaSettings;
  health: HealthSettings;
  tls: TlsSettings;
  loki: LokiSettings;
  logs: LogsSettings;
  collect: CollectSettings;
  traffic: TrafficSettings;
}

export const DEFAULT_SETTINGS: ZenOpsSettings = {
  contract: {
    spec: '',
    include: ['**/*.{js,jsx,ts,tsx,mjs,cjs,vue,svelte}'],
    exclude: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/out/**',
      '**/.next/**',
      '**/.nuxt/**',
      '**/coverage/**',
      '**/.output/**',
      '**/.svelte-kit/**',
      '**/.vite/**',
      '**/.angular/**',
      '**/.parcel-cache/**',
      '**/storybook-static/**',
      '**/*.min.js',
      '**/*.d.ts',
    ],
    apiPrefix: '',
    extraRoutes: [],
    ignoreCalls: [],
    apiOrigins: [],
    showUnresolved: false,
    specPollInterval: 30,
  },
  api: {
    url: 'http://localhost:8000',
    healthPath: '/healthz',
    depsPath: '/healthz/deps',
  },
  prometheus: { url: 'http://localhost:9090' },
  alertmanager: { url: 'http://localhost:9093' },
  grafana: { url: 'http://localhost:3000' },
  health: { pollInterval: 15, requestTimeout: 5 },
  tls: { caFile: '', rejectUnauthorized: true },
  loki: {
    url: 'http://localhost:3100',
    query: '{container=~".*api.*"} |= "ERROR"',
    window: 15,
    limit: 200,
    tenant: '',
    pollInterval: 15,
    live: false,
  },
  logs: {
    pathMappings: {},
    maxLineLength: 4000,
    maxLines: 2000,
  },
  collect: {
    outputFolder: 'ops/diagnostics',
    since: 30,
    maxLogLines: 10000,
    redactPatterns: [],
  },
  traffic: {
    requestsMetric: 'http_requests_total',
    durationMetric: 'http_request_duration_seconds',
    routeLabel: 'handler',
    methodLabel: 'method',
    statusLabel: 'status',
    window: '1h',
    display: 'codeLens',
    failingShare: 0.5,
    failingMinRequests: 5,
  },
};

/** Flat `zenops.section.key` → value, as VS Code stores settings. */
export type FlatSettings = Record<string, unknown>;

export class SettingsError extends Error {}

/** Reads `zenops.*` keys from `<root>/.vscode/settings.json` (JSON with comments). A missing file is no settings. */
export function readWorkspaceSettingsFile(root: string): FlatSettings {
  const file = path.join(root, '.vscode', 'settings.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SettingsError(`${file} is not valid JSON with comments`);
  }
  const flat: FlatSettings = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('zenops.')) flat[key] = v;
  }
  return flat;
}

/** Overlays flat `zenops.*` values on the defaults, ignoring values of the wrong type. */
export function resolveSettings(flat: FlatSettings): ZenOpsSettings {
  const out = structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, Record<string, unknown>>;
  for (const [key, value] of Object.entries(flat)) {
    const [, section, ...rest] = key.split('.');
    const name = rest.join('.');
    const target = out[section];
    if (!target || !(name in target)) continue;
    const current = target[name];
    const sameType = Array.isArray(current)
      ? Array.isArray(value) && value.every((v) => typeof v === 'string')
      : typeof value === typeof current;
    if (sameType) target[name] = value;
  }
  return out as unknown as ZenOpsSettings;
}
