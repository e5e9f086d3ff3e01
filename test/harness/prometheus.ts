// Starts Debian's real Prometheus (/usr/bin/prometheus) on a free loopback port for a test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './freePort';
import { startServerProcess } from './serverProcess';

export const PROMETHEUS_BIN = process.env.ZENOPS_PROMETHEUS_BIN || '/usr/bin/prometheus';

export interface PrometheusTarget {
  job: string;
  /** `http://host:port/path` URLs; scheme, host and metrics path are taken from each. */
  urls: string[];
}

export interface PrometheusOptions {
  targets: PrometheusTarget[];
  /** Rule file contents (YAML, `groups:`), evaluated every scrape interval. */
  rules?: string;
  /** Scrape and rule evaluation interval. */
  scrapeInterval?: string;
  /** Alertmanager `host:port` addresses Prometheus sends its alerts to. */
  alertmanagers?: string[];
  /** Require HTTP basic auth (Prometheus `--web.config.file`); `bcryptHash` is the password's bcrypt hash. */
  basicAuth?: { username: string; password: string; bcryptHash: string };
  /** How long to wait for `/-/ready` (ms). */
  startTimeoutMs?: number;
  /** A fixed port (the demo uses the default 9090); a free one when absent. */
  port?: number;
}

/** One active target as /api/v1/targets reports it (only what predicates need). */
export interface ActiveTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export interface RunningPrometheus {
  url: string;
  port: number;
  /** Everything Prometheus wrote to stdout/stderr so far. */
  output(): string;
  /** Polls /api/v1/targets until `predicate` holds (default: every target scraped at least once). */
  waitForTargets(predicate?: (targets: ActiveTarget[]) => boolean, timeoutMs?: number): Promise<ActiveTarget[]>;
  /** Polls /api/v1/alerts until an alert named `alertname` is in `state` (default firing). */
  waitForAlert(alertname: string, state?: 'firing' | 'pending', timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface AlertRuleSpec {
  alert: string;
  expr: string;
  severity?: string;
  /** Annotation `summary`; may use `{{ $labels.x }}`. */
  summary?: string;
}

/** A rule file with one group of alerting rules, each `for: 0s` with a severity label and a summary annotation. */
export function alertRules(rules: AlertRuleSpec[]): string {
  const lines = ['groups:', '  - name: zenops-test', '    rules:'];
  for (const r of rules) {
    lines.push(
      `      - alert: ${r.alert}`,
      `        expr: ${JSON.stringify(r.expr)}`,
      '        for: 0s',
      '        labels:',
      `          severity: ${r.severity ?? 'critical'}`,
      '        annotations:',
      `          summary: ${JSON.stringify(r.summary ?? `${r.alert}: {{ $labels.job }} is down`)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** A rule file firing `alertname` when `expr` holds (for: 0s, a severity label, a summary annotation). */
export function alertRule(alertname: string, expr: string, severity = 'critical', summary?: string): string {
  return alertRules([{ alert: alertname, expr, severity, summary }]);
}

function scrapeConfig(target: PrometheusTarget): string {
  // One static_configs entry per (scheme, path) so each URL keeps its own metrics path.
  const groups = new Map<string, { scheme: string; metricsPath: string; hosts: string[] }>();
  for (const raw of target.urls) {
    const u = new URL(raw);
    const scheme = u.protocol.replace(':', '');
    const metricsPath = u.pathname === '/' ? '/metrics' : u.pathname;
    const key = `${scheme} ${metricsPath}`;
    const group = groups.get(key) ?? { scheme, metricsPath, hosts: [] };
    group.hosts.push(u.host);
    groups.set(key, group);
  }
  const lines: string[] = [];
  let index = 0;
  for (const group of groups.values()) {
    // Prometheus needs unique job_name per scrape config; keep the `job` label as given.
    const name = index === 0 ? target.job : `${target.job}-${index}`;
    lines.push(
      `  - job_name: ${JSON.stringify(name)}`,
      `    scheme: ${group.scheme}`,
      `    metrics_path: ${JSON.stringify(group.metricsPath)}`,
      '    static_configs:',
      `      - targets: [${group.hosts.map((h) => JSON.stringify(h)).join(', ')}]`,
      ...(index === 0 ? [] : ['        labels:', `          job: ${JSON.stringify(target.job)}`]),
    );
    index++;
  }
  return lines.join('\n');
}


export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const interval = options.scrapeInterval ?? '1s';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-prometheus-'));
  const rulesFile = path.join(dir, 'rules.yml');
  fs.writeFileSync(rulesFile, options.rules ?? 'groups: []\n');
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    ...(options.alertmanagers?.length
      ? ['alerting:', '  alertmanagers:', '    - static_configs:', `        - targets: [${options.alertmanagers.map((a) => JSON.stringify(a)).join(', ')}]`]
      : []),
    'rule_files:',
    `  - ${JSON.stringify(rulesFile)}`,
    'scrape_configs:',
    ...options.targets.map(scrapeConfig),
    '',
  ].join('\n');
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, config);

  const webArgs: string[] = [];
  const authHeaders: Record<string, string> = {};
  if (options.basicAuth) {
    const webFile = path.join(dir, 'web.yml');
    fs.writeFileSync(webFile, `basic_auth_users:\n  ${options.basicAuth.username}: ${JSON.stringify(options.basicAuth.bcryptHash)}\n`);
    webArgs.push(`--web.config.file=${webFile}`);
    authHeaders.authorization = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
  }

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const server = startServerProcess(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      // Alerts that fire before Alertmanager is discovered are resent within a second, not a minute.
      '--rules.alert.resend-delay=1s',
      '--log.level=warn',
      ...webArgs,
    ],
    dir,
  );
  const { stop } = server;

  const poll = async <T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
      if (server.exited()) throw new Error(`prometheus exited while waiting for ${what}\n${server.output()}`);
      try {
        const value = await attempt();
        if (value !== undefined) return value;
      } catch (err) {
        lastError = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`prometheus: ${what} not reached within ${timeoutMs} ms ${lastError}`.trim());
  };

  try {
    await poll('/-/ready', options.startTimeoutMs ?? 20000, async () => {
      const res = await fetch(`${url}/-/ready`, { headers: authHeaders, signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return res.status === 200 ? true : undefined;
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const getJson = async (target: string): Promise<unknown> => {
    const res = await fetch(target, { headers: authHeaders, signal: AbortSignal.timeout(2000) });
    return res.json();
  };

  const waitForTargets = (predicate?: (targets: ActiveTarget[]) => boolean, timeoutMs = 15000) =>
    poll('targets condition', timeoutMs, async () => {
      const body = (await getJson(`${url}/api/v1/targets?state=active`)) as { data?: { activeTargets?: ActiveTarget[] } };
      const targets = body.data?.activeTargets ?? [];
      const ok = predicate ? predicate(targets) : targets.length > 0 && targets.every((t) => t.health !== 'unknown');
      return ok ? targets : undefined;
    });

  const waitForAlert = async (alertname: string, state: 'firing' | 'pending' = 'firing', timeoutMs = 15000) => {
    await poll(`alert ${alertname} ${state}`, timeoutMs, async () => {
      const body = (await getJson(`${url}/api/v1/alerts`)) as { data?: { alerts?: { labels: Record<string, string>; state: string }[] } };
      const found = (body.data?.alerts ?? []).some((a) => a.labels.alertname === alertname && a.state === state);
      return found ? true : undefined;
    });
  };

  return { url, port, output: server.output, waitForTargets, waitForAlert, stop };
}
