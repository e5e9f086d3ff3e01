// Runs one FolderContract per workspace folder that has frontend code, routes editor events to it,
// publishes its diagnostics, and says once per folder and cause when no spec could be loaded.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import picomatch from 'picomatch';
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { log } from '../log';
import type { SpecOperation } from '../core/contract/types';
import { diagnosticsFor } from './diagnostics';
import type { FolderChange, FolderContract } from './folderContract';

export const SELECT_SOURCE_COMMAND = 'zenops.selectOpenApiSource';
const CONFIGURE = 'Configure OpenAPI Source';

export class ContractService implements vscode.Disposable {
  private readonly folders = new Map<string, FolderContract>();
  private readonly published = new Map<string, Set<string>>();
  private readonly notified = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Something about some folder changed: its spec state, its calls, or the set of folders. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Bumped per folder restart, so a slow start of an old configuration is dropped. */
  private readonly generations = new Map<string, number>();
  /** The "spec not loaded" warnings shown so far (folder: message), newest last. */
  readonly announcements: string[] = [];
  /** Folder (re)starts that finished their first check and took over. */
  startsCompleted = 0;
  /** Time from the first startAll until every folder had its first check, in ms. */
  firstCheckMs: number | undefined;
  private readonly operationNotesEmitter = new vscode.EventEmitter<void>();
  /** The notes on unused operations changed (live traffic arrived): the Contract view redraws. */
  readonly onDidChangeOperationNotes = this.operationNotesEmitter.event;
  /** Says more about an operation no call reaches (set by the traffic capability: other clients use it, or nothing does). */
  unusedOperationNote: ((folder: FolderContract, operation: SpecOperation) => string | undefined) | undefined;

  /** `cacheDir`: where each folder's scan cache goes (the extension's workspace storage); none: no cache. */
  constructor(
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly cacheDir?: string,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const folder of e.removed) this.forget(folder.uri.toString());
        for (const folder of e.added) void this.startFolder(folder);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          if (e.affectsConfiguration('zenops', folder.uri)) void this.startFolder(folder);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.folderOf(e.document.uri)?.onDocumentChanged(e.document);
        for (const folder of this.folders.values()) folder.onSpecDocumentChanged(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.folderOf(document.uri)?.onDocumentClosed(document);
        for (const folder of this.folders.values()) folder.onSpecDocumentClosed(document);
      }),
    );
  }

  setUnusedOperationNote(note: ((folder: FolderContract, operation: SpecOperation) => string | undefined) | undefined): void {
    this.unusedOperationNote = note;
    this.operationNotesEmitter.fire();
  }

  /** Starts every folder; resolves when each has been checked once. */
  async startAll(): Promise<void> {
    const started = performance.now();
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((folder) => this.startFolder(folder)));
    this.firstCheckMs ??= performance.now() - started;
  }

  /** Re-reads every folder's files and spec (the Check API Contract command). */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.folders.values()].map((folder) => folder.refresh()));
  }

  all(): FolderContract[] {
    return [...this.folders.values()];
  }

  folderOf(uri: vscode.Uri): FolderContract | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }

  private async startFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const settings = readSettings(folder.uri);
    if (!(await hasFrontendCode(folder, settings.contract.include, settings.contract.exclude))) {
      if (this.generations.get(key) !== generation) return;
      this.stopFolder(key);
      log().info(`contract: ${folder.name}: no frontend files match zenops.contract.include; not checked`);
      this.changeEmitter.fire();
      return;
    }
    // The engine (parser, HTTP client) loads only once some folder needs it.
    const { FolderContract } = await import('./engine.js');
    if (this.generations.get(key) !== generation) return;
    const cacheFile = this.cacheDir ? path.join(this.cacheDir, `${crypto.createHash('sha1').update(key).digest('hex').slice(0, 16)}.json`) : undefined;
    const contract = new FolderContract(folder, settings, cacheFile);
    contract.onDidChange((change) => this.onFolderChanged(contract, change));
    // A restart (a setting changed) keeps the previous checker's squiggles, hovers and fixes until the
    // new one has checked everything once: no flicker, and never a moment with nothing to hover.
    const restarting = this.folders.has(key);
    if (!restarting) this.folders.set(key, contract);
    try {
      await contract.start();
    } catch (error) {
      log().error(`contract: ${folder.name}: check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (this.generations.get(key) !== generation) {
      // A newer start replaces this one when it is done (or a removal already stopped it).
      if (this.folders.get(key) !== contract) contract.dispose();
      return;
    }
    if (restarting) {
      const previous = this.folders.get(key);
      this.folders.set(key, contract);
      previous?.dispose();
      this.onFolderChanged(contract, {});
    }
    this.startsCompleted++;
  }

  /** Stops a folder for good: a start still in progress is dropped when it ends. */
  private forget(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.stopFolder(key);
  }

  private stopFolder(key: string): void {
    const contract = this.folders.get(key);
    if (!contract) return;
    this.folders.delete(key);
    contract.dispose();
    for (const uri of this.published.get(key) ?? []) this.diagnostics.delete(vscode.Uri.parse(uri));
    this.published.delete(key);
    this.changeEmitter.fire();
  }

  private onFolderChanged(contract: FolderContract, change: FolderChange): void {
    if (this.folders.get(contract.folder.uri.toString()) !== contract) return;
    this.publish(contract, change);
    this.announceSpecProblem(contract);
    this.changeEmitter.fire();
  }

  private publish(contract: FolderContract, change: FolderChange): void {
    const key = contract.folder.uri.toString();
    let published = this.published.get(key);
    if (!published) this.published.set(key, (published = new Set()));
    const showUnresolved = contract.settings.contract.showUnresolved;
    const files = change.files ?? [...new Set([...[...published].map((u) => vscode.Uri.parse(u).fsPath), ...contract.checkedFiles()])];
    for (const file of files) {
      const uri = vscode.Uri.file(file);
      const diagnostics = diagnosticsFor(contract.checkedCallsOf(file), showUnresolved);
      if (diagnostics.length > 0) {
        this.diagnostics.set(uri, diagnostics);
        published.add(uri.toString());
      } else if (published.delete(uri.toString())) {
        this.diagnostics.delete(uri);
      }
    }
  }

  private announceSpecProblem(contract: FolderContract): void {
    const state = contract.specState;
    if (state.kind !== 'failed') return;
    const key = `${contract.folder.uri.toString()}\n${state.cause}`;
    if (this.notified.has(key)) return;
    this.notified.add(key);
    this.announcements.push(`${contract.folder.name}: ${state.message}`);
    log().info(`contract: ${contract.folder.name}: telling the user the spec is not loaded (${state.cause})`);
    const where = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? ` in ${contract.folder.name}` : '';
    void vscode.window
      .showWarningMessage(`ZenOps: API calls are not checked${where}: the OpenAPI document ${state.empty ? 'has no operations' : 'could not be loaded'}. ${state.message}`, CONFIGURE)
      .then((choice) => {
        if (choice === CONFIGURE) void vscode.commands.executeCommand(SELECT_SOURCE_COMMAND, contract.folder.uri);
      });
  }

  dispose(): void {
    for (const key of new Set([...this.folders.keys(), ...this.generations.keys()])) this.forget(key);
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
    this.operationNotesEmitter.dispose();
  }
}

/** True when the folder has at least one file the contract check would read. */
async function hasFrontendCode(folder: vscode.WorkspaceFolder, include: string[], exclude: string[]): Promise<boolean> {
  const excluded = picomatch(exclude, { dot: true });
  for (const pattern of include) {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern), '**/node_modules/**', 50);
    if (uris.some((uri) => !excluded(vscode.workspace.asRelativePath(uri, false)))) return true;
  }
  return false;
}
