// The contract checker as a user meets it in a real VS Code on examples/zenops: squiggles where the
// example README says, quick fixes that clear them, hovers, live spec edits, and a missing spec.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { freePort, waitForHttp } from '../../harness/freePort';
import { EXAMPLE_FINDINGS as EXPECTED } from './exampleFindings';
import { canInspectWorkbench, clickElement, countElements, fillElement, takeScreenshot, waitForElements } from './workbench';

const EXTENSION_ID = process.env.ZENOPS_IT_EXTENSION_ID || 'zenops.zenops';

function folder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folders[0], 'no workspace folder is open');
  return folders[0];
}

function src(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(folder().uri.fsPath, 'frontend/src', rel));
}

/** ZenOps diagnostics in the whole workspace, as `api/x.js:LINE code` (1-based lines). */
function contractDiagnostics(): { key: string; uri: vscode.Uri; diagnostic: vscode.Diagnostic }[] {
  const base = path.join(folder().uri.fsPath, 'frontend/src');
  const out: { key: string; uri: vscode.Uri; diagnostic: vscode.Diagnostic }[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== 'ZenOps') continue;
      const rel = path.relative(base, uri.fsPath).split(path.sep).join('/');
      out.push({ key: `${rel}:${diagnostic.range.start.line + 1} ${String(diagnostic.code)}`, uri, diagnostic });
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function keys(): string[] {
  return contractDiagnostics().map((d) => d.key);
}

async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const sameKeys = (expected: string[]) => (): boolean => JSON.stringify(keys()) === JSON.stringify([...expected].sort());

async function open(rel: string): Promise<vscode.TextEditor> {
  remember(src(rel));
  const doc = await vscode.workspace.openTextDocument(src(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** What each touched file held before the test, to put back even if something saved it. */
const originals = new Map<string, string>();

function remember(uri: vscode.Uri): void {
  if (!originals.has(uri.fsPath)) originals.set(uri.fsPath, fs.readFileSync(uri.fsPath, 'utf8'));
}

/** Throws away unsaved edits of a document (File: Revert), so the files on disk stay as committed. */
async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  const original = originals.get(editor.document.uri.fsPath);
  if (original !== undefined && fs.readFileSync(editor.document.uri.fsPath, 'utf8') !== original) {
    fs.writeFileSync(editor.document.uri.fsPath, original);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.fail(`${editor.document.uri.fsPath} was saved during the test (restored)`);
  }
  assert.equal(editor.document.isDirty, false, `${editor.document.uri.fsPath} is still dirty after revert`);
}

/** Applies a workspace edit's changes to an open editor as typing would (a WorkspaceEdit may be auto-saved). */
async function applyInEditor(editor: vscode.TextEditor, edit: vscode.WorkspaceEdit): Promise<void> {
  const changes = edit.get(editor.document.uri);
  assert.ok(changes.length > 0, 'the edit changes nothing in this document');
  assert.ok(await editor.edit((b) => changes.forEach((c) => b.replace(c.range, c.newText))));
}

function diagnosticAt(rel: string, line: number): vscode.Diagnostic | undefined {
  return vscode.languages.getDiagnostics(src(rel)).find((d) => d.source === 'ZenOps' && d.range.start.line === line - 1);
}

async function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  return actions;
}

async function applyFix(rel: string, line: number, title: RegExp): Promise<vscode.TextEditor> {
  const editor = await open(rel);
  const diagnostic = diagnosticAt(rel, line);
  assert.ok(diagnostic, `no ZenOps diagnostic on ${rel}:${line}`);
  const actions = await quickFixes(editor.document.uri, diagnostic);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action?.edit, `no quick fix ${title} on ${rel}:${line}; offered: ${actions.map((a) => a.title).join(' | ')}`);
  await applyInEditor(editor, action.edit);
  return editor;
}

/** What the hidden `zenops.contract.stats` command reports (the parts these tests read). */
interface ContractStats {
  announcements: string[];
  startsCompleted: number;
  firstCheckMs?: number;
  folders: { folder: string; spec: string; specSource?: string; editTimingsMs: number[]; editRechecks: number }[];
  status?: { text: string; tooltip: string };
  view?: { depth: number; kind: string; label: string; description?: string; tooltip?: string; command?: vscode.Command }[];
}

function contractStats(): Thenable<ContractStats> {
  return vscode.commands.executeCommand<ContractStats>('zenops.contract.stats');
}

/** Markdown as the status item's tooltip escapes it, back to plain text. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function specUri(): vscode.Uri {
  return vscode.Uri.file(path.join(folder().uri.fsPath, 'backend/openapi.json'));
}

/** 0-based line of the method key of `method path` in the example spec. */
function specOperationLine(doc: vscode.TextDocument, method: string, opPath: string): number {
  const pathLine = doc.positionAt(doc.getText().indexOf(`"${opPath}"`)).line;
  for (let line = pathLine + 1; line < doc.lineCount; line++) {
    if (doc.lineAt(line).text.trim().startsWith(`"${method.toLowerCase()}"`)) return line;
  }
  throw new Error(`${method} ${opPath} not found in ${doc.uri.fsPath}`);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

suite('API contract in the editor', function () {
  this.timeout(90_000);

  suiteSetup(async () => {
    // VS Code in the browser auto-saves after a second by default; these tests keep edits unsaved and revert them.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await waitFor('the extension to activate', () => extension.isActive);
    await waitFor(() => `the README's ${EXPECTED.length} findings; last seen: ${keys().join(', ')}`, sameKeys(EXPECTED), 45_000);
  });

  test('flags exactly the calls the example README lists, on the URL argument, with the status as code', async () => {
    assert.deepEqual(keys(), [...EXPECTED].sort());
    const byKey = new Map(contractDiagnostics().map((d) => [d.key, d]));
    const emailPayslip = byKey.get('api/payroll.js:13 missing-path')!;
    const doc = await vscode.workspace.openTextDocument(emailPayslip.uri);
    assert.equal(doc.getText(emailPayslip.diagnostic.range), '`/payroll/payslips/${id}/send-email`');
    assert.equal(emailPayslip.diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const closeRun = byKey.get('api/payroll.js:19 method-not-allowed')!;
    assert.equal(doc.getText(closeRun.diagnostic.range), 'routes.closeRun(runId)');
    assert.equal(closeRun.diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const deprecated = byKey.get('api/support.ts:25 deprecated')!;
    assert.equal(deprecated.diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(deprecated.diagnostic.tags, [vscode.DiagnosticTag.Deprecated]);
    const slash = byKey.get('api/support.ts:27 trailing-slash')!;
    assert.equal(slash.diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    const supportDoc = await vscode.workspace.openTextDocument(slash.uri);
    assert.equal(supportDoc.getText(slash.diagnostic.range), "'/support/threads/'");
  });

  test('says nothing about good calls, external URLs, ignored calls, sockets, generated code and the traps', () => {
    const flagged = new Set(keys().map((k) => k.split(' ')[0]));
    for (const quiet of ['api/auth.js:7', 'api/auth.js:17', 'api/auth.js:21', 'api/auth.js:22', 'api/auth.js:23', 'api/auth.js:24', 'api/reports.js:9', 'api/reports.js:11', 'hooks/useLive.js:3', 'hooks/useLive.js:5', 'lib/incidentApi.js:6']) {
      assert.ok(!flagged.has(quiet), `${quiet} must not be flagged`);
    }
    assert.equal(vscode.languages.getDiagnostics(src('api/generated/client.ts')).filter((d) => d.source === 'ZenOps').length, 0);
  });

  test('the hover on a broken call says why and names the nearest operations', async () => {
    const editor = await open('api/payroll.js');
    const line = editor.document.lineAt(12).text;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(12, line.indexOf('send-email')));
    const text = hoverText(hovers);
    assert.match(text, /path not in the spec/);
    assert.match(text, /POST \/api\/payroll\/payslips\/\{\}\/send-email/);
    assert.match(text, /\/api\/payroll\/payslips\/\{payslip_id\}\/generate/);
  });

  test('the hover on a good call shows the operation and which code value fills each path parameter', async () => {
    const editor = await open('api/payroll.js');
    const line = editor.document.lineAt(10).text;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(10, line.indexOf('download')));
    const text = hoverText(hovers);
    assert.match(text, /GET \/api\/payroll\/payslips\/\{payslip_id\}\/download/);
    assert.match(text, /`payslip_id` ← `\$\{payslipId\}`|`payslip_id` ← `payslipId`/);
    assert.match(text, /Responses: `200`/);
    // The operation's summary, as examples/zenops/backend/openapi.json has it.
    assert.match(text, /Download a payslip as PDF/);
  });

  test('changing the method with the quick fix clears the error', async () => {
    const editor = await applyFix('api/payroll.js', 19, /^Change method to POST$/);
    try {
      assert.match(editor.document.lineAt(18).text, /api\.post\(routes\.closeRun\(runId\)\)/);
      await waitFor('the method-not-allowed error to clear', () => !keys().includes('api/payroll.js:19 method-not-allowed'));
    } finally {
      await revert(editor);
    }
    await waitFor(() => `the error to come back after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('changing the path with the preferred quick fix keeps the code expression and clears the error', async () => {
    const editor = await open('api/payroll.js');
    const diagnostic = diagnosticAt('api/payroll.js', 13)!;
    const preferred = (await quickFixes(editor.document.uri, diagnostic)).find((a) => a.isPreferred);
    assert.equal(preferred?.title, 'Change path to /api/payroll/payslips/{payslip_id}/generate');
    await applyFix('api/payroll.js', 13, /^Change path to \/api\/payroll\/payslips\/\{payslip_id\}\/generate$/);
    try {
      assert.match(editor.document.lineAt(12).text, /api\.post\(`\/payroll\/payslips\/\$\{id\}\/generate`\)/);
      await waitFor('the missing-path error to clear', () => !keys().includes('api/payroll.js:13 missing-path'));
    } finally {
      await revert(editor);
    }
    await waitFor(() => `the error to come back after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('the trailing-slash quick fix removes the slash and clears the warning', async () => {
    const editor = await applyFix('api/support.ts', 27, /^Remove the trailing slash$/);
    try {
      assert.match(editor.document.lineAt(26).text, /api\.get<Thread\[\]>\('\/support\/threads'\)/);
      await waitFor('the trailing-slash warning to clear', () => !keys().includes('api/support.ts:27 trailing-slash'));
    } finally {
      await revert(editor);
    }
    await waitFor(() => `the warning to come back after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('"Ignore this call" inserts an indented zenops-ignore comment and the call is no longer flagged', async () => {
    const editor = await applyFix('api/auth.js', 14, /^Ignore this call/);
    try {
      assert.equal(editor.document.lineAt(13).text, '// zenops-ignore');
      await waitFor('auth.js refresh to be ignored', () => !keys().some((k) => k.startsWith('api/auth.js:')));
    } finally {
      await revert(editor);
    }
    await waitFor(() => `the error to come back after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('half-typed code that does not parse keeps the last findings instead of clearing them', async () => {
    const editor = await open('api/payroll.js');
    const before = keys().filter((k) => k.startsWith('api/payroll.js:'));
    assert.equal(before.length, 3);
    const last = editor.document.lineCount - 1;
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(last, 0), 'export const draft = () => api.get(`/payroll/')));
    try {
      // Past the debounce and the worker's parse: the file is re-read and found not to parse.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(keys().filter((k) => k.startsWith('api/payroll.js:')), before);
    } finally {
      await revert(editor);
    }
    await waitFor(() => `the findings after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('an unsaved edit of the spec clears one error and creates another', async () => {
    const specUri = vscode.Uri.file(path.join(folder().uri.fsPath, 'backend/openapi.json'));
    remember(specUri);
    const doc = await vscode.workspace.openTextDocument(specUri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const at = doc.getText().indexOf('"/api/auth/login"');
    assert.ok(at > 0);
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"/api/auth/login"'.length)), '"/api/auth/refresh"')));
    try {
      const expected = [...EXPECTED.filter((k) => k !== 'api/auth.js:14 missing-path'), 'api/auth.js:10 missing-path'];
      await waitFor(() => `refresh OK and login missing; seen ${keys().join(', ')}`, sameKeys(expected));
    } finally {
      await revert(editor);
    }
    await waitFor(() => `the findings to return after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('a spec with no operations flags nothing: the status item and one warning with a Configure button say why', async () => {
    remember(specUri());
    const doc = await vscode.workspace.openTextDocument(specUri());
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    // What a FastAPI app serves when its routers failed to mount.
    const empty = JSON.stringify({ ...JSON.parse(doc.getText()), paths: {} }, null, 2);
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), empty)));
    try {
      await waitFor(() => `every contract diagnostic to go; seen ${keys().join(', ')}`, () => keys().length === 0);
      const stats = await waitFor('the status item to say the spec has no operations', async () => {
        const s = await contractStats();
        return s.status?.text.includes('spec has no operations') ? s : undefined;
      });
      assert.equal(stats.folders[0].spec, 'failed');
      assert.match(unescapeMarkdown(stats.status!.tooltip), /backend\/openapi\.json has no operations/);
      assert.equal(stats.announcements.filter((a) => a.includes('has no operations')).length, 1);
      if (canInspectWorkbench()) {
        await vscode.commands.executeCommand('notifications.showList');
        await waitForElements('.notification-list-item:has-text("has no operations")');
        assert.equal(await countElements('.notification-list-item:has-text("has no operations")'), 1);
        assert.equal(await countElements('.notification-list-item:has-text("has no operations") .monaco-button:has-text("Configure OpenAPI Source")'), 1);
      }
    } finally {
      await revert(editor);
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
    await waitFor(() => `the findings to return after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
    assert.match((await contractStats()).status?.text ?? '', /contract error/);
  });

  test('a new file with a broken call is flagged; its diagnostics follow a rename (of it, of its folder) and go with a delete', async () => {
    // A name of its own: other runs of this suite may share the example folder at the same time.
    const dir = path.join(folder().uri.fsPath, `frontend/src/lifecycle-${process.pid}`);
    const movedDir = `${dir}-moved`;
    const created = vscode.Uri.file(path.join(dir, 'newCalls.js'));
    const renamed = vscode.Uri.file(path.join(dir, 'renamedCalls.js'));
    const moved = vscode.Uri.file(path.join(movedDir, 'renamedCalls.js'));
    const flagged = (uri: vscode.Uri): string =>
      vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.source === 'ZenOps')
        .map((d) => `${d.range.start.line + 1} ${String(d.code)}`)
        .join(', ');
    try {
      const code = "import { api } from '../api/client';\n\nexport const lost = () => api.get('/payroll/no-such-thing');\n";
      await vscode.workspace.fs.writeFile(created, Buffer.from(code));
      await waitFor(() => `the new file's call to be flagged; seen ${flagged(created)}`, () => flagged(created) === '3 missing-path');
      await vscode.workspace.fs.rename(created, renamed);
      await waitFor(
        () => `the diagnostic to move to the new name; old: ${flagged(created)}; new: ${flagged(renamed)}`,
        () => flagged(renamed) === '3 missing-path' && flagged(created) === '',
      );
      // A folder rename reports the folder only: the files in it are found all the same.
      await vscode.workspace.fs.rename(vscode.Uri.file(dir), vscode.Uri.file(movedDir));
      await waitFor(
        () => `the diagnostic to move with its folder; old: ${flagged(renamed)}; new: ${flagged(moved)}`,
        () => flagged(moved) === '3 missing-path' && flagged(renamed) === '',
      );
      await vscode.workspace.fs.delete(moved);
      await waitFor(() => `the diagnostic to go with the file; seen ${flagged(moved)}`, () => flagged(moved) === '' && flagged(renamed) === '' && flagged(created) === '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(movedDir, { recursive: true, force: true });
    }
    await waitFor(() => `only the example's findings; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('a burst of edits is re-checked once, after the typing pauses (debounced)', async () => {
    const editor = await open('api/payroll.js');
    const rechecks = async (): Promise<number> => (await contractStats()).folders[0].editRechecks;
    const last = editor.document.lineCount - 1;
    try {
      // A comment line to type into; its own re-check lands before the burst starts.
      const settled = await rechecks();
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(last, editor.document.lineAt(last).text.length), '\n// burst ')));
      await waitFor('the re-check of the new comment line', async () => (await rechecks()) > settled);
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      editor.selection = new vscode.Selection(end, end);
      const before = await rechecks();
      // Ten keystrokes sent at once, as fast typing does: the workbench applies them one after another.
      const arrivals: number[] = [];
      const listener = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === editor.document && e.contentChanges.length > 0) arrivals.push(performance.now());
      });
      try {
        await Promise.all(Array.from({ length: 10 }, (_, i) => vscode.commands.executeCommand('type', { text: String(i) })));
        await waitFor(() => `the 10 keystrokes to arrive; ${arrivals.length} did`, () => arrivals.length >= 10);
      } finally {
        listener.dispose();
      }
      assert.match(editor.document.lineAt(editor.document.lineCount - 1).text, /^\/\/ burst 0123456789$/);
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
      // The check means something only if the keystrokes came closer together than the 300 ms debounce.
      assert.ok(Math.max(...gaps) < 300, `the keystrokes did not come as one burst (gaps: ${gaps.map((g) => g.toFixed(0)).join(', ')} ms)`);
      await waitFor('the re-check after the burst', async () => (await rechecks()) > before);
      // Give any further (wrong) re-check time to show up: past another debounce and a worker round trip.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(await rechecks(), before + 1, 'ten keystrokes in a burst must cause exactly one re-check');
      assert.deepEqual(keys(), [...EXPECTED].sort());
    } finally {
      await revert(editor);
    }
    await waitFor(() => `the findings after revert; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('a change of the spec file on disk is picked up by the file watcher', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const specFile = path.join(folder().uri.fsPath, 'backend/openapi.json');
    remember(vscode.Uri.file(specFile));
    const original = originals.get(specFile)!;
    // Un-deprecate DELETE /api/support/tokens/{token_id}, the example's one deprecated operation.
    assert.equal(original.split('"deprecated": true').length, 2);
    const changed = original.replace('"deprecated": true', '"deprecated": false');
    assert.notEqual(changed, original, 'the example spec has no deprecated operation to change');
    fs.writeFileSync(specFile, changed);
    try {
      await waitFor(() => `the deprecated warning to go; seen ${keys().join(', ')}`, sameKeys(EXPECTED.filter((k) => !k.endsWith(' deprecated'))));
    } finally {
      fs.writeFileSync(specFile, original);
    }
    await waitFor(() => `the warning to come back; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('screenshots: the Problems panel, the Contract view, a squiggled call with its hover', async function () {
    if (!canInspectWorkbench()) this.skip();
    const editor = await open('api/payroll.js');
    const line = editor.document.lineAt(12).text;
    const pos = new vscode.Position(12, line.indexOf('send-email'));
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    await waitForElements('.monaco-editor .squiggly-error');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await waitForElements('.markers-panel .monaco-list-row');
    await takeScreenshot('contract-problems');
    await vscode.commands.executeCommand('zenops.contract.focus');
    await waitForElements('.monaco-list-row:has-text("Broken calls")');
    await takeScreenshot('contract-view');
    assert.ok((await countElements('.statusbar-item:has-text("8 contract errors")')) >= 1, 'the status item shows the error count');
    await vscode.window.showTextDocument(editor.document, { preview: false });
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('editor.action.showHover');
    await waitForElements('.monaco-hover-content:has-text("path not in the spec")');
    await takeScreenshot('contract-hover');
  });

  test('Open Operation shows the operation in the spec file', async () => {
    await vscode.commands.executeCommand('zenops.openOperation', folder().uri, 'POST', '/api/payroll/runs/{run_id}/close');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(path.basename(editor.document.uri.fsPath), 'openapi.json');
    const line = editor.selection.active.line;
    assert.match(editor.document.lineAt(line).text, /"post"/, `line ${line + 1} is not the operation's method key`);
    assert.match(editor.document.getText(new vscode.Range(Math.max(0, line - 3), 0, line, 0)), /"\/api\/payroll\/runs\/\{run_id\}\/close"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the "Open … in the spec" quick fix on a method-not-allowed call opens openapi.json at the operation', async () => {
    const editor = await open('api/payroll.js');
    const diagnostic = diagnosticAt('api/payroll.js', 19);
    assert.ok(diagnostic, 'no ZenOps diagnostic on api/payroll.js:19');
    const actions = await quickFixes(editor.document.uri, diagnostic);
    const action = actions.find((a) => /^Open .* in the spec$/.test(a.title));
    assert.ok(action?.command, `no "Open … in the spec" quick fix; offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(action.title, 'Open POST /api/payroll/runs/{run_id}/close in the spec');
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    const spec = await waitFor('openapi.json to become the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active && active.document.uri.fsPath === specUri().fsPath ? active : undefined;
    });
    try {
      assert.equal(spec.selection.active.line, specOperationLine(spec.document, 'POST', '/api/payroll/runs/{run_id}/close'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  test('the Contract view lists broken calls that jump to their URL, and how many calls reach each operation', async () => {
    const rows = (await contractStats()).view;
    assert.ok(rows, 'the stats command reports no Contract view rows');
    const problems = rows.findIndex((r) => r.kind === 'problems');
    assert.ok(problems >= 0, `no "Broken calls" row; rows: ${rows.map((r) => r.label).join(' | ')}`);
    assert.equal(rows[problems].label, 'Broken calls');
    assert.equal(rows[problems].description, String(EXPECTED.length));
    const broken: typeof rows = [];
    for (let i = problems + 1; i < rows.length && rows[i].depth > rows[problems].depth; i++) broken.push(rows[i]);
    assert.equal(broken.length, EXPECTED.length);
    const row = broken.find((r) => r.description === 'frontend/src/api/payroll.js:13');
    assert.ok(row?.command, `no broken call row for payroll.js:13; rows: ${broken.map((r) => r.description).join(' | ')}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(row.command.command, ...(row.command.arguments ?? []));
    const editor = await waitFor('payroll.js to become the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active && active.document.uri.fsPath === src('api/payroll.js').fsPath ? active : undefined;
    });
    const urlRange = diagnosticAt('api/payroll.js', 13)!.range;
    assert.ok(editor.selection.isEqual(urlRange), `selection ${JSON.stringify(editor.selection)} is not the URL's range ${JSON.stringify(urlRange)}`);
    assert.equal(editor.document.getText(editor.selection), '`/payroll/payslips/${id}/send-email`');
    // reports.js calls GET /api/reports/tactical twice.
    const tactical = rows.find((r) => r.kind === 'operation' && r.label === 'GET /api/reports/tactical');
    assert.ok(tactical, 'no row for GET /api/reports/tactical');
    assert.match(tactical.description ?? '', /^2 calls( · |$)/);
    const unused = rows.find((r) => r.kind === 'operation' && r.label === 'POST /api/support/tokens/{token_id}/revoke');
    assert.match(unused?.description ?? '', /^unused/);
  });

  test('Check API Contract re-reads everything and ends with the same findings', async () => {
    await vscode.commands.executeCommand('zenops.checkContract');
    await waitFor(() => `the findings after a full check; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('full scans keep a content-hash cache in the workspace storage: the next one takes unchanged files from it', async () => {
    type Stats = { folders: { lastScan?: { cachedFiles: number; cacheProblem?: string } }[] };
    await vscode.commands.executeCommand('zenops.checkContract');
    await waitFor(() => `the findings after a full check; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
    const stats = await vscode.commands.executeCommand<Stats>('zenops.contract.stats');
    const lastScan = stats.folders[0]?.lastScan;
    assert.ok(lastScan, 'no full scan recorded');
    assert.equal(lastScan.cacheProblem, undefined);
    // The example has 10 files with calls that nothing imports.
    assert.ok(lastScan.cachedFiles >= 8, `only ${lastScan.cachedFiles} files came from the cache`);
  });

  test('unresolved URLs show as hints only when zenops.contract.showUnresolved is on', async () => {
    const settingsFile = path.join(folder().uri.fsPath, '.vscode/settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    const config = vscode.workspace.getConfiguration('zenops', folder().uri);
    assert.equal(diagnosticAt('api/reports.js', 11), undefined);
    await config.update('contract.showUnresolved', true, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const hint = await waitFor('the unresolved hint on reports.js:11', () => diagnosticAt('api/reports.js', 11));
      assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
      assert.equal(hint.code, 'unresolved');
      assert.deepEqual(keys().filter((k) => !k.endsWith(' unresolved')), [...EXPECTED].sort());
    } finally {
      fs.writeFileSync(settingsFile, original);
    }
    await waitFor(() => `the hints to go; seen ${keys().join(', ')}`, sameKeys(EXPECTED));
  });

  test('a settings change re-checks without a gap: the squiggles and hovers stay until the new check takes over', async () => {
    const settingsFile = path.join(folder().uri.fsPath, '.vscode/settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    const stats = () => vscode.commands.executeCommand<{ startsCompleted: number }>('zenops.contract.stats');
    const before = (await stats()).startsCompleted;
    const editor = await open('api/payroll.js');
    const hoverAt = new vscode.Position(12, editor.document.lineAt(12).text.indexOf('send-email'));
    const config = vscode.workspace.getConfiguration('zenops', folder().uri);
    // An extra API origin restarts the folder's checker but changes none of the example's findings.
    await config.update('contract.apiOrigins', ['https://api.zenops.invalid'], vscode.ConfigurationTarget.WorkspaceFolder);
    let samples = 0;
    try {
      for (const deadline = Date.now() + 30_000; (await stats()).startsCompleted === before; samples++) {
        assert.ok(Date.now() < deadline, 'the checker did not restart within 30 s of the settings change');
        assert.deepEqual(keys(), [...EXPECTED].sort(), `sample ${samples}: the findings changed while re-checking`);
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, hoverAt);
        assert.match(hoverText(hovers), /path not in the spec/, `sample ${samples}: no hover while re-checking`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(samples > 0, 'the restart finished before the first sample: nothing was observed');
      assert.deepEqual(keys(), [...EXPECTED].sort());
    } finally {
      fs.writeFileSync(settingsFile, original);
    }
    await waitFor(() => `the re-check after restoring the settings; seen ${keys().join(', ')}`, async () => (await stats()).startsCompleted >= before + 2 && sameKeys(EXPECTED)());
  });

  test('the contract report lists the problems and the unused operations', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('zenops.showContractReport');
    assert.ok(uri);
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /\*\*8 errors\*\*, \*\*3 warnings\*\*/);
    assert.match(text, /`frontend\/src\/api\/payroll\.js:13:\d+` \| `POST \/api\/payroll\/payslips\/\{\}\/send-email` \| missing-path/);
    assert.match(text, /`POST \/api\/support\/tokens\/\{token_id\}\/revoke`: \*\*unused\*\*/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('re-checks an edited file live and keeps the extension host responsive in a 2,000-line file', async () => {
    // A name of its own: other runs of this suite may share the example folder at the same time.
    const dir = path.join(folder().uri.fsPath, `frontend/src/perf-${process.pid}`);
    // Ordinary code with an API call every 20 lines (100 calls), like a large page component or API module.
    const lines = ["import { api } from '../api/client';", ''];
    while (lines.length < 2000) {
      const n = lines.length;
      if (n % 20 === 0) lines.push(`export const call${n} = (id) => api.get(\`/payroll/payslips/\${id}/download\`, { params: { n: ${n} } });`);
      else lines.push(`export function helper${n}(a, b) { const x = { a, b, n: ${n} }; return Object.keys(x).map((k) => k + String(x[k])).join(','); }`);
    }
    fs.mkdirSync(dir, { recursive: true });
    const jsFile = path.join(dir, 'bigModule.js');
    // The same JavaScript under dist/, which zenops.contract.exclude skips: the baseline with every other extension at work.
    const baselineFile = path.join(dir, 'dist/bigModule.js');
    fs.mkdirSync(path.dirname(baselineFile), { recursive: true });
    fs.writeFileSync(jsFile, `${lines.join('\n')}\n`);
    fs.writeFileSync(baselineFile, `${lines.join('\n')}\n`);

    /** Types a broken call at the end of the file, pausing like a typist, and measures the host's event-loop delay. */
    const typeInto = async (file: string): Promise<{ p50: number; p99: number; max: number }> => {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)), { preview: false });
      editors.push(editor);
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      for (let i = 0; i < 12; i++) {
        const last = editor.document.lineCount - 1;
        const end = new vscode.Position(last, editor.document.lineAt(last).text.length);
        await editor.edit((b) => b.insert(end, i === 0 ? 'export const typed = () => api.get(`/payroll/typo' : i === 11 ? '`);\n' : String(i % 10)));
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      delay.disable();
      return { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
    };
    const fmt = (d: { p50: number; p99: number; max: number }): string => `p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`;
    const uri = vscode.Uri.file(jsFile);
    const editors: vscode.TextEditor[] = [];
    try {
      const baseline = await typeInto(baselineFile);
      const before = (await contractStats()).folders[0].editRechecks;
      const checked = await typeInto(jsFile);
      await waitFor('the typed call to be flagged', () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'ZenOps' && d.code === 'missing-path'));
      const stats = await contractStats();
      const rechecks = stats.folders[0].editRechecks - before;
      const timings = rechecks > 0 ? stats.folders[0].editTimingsMs.slice(-rechecks) : [];
      assert.ok(timings.length >= 1, `expected live re-checks while typing, got ${timings.length}`);
      const sorted = [...timings].sort((a, b) => a - b);
      const max = sorted[sorted.length - 1];
      console.log(
        `ZENOPS_PERF contract re-check of a ${lines.length}-line file with 100 calls: host-thread time per re-check median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, ` +
          `max ${sorted[sorted.length - 1].toFixed(1)} ms over ${timings.length} re-checks (parsing runs in the scan worker); ` +
          `extension host event-loop delay while typing: ${fmt(checked)} (same typing in the same file where ZenOps does not look: ${fmt(baseline)}); ` +
          `first check after activation ${Math.round(stats.firstCheckMs ?? -1)} ms`,
      );
      // The target: the host thread is blocked under 50 ms per re-check (reading the buffer, posting it to the
      // worker, handling its reply: parsing runs in the worker). The work itself takes 1–10 ms; on this shared machine a
      // single re-check now and then is stretched past 50 ms by a GC pause or the OS (seen: 36 ms for a 0.5 ms match),
      // so one such outlier is tolerated; anything systematic (e.g. parsing on the host thread) fails every re-check.
      const over = timings.filter((t) => t >= 50);
      assert.ok(sorted.length >= 5, `only ${sorted.length} re-checks to judge`);
      assert.ok(over.length <= 1, `${over.length} re-checks blocked the extension host for 50 ms or more; all: ${timings.map((t) => t.toFixed(1)).join(', ')} ms`);
      if (max >= 50) console.log(`ZENOPS_PERF one re-check took ${max.toFixed(1)} ms on the host thread (tolerated outlier)`);
    } finally {
      // Revert and close before deleting, so nothing (auto-save included) writes the files back.
      for (const editor of editors) {
        await vscode.window.showTextDocument(editor.document, { preview: false });
        await vscode.commands.executeCommand('workbench.action.files.revert');
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await waitFor('the generated file to leave no diagnostics', () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ZenOps').length === 0);
  });

  test('with no loadable spec: no squiggles at all, one warning with a Configure button, the state in the status bar', async () => {
    const settingsFile = path.join(folder().uri.fsPath, '.vscode/settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    const config = vscode.workspace.getConfiguration('zenops', folder().uri);
    // Through the Select OpenAPI Source command, which writes the folder's setting.
    await vscode.commands.executeCommand('zenops.selectOpenApiSource', folder().uri, 'backend/no-such-openapi.json');
    assert.equal(config.inspect('contract.spec')?.workspaceFolderValue, 'backend/no-such-openapi.json');
    try {
      await waitFor('every contract diagnostic to go', () => keys().length === 0);
      if (canInspectWorkbench()) {
        await waitForElements('.statusbar-item:has-text("spec not loaded")');
        // Headless, toasts are not always drawn; the notification centre lists every message shown.
        await vscode.commands.executeCommand('notifications.showList');
        await waitForElements('.notification-list-item:has-text("could not be loaded")');
        assert.equal(await countElements('.notification-list-item:has-text("could not be loaded")'), 1, 'one message, not one per file or restart');
        assert.equal(await countElements('.notification-list-item .monaco-button:has-text("Configure OpenAPI Source")'), 1);
        await takeScreenshot('contract-no-spec');
      }
      const stats = await contractStats();
      const announced = stats.announcements.filter((a) => a.includes('no-such-openapi.json'));
      assert.equal(announced.length, 1);
      // The status item's tooltip carries the same failure message (after "<folder>: ").
      const message = announced[0].slice(`${folder().name}: `.length);
      assert.ok(stats.status, 'the stats command reports no status item');
      assert.match(stats.status.text, /spec not loaded/);
      assert.ok(unescapeMarkdown(stats.status.tooltip).includes(message), `the tooltip ${JSON.stringify(stats.status.tooltip)} lacks ${JSON.stringify(message)}`);
      // Nothing comes back while the cause is the same.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(keys().length, 0);
    } finally {
      fs.writeFileSync(settingsFile, original);
      if (config.inspect('contract.spec')?.workspaceFolderValue !== 'backend/openapi.json') {
        await config.update('contract.spec', 'backend/openapi.json', vscode.ConfigurationTarget.WorkspaceFolder);
        fs.writeFileSync(settingsFile, original);
      }
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
    await waitFor('the findings to return with the spec', sameKeys(EXPECTED), 30_000);
  });

  test('Select OpenAPI Source, picked in the workbench: a URL typed in (validated) and then the spec file again', async function () {
    if (!canInspectWorkbench()) this.skip();
    const settingsFile = path.join(folder().uri.fsPath, '.vscode/settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    const config = vscode.workspace.getConfiguration('zenops', folder().uri);
    const row = (text: string): string => `.quick-input-widget .quick-input-list .monaco-list-row:has-text("${text}")`;
    // Nothing listens there: the chosen URL cannot be read.
    const url = `http://127.0.0.1:${await freePort()}/openapi.json`;
    try {
      let picking = vscode.commands.executeCommand('zenops.selectOpenApiSource');
      await waitForElements(`.quick-input-widget input[placeholder="OpenAPI document for ${folder().name}"]`);
      await waitForElements(`${row('backend/openapi.json')}:has-text("current")`);
      await clickElement(row('Enter URL'));
      await fillElement('.quick-input-widget input.input', 'not a url');
      await waitForElements('.quick-input-widget .quick-input-message:has-text("Enter an http:// or https:// URL")');
      await fillElement('.quick-input-widget input.input', url);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await picking;
      assert.equal(config.inspect('contract.spec')?.workspaceFolderValue, url);
      await waitFor(() => `the squiggles to go with an unreadable spec URL; seen ${keys().join(', ')}`, () => keys().length === 0, 30_000);
      const source = (await contractStats()).folders[0].specSource ?? '';
      assert.ok(source.includes(url), `the checker reads ${source}, not ${url}`);

      picking = vscode.commands.executeCommand('zenops.selectOpenApiSource');
      await waitForElements(row('backend/openapi.json'));
      await clickElement(row('backend/openapi.json'));
      await picking;
      assert.equal(config.inspect('contract.spec')?.workspaceFolderValue, 'backend/openapi.json');
      await waitFor(() => `the findings to return with the spec file; seen ${keys().join(', ')}`, sameKeys(EXPECTED), 30_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      fs.writeFileSync(settingsFile, original);
      await vscode.commands.executeCommand('notifications.clearAll');
    }
    await waitFor(() => `the findings with the original settings; seen ${keys().join(', ')}`, sameKeys(EXPECTED), 30_000);
  });

  test('loading the extension bundle is cheap: the contract engine waits for a folder with frontend code', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const main = path.join(extension.extensionPath, 'dist/extension.js');
    const load = createRequire(__filename);
    // A second, fresh evaluation of the bundle the host loaded at activation: its top level only, no activate().
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      delete load.cache[load.resolve(main)];
      const started = performance.now();
      load(main);
      timings.push(performance.now() - started);
    }
    const size = fs.statSync(main).size;
    console.log(`ZENOPS_PERF extension bundle ${(size / 1e6).toFixed(1)} MB evaluates in ${timings.map((t) => t.toFixed(0)).join(' / ')} ms (cold / warm / warm); the parser lives in dist/scanWorker.js`);
    assert.ok(fs.existsSync(path.join(extension.extensionPath, 'dist/scanWorker.js')), 'the scan worker is packaged');
    assert.ok(size < 2.5e6, `dist/extension.js is ${size} bytes: the parser (typescript, ~9 MB) must stay in the worker bundle`);
  });

  test('a spec URL is read from the running backend and polled; when the backend stops, nothing is flagged', async () => {
    // The real example FastAPI app on a free loopback port, serving the same document at /openapi.json.
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-it-app-'));
    const app = spawn('/usr/bin/python3', ['-m', 'app.main', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: path.join(folder().uri.fsPath, 'backend'),
      env: { PATH: process.env.PATH, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ZENOPS_EXAMPLE_DATA: dataDir },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => app.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const settingsFile = path.join(folder().uri.fsPath, '.vscode/settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    const config = vscode.workspace.getConfiguration('zenops', folder().uri);
    try {
      await waitForHttp(`${url}/healthz`, 20_000);
      await config.update('contract.specPollInterval', 1, vscode.ConfigurationTarget.WorkspaceFolder);
      await config.update('contract.spec', `${url}/openapi.json`, vscode.ConfigurationTarget.WorkspaceFolder);
      // The findings are the same as from the file: wait until the checker reads the URL.
      await waitFor('the checker to read the spec URL', async () => (await contractStats()).folders[0].specSource?.includes(`${url}/openapi.json`), 30_000);
      await waitFor(() => `the findings from the served spec; seen ${keys().join(', ')}`, sameKeys(EXPECTED), 30_000);
      // With a spec URL the operation opens in the backend's docs, not in a file.
      const payroll = await vscode.workspace.openTextDocument(src('api/payroll.js'));
      const openAction = (await quickFixes(payroll.uri, diagnosticAt('api/payroll.js', 19)!)).find((a) => a.title.startsWith('Open '));
      assert.equal(openAction?.title, 'Open POST /api/payroll/runs/{run_id}/close in the API docs');
      app.kill('SIGTERM');
      await exited;
      // The next poll (1 s) finds nothing listening: the squiggles go, the status says why.
      await waitFor(() => `the squiggles to go once the backend stopped; seen ${keys().join(', ')}`, () => keys().length === 0, 15_000);
      if (canInspectWorkbench()) await waitForElements('.statusbar-item:has-text("spec not loaded")');
    } finally {
      app.kill('SIGKILL');
      fs.writeFileSync(settingsFile, original);
      fs.rmSync(dataDir, { recursive: true, force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
    }
    await waitFor(() => `the findings to return with the spec file; seen ${keys().join(', ')}`, sameKeys(EXPECTED), 30_000);
  });
});
