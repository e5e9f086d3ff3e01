// One workspace folder's contract state: its spec (loaded, watched or polled), its scanner, and the
// checked calls, kept current as files are edited, created, deleted and the spec changes.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import picomatch from 'picomatch';
import * as vscode from 'vscode';
import { checkContract } from '../core/contract/checkContract';
import { hasNoOperations, loadSpec, noOperationsMessage, parseSpecText, SpecLoadError } from '../core/contract/loadSpec';
import { SpecIndex } from '../core/contract/matchOperation';
import { pollSpecUrl, type SpecVersion } from '../core/contract/specPoller';
import { chooseSpecSource, describeSpecSource, SPEC_FILE_EXCLUDE, SPEC_FILE_GLOB, type SpecSource } from '../core/contract/specSource';
import type { ApiCall, CheckedCall, ContractReport, LoadedSpec, SkippedFile } from '../core/contract/types';
import type { ZenOpsSettings } from '../core/settings';
import { log } from '../log';
import { ScanClient } from './scanClient';

export type SpecState =
  | { kind: 'loading'; source?: SpecSource }
  /** `bufferError`: the open spec document has unsaved edits that do not parse; the last good spec stays. */
  | { kind: 'loaded'; source: SpecSource; spec: LoadedSpec; bufferError?: string }
  /**
   * `cause` identifies the problem (kind + source), so it is announced once, not on every poll. `empty`: the
   * document loaded but has no operations (e.g. the backend's routers failed to mount): checking against it
   * would flag every call, so it counts as not loaded.
   */
  | { kind: 'failed'; source: SpecSource; message: string; cause: string; empty?: boolean };

/** Which files' checked calls changed; undefined = all of them. */
export interface FolderChange {
  files?: string[];
}

const EDIT_DEBOUNCE_MS = 300;
const SPEC_DEBOUNCE_MS = 300;
const SPEC_TIMEOUT_MS = 10_000;
const TIMINGS_KEPT = 100;

/** Extension-host thread time one live re-check has taken so far. */
interface HostTiming {
  hostMs: number;
}

export class FolderContract implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<FolderChange>();
  readonly onDidChange = this.changeEmitter.event;
  specState: SpecState = { kind: 'loading' };
  report: ContractReport | undefined;
  /** The last full scan: its time, and how many files' findings came from the scan cache. */
  lastScan: { ms: number; cachedFiles: number; cacheProblem?: string } | undefined;
  /**
   * Milliseconds of extension-host thread time each live re-check of an edited file took, newest last: the
   * debounce callback (reading the buffer, posting it to the scan worker) plus handling the worker's reply
   * (matching, publishing diagnostics, status and view updates). Parsing runs in the worker and is not counted.
   */
  readonly editTimings: number[] = [];
  /** How many live re-checks of edited files ran in all (editTimings keeps only the last ones). */
  editRechecks = 0;

  private readonly root: string;
  private readonly scanner: ScanClient;
  private readonly matchesInclude: picomatch.Matcher;
  private readonly matchesExclude: picomatch.Matcher;
  private index: SpecIndex | undefined;
  private readonly calls = new Map<string, ApiCall[]>();
  private skipped: SkippedFile[] = [];
  private files = 0;
  private byFile = new Map<string, CheckedCall[]>();
  /** Operations each file's calls reach (ignored calls included), for `unused`. */
  private reachedByFile = new Map<string, Set<string>>();
  /** Every operation key in spec order, from checking no calls at all. */
  private allOperations: string[] = [];
  /** Latest text waiting for a file whose previous update is still in the worker. */
  private readonly queuedText = new Map<string, { text: string; timing?: HostTiming }>();
  private readonly inFlight = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private specDisposables: vscode.Disposable[] = [];
  private readonly editTimers = new Map<string, NodeJS.Timeout>();
  private readonly editedInBuffer = new Set<string>();
  private specTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private specVersion: SpecVersion | undefined;
  private polling: Promise<void> | undefined;
  /** Bumped by every spec (re)load, so a slow load never overwrites a newer one. */
  private specGeneration = 0;
  private disposed = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    readonly settings: ZenOpsSettings,
    /** Where full scans keep their per-file findings between sessions (in the extension's workspace storage). */
    cacheFile?: string,
  ) {
    this.root = folder.uri.fsPath;
    const { include, exclude } = settings.contract;
    this.scanner = new ScanClient(this.root, { include, exclude, cacheFile });
    this.matchesInclude = picomatch(include, { dot: true });
    this.matchesExclude = picomatch(exclude, { dot: true });
    for (const pattern of include) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, pattern));
      watcher.onDidCreate((uri) => this.onFileChangedOnDisk(uri), undefined, this.disposables);
      watcher.onDidChange((uri) => this.onFileChangedOnDisk(uri), undefined, this.disposables);
      this.disposables.push(watcher);
    }
    // Deleting, moving or renaming a folder reports the folder only, which no include glob matches: watch
    // every deletion, and every creation for folders.
    const everything = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'), false, true, false);
    everything.onDidCreate((uri) => void this.onCreated(uri), undefined, this.disposables);
    everything.onDidDelete((uri) => this.onDeleted(uri), undefined, this.disposables);
    this.disposables.push(everything);
  }

  /** Loads the spec and scans every file, then checks. */
  async start(): Promise<void> {
    const spec = this.reloadSpec().then(() => {
      // No spec: say so (and clear squiggles) now, not after the scan.
      if (this.specState.kind === 'failed') this.recheck();
    });
    await Promise.all([spec, this.scanAll()]);
    this.recheck();
  }

  /** Everything again, from disk and the spec source (the Check API Contract command). */
  async refresh(): Promise<void> {
    this.specVersion = undefined;
    await this.start();
  }

  isCandidate(file: string): boolean {
    const rel = path.relative(this.root, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const posix = rel.split(path.sep).join('/');
    return this.matchesInclude(posix) && !this.matchesExclude(posix);
  }

  contains(file: string): boolean {
    const rel = path.relative(this.root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /** Checked calls of a file (empty when no spec is loaded). */
  checkedCallsOf(file: string): CheckedCall[] {
    return this.byFile.get(file) ?? [];
  }

  /** Files that have checked calls right now. */
  checkedFiles(): string[] {
    return [...this.byFile.keys()];
  }

  get spec(): LoadedSpec | undefined {
    return this.specState.kind === 'loaded' ? this.specState.spec : undefined;
  }

  get specFile(): string | undefined {
    const source = this.specState.source;
    return source?.kind === 'file' ? source.file : undefined;
  }

  // --- frontend files ---

  private async scanAll(): Promise<void> {
    const started = performance.now();
    const { result, cachedFiles, cacheProblem } = await this.scanner.scanAll();
    if (cacheProblem) log().warn(`contract: ${this.folder.name}: scan cache: ${cacheProblem}`);
    this.lastScan = { ms: performance.now() - started, cachedFiles, cacheProblem };
    this.calls.clear();
    for (const call of result.calls) {
      const list = this.calls.get(call.file);
      if (list) list.push(call);
      else this.calls.set(call.file, [call]);
    }
    this.files = result.files;
    this.skipped = result.skipped;
    log().info(
      `contract: scanned ${this.folder.name}: ${result.calls.length} calls in ${result.files} files` +
        `${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}${cachedFiles ? `, ${cachedFiles} files from the scan cache` : ''}` +
        ` (${Math.round(performance.now() - started)} ms)`,
    );
  }

  /** An open document changed: re-parse only it (and the files that import what it exports), debounced. */
  onDocumentChanged(document: vscode.TextDocument): void {
    const file = document.uri.fsPath;
    if (document.uri.scheme !== 'file' || !this.isCandidate(file)) return;
    clearTimeout(this.editTimers.get(file));
    this.editTimers.set(
      file,
      setTimeout(() => {
        const started = performance.now();
        this.editTimers.delete(file);
        this.editedInBuffer.add(file);
        const timing: HostTiming = { hostMs: 0 };
        // Runs synchronously up to the worker request, so this covers reading the buffer and posting it.
        const update = this.updateFile(file, document.getText(), timing);
        timing.hostMs += performance.now() - started;
        void update;
      }, EDIT_DEBOUNCE_MS),
    );
  }

  /** A document closed: if it had unsaved edits that were checked, go back to what is on disk. */
  onDocumentClosed(document: vscode.TextDocument): void {
    const file = document.uri.fsPath;
    if (this.editedInBuffer.delete(file)) void this.updateFromDisk(file);
  }

  private onFileChangedOnDisk(uri: vscode.Uri): void {
    const file = uri.fsPath;
    if (!this.isCandidate(file)) return;
    // While a document is open its buffer is the truth; its own change events cover it.
    if (vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file)) return;
    void this.updateFromDisk(file);
  }

  private async updateFromDisk(file: string): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      await this.removeFile(file);
      return;
    }
    if (!this.calls.has(file)) this.files++;
    await this.updateFile(file, text);
  }

  /** A folder appeared (moved, renamed, copied or checked out): read the files under it, which report no events of their own. */
  private async onCreated(uri: vscode.Uri): Promise<void> {
    // Files are the include watchers' business; excluded folders (node_modules being installed) are not read.
    const rel = path.relative(this.root, uri.fsPath).split(path.sep).join('/');
    if (!this.contains(uri.fsPath) || this.isCandidate(uri.fsPath) || this.matchesExclude(rel)) return;
    try {
      if (((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) === 0) return;
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), undefined, 5000);
      for (const file of found.map((u) => u.fsPath)) {
        if (this.disposed) return;
        if (!this.isCandidate(file) || this.calls.has(file)) continue;
        if (vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file)) continue;
        void this.updateFromDisk(file);
      }
    } catch {
      // Gone again before it could be read: its deletion event follows.
    }
  }

  /** A file or a whole folder went away: forget every file with calls under it. */
  private onDeleted(uri: vscode.Uri): void {
    const gone = uri.fsPath;
    const inside = gone.endsWith(path.sep) ? gone : gone + path.sep;
    for (const file of [...this.calls.keys()]) {
      if (file === gone || file.startsWith(inside)) void this.removeFile(file);
    }
    if (!this.calls.has(gone) && this.isCandidate(gone)) void this.removeFile(gone);
  }

  private async removeFile(file: string): Promise<void> {
    if (this.disposed) return;
    const changed = await this.scanner.removeFile(file);
    if (this.disposed) return;
    this.calls.delete(file);
    this.files = Math.max(0, this.files - 1);
    for (const [f, calls] of changed) this.calls.set(f, calls);
    this.recheck([file, ...changed.keys()]);
  }

  /**
   * Sends the file to the worker; while one update of it is in flight only the latest text waits. `timing`
   * (live edits only): host-thread time spent on this re-check so far; the reply's handling is added, then recorded.
   */
  private async updateFile(file: string, text: string, timing?: HostTiming): Promise<void> {
    if (this.disposed) return;
    if (this.inFlight.has(file)) {
      this.queuedText.set(file, { text, timing });
      return;
    }
    this.inFlight.add(file);
    try {
      const sent = performance.now();
      const { changed, unparsable } = await this.scanner.updateFile(file, text);
      if (this.disposed) return;
      const replied = performance.now();
      // Half-typed code: keep the last good findings (the editor moves their squiggles along with the text).
      if (!unparsable) {
        for (const [f, calls] of changed) this.calls.set(f, calls);
        this.recheck([file, ...changed.keys()]);
      }
      if (timing) {
        const ms = timing.hostMs + (performance.now() - replied);
        this.editRechecks++;
        this.editTimings.push(ms);
        if (this.editTimings.length > TIMINGS_KEPT) this.editTimings.shift();
        log().debug(
          `contract: re-checked ${path.relative(this.root, file)}${unparsable ? ' (does not parse, findings kept)' : ` (+${changed.size - (changed.has(file) ? 1 : 0)} dependents)`}: ` +
            `${ms.toFixed(1)} ms on the host thread, ${(replied - sent).toFixed(0)} ms waiting for the scan worker`,
        );
      }
    } catch (error) {
      log().error(`contract: re-checking ${path.relative(this.root, file)} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.inFlight.delete(file);
      const queued = this.queuedText.get(file);
      if (queued) {
        this.queuedText.delete(file);
        const started = performance.now();
        const update = this.updateFile(file, queued.text, queued.timing);
        if (queued.timing) queued.timing.hostMs += performance.now() - started;
        void update;
      }
    }
  }

  /**
   * Checks the calls of `files` (all files when undefined) against the spec index, then puts the folder's
   * report together from the per-file results: an edit costs matching one file's calls, not the workspace's.
   */
  private recheck(files?: string[]): void {
    if (this.disposed) return;
    if (this.specState.kind !== 'loaded' || !this.index) {
      this.report = undefined;
      this.byFile = new Map();
      this.reachedByFile = new Map();
      this.changeEmitter.fire({});
      return;
    }
    const targets = files ? new Set(files) : new Set(this.calls.keys());
    if (!files) {
      this.byFile = new Map();
      this.reachedByFile = new Map();
    }
    for (const file of targets) {
      const calls = this.calls.get(file) ?? [];
      if (calls.length === 0) {
        this.byFile.delete(file);
        this.reachedByFile.delete(file);
        continue;
      }
      const partial = this.check(calls);
      const unused = new Set(partial.unused);
      this.byFile.set(file, partial.calls);
      this.reachedByFile.set(file, new Set(this.allOperations.filter((key) => !unused.has(key))));
    }
    const reached = new Set<string>();
    for (const set of this.reachedByFile.values()) for (const key of set) reached.add(key);
    const calls: CheckedCall[] = [];
    for (const file of [...this.byFile.keys()].sort()) calls.push(...(this.byFile.get(file) ?? []));
    const spec = this.specState.spec;
    this.report = {
      spec: { source: spec.source, title: spec.title, operations: spec.operations.length },
      files: this.files,
      calls,
      skipped: this.skipped,
      unused: this.allOperations.filter((key) => !reached.has(key)),
    };
    if (!files) log().info(`contract: ${this.folder.name}: ${calls.length} calls checked, ${calls.filter((c) => c.result.status !== 'ok').length} not ok`);
    this.changeEmitter.fire(files ? { files: [...targets] } : {});
  }

  private check(calls: ApiCall[]): ContractReport {
    const { contract, api } = this.settings;
    const spec = this.spec as LoadedSpec;
    return checkContract(
      { calls, files: 0, skipped: [] },
      spec,
      { extraRoutes: contract.extraRoutes, ignoreCalls: contract.ignoreCalls, apiOrigins: contract.apiOrigins, apiUrl: api.url },
      this.index,
    );
  }

  // --- the spec ---

  /** Works out the spec source again and loads it (setting changes restart the whole folder instead). */
  async reloadSpec(): Promise<void> {
    const generation = ++this.specGeneration;
    const source = await this.resolveSpecSource();
    if (generation !== this.specGeneration || this.disposed) return;
    this.watchSpec(source);
    if (source.kind === 'url') {
      this.specVersion = undefined;
      await this.pollOnce(source);
      return;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === source.file && d.isDirty);
    try {
      const spec = open
        ? parseSpecText(open.getText(), source.display, { apiPrefix: this.settings.contract.apiPrefix })
        : await loadSpec(source.display, { cwd: this.root, apiPrefix: this.settings.contract.apiPrefix });
      if (generation === this.specGeneration) this.setSpec(source, spec);
    } catch (error) {
      if (generation === this.specGeneration) this.setFailed(source, error);
    }
  }

  private async resolveSpecSource(): Promise<SpecSource> {
    const setting = this.settings.contract.spec;
    let found: string[] = [];
    if (setting.trim() === '') {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, SPEC_FILE_GLOB), SPEC_FILE_EXCLUDE, 20);
      found = uris.map((uri) => uri.fsPath);
    }
    return chooseSpecSource(this.root, setting, found, this.settings.api.url);
  }

  private watchSpec(source: SpecSource): void {
    for (const d of this.specDisposables) d.dispose();
    this.specDisposables = [];
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    if (source.kind === 'file') {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(path.dirname(source.file)), path.basename(source.file)),
      );
      const reload = (): void => {
        if (vscode.workspace.textDocuments.some((d) => d.uri.fsPath === source.file && d.isDirty)) return;
        this.scheduleSpecReload();
      };
      watcher.onDidChange(reload, undefined, this.specDisposables);
      watcher.onDidCreate(reload, undefined, this.specDisposables);
      watcher.onDidDelete(reload, undefined, this.specDisposables);
      this.specDisposables.push(watcher);
    } else {
      const seconds = this.settings.contract.specPollInterval;
      if (seconds > 0) this.pollTimer = setInterval(() => void this.pollOnce(source), seconds * 1000);
    }
    if (source.origin !== 'setting') {
      // The spec was found (or defaulted): a spec file appearing or going away can change the choice.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.folder, SPEC_FILE_GLOB), false, true, false);
      watcher.onDidCreate(() => this.scheduleSpecReload(), undefined, this.specDisposables);
      watcher.onDidDelete(() => this.scheduleSpecReload(), undefined, this.specDisposables);
      this.specDisposables.push(watcher);
    }
  }

  private scheduleSpecReload(): void {
    clearTimeout(this.specTimer);
    this.specTimer = setTimeout(() => {
      void this.reloadSpec().then(() => this.recheck());
    }, SPEC_DEBOUNCE_MS);
  }

  private pollOnce(source: Extract<SpecSource, { kind: 'url' }>): Promise<void> {
    // One poll at a time: a slow server must not pile requests up.
    this.polling ??= (async () => {
      const generation = this.specGeneration;
      try {
        const result = await pollSpecUrl(source.url, this.specVersion, { apiPrefix: this.settings.contract.apiPrefix, timeoutMs: SPEC_TIMEOUT_MS });
        if (generation !== this.specGeneration || this.disposed) return;
        this.specVersion = result.version;
        if (result.changed) {
          this.setSpec(source, result.spec);
          this.recheck();
        }
      } catch (error) {
        if (generation !== this.specGeneration || this.disposed) return;
        this.specVersion = undefined;
        const wasFailed = this.specState.kind === 'failed';
        this.setFailed(source, error);
        if (!wasFailed) this.recheck();
        else this.changeEmitter.fire({});
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }

  /** The open spec document changed: parse the buffer (debounced); a broken buffer keeps the last good spec. */
  onSpecDocumentChanged(document: vscode.TextDocument): void {
    const source = this.specState.source;
    if (source?.kind !== 'file' || document.uri.fsPath !== source.file) return;
    clearTimeout(this.specTimer);
    this.specTimer = setTimeout(() => {
      const generation = ++this.specGeneration;
      try {
        const spec = parseSpecText(document.getText(), source.display, { apiPrefix: this.settings.contract.apiPrefix });
        if (generation === this.specGeneration) this.setSpec(source, spec);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (this.specState.kind === 'loaded') this.specState = { ...this.specState, bufferError: message };
        else this.setFailed(source, error);
      }
      this.recheck();
    }, SPEC_DEBOUNCE_MS);
  }

  /** The spec document closed (maybe with edits thrown away): read it from disk again. */
  onSpecDocumentClosed(document: vscode.TextDocument): void {
    if (document.uri.fsPath === this.specFile) this.scheduleSpecReload();
  }

  private setSpec(source: SpecSource, spec: LoadedSpec): void {
    if (hasNoOperations(spec)) {
      this.setEmpty(source);
      return;
    }
    this.index = new SpecIndex(spec, this.settings.contract.extraRoutes);
    if (this.index.invalidExtraRoutes.length > 0) {
      log().warn(`contract: ${this.folder.name}: zenops.contract.extraRoutes entries not understood: ${this.index.invalidExtraRoutes.join(', ')}`);
    }
    const first = this.specState.kind !== 'loaded';
    this.specState = { kind: 'loaded', source, spec };
    this.allOperations = this.check([]).unused;
    if (first) log().info(`contract: ${this.folder.name}: spec ${describeSpecSource(source)} loaded, ${spec.operations.length} operations`);
  }

  /** A document with no operations at all: nothing to check against, so nothing is flagged (never "everything is missing"). */
  private setEmpty(source: SpecSource): void {
    const message = `${noOperationsMessage(describeSpecSource(source))}: did the backend's routers fail to mount?`;
    if (this.specState.kind !== 'failed' || this.specState.message !== message) {
      log().warn(`contract: ${this.folder.name}: spec not used: ${message}`);
    }
    this.index = undefined;
    this.specState = { kind: 'failed', source, message, cause: `empty ${describeSpecSource(source)}`, empty: true };
  }

  private setFailed(source: SpecSource, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const kind = error instanceof SpecLoadError ? error.kind : 'error';
    const cause = `${kind} ${describeSpecSource(source)}`;
    if (this.specState.kind !== 'failed' || this.specState.message !== message) {
      log().warn(`contract: ${this.folder.name}: spec not loaded: ${message}`);
    }
    this.index = undefined;
    this.specState = { kind: 'failed', source, message, cause };
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.editTimers.values()) clearTimeout(timer);
    clearTimeout(this.specTimer);
    clearInterval(this.pollTimer);
    for (const d of [...this.specDisposables, ...this.disposables]) d.dispose();
    this.scanner.dispose();
    this.changeEmitter.dispose();
  }
}
