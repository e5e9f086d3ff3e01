// Live health as a user sees it in a real VS Code: a real Prometheus scraping the real example app (job `api`)
// and a closed port (job `worker`, down, with a firing TargetDown alert); the Health view and the status bar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExampleApp, startExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';
import { alertRule, RunningPrometheus, startPrometheus } from '../../harness/prometheus';
import { canInspectWorkbench, takeScreenshot, waitForElements } from './workbench';

const EXTENSION_ID = process.env.ZENOPS_IT_EXTENSION_ID || 'zenops.zenops';

function folder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folders[0], 'no workspace folder is open');
  return folders[0];
}

async function configure(values: Record<string, string>): Promise<void> {
  const config = vscode.workspace.getConfiguration('zenops', folder().uri);
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
}

/** Status-bar item with exactly this text (icons render as codicon spans, so the text is what follows them). */
const statusItem = (text: string, kind = '') => `.statusbar-item${kind}:has-text("${text}")`;
const healthRow = (text: string) => `.monaco-list-row:has-text("${text}")`;

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
});
