// Live health as a user sees it in a real VS Code: a real Prometheus scraping the real example app (job `api`)
// and a closed port (job `worker`, down, with a firing TargetDown alert); the Health view and the status bar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HealthState } from '../../../src/health/registerHealth';
import { ExampleApp, startExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';
import { alertRule, RunningPrometheus, startPrometheus } from '../../harness/prometheus';
import { until } from '../../harness/until';
import { canInspectWorkbench, clickElement, countElements, fillElement, takeScreenshot, waitForElements } from './workbench';

const EXTENSION_ID = process.env.ZENOPS_IT_EXTENSION_ID || 'zenops.zenops';

function folder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folders[0], 'no workspace folder is open');
  return folders[0];
}

async function configure(values: Record<string, string | number>): Promise<void> {
  const config = vscode.workspace.getConfiguration('zenops', folder().uri);
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
}

/** Status-bar item with exactly this text (icons render as codicon spans, so the text is what follows them). */
const statusItem = (text: string, kind = '') => `.statusbar-item${kind}:has-text("${text}")`;
const healthRow = (text: string) => `.monaco-list-row:has-text("${text}")`;
const quickInputRow = (text: string) => `.quick-input-widget .quick-input-list .monaco-list-row:has-text("${text}")`;

/** What the hidden `zenops.health.state` command answers. */
const healthState = async () => (await vscode.commands.executeCommand<HealthState>('zenops.health.state'))!;

/** How many GET /healthz requests the example app has answered, from its own request counter on /metrics. */
async function healthzRequests(app: ExampleApp): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('http_requests_total{') && line.includes('handler="/healthz"') && line.includes('method="GET"')) total += Number(line.split(' ').pop());
  }
  return total;
}

/** The "ZenOps" log channel's file: the extension host writes it under its log folder (the parent of the extension's own). */
function zenOpsLogText(logFolder: string): string {
  const root = path.dirname(logFolder);
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/(^|-)ZenOps\.log$/.test(entry.name)) found.push(full);
    }
  };
  walk(root);
  assert.ok(found.length > 0, `no ZenOps.log under ${root}`);
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** A loopback server that records the requests it gets (stands in for a Grafana a browser is sent to). */
async function startRecorder(): Promise<{ url: string; requests: string[]; stop(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>recorded</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const stop = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // the browser keeps its connection open
  });
  return { url: `http://127.0.0.1:${port}`, requests, stop };
}

suite('Live health in the ZenOps view and status bar', function () {
  this.timeout(120_000);
  let app: ExampleApp;
  let failing: ExampleApp;
  let prometheus: RunningPrometheus;
  let closedPort: number;
  let settingsFile: string;
  let savedSettings: string | undefined;

  suiteSetup(async function () {
    if (!canInspectWorkbench()) this.skip(); // the assertions read the rendered workbench
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    const backendDir = path.join(folder().uri.fsPath, 'backend');
    [app, failing] = await Promise.all([startExampleApp({ backendDir }), startExampleApp({ backendDir, failDeps: ['database'] })]);
    closedPort = await freePort();
    prometheus = await startPrometheus({
      targets: [
        { job: 'api', urls: [`${app.url}/metrics`] },
        { job: 'worker', urls: [`http://127.0.0.1:${closedPort}/metrics`] },
      ],
      rules: alertRule('TargetDown', 'up == 0', 'critical', '{{ $labels.job }} is down'),
    });
    await prometheus.waitForTargets((t) => t.length === 2 && t.every((x) => x.health !== 'unknown'));
    await prometheus.waitForAlert('TargetDown', 'firing', 30_000);
    // The folder's settings file is in the repository: keep its text and put it back afterwards.
    settingsFile = path.join(folder().uri.fsPath, '.vscode', 'settings.json');
    savedSettings = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    await configure({
      'api.url': app.url,
      'prometheus.url': prometheus.url,
      'alertmanager.url': '',
      'grafana.url': 'http://127.0.0.1:3000',
    });
    await vscode.commands.executeCommand('zenops.health.focus');
    await vscode.commands.executeCommand('zenops.refreshHealth');
  });

  suiteTeardown(async () => {
    if (settingsFile && savedSettings !== undefined) fs.writeFileSync(settingsFile, savedSettings);
    await Promise.all([prometheus?.stop(), app?.stop(), failing?.stop()]);
  });

  test('the status bar counts 1 of 2 targets up, one firing alert and the API ok, on a warning background', async () => {
    await waitForElements(statusItem('1/2 · 1 alert · API ok'), { timeoutMs: 30_000 });
    await waitForElements(statusItem('1/2 · 1 alert · API ok', '.warning-kind'), { timeoutMs: 5_000 });
  });

  test('the Health view shows the API, each dependency, the targets by job and the firing alert', async () => {
    await waitForElements(healthRow('API'), { timeoutMs: 20_000 });
    await waitForElements(healthRow('database'));
    await waitForElements(healthRow('uploads'));
    await waitForElements(healthRow('1/2 up'));
    await waitForElements(healthRow('0/1 up'));
    await waitForElements(healthRow(`127.0.0.1:${closedPort}`));
    await waitForElements(healthRow('connection refused'));
    await waitForElements(healthRow('TargetDown'));
    await waitForElements(healthRow('worker is down'));
    await takeScreenshot('health-view');
  });

  test('a failing dependency turns the status bar to "API degraded (database)"', async () => {
    await configure({ 'api.url': failing.url });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    await waitForElements(statusItem('API degraded (database)', '.warning-kind'), { timeoutMs: 30_000 });
    await waitForElements(healthRow('could not connect to server'));
  });

  test('an API that does not answer shows "API down" on an error background', async () => {
    await configure({ 'api.url': `http://127.0.0.1:${closedPort}` });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    await waitForElements(statusItem('API down', '.error-kind'), { timeoutMs: 30_000 });
    await waitForElements(healthRow('down (refused)'));
    await takeScreenshot('health-api-down');
  });

  test('an unreachable Prometheus is told apart from targets being down', async () => {
    await configure({ 'api.url': app.url, 'prometheus.url': `http://127.0.0.1:${closedPort}` });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    await waitForElements(statusItem('Prometheus unreachable · API ok'), { timeoutMs: 30_000 });
    await waitForElements(healthRow('Prometheus unreachable'));
  });

  test('a Refresh right after a settings change answers with the new settings', async () => {
    await configure({ 'api.url': failing.url, 'prometheus.url': prometheus.url });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    assert.match((await healthState()).statusText, /API degraded \(database\)/);
    await configure({ 'api.url': app.url });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    assert.match((await healthState()).statusText, /1\/2 · 1 alert · API ok/);
  });

  test('a second poll where only scrape times changed redraws no node', async () => {
    // No API: its latency may cross a bucket between polls; Prometheus alone changes nothing but scrape times.
    await configure({ 'api.url': '', 'prometheus.url': prometheus.url });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    const first = await until('the targets after the settings change', async () => {
      const s = await healthState();
      return s.snapshot.prometheus.state === 'ok' && s.statusText.includes('1/2') ? s : undefined;
    }, 30_000);
    const scrapeTimes = (s: HealthState) =>
      s.snapshot.prometheus.state === 'ok' ? s.snapshot.prometheus.value.targets.map((t) => `${t.instance}@${t.lastScrape}`).sort().join(' ') : '';
    // Prometheus scrapes every second: refresh until a target's last scrape is newer than in the first poll.
    const second = await until('a poll with newer scrape times', async () => {
      await vscode.commands.executeCommand('zenops.refreshHealth');
      const s = await healthState();
      return s.polls > first.polls && scrapeTimes(s) !== scrapeTimes(first) ? s : undefined;
    }, 20_000, 500);
    assert.equal(second.snapshot.prometheus.state, 'ok');
    assert.deepEqual(second.lastRedraw, []);
  });

  test('the status-bar tooltip is a table with the targets, and a click on the item focuses the Health view', async () => {
    await configure({ 'api.url': app.url, 'prometheus.url': prometheus.url });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    await waitForElements(statusItem('1/2 · 1 alert · API ok'), { timeoutMs: 30_000 });
    const { statusTooltip, statusBackground } = await healthState();
    assert.match(statusTooltip, /\| Targets \| 1\/2 up \|/);
    assert.match(statusTooltip, /\| API \| ok \(\d+ ms\) \|/);
    assert.match(statusTooltip, /\| Alerts \| 1 firing \|/);
    assert.equal(statusBackground, 'statusBarItem.warningBackground');

    await vscode.commands.executeCommand('workbench.view.explorer');
    await until('the Health view hidden', async () => !(await healthState()).viewVisible, 10_000);
    await clickElement(statusItem('1/2 · 1 alert · API ok'));
    await until('the Health view visible after the click', async () => (await healthState()).viewVisible, 10_000);
    await waitForElements(healthRow('TargetDown'));
  });

  test('"Copy" on a target puts its scrape URL on the clipboard', async () => {
    const scrapeUrl = `${app.url}/metrics`;
    await vscode.env.clipboard.writeText('before the copy');
    await vscode.commands.executeCommand('zenops.health.copy', { id: `targets/api/${scrapeUrl}` });
    assert.equal(await vscode.env.clipboard.readText(), scrapeUrl);
  });

  test('"Open in Grafana" sends the browser to Grafana Explore with the target\'s up query; "Open" to its scrape URL', async () => {
    const grafana = await startRecorder();
    try {
      await configure({ 'grafana.url': grafana.url });
      await vscode.commands.executeCommand('zenops.refreshHealth');
      const targetId = `targets/api/${app.url}/metrics`;
      await until('the target node linking to this Grafana', async () => {
        const target = (await healthState()).nodes.find((n) => n.id === 'targets')?.children?.find((n) => n.id === 'targets/api')?.children?.find((n) => n.id === targetId);
        return target?.grafanaUrl?.startsWith(grafana.url);
      }, 30_000);
      // Not awaited: openExternal answers only once the browser is done with it.
      void vscode.commands.executeCommand('zenops.health.openInGrafana', { id: targetId });
      const opened = await until('the Grafana URL handed to openExternal', async () => (await healthState()).lastOpened, 10_000);
      const url = new URL(opened.url);
      assert.equal(`${url.protocol}//${url.host}${url.pathname}`, `${grafana.url}/explore`);
      const left = JSON.parse(url.searchParams.get('left') ?? '{}') as { queries?: { expr?: string }[] };
      assert.equal(left.queries?.[0]?.expr, `up{job="api",instance="127.0.0.1:${app.port}"}`);
      // The browser really went there (code-server may route a loopback URL through its port proxy: same path and query).
      const visit = await until('the browser visiting Grafana Explore', () => grafana.requests.find((r) => /\/explore\?/.test(r)), 20_000, 100);
      assert.equal(new URL(visit, 'http://x').searchParams.get('left'), url.searchParams.get('left'));

      void vscode.commands.executeCommand('zenops.health.openUrl', { id: targetId });
      const openedTarget = await until('the scrape URL handed to openExternal', async () => {
        const last = (await healthState()).lastOpened;
        return last && !last.url.startsWith(grafana.url) ? last : undefined;
      }, 10_000);
      assert.equal(openedTarget.url, `${app.url}/metrics`);
    } finally {
      await configure({ 'grafana.url': 'http://127.0.0.1:3000' });
      await grafana.stop();
    }
  });

  test('polling pauses while the window is unfocused and the view hidden, and a Refresh polls at once', async function () {
    this.timeout(90_000);
    await configure({ 'api.url': app.url, 'prometheus.url': prometheus.url, 'health.pollInterval': 2 });
    await vscode.commands.executeCommand('zenops.health.focus');
    try {
      await until('the 2 s poller running', async () => (await healthState()).statusText.includes('API ok'), 30_000);
      // Hidden view, focused window: it keeps polling (the app keeps seeing /healthz).
      await vscode.commands.executeCommand('workbench.view.explorer');
      await until('the Health view hidden', async () => !(await healthState()).viewVisible, 10_000);
      assert.equal((await healthState()).paused, false);
      const before = await healthzRequests(app);
      await until('two more /healthz polls while the view is hidden', async () => (await healthzRequests(app)) >= before + 2, 20_000, 200);

      // And the window unfocused (a headless page always reports focus, so the test sets it): paused, no requests.
      await vscode.commands.executeCommand('zenops.health.simulateWindowFocus', false);
      await until('the poller paused with no request in flight', async () => {
        const s = await healthState();
        return s.paused && !s.polling && !s.windowFocused;
      }, 10_000);
      const paused = await healthzRequests(app);
      await new Promise((resolve) => setTimeout(resolve, 7_000)); // three poll intervals in which nothing may arrive
      assert.equal(await healthzRequests(app), paused, 'the app got /healthz requests while ZenOps was paused');
      assert.equal((await healthState()).paused, true);

      await vscode.commands.executeCommand('zenops.refreshHealth');
      assert.ok((await healthzRequests(app)) > paused, 'Refresh did not poll the API at once');
      assert.equal((await healthState()).paused, false);
    } finally {
      await vscode.commands.executeCommand('zenops.health.simulateWindowFocus', undefined);
      await configure({ 'health.pollInterval': 15 });
      await vscode.commands.executeCommand('zenops.health.focus');
    }
  });

  test('credentials entered through "ZenOps: Set Credentials" reach a Prometheus that requires basic auth, and stay out of settings and logs', async function () {
    this.timeout(120_000);
    // bcrypt (cost 4) of the password, as Prometheus's web config wants it (the same pair as the unit tests use).
    const basicAuth = { username: 'zenops', password: 'zenops-test-pw', bcryptHash: '$2b$04$sUMb/qVql6lgrVaYMrLtweOkVKAO0vtDW6m6m6wEmxNb4/ixHLjrm' };
    const secured = await startPrometheus({ targets: [{ job: 'secured-api', urls: [`${app.url}/metrics`] }], basicAuth });
    try {
      await secured.waitForTargets();
      await configure({ 'api.url': app.url, 'prometheus.url': secured.url });
      await vscode.commands.executeCommand('zenops.refreshHealth');
      const refused = await until('Prometheus refusing ZenOps without credentials', async () => {
        const p = (await healthState()).snapshot.prometheus;
        return p.state === 'error' && p.error.message.includes('401') ? p.error.message : undefined;
      }, 30_000);
      assert.match(refused, /authentication required/);

      // The real command, answered through its QuickPicks and InputBoxes as a user would.
      const done = vscode.commands.executeCommand('zenops.setCredentials');
      await clickElement(quickInputRow('Prometheus'));
      await clickElement(quickInputRow('Basic authentication'));
      await waitForElements('.quick-input-widget .quick-input-title:has-text("Prometheus: user name")');
      await fillElement('.quick-input-widget input.input', basicAuth.username);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await waitForElements('.quick-input-widget .quick-input-title:has-text("Prometheus: password")');
      await fillElement('.quick-input-widget input.input', basicAuth.password);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await done;

      // The stored secret restarts the poller with it: the secured Prometheus's target appears.
      await waitForElements(healthRow('secured-api'), { timeoutMs: 30_000 });
      await waitForElements(healthRow('1/1 up'));
      assert.equal((await healthState()).snapshot.prometheus.state, 'ok');

      const basic = Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64');
      const settingsText = fs.readFileSync(settingsFile, 'utf8');
      const inspected = JSON.stringify(vscode.workspace.getConfiguration('zenops').inspect('prometheus'));
      for (const where of [settingsText, inspected, JSON.stringify(vscode.workspace.getConfiguration('zenops'))]) {
        assert.ok(!where.includes(basicAuth.password) && !where.includes(basic), 'the password is in the settings');
      }
      const logText = await until('the saved-credentials line in the ZenOps log', async () => {
        const text = zenOpsLogText((await healthState()).logFolder);
        return text.includes('credentials: saved basic credentials for prometheus') ? text : undefined;
      }, 15_000, 250);
      assert.ok(!logText.includes(basicAuth.password) && !logText.includes(basic), 'the password is in the ZenOps log');

      // The same command removes them: Prometheus refuses ZenOps again.
      const removed = vscode.commands.executeCommand('zenops.setCredentials');
      await clickElement(quickInputRow('basic credentials set'));
      await clickElement(quickInputRow('Remove credentials'));
      await removed;
      await until('Prometheus refusing ZenOps again', async () => {
        const p = (await healthState()).snapshot.prometheus;
        return p.state === 'error' && p.error.message.includes('401');
      }, 30_000);
    } finally {
      await configure({ 'prometheus.url': prometheus.url });
      await secured.stop();
    }
  });

  test('"not configured" (every URL empty) has its own icon and text and no warning or error background', async () => {
    await configure({ 'api.url': '', 'prometheus.url': '', 'alertmanager.url': '' });
    await vscode.commands.executeCommand('zenops.refreshHealth');
    await waitForElements(statusItem('ZenOps: not configured'), { timeoutMs: 30_000 });
    assert.equal(await countElements(`${statusItem('ZenOps: not configured')} .codicon-circle-slash`), 1);
    assert.equal(await countElements(statusItem('ZenOps: not configured', '.warning-kind')), 0);
    assert.equal(await countElements(statusItem('ZenOps: not configured', '.error-kind')), 0);
    assert.equal((await healthState()).statusBackground, undefined);
    await configure({ 'api.url': app.url, 'prometheus.url': prometheus.url });
  });

  test('the ZenOps log channel tells each health change, and holds no credential', async () => {
    const text = await until('health changes in the ZenOps log', async () => {
      const t = zenOpsLogText((await healthState()).logFolder);
      return /health: \S+ → api-down/.test(t) && /health: \S+ → not-configured/.test(t) ? t : undefined;
    }, 15_000, 250);
    assert.match(text, /\[warning\] health: \S+ → degraded: /);
    assert.match(text, /health: polling every \d+ s; sources: /);
    assert.ok(!text.includes('zenops-test-pw'), 'a password is in the ZenOps log');
    assert.ok(!text.includes(Buffer.from('zenops:zenops-test-pw').toString('base64')), 'a basic-auth header value is in the ZenOps log');
    assert.ok(!/authorization:/i.test(text), 'an Authorization header is in the ZenOps log');
  });
});
