// Reads the backend's own health endpoints: `/healthz` (up? how fast?) and `/healthz/deps` (one entry per dependency).
import { getJson, joinUrl } from '../http/getJson';
import { isObject } from './jsonShapes';
import type { ApiHealth, DependencyCheck, DependencyReport, DependencyStatus, Fetched, SourceConnection } from './types';

export interface ApiHealthConnection extends SourceConnection {
  healthPath: string;
  depsPath: string;
}

const OK_WORDS = new Set(['ok', 'up', 'healthy', 'pass', 'passed', 'passing', 'green', 'true', 'available', 'connected', 'success', 'online', 'ready']);
const FAILING_WORDS = new Set(['error', 'fail', 'failed', 'failing', 'down', 'unhealthy', 'red', 'false', 'unavailable', 'disconnected', 'critical', 'degraded', 'offline', 'timeout']);
/** Keys that wrap the per-dependency map in common health libraries (FastAPI examples, Spring, .NET, terminus). */
const WRAPPER_KEYS = ['checks', 'dependencies', 'deps', 'components', 'details', 'entries', 'results', 'services', 'info'];
const SUMMARY_KEYS = new Set(['status', 'ok', 'healthy', 'version', 'timestamp', 'time', 'uptime', 'duration', 'totalDuration']);

export class ApiHealthClient {
  constructor(private readonly connection: ApiHealthConnection) {}

  /** `/healthz`: any 2xx is up (JSON or not); a non-2xx answer is degraded; no answer is an error value. */
  async health(signal?: AbortSignal): Promise<Fetched<ApiHealth>> {
    const { url, healthPath, auth, dispatcher, timeoutMs } = this.connection;
    const res = await getJson(joinUrl(url, healthPath), { auth, dispatcher, timeoutMs, signal });
    if (res.ok) {
      const says = statusOf(res.data);
      const version = isObject(res.data) && typeof res.data.version === 'string' ? `version ${res.data.version}` : undefined;
      const health: ApiHealth =
        says.status === 'failing'
          ? { status: 'degraded', httpStatus: res.status, latencyMs: res.elapsedMs, detail: `reports ${says.detail ?? 'not ok'}` }
          : { status: 'ok', httpStatus: res.status, latencyMs: res.elapsedMs, detail: version };
      return { ok: true, value: health, elapsedMs: res.elapsedMs };
    }
    if (res.kind === 'not-json' && res.status !== undefined) {
      // A plain-text "OK" is a fine health answer; an HTML page usually means a web UI's catch-all route.
      const html = /HTML page/.test(res.message);
      const value: ApiHealth = html
        ? { status: 'degraded', httpStatus: res.status, latencyMs: res.elapsedMs, detail: `${healthPath} answered an HTML page, not a health answer` }
        : { status: 'ok', httpStatus: res.status, latencyMs: res.elapsedMs };
      return { ok: true, value, elapsedMs: res.elapsedMs };
    }
    if (res.kind === 'http' && res.status !== undefined) {
      const value: ApiHealth = { status: 'degraded', httpStatus: res.status, latencyMs: res.elapsedMs, detail: `HTTP ${res.status}` };
      return { ok: true, value, elapsedMs: res.elapsedMs };
    }
    return { ok: false, error: { kind: res.kind, message: res.message, status: res.status } };
  }

  /** `/healthz/deps`: one check per key it returns; a 503 with a JSON body is a degraded report, not a failure. */
  async deps(signal?: AbortSignal): Promise<Fetched<DependencyReport>> {
    const { url, depsPath, auth, dispatcher, timeoutMs } = this.connection;
    const res = await getJson(joinUrl(url, depsPath), { auth, dispatcher, timeoutMs, signal });
    if (res.ok) return { ok: true, value: dependencyReport(res.data, res.status), elapsedMs: res.elapsedMs };
    if (res.kind === 'http' && res.status === 404) {
      return { ok: true, value: { status: 'missing', httpStatus: 404, checks: [] }, elapsedMs: res.elapsedMs };
    }
    if (res.kind === 'http' && res.body !== undefined && res.status !== undefined) {
      const report = dependencyReport(res.body, res.status);
      return { ok: true, value: { ...report, status: 'degraded' }, elapsedMs: res.elapsedMs };
    }
    return { ok: false, error: { kind: res.kind, message: res.message, status: res.status } };
  }
}

/** Turns any common deps-endpoint body into one check per dependency key. */
export function dependencyReport(body: unknown, httpStatus: number): DependencyReport {
  const checks: DependencyCheck[] = [];
  if (isObject(body)) {
    const wrapperKey = WRAPPER_KEYS.find((k) => isObject(body[k]) || Array.isArray(body[k]));
    const source = wrapperKey ? body[wrapperKey] : body;
    if (Array.isArray(source)) {
      // e.g. [{name: 'db', status: 'ok'}]
      source.forEach((entry, i) => {
        const name = isObject(entry) && typeof (entry.name ?? entry.id) === 'string' ? String(entry.name ?? entry.id) : `#${i + 1}`;
        checks.push({ name, ...statusOf(entry) });
      });
    } else if (isObject(source)) {
      for (const [name, value] of Object.entries(source)) {
        if (!wrapperKey && SUMMARY_KEYS.has(name)) continue;
        checks.push({ name, ...statusOf(value) });
      }
    }
  }
  const failing = checks.some((c) => c.status === 'failing');
  const overall = statusOf(body).status;
  const degraded = failing || httpStatus >= 300 || overall === 'failing';
  return { status: degraded ? 'degraded' : 'ok', httpStatus, checks };
}

/** Status of one value in the shapes health endpoints use: 'ok', true, {status:'ok'}, {ok:true}, {healthy:false, error:'…'}. */
export function statusOf(value: unknown): { status: DependencyStatus; detail?: string } {
  if (typeof value === 'boolean') return { status: value ? 'ok' : 'failing' };
  if (typeof value === 'string') return { status: wordStatus(value), detail: value };
  if (!isObject(value)) return { status: 'unknown', detail: value === undefined || value === null ? undefined : String(value) };
  const error = firstString(value, ['error', 'err', 'message', 'reason', 'detail', 'output']);
  for (const key of ['status', 'state', 'health']) {
    const v = value[key];
    if (typeof v === 'string') {
      const status = wordStatus(v);
      return { status, detail: status === 'ok' ? v : error ?? v };
    }
    if (isObject(v)) return statusOf(v);
  }
  for (const key of ['ok', 'healthy', 'up', 'success', 'alive']) {
    if (typeof value[key] === 'boolean') return { status: value[key] ? 'ok' : 'failing', detail: error };
  }
  if (error && 'error' in value) return { status: 'failing', detail: error };
  return { status: 'unknown', detail: error };
}

function wordStatus(word: string): DependencyStatus {
  const w = word.trim().toLowerCase();
  if (OK_WORDS.has(w)) return 'ok';
  if (FAILING_WORDS.has(w)) return 'failing';
  return 'unknown';
}

function firstString(obj: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) if (typeof obj[key] === 'string' && obj[key]) return obj[key] as string;
  return undefined;
}
