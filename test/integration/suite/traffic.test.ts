// Live traffic as a user sees it in a real VS Code: the example app (its middleware counts requests by route
// template, method and status) gets a bounded loop of requests, a real Prometheus scrapes it every second, and the
// lenses above the example's calls, the hover, the failing-in-production warnings and the Health view show it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrafficStateReport } from '../../../src/traffic/registerTraffic';
import { ExampleApp, startExampleApp } from '../../harness/exampleApp';
import { RunningPrometheus, startPrometheus } from '../../harness/prometheus';
import { canInspectWorkbench, clickElement, countElements, takeScreenshot, waitForElements } from './workbench';

const EXTENSION_ID = process.env.ZENOPS_IT_EXTENSION_ID || 'zenops.zenops';

/** Requests sent after a warm-up request each: [path, route template, count, status]. */
const TRAFFIC = [
  { path: '/api/payroll/payslips', route: '/api/payroll/payslips', count: 60, status: 200 },
  { path: '/api/payroll/runs/0', route: '/api/payroll/runs/{run_id}', count: 10, status: 500 },
  { path: '/api/payroll/payslips/1/download', route: '/api/payroll/payslips/{payslip_id}/download', count: 20, status: 501 },
  // No frontend call reaches this operation: traffic from other clients.
  { path: '/api/documents/1', route: '/api/documents/{document_id}', count: 12, status: 200 },
  // Fewer than zenops.traffic.failingMinRequests (5): shown, but not flagged.
  { path: '/api/payroll/runs/1/export/pdf', route: '/api/payroll/runs/{run_id}/export/{export_type}', count: 3, status: 501 },
  // One payslip (getPayslip, payroll.js line 8): found, not found, and a validation error (payslip_id is an int).
  { path: '/api/payroll/payslips/1', route: '/api/payroll/payslips/{payslip_id}', count: 6, status: 200 },
  { path: '/api/payroll/payslips/99', route: '/api/payroll/payslips/{payslip_id}', count: 8, status: 404 },
  { path: '/api/payroll/payslips/abc', route: '/api/payroll/payslips/{payslip_id}', count: 4, status: 422 },
];

/** Requests to each route template after the warm-up (1 each) and after the loop, summed over its statuses. */
function perRoute(after: 'warm-up' | 'loop'): Map<string, number> {
  const totals = new Map<string, number>();
  for (const t of TRAFFIC) totals.set(t.route, (totals.get(t.route) ?? 0) + 1 + (after === 'loop' ? t.count : 0));
  return totals;
}

function folder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folders[0], 'no workspace folder is open');
  return folders[0];
}

function src(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(folder().uri.fsPath, 'frontend/src', rel));
}

/**
 * User settings of this run's own profile: examples/zenops/.vscode/settings.json is shared with other runs on this
 * disk, and the folder value of these keys is unset there (checked in suiteSetup), so user values apply.
 */
async function configure(values: Record<string, string | number | undefined>): Promise<void> {
  const config = vscode.workspace.getConfiguration('zenops', folder().uri);
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

const CONFIGURED = ['prometheus.url', 'alertmanager.url', 'grafana.url', 'traffic.requestsMetric', 'traffic.durationMetric', 'traffic.display', 'health.pollInterval', 'loki.url'];

/** What the hidden `zenops.traffic.state` command reports: queries sent and health polls seen so far. */
async function trafficState(): Promise<TrafficStateReport> {
  const report = await vscode.commands.executeCommand<TrafficStateReport>('zenops.traffic.state');
  assert.ok(report, 'zenops.traffic.state answered nothing');
  return report;
}

/** The hover texts at a position, joined. */
async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
}

async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The traffic lenses of a file as `LINE: title` (1-based lines), resolved as the editor would. */
async function lenses(uri: vscode.Uri): Promise<string[]> {
  await vscode.workspace.openTextDocument(uri); // the command needs the document loaded in the workbench
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return all
    .filter((l) => l.command?.title.includes(' · '))
    .map((l) => `${l.range.start.line + 1}: ${l.command?.title}`)
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
}

async function send(app: ExampleApp, urlPath: string, times: number, status: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${app.url}${urlPath}`);
    await res.arrayBuffer();
    assert.equal(res.status, status, `${urlPath} answered ${res.status}`);
  }
}

async function waitForScraped(prometheus: RunningPrometheus, route: string, expected: number): Promise<void> {
  let seen = NaN;
  await waitFor(() => `Prometheus to count ${expected} requests to ${route} (seen ${seen})`, async () => {
    const q = encodeURIComponent(`sum(http_requests_total{handler="${route}"})`);
    const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${q}`)).json()) as { data: { result: { value: [number, string] }[] } };
    seen = Number(body.data.result[0]?.value[1] ?? NaN);
    return seen === expected;
  });
}

/** A tree row (Health or Contract view) containing the text. */
const healthRow = (text: string) => `.monaco-list-row:has-text("${text}")`;

suite('Live traffic at the call site', function () {
  this.timeout(150_000);
  let app: ExampleApp;
  let prometheus: RunningPrometheus;
  let folderApiUrl: string | undefined;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    app = await startExampleApp({ backendDir: path.join(folder().uri.fsPath, 'backend') });
    prometheus = await startPrometheus({ targets: [{ job: 'api', urls: [`${app.url}/metrics`] }], scrapeInterval: '1s' });
    // One request each first, scraped, so increase() sees every loop request (a series born with its count has no
    // earlier sample to subtract).
    for (const t of TRAFFIC) await send(app, t.path, 1, t.status);
    for (const [route, n] of perRoute('warm-up')) await waitForScraped(prometheus, route, n);
    const warmedAt = Date.now();
    for (const t of TRAFFIC) await send(app, t.path, t.count, t.status);
    for (const [route, n] of perRoute('loop')) await waitForScraped(prometheus, route, n);
    const wait = warmedAt + 10_000 - Date.now(); // >= 10 s of samples keeps extrapolation small
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // Another run on this disk may hold its own values in the folder file for a while: they would hide ours.
    const folderSets = () => CONFIGURED.filter((key) => vscode.workspace.getConfiguration('zenops', folder().uri).inspect(key)?.workspaceFolderValue !== undefined);
    await waitFor(() => `examples/zenops/.vscode/settings.json to stop setting ${folderSets().map((k) => `zenops.${k}`).join(', ')}`, () => folderSets().length === 0, 60_000);
    // No Loki in this suite: its view says "off" rather than "unreachable" in the screenshot.
    await configure({ 'prometheus.url': prometheus.url, 'alertmanager.url': '', 'grafana.url': 'http://127.0.0.1:3000', 'loki.url': '' });
    // The example's folder settings point the API at localhost:8000; this run's copy of the folder points it at the app.
    const api = vscode.workspace.getConfiguration('zenops', folder().uri);
    folderApiUrl = api.inspect<string>('api.url')?.workspaceFolderValue;
    await api.update('api.url', app.url, vscode.ConfigurationTarget.WorkspaceFolder);
    const doc = await vscode.workspace.openTextDocument(src('api/payroll.js'));
    await vscode.window.showTextDocument(doc, { preview: false });
  });

  suiteTeardown(async () => {
    await configure(Object.fromEntries(CONFIGURED.map((key) => [key, undefined])));
    await vscode.workspace.getConfiguration('zenops', folder().uri).update('api.url', folderApiUrl, vscode.ConfigurationTarget.WorkspaceFolder);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await Promise.all([prometheus?.stop(), app?.stop()]);
  });

  /** Waits until the contract has checked payroll.js and traffic has been read: its lenses show rates. */
  async function payrollLenses(): Promise<string[]> {
    let seen: string[] = [];
    await waitFor(
      () => `traffic lenses on payroll.js; seen:\n${seen.join('\n')}`,
      async () => {
        await vscode.commands.executeCommand('zenops.refreshTraffic');
        seen = await lenses(src('api/payroll.js'));
        return seen.some((l) => l.includes('req/min'));
      },
      60_000,
    );
    return seen;
  }

  test('each matched call in payroll.js shows its endpoint\'s rate, 5xx share and p95, or "no traffic"', async () => {
    const seen = await payrollLenses();
    console.log(`traffic lenses on payroll.js:\n${seen.join('\n')}`);
    const at = (line: number) => seen.filter((l) => l.startsWith(`${line}: `)).map((l) => l.slice(l.indexOf(' ') + 1));
    // 60 requests (61.x with Prometheus's extrapolation) over the 1 h window: 1.0 a minute; every one answered 200.
    assert.match(at(4)[0] ?? '', /^GET \/api\/payroll\/payslips · 1\.[0-2] req\/min · 5xx 0% · p95 (<1|\d+) ms$/);
    assert.deepEqual(at(6), ['GET /api/payroll/payslips/my · no traffic']);
    // 18 requests (6 × 200, 8 × 404, 4 × 422): 0.3 a minute, no 5xx.
    assert.match(at(8)[0] ?? '', /^GET \/api\/payroll\/payslips\/\{payslip_id\} · 0\.[34] req\/min · 5xx 0% · p95 (<1|\d+) ms$/);
    // 20 requests to the 501 stub: 0.3–0.4 a minute, all 5xx.
    assert.match(at(11)[0] ?? '', /^GET \/api\/payroll\/payslips\/\{payslip_id\}\/download · 0\.[34] req\/min · 5xx 100% · p95 (<1|\d+) ms$/);
    // 3 requests to the export stub (3.x extrapolated): under 0.1 a minute, so per hour.
    assert.match(at(21)[0] ?? '', /^GET \/api\/payroll\/runs\/\{run_id\}\/export\/\{export_type\} · 3(\.\d)? req\/h · 5xx 100%/);
    const typed = await lenses(src('api/typed.ts'));
    assert.match(typed.find((l) => l.startsWith('5: ')) ?? typed.join('\n'), /^5: GET \/api\/payroll\/runs\/\{run_id\} · 0\.[23] req\/min · 5xx 100%/);
  });

  test('the 501 download stub gets a "fails in production" warning; the healthy list and the 3-request export none', async () => {
    const uri = src('api/payroll.js');
    const failing = () => vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'failing-in-production');
    await waitFor('failing-in-production warnings on payroll.js', () => failing().length >= 1);
    const byLine = new Map(failing().map((d) => [d.range.start.line + 1, d]));
    assert.deepEqual([...byLine.keys()], [11]);
    assert.equal(byLine.get(11)?.message, 'GET /api/payroll/payslips/{payslip_id}/download exists in the contract but fails in production (100% 501 Not Implemented last hour)');
    assert.equal(byLine.get(11)?.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(byLine.get(11)?.source, 'ZenOps traffic');
    const run = vscode.languages.getDiagnostics(src('api/typed.ts')).filter((d) => d.code === 'failing-in-production');
    assert.deepEqual(run.map((d) => `${d.range.start.line + 1}: ${d.message}`), ['5: GET /api/payroll/runs/{run_id} exists in the contract but fails in production (100% 5xx last hour)']);
  });

  test('the hover adds counts by status class and a Grafana Explore link with the PromQL', async () => {
    const editor = await vscode.window.showTextDocument(src('api/payroll.js'), { preview: false });
    const line = editor.document.lineAt(3).text;
    const text = await hoverText(editor.document.uri, new vscode.Position(3, line.indexOf('routes.payslips') + 2));
    assert.match(text, /≈ 6\d requests: 2xx 6\d · 4xx 0 · 5xx 0/);
    assert.match(text, /\[Open in Grafana Explore\]\(http:\/\/127\.0\.0\.1:3000\/explore\?orgId=1&left=/);
    assert.ok(text.includes('sum by (status) (rate(http_requests_total{handler="/api/payroll/payslips", method="GET"}[5m]))'), text);
  });

  test('the hover of getPayslip counts the 404s and 422s it answered as 4xx', async () => {
    const editor = await vscode.window.showTextDocument(src('api/payroll.js'), { preview: false });
    const line = editor.document.lineAt(7).text;
    const text = await hoverText(editor.document.uri, new vscode.Position(7, line.indexOf('routes.payslip(') + 2));
    // Sent 6 × 200, 8 × 404 and 4 × 422. increase() never counts fewer than were sent after the warm-up, and over
    // >= 10 s of 1 s scrapes stretches each count by at most a quarter.
    const counts = /≈ (\d+) requests: 2xx (\d+) · 4xx (\d+) · 5xx (\d+)/.exec(text);
    assert.ok(counts, text);
    const [total, ok, client, server] = counts.slice(1).map(Number);
    assert.ok(client >= 12 && client <= 15, `4xx ${client} for 12 sent:\n${text}`);
    assert.ok(ok >= 6 && ok <= 8, `2xx ${ok} for 6 sent:\n${text}`);
    assert.equal(server, 0);
    assert.ok(total >= 18 && total <= 23, `${total} requests for 18 sent`);
    assert.ok(text.includes('sum by (status) (rate(http_requests_total{handler="/api/payroll/payslips/{payslip_id}", method="GET"}[5m]))'), text);
  });

  test('drawing lenses and hovers many times between polls sends no query: they read the cache', async () => {
    const uri = src('api/payroll.js');
    await payrollLenses();
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = await trafficState();
    let drawn = 0;
    for (let i = 0; i < 20; i++) {
      drawn += (await lenses(uri)).filter((l) => l.includes('req/min')).length;
      for (const [line, url] of [[3, 'routes.payslips'], [7, 'routes.payslip('], [10, '/payroll/payslips']] as const) {
        drawn += (await hoverText(uri, new vscode.Position(line, doc.lineAt(line).text.indexOf(url) + 2))).includes('≈ ') ? 1 : 0;
      }
    }
    const after = await trafficState();
    assert.ok(drawn >= 20 * 6, `only ${drawn} lenses and hovers carried numbers`);
    // A health poll in between may read once; drawing never does.
    assert.ok(after.queriesSent - before.queriesSent <= after.polls - before.polls, `${after.queriesSent - before.queriesSent} queries during ${after.polls - before.polls} polls and ${drawn} drawings`);
  });

  test('lenses are drawn above the calls in the editor, the Health view showing the app up (screenshot)', async function () {
    if (!canInspectWorkbench()) this.skip();
    await vscode.commands.executeCommand('zenops.health.focus');
    await waitForElements('.statusbar-item:has-text("API ok")', { timeoutMs: 30_000 });
    await vscode.window.showTextDocument(src('api/payroll.js'), { preview: false, selection: new vscode.Range(0, 0, 0, 0) });
    await waitForElements('.codelens-decoration:has-text("req/min")', { timeoutMs: 20_000 });
    await waitForElements('.codelens-decoration:has-text("no traffic")');
    await takeScreenshot('traffic-lenses');
    // The hover on the failing download call: the contract's operation, then traffic with counts and the Grafana link.
    const editor = await vscode.window.showTextDocument(src('api/payroll.js'), { preview: false });
    const column = editor.document.lineAt(10).text.indexOf('/payroll/payslips') + 3;
    editor.selection = new vscode.Selection(10, column, 10, column);
    await vscode.commands.executeCommand('editor.action.showHover');
    await waitForElements('.monaco-hover:has-text("Open in Grafana Explore")', { timeoutMs: 10_000 });
    await takeScreenshot('traffic-hover');
  });

  test('the Contract view tells unused operations with other clients from dead code candidates', async function () {
    if (!canInspectWorkbench()) this.skip();
    await payrollLenses();
    await vscode.commands.executeCommand('zenops.contract.focus');
    // The Contract view shares the side bar: fold the other views and the broken calls so the operations fit on screen.
    for (const pane of ['Health', 'Logs', 'Log Panel']) {
      const header = `.pane-header[aria-expanded="true"]:has(h3.title:text-is("${pane}"))`;
      if ((await countElements(header)) > 0) await clickElement(header);
    }
    const broken = '.monaco-list-row[aria-expanded="true"]:has-text("Broken calls")';
    await waitForElements(broken, { timeoutMs: 20_000 });
    await clickElement(broken);
    const documentsTag = '.monaco-list-row:has-text("documents"):has-text("operations,")';
    await waitForElements(documentsTag, { timeoutMs: 20_000 }).catch(async (e) => { await takeScreenshot('traffic-contract-failure'); throw e; });
    await clickElement(documentsTag);
    // 12 requests (up to 15 extrapolated) in the hour; the comments operation got none.
    await waitForElements(`${healthRow('GET /api/documents/{document_id}')}:has-text("unused by the frontend, but 1"):has-text("req/h (other clients)")`, { timeoutMs: 20_000 });
    await waitForElements(`${healthRow('GET /api/documents/{document_id}/comments')}:has-text("unused · no traffic (dead code candidate)")`);
    await takeScreenshot('traffic-contract-unused');
  });

  test('zenops.traffic.display "inlayHint" puts the numbers after the call instead of above it', async () => {
    await configure({ 'traffic.display': 'inlayHint' });
    const uri = src('api/payroll.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    let hints: string[] = [];
    await waitFor(
      () => `inlay hints on payroll.js; seen ${hints.join(' | ')}`,
      async () => {
        await vscode.commands.executeCommand('zenops.refreshTraffic');
        const all = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, doc.lineCount, 0))) ?? [];
        hints = all.map((h) => `${h.position.line + 1}: ${typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')}`);
        return hints.some((h) => h.startsWith('4: ') && h.includes('req/min'));
      },
    );
    assert.match(hints.find((h) => h.startsWith('4: ')) ?? '', /^4: 1\.[0-2] req\/min · 5xx 0% · p95 (<1|\d+) ms$/);
    assert.ok(hints.includes('6: no traffic'), hints.join(' | '));
    assert.deepEqual(await lenses(uri), [], 'no lenses while hints are chosen');
    await configure({ 'traffic.display': undefined });
  });

  test('traffic is read on the health poll only while a matched call is visible: none with every editor closed, again when payroll.js opens', async () => {
    await configure({ 'health.pollInterval': 2 });
    const uri = src('api/payroll.js');
    await vscode.window.showTextDocument(uri, { preview: false });
    // While payroll.js is visible, each poll reads (no refreshTraffic from here on).
    const start = await trafficState();
    let now = start;
    await waitFor(() => `two reads on polls while visible; from ${JSON.stringify(start)} to ${JSON.stringify(now)}`, async () => {
      now = await trafficState();
      return now.state === 'ok' && now.queriesSent >= start.queriesSent + 2 && now.polls >= start.polls + 2;
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('every file editor to close', () => vscode.window.visibleTextEditors.every((e) => e.document.uri.scheme !== 'file'));
    const closed = await trafficState();
    let last = closed;
    await waitFor(() => `two polls after closing (seen ${last.polls - closed.polls})`, async () => (last = await trafficState()).polls >= closed.polls + 2);
    assert.equal(last.queriesSent, closed.queriesSent, `${last.queriesSent - closed.queriesSent} queries over ${last.polls - closed.polls} polls with no editor open`);
    await vscode.window.showTextDocument(uri, { preview: false });
    let reopened = last;
    await waitFor(() => `a read after payroll.js opened; now ${JSON.stringify(reopened)}`, async () => (reopened = await trafficState()).queriesSent > closed.queriesSent);
    assert.ok(reopened.polls > last.polls, 'the read came with a poll');
    assert.ok((await lenses(uri)).some((l) => l.startsWith('4: ') && l.includes('req/min')), 'the lenses show numbers');
    await configure({ 'health.pollInterval': undefined });
  });

  test('the Health view says which metrics it reads, and plainly when none exist', async function () {
    if (!canInspectWorkbench()) this.skip();
    await vscode.commands.executeCommand('zenops.health.focus');
    await vscode.commands.executeCommand('zenops.refreshHealth');
    await waitForElements(healthRow('http_requests_total by handler'), { timeoutMs: 30_000 });
    await configure({ 'traffic.requestsMetric': 'api_requests_total', 'traffic.durationMetric': 'api_latency_seconds' });
    await vscode.window.showTextDocument(src('api/payroll.js'), { preview: false });
    await vscode.commands.executeCommand('zenops.refreshTraffic');
    await waitForElements(healthRow('no traffic metrics in Prometheus'), { timeoutMs: 30_000 });
    await waitForElements(healthRow('no series named api_requests_total'));
    await takeScreenshot('traffic-health-missing-metrics');
    assert.deepEqual(await lenses(src('api/payroll.js')), [], 'no lenses without metrics');
  });

  test('the Health view says plainly when the counter and histogram names are swapped, and no lens shows numbers', async function () {
    if (!canInspectWorkbench()) this.skip();
    await configure({ 'traffic.requestsMetric': 'http_request_duration_seconds', 'traffic.durationMetric': 'http_requests_total' });
    await vscode.commands.executeCommand('zenops.health.focus');
    await vscode.window.showTextDocument(src('api/payroll.js'), { preview: false });
    let now: TrafficStateReport | undefined;
    await waitFor(() => `traffic state missing-metrics; now ${JSON.stringify(now)}`, async () => {
      await vscode.commands.executeCommand('zenops.refreshTraffic');
      return (now = await trafficState()).state === 'missing-metrics';
    });
    // The section's own row (level 1) says it; its detail line (level 2) says which and why.
    await waitForElements(`.monaco-list-row[aria-level="1"]:has-text("Traffic"):has-text("traffic metrics of the wrong type")`, { timeoutMs: 30_000 });
    await waitForElements(`.monaco-list-row[aria-level="2"]:has-text("http_request_duration_seconds is a histogram in Prometheus, not a counter")`);
    await takeScreenshot('traffic-health-wrong-type');
    assert.deepEqual(await lenses(src('api/payroll.js')), [], 'no lenses from metrics of the wrong type');
  });
});
