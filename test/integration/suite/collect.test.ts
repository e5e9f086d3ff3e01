// "ZenOps: Collect Logs" in a real VS Code: the real example app's tracebacks in the Loki stand-in, the app's
// health answers and OpenAPI document, a Prometheus that does not answer; the command writes the bundle and opens
// error_index.txt.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExampleApp, startExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';
import { LokiStandIn, pushToLoki, startLokiStandIn } from '../../harness/lokiStandIn';
import { canInspectWorkbench, clickElement, countElements, takeScreenshot, waitForElements } from './workbench';

const EXTENSION_ID = process.env.ZENOPS_IT_EXTENSION_ID || 'zenops.zenops';
const REQUEST_IDS = ['it-collect-1', 'it-collect-2'];

/** What the command resolves to (see src/collect/registerCollect.ts). */
interface CollectCommandResult {
  kind: 'bundle' | 'script-task' | 'none';
  folder?: string;
  status?: string;
  errorIndexFile?: string;
  sources?: { source: string; status: string; files: string[]; reason?: string }[];
}

function folder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folders[0], 'no workspace folder is open');
  return folders[0];
}

async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('zenops', folder().uri);
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
}

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('Collect Logs writes a redacted diagnostics bundle and opens its error index', function () {
  this.timeout(120_000);
  let app: ExampleApp;
  let loki: LokiStandIn;
  let outDir: string;
  let settingsFile: string;
  let savedSettings: string | undefined;

  suiteSetup(async function () {
    // The runner's --untrusted run is for the Restricted Mode suite below only.
    if (process.env.ZENOPS_IT_UNTRUSTED) this.skip();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    [app, loki] = await Promise.all([startExampleApp({ backendDir: path.join(folder().uri.fsPath, 'backend') }), startLokiStandIn()]);
    for (const id of REQUEST_IDS) {
      const res = await fetch(`${app.url}/api/payroll/runs/0`, { headers: { 'X-Request-Id': id } });
      assert.equal(res.status, 500);
    }
    await until('the last "-> 500" line', () => app.output().includes(`request_id=${REQUEST_IDS[1]} GET /api/payroll/runs/0 -> 500`));
    const lines = app.output().trimEnd().split('\n');
    lines.push('2026-12-03 16:40:00,000 ERROR [app] request_id=it-secret upstream refused Authorization: Bearer it.secret.token');
    const base = BigInt(Date.now() - 5000) * 1_000_000n;
    await pushToLoki(loki.url, { container: 'zenops-api-1' }, lines.map((l, i) => [(base + BigInt(i) * 1000n).toString(), l]));

    // The bundle goes to a temporary folder, never into the repository's examples/zenops.
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-it-collect-'));
    settingsFile = path.join(folder().uri.fsPath, '.vscode', 'settings.json');
    savedSettings = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    await configure({
      'loki.url': loki.url,
      'loki.pollInterval': 0,
      'api.url': app.url,
      'prometheus.url': `http://127.0.0.1:${await freePort()}`,
      'alertmanager.url': '',
      'collect.outputFolder': outDir,
    });
  });

  suiteTeardown(async () => {
    // Leave the workbench as the next suite expects it: no open index, no notification center.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
    if (settingsFile && savedSettings !== undefined) fs.writeFileSync(settingsFile, savedSettings);
    await Promise.all([app?.stop(), loki?.stop()]);
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  test('the command is in the palette as "ZenOps: Collect Logs"', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('zenops.collectLogs'));
    const contributed = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string; title: string; category: string }[];
    const entry = contributed.find((c) => c.command === 'zenops.collectLogs');
    assert.equal(`${entry?.category}: ${entry?.title}`, 'ZenOps: Collect Logs');
  });

  test('running it writes the bundle folder and opens error_index.txt with the ZeroDivisionError first', async () => {
    const result = await vscode.commands.executeCommand<CollectCommandResult>('zenops.collectLogs');
    assert.equal(result?.kind, 'bundle', JSON.stringify(result));
    assert.equal(result.status, 'complete');
    assert.equal(path.dirname(result.folder!), outDir);
    assert.match(path.basename(result.folder!), /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
    const listing = JSON.stringify(result.sources);
    for (const file of ['logs/zenops-api-1.log', 'api/healthz.json', 'api/healthz-deps.json', 'api/openapi.json', 'contract.json', 'error_index.txt', 'manifest.json']) {
      assert.ok(fs.existsSync(path.join(result.folder!, file)), `${file} is missing; sources: ${listing}`);
    }
    const byName = Object.fromEntries(result.sources!.map((s) => [s.source, s]));
    assert.equal(byName.loki.status, 'ok');
    assert.equal(byName['prometheus.targets'].status, 'failed');
    assert.match(byName['prometheus.targets'].reason ?? '', /connection refused/);

    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor is open');
    assert.equal(editor.document.uri.fsPath, result.errorIndexFile);
    const text = editor.document.getText();
    assert.match(text, /^#1 {2}ZeroDivisionError in get_run \(app\/main\.py\) {2}\(2×\)$/m);
    assert.match(text, /request ids: it-collect-2, it-collect-1/);
    assert.ok(!fs.readFileSync(path.join(result.folder!, 'logs/zenops-api-1.log'), 'utf8').includes('it.secret.token'), 'the bearer token is redacted');

    if (canInspectWorkbench()) {
      // The message may sit in the notification center rather than as a toast: open the center to read it.
      await waitForElements('.tab:has-text("error_index.txt")', { timeoutMs: 5_000 });
      await vscode.commands.executeCommand('notifications.showList');
      await waitForElements('.notification-list-item:has-text("diagnostics bundle written")', { timeoutMs: 10_000 });
      await waitForElements('.notification-list-item .monaco-button:has-text("Reveal in Explorer")', { timeoutMs: 5_000 });
      await takeScreenshot('collect-error-index');
    }
  });

  test('"Reveal in Explorer" on a bundle inside the workspace opens the Explorer with the bundle folder selected', async function () {
    if (!canInspectWorkbench()) this.skip(); // pressing the notification's button needs the runner's clicks
    const inside = path.join(folder().uri.fsPath, 'diagnostics-it');
    await configure({ 'collect.outputFolder': 'diagnostics-it' });
    try {
      await vscode.commands.executeCommand('notifications.clearAll');
      // The Explorer starts hidden: the button, not the test, has to show it.
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      const result = await vscode.commands.executeCommand<CollectCommandResult>('zenops.collectLogs');
      assert.equal(result?.kind, 'bundle', JSON.stringify(result));
      assert.equal(path.dirname(result.folder!), inside);
      const name = path.basename(result.folder!);
      await vscode.commands.executeCommand('notifications.showList');
      const message = `.notification-list-item:has-text("diagnostics bundle written to diagnostics-it/${name}")`;
      await waitForElements(message, { timeoutMs: 10_000 });
      await clickElement(`${message} .monaco-button:has-text("Reveal in Explorer")`);
      await waitForElements(`.explorer-folders-view .monaco-list-row.selected:has-text("${name}")`, { timeoutMs: 15_000 });
      await takeScreenshot('collect-reveal-in-explorer');
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
      await configure({ 'collect.outputFolder': outDir });
      fs.rmSync(inside, { recursive: true, force: true });
    }
  });

  test('"Reveal in Explorer" on a bundle outside the workspace (no Explorer can show it here) lists its files, and opens the one picked', async function () {
    if (!canInspectWorkbench()) this.skip(); // pressing the buttons needs the runner's clicks
    await vscode.commands.executeCommand('notifications.clearAll');
    const result = await vscode.commands.executeCommand<CollectCommandResult>('zenops.collectLogs');
    assert.equal(result?.kind, 'bundle', JSON.stringify(result));
    assert.equal(path.dirname(result.folder!), outDir);
    try {
      await vscode.commands.executeCommand('notifications.showList');
      const message = `.notification-list-item:has-text("diagnostics bundle written to ${result.folder}")`;
      await waitForElements(message, { timeoutMs: 10_000 });
      await clickElement(`${message} .monaco-button:has-text("Reveal in Explorer")`);
      await waitForElements(`.quick-input-widget .quick-input-title:has-text("ZenOps: bundle ${result.folder}")`, { timeoutMs: 10_000 });
      await waitForElements('.quick-input-widget .quick-input-list .monaco-list-row:has-text("error_index.txt")');
      await takeScreenshot('collect-reveal-outside');
      await clickElement('.quick-input-widget .quick-input-list .monaco-list-row:has-text("manifest.json")');
      const manifest = path.join(result.folder!, 'manifest.json');
      await until('manifest.json to open', () => vscode.window.activeTextEditor?.document.uri.fsPath === manifest);
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  test('Cancel in the progress notification aborts the hanging Loki request and leaves a partial bundle marked cancelled', async function () {
    if (!canInspectWorkbench()) this.skip(); // pressing Cancel needs the runner's clicks
    loki.failNext(1, 'hang');
    // Without the abort, the hanging Loki request would run for two minutes, past this test's timeout.
    await configure({ 'health.requestTimeout': 120 });
    try {
      const pending = vscode.commands.executeCommand<CollectCommandResult>('zenops.collectLogs');
      // Read it in the notification center: a toast may be hidden (earlier tests leave the center closed).
      await vscode.commands.executeCommand('notifications.showList');
      const progress = '.notification-list-item:has-text("Loki logs (1/6)")';
      await waitForElements(progress, { timeoutMs: 10_000 });
      await takeScreenshot('collect-progress');
      await clickElement(`${progress} .monaco-button:has-text("Cancel")`);
      const result = await pending;
      assert.equal(result?.kind, 'bundle', JSON.stringify(result));
      assert.equal(result.status, 'cancelled');
      const loki = result.sources!.find((s) => s.source === 'loki');
      assert.equal(loki?.status, 'cancelled', JSON.stringify(loki));
      assert.equal(JSON.parse(fs.readFileSync(path.join(result.folder!, 'manifest.json'), 'utf8')).status, 'cancelled');
      assert.match(fs.readFileSync(result.errorIndexFile!, 'utf8'), /PARTIAL: the collection was cancelled/);
    } finally {
      await configure({ 'health.requestTimeout': undefined });
    }
  });

  test('in a trusted workspace with its own ops/diagnostics/collect_logs.sh, choosing the script runs it as a task', async function () {
    if (!canInspectWorkbench()) this.skip(); // answering the dialog needs the runner's clicks
    assert.ok(vscode.workspace.isTrusted, 'code-server runs with --disable-workspace-trust, so the workspace is trusted');
    const opsDir = path.join(folder().uri.fsPath, 'ops');
    assert.ok(!fs.existsSync(opsDir), 'examples/zenops has no ops/ folder of its own');
    const marker = path.join(outDir, 'script-ran.txt');
    fs.mkdirSync(path.join(opsDir, 'diagnostics'), { recursive: true });
    fs.writeFileSync(path.join(opsDir, 'diagnostics', 'collect_logs.sh'), `#!/usr/bin/env bash\necho "ran in $PWD with $# args" > ${JSON.stringify(marker)}\n`);
    try {
      const pending = vscode.commands.executeCommand<CollectCommandResult>('zenops.collectLogs');
      // Read it in the notification center: a toast may be hidden (earlier tests leave the center closed).
      await vscode.commands.executeCommand('notifications.showList');
      const offer = '.notification-list-item:has-text("this workspace has its own ops/diagnostics/collect_logs.sh")';
      await waitForElements(offer, { timeoutMs: 10_000 });
      await takeScreenshot('collect-script-offer');
      await clickElement(`${offer} .monaco-button:has-text("Run collect_logs.sh")`);
      const result = await pending;
      assert.equal(result?.kind, 'script-task', JSON.stringify(result));
      await until('the script to write its marker', () => fs.existsSync(marker), 30_000);
      assert.equal(fs.readFileSync(marker, 'utf8').trim(), `ran in ${folder().uri.fsPath} with 0 args`);
    } finally {
      fs.rmSync(opsDir, { recursive: true, force: true });
    }
  });
});

suite('Collect Logs in an untrusted workspace (Restricted Mode)', function () {
  this.timeout(90_000);

  suiteSetup(function () {
    // Needs the runner's --untrusted: otherwise code-server runs with --disable-workspace-trust and every folder is trusted.
    if (!process.env.ZENOPS_IT_UNTRUSTED) this.skip();
  });

  test("never runs the workspace's own ops/diagnostics/collect_logs.sh, nor offers it: the built-in collector writes the bundle", async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opened the folder untrusted');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    const root = folder().uri.fsPath;
    const opsDir = path.join(root, 'ops');
    assert.ok(!fs.existsSync(opsDir), 'examples/zenops has no ops/ folder of its own');
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-it-untrusted-'));
    const marker = path.join(outDir, 'script-ran.txt');
    fs.mkdirSync(path.join(opsDir, 'diagnostics'), { recursive: true });
    fs.writeFileSync(path.join(opsDir, 'diagnostics', 'collect_logs.sh'), `#!/usr/bin/env bash\necho ran > ${JSON.stringify(marker)}\n`, { mode: 0o755 });
    const settingsFile = path.join(root, '.vscode', 'settings.json');
    const savedSettings = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    const closed = `http://127.0.0.1:${await freePort()}`;
    await configure({ 'loki.url': closed, 'loki.pollInterval': 0, 'api.url': closed, 'prometheus.url': closed, 'alertmanager.url': '', 'collect.outputFolder': outDir });
    const terminals = vscode.window.terminals.length;
    try {
      // Offering the script would leave the command waiting on the dialog: watch for the offer while it runs.
      let finished = false;
      const command = Promise.resolve(vscode.commands.executeCommand<CollectCommandResult>('zenops.collectLogs')).finally(() => (finished = true));
      await vscode.commands.executeCommand('notifications.showList');
      const watchForOffer = async (): Promise<CollectCommandResult> => {
        while (!finished && canInspectWorkbench()) {
          if ((await countElements('.notification-list-item:has-text("this workspace has its own")')) > 0) {
            throw new Error('the untrusted workspace was offered its collect_logs.sh');
          }
          await new Promise((r) => setTimeout(r, 250));
        }
        return command;
      };
      const result = await Promise.race([command, watchForOffer()]);
      assert.equal(result?.kind, 'bundle', JSON.stringify(result));
      assert.equal(result.status, 'complete');
      assert.equal(path.dirname(result.folder!), outDir);
      for (const file of ['error_index.txt', 'manifest.json', 'contract.json']) assert.ok(fs.existsSync(path.join(result.folder!, file)), `${file} is missing`);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, result.errorIndexFile);
      assert.equal(vscode.tasks.taskExecutions.length, 0, 'no task was started');
      assert.equal(vscode.window.terminals.length, terminals, 'no terminal was opened');
      assert.ok(!fs.existsSync(marker), 'collect_logs.sh ran');
      if (canInspectWorkbench()) {
        await vscode.commands.executeCommand('notifications.showList');
        await waitForElements('.notification-list-item:has-text("diagnostics bundle written")', { timeoutMs: 10_000 });
        assert.equal(await countElements('.notification-list-item:has-text("this workspace has its own")'), 0, 'the script was offered');
        await takeScreenshot('collect-untrusted');
      }
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      if (savedSettings !== undefined) fs.writeFileSync(settingsFile, savedSettings);
      fs.rmSync(opsDir, { recursive: true, force: true });
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
