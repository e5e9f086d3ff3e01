// Collects a diagnostics bundle: Loki logs, Prometheus targets/alerts/queries, the API's health answers and
// OpenAPI document, the contract report, docker compose output, an error index and a manifest, all redacted.
// Shared by "ZenOps: Collect Logs" and `zenops collect`. One failing source never stops the others;
// aborting the signal cancels in-flight requests and leaves a partial bundle marked cancelled.
import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import type { ContractReport } from '../contract/types';
import { toJsonReport } from '../contract/report/formatJson';
import { severityOf } from '../contract/report/severity';
import { dependencyReport, statusOf } from '../health/apiHealthClient';
import type { SourceCredentials } from '../health/healthSources';
import { PrometheusClient } from '../health/prometheusClient';
import type { Fetched, HealthError } from '../health/types';
import { createTlsDispatcher, getJson, joinUrl, redactUrl, type GetJsonResult } from '../http/getJson';
import { groupErrors } from '../logs/groupErrors';
import { LokiClient } from '../logs/lokiClient';
import { listWorkspaceFiles, normalizePathMappings } from '../logs/mapFrameToWorkspace';
import { isoFromNs, nsFromMs } from '../logs/nanoseconds';
import { parseLokiEntries, serviceOf } from '../logs/parseLogEntry';
import type { LokiEntry, ParsedLogEntry } from '../logs/types';
import type { ZenOpsSettings } from '../settings';
import { discoverTrafficMetrics } from '../traffic/discoverTrafficMetrics';
import { BundleWriter, createBundleFolder, safeFileName } from './bundleWriter';
import { firstLine, parseDockerLogs, parseServiceList, runCommand, type CommandResult } from './dockerCompose';
import { formatErrorIndex, sortByCount, sourceErrorEntry } from './errorIndex';
import { compileRedactPatterns, RedactPatternError } from './redact';

export type CollectStepId = 'loki' | 'prometheus' | 'api' | 'contract' | 'docker' | 'index';

export const COLLECT_STEPS: readonly { id: CollectStepId; title: string }[] = [
  { id: 'loki', title: 'Loki logs' },
  { id: 'prometheus', title: 'Prometheus targets, alerts and queries' },
  { id: 'api', title: 'API health and OpenAPI document' },
  { id: 'contract', title: 'Contract check' },
  { id: 'docker', title: 'Docker Compose' },
  { id: 'index', title: 'Error index' },
];

/** The manifest's source names each step produces, so a cancelled run lists the same sources as a complete one. */
export const STEP_SOURCES: Record<CollectStepId, readonly string[]> = {
  loki: ['loki'],
  prometheus: ['prometheus.targets', 'prometheus.alerts', 'prometheus.up', 'prometheus.error-rate'],
  api: ['api.healthz', 'api.healthz-deps', 'api.openapi'],
  contract: ['contract'],
  docker: ['docker'],
  index: ['error-index'],
};

export interface CollectStep {
  id: CollectStepId;
  title: string;
  /** 1-based position among COLLECT_STEPS. */
  index: number;
  total: number;
}

export type SourceStatus = 'ok' | 'failed' | 'skipped' | 'cancelled';

/** One source's line in the manifest. */
export interface SourceRecord {
  source: string;
  status: SourceStatus;
  /** Files it produced, relative to the bundle folder. */
  files: string[];
  /** Why it failed, was skipped or cancelled (one sentence). */
  reason?: string;
  /** Counts and notes worth knowing (lines fetched, truncated, query…). */
  detail?: Record<string, unknown>;
}

export interface CollectOptions {
  /** The workspace folder: the contract check, source locations and `docker compose` run there. */
  root: string;
  /** Folder under which `<timestamp>/` is created (absolute, or relative to root). */
  outDir: string;
  settings: ZenOpsSettings;
  credentials?: SourceCredentials;
  signal?: AbortSignal;
  /** Called as each step starts. */
  onProgress?: (step: CollectStep) => void;
  /** Clock, for tests. */
  now?: () => Date;
  /** The docker executable. Default `docker`. */
  dockerCommand?: string;
  /** Written to the manifest. */
  version?: string;
  /**
   * Runs the contract check for `contract.json`. The CLI checks the files on disk (`checkContractOnDisk`); the
   * editor hands over its own live result (unsaved edits included), so it never loads a second parser. Without
   * it the contract source is skipped.
   */
  contractCheck?: () => Promise<ContractCheckOutcome>;
}

/** What the contract source writes: the report, the folder its paths are relative to, and notes for the manifest. */
export interface ContractCheckOutcome {
  report: ContractReport;
  root: string;
  notices: string[];
}

export interface CollectResult {
  /** The bundle folder (absolute). */
  folder: string;
  status: 'complete' | 'cancelled';
  sources: SourceRecord[];
  /** Absolute paths. */
  errorIndexFile: string;
  manifestFile: string;
  signatures: number;
}

/** The collection could not run at all (an unusable redact pattern, an output folder that cannot be created). */
export class CollectSetupError extends Error {}

/** The stream selector of a LogQL query (`{container=~".*api.*"}` of `{container=~".*api.*"} |= "ERROR"`): a bundle wants every line, not only the filtered ones. */
export function streamSelectorOf(query: string): string {
  const start = query.indexOf('{');
  if (start < 0) return query.trim();
  let quote: string | undefined;
  for (let i = start + 1; i < query.length; i++) {
    const c = query[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}') return query.slice(start, i + 1);
  }
  return query.trim();
}

function healthErrorText(error: HealthError): string {
  return error.message;
}

/** Aborted work reads as cancelled, everything else as failed. */
function failedOrCancelled(signal: AbortSignal | undefined, kind: string | undefined): SourceStatus {
  return signal?.aborted || kind === 'aborted' ? 'cancelled' : 'failed';
}

/** Loki's default max_entries_limit_per_query. */
const LOKI_DEFAULT_MAX_ENTRIES = 5000;

const UNREACHABLE = new Set(['refused', 'timeout', 'dns', 'tls', 'aborted']);

class Collection {
  readonly sources: SourceRecord[] = [];
  readonly entries: LokiEntry[] = [];
  readonly dockerEntries: LokiEntry[] = [];
  readonly sourceErrors: ParsedLogEntry[] = [];

  constructor(
    readonly options: CollectOptions,
    readonly writer: BundleWriter,
    readonly windowStart: Date,
    readonly windowEnd: Date,
    readonly dispatcher: Dispatcher | undefined,
    readonly tlsProblem: string | undefined,
  ) {}

  get settings(): ZenOpsSettings {
    return this.options.settings;
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  get timeoutMs(): number {
    return Math.max(1, this.settings.health.requestTimeout) * 1000;
  }

  record(record: SourceRecord): void {
    this.sources.push(record);
  }

  /** Records a fetch that failed (or was cancelled). */
  recordFailure(source: string, reason: string, kind?: string): void {
    this.record({ source, status: failedOrCancelled(this.signal, kind), files: [], reason });
  }

  async loki(): Promise<void> {
    const { loki, collect } = this.settings;
    if (!loki.url.trim()) return this.record({ source: 'loki', status: 'skipped', files: [], reason: 'zenops.loki.url is empty' });
    if (this.tlsProblem) return this.recordFailure('loki', this.tlsProblem);
    const client = new LokiClient({
      url: loki.url.trim(),
      tenant: loki.tenant,
      auth: this.options.credentials?.loki,
      timeoutMs: Math.max(10_000, this.timeoutMs),
      dispatcher: this.dispatcher,
    });
    const query = streamSelectorOf(loki.query);
    const fetchPaged = (pageSize: number) =>
      client.queryRangePaged({
        query,
        start: this.windowStart,
        end: new Date(this.windowEnd.getTime() + 1),
        limit: pageSize,
        maxEntries: collect.maxLogLines,
        maxPages: Math.ceil(collect.maxLogLines / pageSize) + 1,
        direction: 'backward',
        signal: this.signal,
      });
    // Big pages (Loki's default per-query cap is 5000); a Loki configured lower refuses them, then zenops.loki.limit is used.
    let res = await fetchPaged(Math.min(collect.maxLogLines, LOKI_DEFAULT_MAX_ENTRIES));
    const refusedBigPages = !res.ok && res.kind === 'bad-query' && /max entries limit/i.test(res.message);
    if (refusedBigPages) res = await fetchPaged(Math.max(1, Math.min(loki.limit, collect.maxLogLines)));
    if (!res.ok) return this.recordFailure('loki', `${res.message} (query ${query})`, res.kind);
    const oldestFirst = [...res.value.entries].reverse();
    this.entries.push(...oldestFirst);
    const byService = new Map<string, LokiEntry[]>();
    for (const e of oldestFirst) {
      const service = serviceOf(e.stream) || 'unknown';
      const list = byService.get(service);
      if (list) list.push(e);
      else byService.set(service, [e]);
    }
    const files: string[] = [];
    const used = new Set<string>();
    for (const [service, entries] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
      let name = safeFileName(service);
      for (let n = 2; used.has(name); n++) name = `${safeFileName(service)}-${n}`;
      used.add(name);
      const text = entries.map((e) => `${isoFromNs(e.ts)} ${e.line}`).join('\n');
      files.push(await this.writer.text(`logs/${name}.log`, `${text}\n`));
    }
    this.record({
      source: 'loki',
      status: 'ok',
      files,
      detail: {
        url: redactUrl(loki.url.trim()),
        query,
        lines: oldestFirst.length,
        pages: res.value.pages,
        ...(refusedBigPages ? { pageSize: 'zenops.loki.limit (Loki refused bigger pages)' } : {}),
        truncated: res.value.truncated,
        ...(res.value.truncated ? { note: `more lines matched than zenops.collect.maxLogLines (${collect.maxLogLines}); the newest were kept` } : {}),
      },
    });
  }

  async prometheus(): Promise<void> {
    const url = this.settings.prometheus.url.trim();
    const names = STEP_SOURCES.prometheus;
    if (!url) {
      for (const source of names) this.record({ source, status: 'skipped', files: [], reason: 'zenops.prometheus.url is empty' });
      return;
    }
    if (this.tlsProblem) {
      for (const source of names) this.recordFailure(source, this.tlsProblem);
      return;
    }
    const client = new PrometheusClient({ url, auth: this.options.credentials?.prometheus, dispatcher: this.dispatcher, timeoutMs: this.timeoutMs });
    const shown = redactUrl(url);
    const fetchedAt = () => new Date().toISOString();

    const targets = await client.targets(this.signal);
    if (!targets.ok) {
      this.recordFailure('prometheus.targets', healthErrorText(targets.error), targets.error.kind);
      if (UNREACHABLE.has(targets.error.kind)) {
        for (const source of names.slice(1)) this.recordFailure(source, `not asked: Prometheus did not answer (${targets.error.kind})`, targets.error.kind);
        return;
      }
    } else {
      const file = await this.writer.json('prometheus/targets.json', { url: shown, fetchedAt: fetchedAt(), targets: targets.value });
      const down = targets.value.filter((t) => t.health === 'down');
      for (const t of down) {
        // A short message groups all down targets of a job; the sample keeps the instance and the scrape error.
        const detail = `scrape target ${t.instance} of job ${t.job} is down: ${t.lastError || 'no error given'}`;
        this.sourceErrors.push(sourceErrorEntry(t.job || 'prometheus', `scrape target of job ${t.job} is down`, Date.now(), { job: t.job }, detail));
      }
      this.record({ source: 'prometheus.targets', status: 'ok', files: [file], detail: { targets: targets.value.length, down: down.length } });
    }

    const alerts = await client.alerts(this.signal);
    if (!alerts.ok) this.recordFailure('prometheus.alerts', healthErrorText(alerts.error), alerts.error.kind);
    else {
      const file = await this.writer.json('prometheus/alerts.json', { url: shown, fetchedAt: fetchedAt(), alerts: alerts.value });
      const firing = alerts.value.filter((a) => a.state === 'firing');
      for (const a of firing) {
        const at = a.activeAt ? Date.parse(a.activeAt) : Date.now();
        const detail = `alert ${a.name} firing${a.summary ? `: ${a.summary}` : ''}${a.severity ? ` (severity ${a.severity})` : ''}`;
        this.sourceErrors.push(sourceErrorEntry('prometheus', `alert ${a.name} firing`, Number.isNaN(at) ? Date.now() : at, { alertname: a.name }, detail));
      }
      this.record({ source: 'prometheus.alerts', status: 'ok', files: [file], detail: { alerts: alerts.value.length, firing: firing.length } });
    }

    const up = await client.query('up', { signal: this.signal });
    await this.writeQuery('prometheus.up', 'prometheus/up.json', 'up', up);

    const errorRate = await this.errorRateQuery(client);
    if (errorRate.kind === 'failed') return this.recordFailure('prometheus.error-rate', errorRate.message, errorRate.error);
    if (errorRate.kind === 'skip') return this.record({ source: 'prometheus.error-rate', status: 'skipped', files: [], reason: errorRate.reason });
    const rate = await client.query(errorRate.promql, { signal: this.signal });
    await this.writeQuery('prometheus.error-rate', 'prometheus/error-rate.json', errorRate.promql, rate);
  }

  /** The 5xx share per job, from the request counter and status label zenops.traffic names (found as the traffic view finds them). */
  private async errorRateQuery(client: PrometheusClient): Promise<{ kind: 'failed'; message: string; error: string } | { kind: 'skip'; reason: string } | { kind: 'query'; promql: string }> {
    const discovered = await discoverTrafficMetrics(client, this.settings.traffic, this.signal);
    if (!discovered.ok) return { kind: 'failed', message: healthErrorText(discovered.error), error: discovered.error.kind };
    const configured = this.settings.traffic.requestsMetric.trim();
    if (discovered.value.kind === 'missing') return { kind: 'skip', reason: `no error rate: ${discovered.value.message}` };
    const { requestsSeries, statusLabel } = discovered.value.metrics;
    if (requestsSeries !== configured) {
      return { kind: 'skip', reason: `no error rate: Prometheus has no series named ${configured} (zenops.traffic.requestsMetric)` };
    }
    if (!statusLabel) return { kind: 'skip', reason: `no error rate: ${configured} has no status label (zenops.traffic.statusLabel ${this.settings.traffic.statusLabel})` };
    const all = `sum by (job) (rate(${configured}[5m]))`;
    // `or … * 0`: a job without any 5xx reads 0 instead of being left out.
    const errors = `(sum by (job) (rate(${configured}{${statusLabel}=~"5.."}[5m])) or ${all} * 0)`;
    return { kind: 'query', promql: `${errors} / ${all}` };
  }

  private async writeQuery(source: string, file: string, promql: string, res: Fetched<{ resultType: string; samples: unknown[] }>): Promise<void> {
    if (!res.ok) return this.recordFailure(source, healthErrorText(res.error), res.error.kind);
    const written = await this.writer.json(file, { query: promql, evaluatedAt: new Date().toISOString(), resultType: res.value.resultType, samples: res.value.samples });
    this.record({ source, status: 'ok', files: [written], detail: { series: res.value.samples.length } });
  }

  async api(): Promise<void> {
    const { api } = this.settings;
    const url = api.url.trim();
    const names = STEP_SOURCES.api;
    if (!url) {
      for (const source of names) this.record({ source, status: 'skipped', files: [], reason: 'zenops.api.url is empty' });
      return;
    }
    if (this.tlsProblem) {
      for (const source of names) this.recordFailure(source, this.tlsProblem);
      return;
    }
    const get = (p: string) =>
      getJson(joinUrl(url, p), { auth: this.options.credentials?.api, dispatcher: this.dispatcher, timeoutMs: this.timeoutMs, signal: this.signal });

    const health = await get(api.healthPath);
    const healthAnswer = answerOf(health);
    if (!healthAnswer) {
      this.recordFailure('api.healthz', (health as { message: string }).message, (health as { kind: string }).kind);
      if (!health.ok && UNREACHABLE.has(health.kind)) {
        for (const source of names.slice(1)) this.recordFailure(source, `not asked: the API did not answer (${health.kind})`, health.kind);
        this.sourceErrors.push(sourceErrorEntry('api', `API did not answer its health check (${health.kind})`, Date.now(), {}, health.message));
        return;
      }
    } else {
      const summary = statusOf(healthAnswer.body);
      const file = await this.writer.json('api/healthz.json', { url: redactUrl(joinUrl(url, api.healthPath)), ...healthAnswer, summary });
      if (healthAnswer.httpStatus >= 300) this.sourceErrors.push(sourceErrorEntry('api', `API health answered HTTP ${healthAnswer.httpStatus}`, Date.now()));
      this.record({ source: 'api.healthz', status: 'ok', files: [file], detail: { httpStatus: healthAnswer.httpStatus, status: summary.status } });
    }

    if (!api.depsPath.trim()) this.record({ source: 'api.healthz-deps', status: 'skipped', files: [], reason: 'zenops.api.depsPath is empty' });
    else {
      const deps = await get(api.depsPath);
      const answer = answerOf(deps);
      if (!answer) this.recordFailure('api.healthz-deps', (deps as { message: string }).message, (deps as { kind: string }).kind);
      else {
        const report = dependencyReport(answer.body, answer.httpStatus);
        const file = await this.writer.json('api/healthz-deps.json', { url: redactUrl(joinUrl(url, api.depsPath)), ...answer, report });
        for (const check of report.checks.filter((c) => c.status === 'failing')) {
          const detail = `dependency ${check.name} failing${check.detail ? `: ${check.detail}` : ''}`;
          this.sourceErrors.push(sourceErrorEntry('api', `dependency ${check.name} failing`, Date.now(), { dependency: check.name }, detail));
        }
        this.record({ source: 'api.healthz-deps', status: 'ok', files: [file], detail: { httpStatus: answer.httpStatus, status: report.status, failing: report.checks.filter((c) => c.status === 'failing').map((c) => c.name) } });
      }
    }

    const spec = await get('/openapi.json');
    if (!spec.ok) this.recordFailure('api.openapi', spec.message, spec.kind);
    else {
      const file = await this.writer.json('api/openapi.json', spec.data);
      const paths = spec.data && typeof spec.data === 'object' ? Object.keys((spec.data as { paths?: object }).paths ?? {}).length : 0;
      this.record({ source: 'api.openapi', status: 'ok', files: [file], detail: { paths } });
    }
  }

  async contract(): Promise<void> {
    const check = this.options.contractCheck;
    if (!check) return this.record({ source: 'contract', status: 'skipped', files: [], reason: 'no contract check was available to this collection' });
    const run = check().then(
      (value) => ({ ok: true as const, value }),
      (err: unknown) => ({ ok: false as const, message: err instanceof Error ? err.message.split('\n')[0] : String(err) }),
    );
    // The check takes no signal: on cancel the bundle stops waiting for it.
    const cancelled = new Promise<'cancelled'>((resolve) => {
      if (this.signal?.aborted) resolve('cancelled');
      this.signal?.addEventListener('abort', () => resolve('cancelled'), { once: true });
    });
    const result = await Promise.race([run, cancelled]);
    if (result === 'cancelled') return this.record({ source: 'contract', status: 'cancelled', files: [], reason: 'cancelled while the contract check ran' });
    if (!result.ok) return this.recordFailure('contract', `the contract check could not run: ${result.message}`);
    const report = toJsonReport(result.value.report, result.value.root);
    const file = await this.writer.json('contract.json', report);
    const errors = result.value.report.calls.filter((call) => severityOf(call.result.status) === 'error').length;
    this.record({
      source: 'contract',
      status: 'ok',
      files: [file],
      detail: { spec: report.spec.source, files: report.files, calls: report.calls.length, errors, notices: result.value.notices },
    });
  }

  async docker(): Promise<void> {
    const command = this.options.dockerCommand ?? 'docker';
    const run = (args: string[], timeoutMs = 15_000): Promise<CommandResult> => runCommand(command, args, { cwd: this.options.root, signal: this.signal, timeoutMs });
    const skip = (reason: string) => this.record({ source: 'docker', status: 'skipped', files: [], reason });
    const stop = (res: CommandResult, what: string) => {
      if (res.failure === 'aborted') this.record({ source: 'docker', status: 'cancelled', files: [], reason: `cancelled during ${what}` });
      else this.record({ source: 'docker', status: 'failed', files: [], reason: `${what} failed: ${res.message ?? firstLine(res.stderr) ?? `exit ${res.code}`}` });
    };

    const info = await run(['info', '--format', '{{.ServerVersion}}']);
    if (info.failure === 'not-found') return skip(`${command} is not installed (not found on PATH)`);
    if (info.failure === 'aborted') return stop(info, 'docker info');
    if (info.code !== 0 || info.failure) return skip(`no Docker engine answers: ${info.message ?? (firstLine(info.stderr) || `docker info exited ${info.code}`)}`);

    const version = await run(['compose', 'version', '--short']);
    if (version.failure === 'aborted') return stop(version, 'docker compose version');
    if (version.code !== 0) return skip(`docker compose is not available: ${firstLine(version.stderr) || `exit ${version.code}`}`);

    const ps = await run(['compose', 'ps', '--all']);
    if (ps.code !== 0 || ps.failure) return stop(ps, 'docker compose ps');
    const files = [await this.writer.text('docker/ps.txt', ps.stdout)];

    const services = await run(['compose', 'ps', '--all', '--services']);
    if (services.code !== 0 || services.failure) {
      this.record({ source: 'docker', status: services.failure === 'aborted' ? 'cancelled' : 'failed', files, reason: `docker compose ps --services failed: ${services.message ?? firstLine(services.stderr)}` });
      return;
    }
    const failures: string[] = [];
    const used = new Set<string>(['ps']);
    for (const service of parseServiceList(services.stdout)) {
      const since = `${Math.max(1, Math.round((this.windowEnd.getTime() - this.windowStart.getTime()) / 60_000))}m`;
      const logs = await run(['compose', 'logs', '--no-color', '--no-log-prefix', '--timestamps', '--since', since, '--tail', String(this.settings.collect.maxLogLines), service], 60_000);
      if (logs.failure === 'aborted') {
        this.record({ source: 'docker', status: 'cancelled', files, reason: `cancelled while reading the logs of ${service}` });
        return;
      }
      if (logs.code !== 0 || logs.failure) {
        failures.push(`${service}: ${logs.message ?? firstLine(logs.stderr)}`);
        continue;
      }
      let name = safeFileName(service);
      for (let n = 2; used.has(name); n++) name = `${safeFileName(service)}-${n}`;
      used.add(name);
      files.push(await this.writer.text(`docker/${name}.log`, logs.stdout));
      for (const l of parseDockerLogs(service, logs.stdout)) {
        const ms = l.time ? Date.parse(l.time) : NaN;
        this.dockerEntries.push({ stream: { service, source: 'docker' }, ts: nsFromMs(Number.isNaN(ms) ? this.windowEnd.getTime() : ms), line: l.line });
      }
    }
    this.record({
      source: 'docker',
      status: failures.length > 0 ? 'failed' : 'ok',
      files,
      ...(failures.length > 0 ? { reason: `logs of ${failures.length} service(s) could not be read: ${failures.join('; ')}` } : {}),
      detail: { engine: info.stdout.trim(), compose: version.stdout.trim() },
    });
  }

  /** Writes error_index.txt from every source gathered so far; returns the number of signatures. */
  async index(cancelled: boolean): Promise<number> {
    const limits = { maxLineLength: this.settings.logs.maxLineLength, maxLines: this.settings.logs.maxLines };
    // Docker logs are the same lines Loki holds when both answer: index them only without Loki's.
    const logEntries = this.entries.length > 0 ? this.entries : this.dockerEntries;
    // Redacted before grouping: a signature masks digits (`Pa55word` → `Pa<n>word`), after which a secret no
    // longer looks like one, so redacting the finished index would miss it.
    const redacted = logEntries.map((e) => ({ ...e, line: this.writer.redact(e.line) }));
    const parsed = parseLokiEntries(redacted, limits);
    const sourceErrors = this.sourceErrors.map((e) => ({ ...e, message: this.writer.redact(e.message), text: this.writer.redact(e.text) }));
    const groups = groupErrors([...parsed, ...sourceErrors]);
    const locate = {
      root: this.options.root,
      mappings: normalizePathMappings(this.settings.logs.pathMappings),
      files: groups.some((g) => g.frames.length > 0) ? listWorkspaceFiles([this.options.root]) : [],
    };
    const text = formatErrorIndex(
      sortByCount(groups),
      {
        generatedAt: this.options.now?.() ?? new Date(),
        windowStart: this.windowStart,
        windowEnd: this.windowEnd,
        sourceLines: this.sources.map((s) => `${s.source}: ${s.status}${s.files.length ? ` (${s.files.join(', ')})` : ''}${s.reason ? ` — ${s.reason}` : ''}`),
        cancelled,
      },
      locate,
    );
    await this.writer.text('error_index.txt', text);
    this.record({ source: 'error-index', status: 'ok', files: ['error_index.txt'], detail: { signatures: groups.length, entries: parsed.length } });
    return groups.length;
  }
}

interface HttpAnswer {
  httpStatus: number;
  elapsedMs: number;
  body: unknown;
  note?: string;
}

/** An answer worth keeping: 2xx JSON, or a non-2xx/non-JSON answer the server did give (a 503 health report). */
function answerOf(res: GetJsonResult): HttpAnswer | undefined {
  if (res.ok) return { httpStatus: res.status, elapsedMs: res.elapsedMs, body: res.data };
  if (res.status === undefined) return undefined;
  if (res.kind === 'http' && res.body !== undefined) return { httpStatus: res.status, elapsedMs: res.elapsedMs, body: res.body, note: res.message };
  return { httpStatus: res.status, elapsedMs: res.elapsedMs, body: null, note: res.message };
}

export async function collectDiagnostics(options: CollectOptions): Promise<CollectResult> {
  const now = options.now ?? (() => new Date());
  let patterns: RegExp[];
  try {
    patterns = compileRedactPatterns(options.settings.collect.redactPatterns);
  } catch (err) {
    if (err instanceof RedactPatternError) throw new CollectSetupError(err.message);
    throw err;
  }
  const started = now();
  const outDir = path.resolve(options.root, options.outDir);
  let folder: string;
  try {
    folder = await createBundleFolder(outDir, started);
  } catch (err) {
    throw new CollectSetupError(`cannot create a bundle folder under ${outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const windowEnd = started;
  const sinceMinutes = options.settings.collect.since > 0 ? options.settings.collect.since : 30;
  const windowStart = new Date(started.getTime() - sinceMinutes * 60_000);
  const tls = createTlsDispatcher({ caFile: options.settings.tls.caFile, rejectUnauthorized: options.settings.tls.rejectUnauthorized });
  const writer = new BundleWriter(folder, patterns);
  const c = new Collection(options, writer, windowStart, windowEnd, tls.ok ? tls.dispatcher : undefined, tls.ok ? undefined : tls.message);

  const steps: Record<Exclude<CollectStepId, 'index'>, () => Promise<void>> = {
    loki: () => c.loki(),
    prometheus: () => c.prometheus(),
    api: () => c.api(),
    contract: () => c.contract(),
    docker: () => c.docker(),
  };
  const cancelStep = (id: CollectStepId) => {
    for (const source of STEP_SOURCES[id]) c.record({ source, status: 'cancelled', files: [], reason: 'cancelled before this step started' });
  };
  let signatures = 0;
  try {
    for (const [i, step] of COLLECT_STEPS.entries()) {
      // The index is written even after a cancel: it covers what was gathered.
      if (step.id !== 'index' && options.signal?.aborted) {
        cancelStep(step.id);
        continue;
      }
      options.onProgress?.({ ...step, index: i + 1, total: COLLECT_STEPS.length });
      if (step.id === 'index') {
        signatures = await c.index(options.signal?.aborted ?? false);
        continue;
      }
      if (options.signal?.aborted) {
        cancelStep(step.id);
        continue;
      }
      try {
        await steps[step.id]();
      } catch (err) {
        // A bug or a disk error in one source is that source's failure, not the bundle's.
        const done = new Set(c.sources.map((r) => r.source));
        for (const source of STEP_SOURCES[step.id].filter((name) => !done.has(name))) {
          c.record({ source, status: failedOrCancelled(options.signal, undefined), files: [], reason: `unexpected error: ${(err as Error)?.message ?? String(err)}` });
        }
      }
    }
  } finally {
    if (tls.ok) await tls.dispatcher?.close().catch(() => undefined);
  }

  const status = options.signal?.aborted ? 'cancelled' : 'complete';
  const finished = now();
  const manifest = {
    tool: 'zenops',
    ...(options.version ? { version: options.version } : {}),
    status,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    window: { start: windowStart.toISOString(), end: windowEnd.toISOString(), minutes: options.settings.collect.since },
    settings: {
      lokiUrl: redactUrl(options.settings.loki.url),
      lokiQuery: streamSelectorOf(options.settings.loki.query),
      prometheusUrl: redactUrl(options.settings.prometheus.url),
      apiUrl: redactUrl(options.settings.api.url),
      maxLogLines: options.settings.collect.maxLogLines,
      extraRedactPatterns: patterns.length,
    },
    redaction: 'bearer tokens, Authorization and Cookie headers, password/secret/token/API-key values and credentials in URLs and DSNs are replaced by [REDACTED], plus zenops.collect.redactPatterns',
    sources: c.sources,
    files: [...writer.written, 'manifest.json'],
  };
  await writer.json('manifest.json', manifest);
  return {
    folder,
    status,
    sources: c.sources,
    errorIndexFile: path.join(folder, 'error_index.txt'),
    manifestFile: path.join(folder, 'manifest.json'),
    signatures,
  };
}
