// Recent errors as a user sees them in a real VS Code: the real example app's 500 tracebacks (GET /api/payroll/runs/0)
// pushed into the Loki stand-in, the Logs tree, a frame opening main.py at the line, the log panel showing hostile
// lines literally, and Loki answering 500.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExampleApp, logRecords, startExampleApp } from '../../harness/exampleApp';
import { until as untilEvery } from '../../harness/until';
import { LokiStandIn, pushToLoki, startLokiStandIn } from '../../harness/lokiStandIn';

import { canInspectWorkbench, clickElement, countElements, fillElement, takeScreenshot, waitForElements } from './workbench';

/** Waits as this suite needs: the workbench is slow, so 20 s at most, probing every 200 ms. */
const until = <T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> => untilEvery(what, probe, timeoutMs, 200);

const EXTENSION_ID = process.env.ZENOPS_IT_EXTENSION_ID || 'zenops.zenops';
const SERVICE = 'zenops-api-1';
const REQUEST_IDS = ['it-logs-1', 'it-logs-2', 'it-logs-3'];
const HOSTILE = [
  'ERROR [web] request_id=it-hostile-1 <img src=x onerror=alert(1)>',
  'ERROR [web] request_id=it-hostile-2 <script>alert(document.cookie)</script>',
];

/** What `zenops.logs.state` answers (see src/logs/registerLogs.ts). */
interface LogsNode {
  id: string;
  kind: string;
  label: string;
  description?: string;
  tooltip?: string;
  children?: LogsNode[];
  open?: { file: string; relativePath: string; line: number; column?: number; via?: string };
}
interface LogsState {
  state: string;
  reading: boolean;
  tail?: string;
  tree: LogsNode[];
  panel: { html: string; rows: { id: string; message: string; head: string; lines: { text: string; frameId?: string }[] }[]; lines: number; visible: boolean };
  opened: string[];
}

function folder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folders[0], 'no workspace folder is open');
  return folders[0];
}

/**
 * Sets `zenops.*` keys in the user settings of this run's own profile, not in examples/zenops/.vscode/settings.json:
 * that file is in the repository and shared by every run on this working tree, so suites running at the same time
 * would change each other's settings.
 */
async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('zenops');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

const logsState = async () => (await vscode.commands.executeCommand<LogsState>('zenops.logs.state'))!;



const OTHER_VIEWS = ['zenops.contract', 'zenops.health', 'zenops.logs'];
const row = (text: string) => `.monaco-list-row:has-text("${text}")`;
/** Inside the log panel's webview (VS Code nests the content frame in the view's frame); other webviews may be open. */
const inPanel = (selector: string) =>
  `iframe.webview[src*="purpose=webviewView"][src*="extensionId=${EXTENSION_ID}"] >> internal:control=enter-frame >> iframe#active-frame >> internal:control=enter-frame >> ${selector}`;

suite('Recent errors from Loki in the Logs view and the log panel', function () {
  this.timeout(120_000);
  let app: ExampleApp;
  let loki: LokiStandIn;
  let lokiStopped = false;
  let mySettings: Record<string, unknown> = {};
  const folderKeys = new Set<string>();
  let backendDir: string;
  /** The app's real log records (tracebacks and `-> 500` lines), as pushed. */
  let recs: string[] = [];

  suiteSetup(async function () {
    if (!canInspectWorkbench()) this.skip(); // the assertions read the rendered workbench
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    backendDir = path.join(folder().uri.fsPath, 'backend');
    [app, loki] = await Promise.all([startExampleApp({ backendDir }), startLokiStandIn()]);
    for (const id of REQUEST_IDS) {
      const res = await fetch(`${app.url}/api/payroll/runs/0`, { headers: { 'X-Request-Id': id } });
      assert.equal(res.status, 500);
    }
    await until('the last request\'s "-> 500" line in the app output', async () => app.output().includes(`request_id=${REQUEST_IDS[2]} GET /api/payroll/runs/0 -> 500`));
    recs = logRecords(app.output()).filter((r) => r.includes(' ERROR ') || r.includes(' INFO '));
    assert.equal(recs.filter((r) => r.includes('ZeroDivisionError')).length, 3, 'three real tracebacks');
    const base = BigInt(Date.now() - 20_000) * 1_000_000n;
    await pushToLoki(loki.url, { container: SERVICE, job: 'docker' }, recs.map((rec, i) => [(base + BigInt(i) * 1_000_000n).toString(), rec]));
    await pushToLoki(loki.url, { container: 'zenops-web-api', job: 'docker' }, HOSTILE.map((line, i) => [(base + BigInt(recs.length + i) * 1_000_000n).toString(), line]));

    mySettings = {
      'loki.url': loki.url,
      'loki.pollInterval': 0, // refreshes are the test's, so a failNext is never eaten by a timer
      'logs.pathMappings': { [backendDir]: 'backend' },
      'grafana.url': 'http://127.0.0.1:3000',
    };
    await applyMySettings();
    await vscode.commands.executeCommand('zenops.logs.focus');
    await until('Loki read with the test settings', async () => {
      await vscode.commands.executeCommand('zenops.refreshLogs');
      const s = await logsState();
      return s.state === 'ready' && s.tree.some((n) => n.label === SERVICE);
    });
  });

  // A folder setting written by another suite would override ours: each test re-applies what drifted.
  setup(() => applyMySettings());

  /** Puts this suite's settings in the user profile, and over a folder value another suite left, if any. */
  async function applyMySettings(): Promise<void> {
    const drifted = () => {
      const config = vscode.workspace.getConfiguration('zenops', folder().uri);
      return Object.entries(mySettings).filter(([key, value]) => JSON.stringify(config.get(key)) !== JSON.stringify(value));
    };
    if (drifted().length > 0) await configure(Object.fromEntries(drifted()));
    // Still different: a folder value left by another suite overrides the user value, so override it there too.
    for (const [key, value] of drifted()) {
      await vscode.workspace.getConfiguration('zenops', folder().uri).update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
      folderKeys.add(key);
    }
  }

  suiteTeardown(async () => {
    // Later suites read other views in this sidebar: give them back the room the Logs views took.
    for (const view of ['zenops.logPanel', 'zenops.logs']) await vscode.commands.executeCommand(`${view}.removeView`).then(undefined, () => undefined);
    for (const key of folderKeys) await vscode.workspace.getConfiguration('zenops', folder().uri).update(key, undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    await configure(Object.fromEntries([...Object.keys(mySettings), 'loki.live', 'logs.maxLines'].map((key) => [key, undefined])));
    await Promise.all([app?.stop(), lokiStopped ? undefined : loki?.stop()]);
  });

  test('the Logs tree shows the service, the ZeroDivisionError signature ×3 and its three lines', async () => {
    const { tree } = await logsState();
    const service = tree.find((n) => n.label === SERVICE)!;
    assert.equal(service.kind, 'service');
    const group = service.children!.find((g) => g.label === 'ZeroDivisionError in get_run (app/main.py)');
    assert.ok(group, `signatures: ${service.children!.map((g) => g.label).join(', ')}`);
    assert.match(group.description!, /^×3 · last \d\d:\d\d:\d\d$/);
    assert.deepEqual(group.children!.map((e) => e.description), [...REQUEST_IDS].reverse());
    assert.ok(group.children!.every((e) => / {2}unhandled error on GET \/api\/payroll\/runs\/0$/.test(e.label)));
    assert.match(group.children![0].tooltip!, /ZeroDivisionError: integer division or modulo by zero/);
    // What the user sees: the service row expanded, the signature with its count.
    await waitForElements(row(SERVICE), { timeoutMs: 20_000 });
    await waitForElements(row('ZeroDivisionError in get_run (app/main.py)'));
    await waitForElements(row('×3'));
    for (const view of ['zenops.contract', 'zenops.health']) await vscode.commands.executeCommand(`${view}.removeView`).then(undefined, () => undefined);
    await waitForElements(row('unhandled error on GET'), { min: 3 });
    await takeScreenshot('logs-tree');
    for (const view of ['zenops.contract', 'zenops.health']) await vscode.commands.executeCommand(`${view}.focus`).then(undefined, () => undefined);
  });

  test('a traceback frame opens examples/zenops/backend/app/main.py at the line that raised', async () => {
    const { tree } = await logsState();
    const group = tree.find((n) => n.label === SERVICE)!.children!.find((g) => g.label.startsWith('ZeroDivisionError'))!;
    const frames = group.children![0].children!;
    const raising = frames[0];
    assert.equal(raising.label, 'main.py:208 in get_run');
    assert.deepEqual(raising.open, { file: path.join(backendDir, 'app/main.py'), relativePath: 'backend/app/main.py', line: 208, via: 'mapping' });
    const library = frames.find((f) => f.label.includes('starlette') || (f.description ?? '').includes('dist-packages'))!;
    assert.equal(library.open, undefined, 'library frames stay plain text');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('zenops.logs.openFrame', { id: raising.id });
    const editor = await until('main.py in the editor', async () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(backendDir, 'app/main.py') && vscode.window.activeTextEditor);
    assert.equal(editor.selection.active.line, 207);
    assert.match(editor.document.lineAt(207).text, /share = 100 \/\/ run_id/);
    // A frame id the tree never handed out opens nothing.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('zenops.logs.openFrame', { id: `${raising.id}-forged` });
    assert.equal(vscode.window.activeTextEditor, undefined);
  });

  test('the log panel shows the real lines and the hostile ones literally, under a strict CSP', async () => {
    await vscode.commands.executeCommand('zenops.logPanel.focus');
    const state = await until('the log panel resolved', async () => {
      const s = await logsState();
      return s.panel.html !== '' && s;
    });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(state.panel.html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]{16,}'; style-src [^;']*(?:'self'[^;']*)? 'nonce-[A-Za-z0-9+/=]{16,}'$/);
    assert.equal((state.panel.html.match(/<script\b/g) ?? []).length, 1);
    assert.ok(!state.panel.html.includes('onerror'));
    assert.deepEqual(state.panel.rows.filter((r) => r.head.includes('<')).map((r) => r.head), HOSTILE);
    assert.ok(state.panel.rows.some((r) => r.lines.some((l) => l.frameId && l.text.includes('line 208, in get_run'))));

    // The rendered webview: the hostile text is there as text, and no element it names exists.
    await waitForElements(inPanel(`.msg:has-text("<img src=x onerror=alert(1)>")`), { timeoutMs: 30_000 });
    await waitForElements(inPanel(`.msg:has-text("<script>alert(document.cookie)</script>")`));
    await waitForElements(inPanel('.msg:has-text("unhandled error on GET /api/payroll/runs/0")'), { min: 3 });
    assert.equal(await countElements(inPanel('.rows img')), 0);
    assert.equal(await countElements(inPanel('.rows script')), 0);
  });

  test('clicking a line in the Logs tree shows it expanded in the log panel, with links on the workspace frames', async () => {
    const { tree } = await logsState();
    const newest = tree.find((n) => n.label === SERVICE)!.children!.find((g) => g.label.startsWith('ZeroDivisionError'))!.children![0];
    // Room for the panel in the screenshots: the other ZenOps views step aside and the sidebar widens.
    for (const view of OTHER_VIEWS) await vscode.commands.executeCommand(`${view}.removeView`).then(undefined, () => undefined);
    await vscode.commands.executeCommand('zenops.logPanel.focus');
    for (let i = 0; i < 12; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth').then(undefined, () => undefined);
    await waitForElements(inPanel('.msg:has-text("<img src=x onerror=alert(1)>")'));
    await takeScreenshot('logs-panel');
    await vscode.commands.executeCommand('zenops.logs.showInPanel', { id: newest.id });
    await waitForElements(inPanel('.row.revealed .frame-link:has-text("backend/app/main.py:208")'), { timeoutMs: 20_000 });
    await waitForElements(inPanel('.row.revealed .frame-link:has-text("backend/app/main.py:71")'));
    await waitForElements(inPanel('.row.revealed .line:has-text("ZeroDivisionError: integer division or modulo by zero")'));
    await waitForElements(inPanel('.row.revealed .action:has-text("Request it-logs-3")'));
    await takeScreenshot('logs-panel-traceback');

    // The webview's own links, clicked: the extension resolves the frame id it handed out and opens the file.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clickElement(inPanel('.row.revealed .frame-link:has-text("backend/app/main.py:208")'));
    const editor = await until('main.py opened from the panel', async () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(backendDir, 'app/main.py') && vscode.window.activeTextEditor);
    assert.equal(editor.selection.active.line, 207);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // "Request it-logs-3" narrows the list to that request's lines (its traceback and its "-> 500" line).
    await clickElement(inPanel('.row.revealed .action:has-text("Request it-logs-3")'));
    await waitForElements(inPanel('#request:has-text("Lines of request it-logs-3")'));
    assert.equal(await countElements(inPanel('.row')), 2);
    await waitForElements(inPanel('.msg:has-text("GET /api/payroll/runs/0 -> 500")'));
    await takeScreenshot('logs-panel-request');
    await clickElement(inPanel('#request-clear'));
    await waitForElements(inPanel('.row'), { min: 8 });
    for (const view of OTHER_VIEWS) await vscode.commands.executeCommand(`${view}.focus`).then(undefined, () => undefined);
    for (let i = 0; i < 12; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth').then(undefined, () => undefined);
  });

  test('the text and service filters narrow the list, and Copy puts the whole entry on the clipboard', async () => {
    await vscode.commands.executeCommand('zenops.logPanel.focus');
    await waitForElements(inPanel('.row'), { min: 8 });
    await fillElement(inPanel('#filter'), 'ZeroDivisionError');
    await until('three traceback rows', async () => (await countElements(inPanel('.row'))) === 3);
    assert.equal(await countElements(inPanel('.row .msg:has-text("unhandled error on GET /api/payroll/runs/0")')), 3);
    await fillElement(inPanel('#filter'), '');
    await fillElement(inPanel('#service'), 'zenops-web-api');
    await until('the two hostile rows', async () => (await countElements(inPanel('.row'))) === 2);
    await fillElement(inPanel('#service'), '');
    await waitForElements(inPanel('.row'), { min: 8 });

    await vscode.env.clipboard.writeText('');
    await clickElement(inPanel('.row:has(.msg:has-text("<img src=x onerror=alert(1)>")) .action:has-text("Copy")'));
    const copied = await until('the entry on the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined, 10_000);
    assert.equal(copied, HOSTILE[0]);
  });

  test('Pause holds new lines back until Resume', async () => {
    await vscode.commands.executeCommand('zenops.logPanel.focus');
    await clickElement(inPanel('#pause'));
    await waitForElements(inPanel('#pause:has-text("Resume")'));
    const line = 'ERROR [app] request_id=it-pause-1 queued while paused';
    await pushToLoki(loki.url, { container: SERVICE, job: 'docker' }, [[(BigInt(Date.now()) * 1_000_000n).toString(), line]]);
    await vscode.commands.executeCommand('zenops.refreshLogs');
    await until('the extension to hold the new line', async () => (await logsState()).panel.rows.some((r) => r.head === line));
    await waitForElements(inPanel('.status:has-text("1 new waiting")'), { timeoutMs: 10_000 });
    assert.equal(await countElements(inPanel('.msg:has-text("queued while paused")')), 0);
    await clickElement(inPanel('#pause'));
    await waitForElements(inPanel('.msg:has-text("queued while paused")'), { timeoutMs: 10_000 });
  });

  test('with zenops.loki.live on, a new error reaches the panel over the tail WebSocket and regroups the tree', async () => {
    await configure({ 'loki.live': true });
    await until('the tail to be live', async () => (await logsState()).tail === 'live');
    const line = 'ERROR [app] request_id=it-live-1 payment provider timeout after 3000 ms';
    await pushToLoki(loki.url, { container: SERVICE, job: 'docker' }, [[(BigInt(Date.now()) * 1_000_000n).toString(), line]]);
    await until('the live line in the panel', async () => (await logsState()).panel.rows.some((r) => r.head === line));
    await waitForElements(inPanel('.msg:has-text("payment provider timeout after 3000 ms")'), { timeoutMs: 20_000 });
    const tree = await until('the new signature in the tree', async () => {
      const s = await logsState();
      const service = s.tree.find((n) => n.label === SERVICE);
      return service?.children?.some((g) => g.label.startsWith('payment provider timeout after')) && s.tree;
    });
    assert.equal(tree.find((n) => n.label === SERVICE)!.children![0].label, 'payment provider timeout after <n> ms');
    await configure({ 'loki.live': false });
    await until('the tail to stop and the restart to settle', async () => {
      const s = await logsState();
      return s.tail === undefined && !s.reading;
    });
  });

  test('zenops.logs.maxLines bounds the panel: the extension and the webview keep at most that many lines', async () => {
    mySettings['logs.maxLines'] = 12;
    await configure({ 'logs.maxLines': 12 });
    const s = await until('the smaller panel', async () => {
      const state = await logsState();
      return !state.reading && state.panel.lines <= 12 && state.state === 'ready' && state;
    });
    assert.ok(s.panel.rows.length >= 2, `${s.panel.rows.length} rows`);
    await until('the webview to drop rows', async () => (await countElements(inPanel('.row'))) === s.panel.rows.length);
    delete mySettings['logs.maxLines'];
    await configure({ 'logs.maxLines': undefined });
    await until('the default bound back and the restart settled', async () => {
      const state = await logsState();
      return !state.reading && state.panel.lines > 12;
    });
  });

  test('query_range goes out as Loki documents it: direction=backward, start and end in 19-digit nanoseconds', async () => {
    await vscode.commands.executeCommand('zenops.refreshLogs');
    const reads = loki.requests.filter((r) => r.path === '/loki/api/v1/query_range' && r.query.query === '{container=~".*api.*"} |= "ERROR"');
    assert.ok(reads.length >= 1, `query_range requests: ${loki.requests.filter((r) => r.path.endsWith('query_range')).length}`);
    for (const read of reads) {
      assert.equal(read.query.direction, 'backward');
      assert.match(read.query.start, /^\d{19}$/);
      assert.match(read.query.end, /^\d{19}$/);
      // The default window: 15 minutes back from the end (which is just past now).
      assert.equal(BigInt(read.query.end) - BigInt(read.query.start), 15n * 60_000_000_000n + 1_000_000n);
    }
  });

  test('the level select set to Errors hides the INFO rows, and All levels brings them back', async () => {
    const info = 'INFO [app] request_id=it-level-1 retried after an ERROR from the payment provider';
    const error = 'ERROR [app] request_id=it-level-2 payment provider refused the card';
    const now = BigInt(Date.now()) * 1_000_000n;
    await pushToLoki(loki.url, { container: SERVICE, job: 'docker' }, [[now.toString(), info], [(now + 1_000_000n).toString(), error]]);
    await vscode.commands.executeCommand('zenops.refreshLogs');
    await vscode.commands.executeCommand('zenops.logPanel.focus');
    await waitForElements(inPanel('.row.level-INFO .msg:has-text("retried after an ERROR")'), { timeoutMs: 20_000 });
    await waitForElements(inPanel('.row.level-ERROR .msg:has-text("payment provider refused the card")'));
    await fillElement(inPanel('#level'), 'ERROR');
    await until('no INFO row', async () => (await countElements(inPanel('.row.level-INFO'))) === 0);
    assert.equal(await countElements(inPanel('.msg:has-text("retried after an ERROR")')), 0);
    assert.equal(await countElements(inPanel('.row.level-ERROR .msg:has-text("payment provider refused the card")')), 1);
    await fillElement(inPanel('#level'), '');
    await waitForElements(inPanel('.row.level-INFO .msg:has-text("retried after an ERROR")'));
  });

  test('a trace id gives "Open trace"; it and "Explore" ask VS Code to open Grafana on that trace and on those lines', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const line = `ERROR [app] request_id=it-trace-1 checkout failed trace_id=${traceId}`;
    await pushToLoki(loki.url, { container: SERVICE, job: 'docker' }, [[(BigInt(Date.now()) * 1_000_000n).toString(), line]]);
    await vscode.commands.executeCommand('zenops.refreshLogs');
    await vscode.commands.executeCommand('zenops.logPanel.focus');
    const traced = inPanel('.row:has(.msg:has-text("checkout failed"))');
    await waitForElements(`${traced} .action:has-text("Open trace")`, { timeoutMs: 20_000 });
    // Only rows with a trace id get the button.
    assert.equal(await countElements(inPanel('.row:has(.msg:has-text("<img src=x onerror=alert(1)>")) .action:has-text("Open trace")')), 0);

    // openExternal opens a browser popup outside the workbench page the runner drives: the URL is read from the
    // extension's state (the hidden zenops.logs.state command), which records it just before calling openExternal.
    const before = (await logsState()).opened.length;
    await clickElement(`${traced} .action:has-text("Open trace")`);
    const trace = await until('the trace URL opened', async () => (await logsState()).opened.slice(before)[0]);
    const traceUrl = new URL(trace);
    assert.equal(`${traceUrl.origin}${traceUrl.pathname}`, 'http://127.0.0.1:3000/explore');
    const traceLeft = JSON.parse(traceUrl.searchParams.get('left')!);
    assert.equal(traceLeft.datasource, 'Tempo');
    assert.equal(traceLeft.queries[0].query, traceId);
    await dismissDialogs();

    await clickElement(`${traced} .action:has-text("Explore")`);
    const explore = await until('the Explore URL opened', async () => (await logsState()).opened.slice(before)[1]);
    const exploreUrl = new URL(explore);
    assert.equal(`${exploreUrl.origin}${exploreUrl.pathname}`, 'http://127.0.0.1:3000/explore');
    const exploreLeft = JSON.parse(exploreUrl.searchParams.get('left')!);
    assert.equal(exploreLeft.datasource, 'Loki');
    assert.equal(exploreLeft.queries[0].expr, `{container="${SERVICE}",job="docker"} |= "it-trace-1"`);
    await dismissDialogs();
  });

  /** A "open the external website?" dialog, should this browser's VS Code ask, would block the next clicks. */
  async function dismissDialogs(): Promise<void> {
    if ((await countElements('.monaco-dialog-box')) === 0) return;
    await takeScreenshot('logs-open-external-dialog');
    await clickElement('.monaco-dialog-box .monaco-button:has-text("Cancel")');
  }

  test('a Node stack shipped one line per entry: one TypeError row; clicking its head shows the stack, its frame opens frontend/src/api/payroll.js at the line, a second click hides it', async () => {
    mySettings['logs.pathMappings'] = { [backendDir]: 'backend', '/app': 'backend', '/srv/web': 'frontend' };
    await applyMySettings();
    const lines = [
      'ERROR [web] request_id=it-js-1 payroll export failed',
      "TypeError: Cannot read properties of undefined (reading 'net')",
      '    at exportRun (file:///srv/web/src/api/payroll.js:21:30)',
      '    at Array.map (<anonymous>)',
      '    at async handler (file:///srv/web/src/api/client.js:3:14)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ];
    const base = BigInt(Date.now()) * 1_000_000n;
    await pushToLoki(loki.url, { container: 'zenops-node-api', job: 'docker' }, lines.map((line, i) => [(base + BigInt(i) * 1_000_000n).toString(), line]));
    const group = await until('the TypeError signature in the tree', async () => {
      await vscode.commands.executeCommand('zenops.refreshLogs');
      const s = await logsState();
      const found = s.tree.find((n) => n.label === 'zenops-node-api')?.children?.find((g) => g.label === 'TypeError in exportRun (api/payroll.js)');
      // A refresh may run before the settings change restarts the reader: wait for a read under the new mapping.
      return found?.children?.[0]?.children?.[0]?.open?.via === 'mapping' && found;
    });
    assert.match(group.description!, /^×1 · /);
    const frames = group.children![0].children!;
    assert.deepEqual(frames.map((f) => f.open?.relativePath), ['frontend/src/api/payroll.js', 'frontend/src/api/client.js', undefined]);
    assert.deepEqual(frames[0].open, { file: path.join(folder().uri.fsPath, 'frontend/src/api/payroll.js'), relativePath: 'frontend/src/api/payroll.js', line: 21, column: 30, via: 'mapping' });
    const row = (await logsState()).panel.rows.find((r) => r.head === lines[0])!;
    assert.deepEqual(row.lines.map((l) => l.text), lines.slice(1), 'the six entries are one row');

    await vscode.commands.executeCommand('zenops.logPanel.focus');
    const jsRow = inPanel('.row:has(.msg:has-text("payroll export failed"))');
    await waitForElements(jsRow, { timeoutMs: 20_000 });
    assert.equal(await countElements(`${jsRow} .line`), 0, 'collapsed at first');
    await clickElement(`${jsRow} .head`);
    await waitForElements(`${jsRow} .line:has-text("at exportRun (file:///srv/web/src/api/payroll.js:21:30)")`);
    assert.equal(await countElements(`${jsRow} .line`), 5);
    assert.equal(await countElements(`${jsRow} .frame-link`), 2);
    await takeScreenshot('logs-panel-node-stack');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clickElement(`${jsRow} .frame-link:has-text("frontend/src/api/payroll.js:21")`);
    const file = path.join(folder().uri.fsPath, 'frontend/src/api/payroll.js');
    const editor = await until('payroll.js opened from the panel', async () => vscode.window.activeTextEditor?.document.uri.fsPath === file && vscode.window.activeTextEditor);
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [20, 29]);
    assert.match(editor.document.lineAt(20).text, /^export const exportRun = /);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    await vscode.commands.executeCommand('zenops.logPanel.focus');
    await clickElement(`${jsRow} .head`);
    await until('the stack hidden again', async () => (await countElements(`${jsRow} .line`)) === 0);
  });

  test('with zenops.logs.pathMappings {"/app": "backend"}, a container traceback (/app/app/main.py) opens backend/app/main.py at the line', async () => {
    mySettings['logs.pathMappings'] = { '/app': 'backend', '/srv/web': 'frontend' };
    await applyMySettings();
    const real = recs.find((r) => r.includes('ZeroDivisionError') && r.includes(REQUEST_IDS[0]))!;
    assert.ok(real.includes(`File "${backendDir}/app/main.py", line 208`), real);
    const inContainer = real.split(`${backendDir}/`).join('/app/').replace(REQUEST_IDS[0], 'it-container-1');
    assert.ok(inContainer.includes('File "/app/app/main.py", line 208, in get_run'));
    await pushToLoki(loki.url, { container: 'zenops-api-container', job: 'docker' }, [[(BigInt(Date.now()) * 1_000_000n).toString(), inContainer]]);
    const group = await until('the container\'s traceback in the tree', async () => {
      await vscode.commands.executeCommand('zenops.refreshLogs');
      const s = await logsState();
      const found = s.tree.find((n) => n.label === 'zenops-api-container')?.children?.find((g) => g.label === 'ZeroDivisionError in get_run (app/main.py)');
      // Without the mapping the unique path suffix would find main.py too: only `via` tells the mapping did it.
      return found?.children?.[0]?.children?.[0]?.open?.via === 'mapping' && found;
    });
    const raising = group.children![0].children![0];
    assert.equal(raising.label, 'main.py:208 in get_run');
    assert.deepEqual(raising.open, { file: path.join(backendDir, 'app/main.py'), relativePath: 'backend/app/main.py', line: 208, via: 'mapping' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('zenops.logs.openFrame', { id: raising.id });
    const editor = await until('main.py in the editor', async () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(backendDir, 'app/main.py') && vscode.window.activeTextEditor);
    assert.equal(editor.selection.active.line, 207);
    assert.match(editor.document.lineAt(207).text, /share = 100 \/\/ run_id/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a Loki that wants a bearer token: "Set Loki Credentials" stores it in SecretStorage, the tree fills, and no setting holds it', async () => {
    const token = `it-loki-token-${Date.now().toString(36)}`;
    const secured = await startLokiStandIn({ requireAuth: { bearer: token } });
    try {
      await pushToLoki(secured.url, { container: 'zenops-secured-api', job: 'docker' }, [[(BigInt(Date.now()) * 1_000_000n).toString(), 'ERROR [app] request_id=it-auth-1 behind the auth proxy']], {
        Authorization: `Bearer ${token}`,
      });
      mySettings['loki.url'] = secured.url;
      await applyMySettings();
      const refused = await until('Loki refusing the unauthenticated read', async () => {
        await vscode.commands.executeCommand('zenops.refreshLogs');
        const s = await logsState();
        return s.state === 'error' && s;
      });
      assert.match(refused.tree[0].label, /401|auth|credential/i);

      // The real command, driven through its quick pick and password box as a user would.
      await vscode.commands.executeCommand('zenops.logs.focus');
      const command = vscode.commands.executeCommand('zenops.setLokiCredentials');
      await clickElement('.quick-input-widget .monaco-list-row:has-text("Bearer token")');
      // The password box, not the pick's filter box: typing into the filter would leak the token on screen.
      await waitForElements('.quick-input-widget input[type="password"]');
      await fillElement('.quick-input-widget input[type="password"]', token);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await command;

      const s = await until('the tree read with the token', async () => {
        const state = await logsState();
        return state.tree.some((n) => n.label === 'zenops-secured-api') && state;
      });
      assert.equal(s.state, 'ready');
      assert.ok(secured.requests.some((r) => r.path === '/loki/api/v1/query_range' && r.headers.authorization === `Bearer ${token}`));
      await waitForElements(row('zenops-secured-api'), { timeoutMs: 20_000 });

      // Not in any settings scope, nor in the folder's settings file.
      const config = vscode.workspace.getConfiguration('zenops', folder().uri);
      const keys = Object.keys(vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties as Record<string, unknown>);
      const everySetting = JSON.stringify(keys.map((k) => config.inspect(k.replace(/^zenops\./, ''))));
      assert.ok(everySetting.includes(secured.url), 'the settings were read');
      assert.ok(!everySetting.includes(token), 'the token is in a setting');
      const settingsFile = path.join(folder().uri.fsPath, '.vscode', 'settings.json');
      const text = await vscode.workspace.fs.readFile(vscode.Uri.file(settingsFile)).then((b) => Buffer.from(b).toString('utf8'), () => '');
      assert.ok(!text.includes(token), 'the token is in .vscode/settings.json');

      // Removed the same way: the next read is refused again.
      const remove = vscode.commands.executeCommand('zenops.setLokiCredentials');
      await clickElement('.quick-input-widget .monaco-list-row:has-text("Remove credentials")');
      await remove;
      await until('the read refused without the token', async () => {
        await vscode.commands.executeCommand('zenops.refreshLogs');
        return (await logsState()).state === 'error';
      });
    } finally {
      mySettings['loki.url'] = loki.url;
      await applyMySettings();
      await secured.stop();
    }
    await until('the suite\'s Loki read again', async () => {
      await vscode.commands.executeCommand('zenops.refreshLogs');
      const s = await logsState();
      return s.state === 'ready' && s.tree.some((n) => n.label === SERVICE);
    });
  });

  test('Loki answering 500 shows one state node, and the errors come back when it recovers', async () => {
    loki.failNext(1, 'server-error');
    await vscode.commands.executeCommand('zenops.refreshLogs');
    const failed = await logsState();
    assert.equal(failed.state, 'error');
    assert.deepEqual(failed.tree.map((n) => [n.kind, n.label]), [['state', 'Loki answered 500']]);
    assert.match(failed.tree[0].tooltip!, /500/);
    await vscode.commands.executeCommand('zenops.logs.focus');
    await waitForElements(row('Loki answered 500'), { timeoutMs: 20_000 });
    await takeScreenshot('logs-loki-500');
    await vscode.commands.executeCommand('zenops.refreshLogs');
    const recovered = await logsState();
    assert.equal(recovered.state, 'ready');
    assert.ok(recovered.tree.some((n) => n.label === SERVICE));
  });

  test('Loki rate-limiting (429) and an unreachable Loki are states too, never exceptions', async () => {
    loki.failNext(1, 'rate-limited');
    await vscode.commands.executeCommand('zenops.refreshLogs');
    const limited = await logsState();
    assert.deepEqual(limited.tree.map((n) => n.label), ['Loki is rate-limiting (429)']);
    // The stand-in's 429 carries `Retry-After: 7`: the node says when ZenOps asks again.
    assert.equal(limited.tree[0]?.description, 'retry in 7 s');
    const closed = `http://127.0.0.1:${loki.port}`;
    await loki.stop();
    lokiStopped = true;
    mySettings['loki.url'] = closed;
    await configure({ 'loki.url': closed });
    const down = await until('the unreachable state', async () => {
      await vscode.commands.executeCommand('zenops.refreshLogs');
      const s = await logsState();
      return s.tree[0]?.label === 'Loki unreachable' && s;
    });
    assert.equal(down.tree.length, 1);
    await waitForElements(row('Loki unreachable'), { timeoutMs: 20_000 });
  });
});
