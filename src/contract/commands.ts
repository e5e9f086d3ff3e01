// The contract commands: Check API Contract, Select OpenAPI Source, Show Contract Report, and the
// Open Operation command behind the tree and the quick fix.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFolderSetting } from '../config';
import { formatReportMarkdown } from '../core/contract/contractMarkdown';
import { countBySeverity } from '../core/contract/report/severity';
import { describeSpecSource, docsLink, SPEC_FILE_EXCLUDE, SPEC_FILE_GLOB } from '../core/contract/specSource';
import type { HttpMethod } from '../core/contract/types';
import { OPEN_OPERATION_COMMAND } from './codeActions';
import type { ContractService } from './contractService';
import type { ContractTreeProvider } from './contractView';
import type { FolderContract } from './folderContract';
import type { ContractStatusItem } from './statusItem';

const REPORT_SCHEME = 'zenops-contract';

/** `probes`: the status item and the Contract view, whose shown state the hidden stats command reports. */
export function registerContractCommands(service: ContractService, probes: { status?: ContractStatusItem; view?: ContractTreeProvider } = {}): vscode.Disposable[] {
  const report = new ReportDocuments(service);
  return [
    report,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, report),
    vscode.commands.registerCommand('zenops.checkContract', () => checkContract(service)),
    vscode.commands.registerCommand('zenops.selectOpenApiSource', (folder?: vscode.Uri, value?: string) => selectOpenApiSource(service, folder, value)),
    vscode.commands.registerCommand('zenops.showContractReport', (folder?: vscode.Uri) => report.show(folder)),
    vscode.commands.registerCommand(OPEN_OPERATION_COMMAND, (folder: vscode.Uri, method: HttpMethod, opPath: string) => openOperation(service, folder, method, opPath)),
    // Not contributed: lets tests and `Developer: ...` users read the live re-check timings.
    vscode.commands.registerCommand('zenops.contract.stats', () => ({
      firstCheckMs: service.firstCheckMs,
      startsCompleted: service.startsCompleted,
      announcements: [...service.announcements],
      folders: service.all().map((f) => ({ folder: f.folder.name, spec: f.specState.kind, specSource: f.specState.source && describeSpecSource(f.specState.source), editTimingsMs: [...f.editTimings], editRechecks: f.editRechecks, lastScan: f.lastScan })),
      status: probes.status?.shown,
      view: probes.view?.rows(),
    })),
  ];
}

async function checkContract(service: ContractService): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ZenOps: checking the API contract…' }, async () => {
    if (service.all().length === 0) await service.startAll();
    else await service.refreshAll();
  });
  const folders = service.all();
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('ZenOps: no frontend files here to check (see zenops.contract.include).');
    return;
  }
  let errors = 0;
  let warnings = 0;
  let calls = 0;
  const notLoaded = folders.filter((f) => f.specState.kind === 'failed').length;
  for (const folder of folders) {
    if (!folder.report) continue;
    const counts = countBySeverity(folder.report);
    errors += counts.error;
    warnings += counts.warning;
    calls += folder.report.calls.length;
  }
  const summary = `ZenOps: ${calls} API calls checked: ${errors} errors, ${warnings} warnings${notLoaded ? `; the OpenAPI document of ${notLoaded} folder(s) could not be loaded` : ''}.`;
  void vscode.window.showInformationMessage(summary, 'Show Report').then((choice) => {
    if (choice) void vscode.commands.executeCommand('zenops.showContractReport');
  });
}

async function pickFolder(service: ContractService, folder: vscode.Uri | undefined, placeHolder: string): Promise<vscode.WorkspaceFolder | undefined> {
  if (folder) return vscode.workspace.getWorkspaceFolder(folder);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  const active = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
  const checked = new Set(service.all().map((f) => f.folder.uri.toString()));
  const items = [...folders]
    .sort((a, b) => Number(b === active) - Number(a === active) || Number(checked.has(b.uri.toString())) - Number(checked.has(a.uri.toString())))
    .map((f) => ({ label: f.name, description: checked.has(f.uri.toString()) ? 'has frontend code' : '', folder: f }));
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.folder;
}

type SourceItem = vscode.QuickPickItem & { value?: string; action?: 'url' | 'browse' | 'clear' };

async function selectOpenApiSource(service: ContractService, folderUri?: vscode.Uri, value?: string): Promise<void> {
  const folder = await pickFolder(service, folderUri, 'Which folder’s OpenAPI source?');
  if (!folder) return;
  if (value !== undefined) {
    await writeFolderSetting(folder, 'contract.spec', value);
    return;
  }
  const config = vscode.workspace.getConfiguration('zenops', folder.uri);
  const current = config.get<string>('contract.spec', '');
  const apiUrl = config.get<string>('api.url', 'http://localhost:8000');
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, SPEC_FILE_GLOB), SPEC_FILE_EXCLUDE, 50);
  const items: SourceItem[] = found
    .map((uri) => path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/'))
    .sort()
    .map((rel) => ({ label: `$(file-code) ${rel}`, description: rel === current ? 'current' : 'in this folder', value: rel }));
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(globe) Enter URL…', description: `e.g. ${apiUrl.replace(/\/+$/, '')}/openapi.json`, action: 'url' },
    { label: '$(folder-opened) Browse…', action: 'browse' },
  );
  if (current) items.push({ label: '$(discard) Find automatically', description: `clears zenops.contract.spec (now ${current})`, action: 'clear' });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `OpenAPI document for ${folder.name}`, matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) return;
  let chosen: string | undefined = picked.value;
  if (picked.action === 'url') {
    chosen = await vscode.window.showInputBox({
      prompt: 'URL of the OpenAPI document (FastAPI serves it at /openapi.json)',
      ignoreFocusOut: true,
      value: /^https?:\/\//.test(current) ? current : `${apiUrl.replace(/\/+$/, '')}/openapi.json`,
      validateInput: (text) => (/^https?:\/\/\S+$/.test(text.trim()) ? undefined : 'Enter an http:// or https:// URL'),
    });
    chosen = chosen?.trim();
  } else if (picked.action === 'browse') {
    const uris = await vscode.window.showOpenDialog({
      defaultUri: folder.uri,
      canSelectMany: false,
      openLabel: 'Use as OpenAPI document',
      filters: { 'OpenAPI documents': ['json', 'yaml', 'yml'] },
    });
    if (!uris?.[0]) return;
    const rel = path.relative(folder.uri.fsPath, uris[0].fsPath);
    chosen = rel.startsWith('..') || path.isAbsolute(rel) ? uris[0].fsPath : rel.split(path.sep).join('/');
  } else if (picked.action === 'clear') {
    chosen = '';
  }
  if (chosen === undefined) return;
  await writeFolderSetting(folder, 'contract.spec', chosen === '' ? undefined : chosen);
}

async function openOperation(service: ContractService, folderUri: vscode.Uri, method: HttpMethod, opPath: string): Promise<void> {
  const folder = service.all().find((f) => f.folder.uri.toString() === folderUri.toString());
  const spec = folder?.spec;
  const operation = spec?.operations.find((op) => op.method === method && op.path === opPath);
  if (!folder || !operation) {
    void vscode.window.showWarningMessage(`ZenOps: ${method} ${opPath} is not in the loaded OpenAPI document.`);
    return;
  }
  const file = folder.specFile;
  if (file) {
    const line = Math.max(0, (operation.line ?? 1) - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(line, 0, line, 0), preview: true });
  } else {
    await vscode.env.openExternal(vscode.Uri.parse(docsLink(folder.settings.api.url, operation), true));
  }
}

/** The report as a read-only Markdown document that follows the live state while open. */
class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: ContractService) {
    this.subscription = service.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === REPORT_SCHEME) this.emitter.fire(doc.uri);
    });
  }

  async show(folderUri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folders = this.service.all();
    let folder: FolderContract | undefined;
    if (folderUri) folder = folders.find((f) => f.folder.uri.toString() === folderUri.toString());
    else if (folders.length === 1) folder = folders[0];
    else if (folders.length > 1) {
      const picked = await vscode.window.showQuickPick(folders.map((f) => ({ label: f.folder.name, folder: f })), { placeHolder: 'Report for which folder?' });
      folder = picked?.folder;
    }
    if (!folder) {
      if (folders.length === 0) void vscode.window.showInformationMessage('ZenOps: no folder with frontend code is being checked.');
      return undefined;
    }
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${folder.folder.name} API contract.md`, query: folder.folder.uri.toString() });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const folder = this.service.all().find((f) => f.folder.uri.toString() === uri.query);
    if (!folder) return '# API contract\n\nThis folder is not checked (no frontend files match zenops.contract.include).\n';
    const state = folder.specState;
    if (state.kind === 'failed') {
      return `# API contract: ${folder.folder.name}\n\nThe OpenAPI document could not be loaded, so nothing was checked:\n\n> ${state.message}\n\nRun **ZenOps: Select OpenAPI Source** to choose it.\n`;
    }
    if (state.kind === 'loading' || !folder.report) return `# API contract: ${folder.folder.name}\n\nChecking…\n`;
    return formatReportMarkdown(folder.report, state.spec, folder.folder.uri.fsPath, folder.folder.name);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
