// Starts Debian's real Alertmanager (/usr/bin/prometheus-alertmanager) on a free loopback port for a test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './freePort';
import { startServerProcess } from './serverProcess';

export const ALERTMANAGER_BIN = process.env.ZENOPS_ALERTMANAGER_BIN || '/usr/bin/prometheus-alertmanager';

/** True when the Alertmanager binary is installed (Debian package prometheus-alertmanager). */
export function hasAlertmanager(): boolean {
  return fs.existsSync(ALERTMANAGER_BIN);
}

export interface AlertmanagerOptions {
  /** Extra YAML appended to the config, e.g. `inhibit_rules:`. */
  extraConfig?: string;
  startTimeoutMs?: number;
}

export interface RunningAlertmanager {
  url: string;
  /** `host:port`, for Prometheus's `alerting.alertmanagers` targets. */
  address: string;
  output(): string;
  /** Silences alerts whose labels equal `matchers` for an hour; resolves to the silence id. */
  silence(matchers: Record<string, string>, comment?: string): Promise<string>;
  /** Polls /api/v2/alerts until `predicate` holds. */
  waitForAlerts(predicate: (alerts: { labels: Record<string, string>; status: { state: string } }[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startAlertmanager(options: AlertmanagerOptions = {}): Promise<RunningAlertmanager> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-alertmanager-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(
    configFile,
    ['route:', '  receiver: blackhole', '  group_wait: 0s', '  group_interval: 1s', 'receivers:', '  - name: blackhole', options.extraConfig ?? '', ''].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startServerProcess(
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=', // no gossip port: one instance, nothing else bound
      '--log.level=warn',
    ],
    dir,
  );
  const { stop } = server;

  const poll = async (what: string, timeoutMs: number, attempt: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
      if (server.exited()) throw new Error(`alertmanager exited while waiting for ${what}\n${server.output()}`);
      try {
        if (await attempt()) return;
      } catch (err) {
        lastError = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`alertmanager: ${what} not reached within ${timeoutMs} ms ${lastError}`.trim());
  };

  try {
    await poll('/-/ready', options.startTimeoutMs ?? 20000, async () => {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return res.status === 200;
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const silence = async (matchers: Record<string, string>, comment = 'zenops test') => {
    const now = Date.now();
    const res = await fetch(`${url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(3000),
      body: JSON.stringify({
        matchers: Object.entries(matchers).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
        startsAt: new Date(now - 1000).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        createdBy: 'zenops-tests',
        comment,
      }),
    });
    const body = (await res.json()) as { silenceID?: string };
    if (!res.ok || !body.silenceID) throw new Error(`silence not created: HTTP ${res.status} ${JSON.stringify(body)}`);
    return body.silenceID;
  };

  const waitForAlerts: RunningAlertmanager['waitForAlerts'] = (predicate, timeoutMs = 20000) =>
    poll('alerts condition', timeoutMs, async () => {
      const res = await fetch(`${url}/api/v2/alerts`, { signal: AbortSignal.timeout(2000) });
      return predicate((await res.json()) as { labels: Record<string, string>; status: { state: string } }[]);
    });

  return { url, address: `127.0.0.1:${port}`, output: server.output, silence, waitForAlerts, stop };
}
