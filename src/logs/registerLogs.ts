// Wires recent Loki errors into VS Code: the Logs tree, the log panel, the commands, and a poller (or live tail)
// that pauses while the window is unfocused and both views are hidden. Everything it knows comes from src/core/logs.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { createTlsDispatcher, redactUrl } from '../core/http/getJson';
import { PanelBuffer, type PanelMessage, type PanelRow } from '../core/logs/logPanel';
import { LokiClient } from '../core/logs/lokiClient';
import { selectorFor } from '../core/logs/lokiStreams';
import { buildLogsTree, frameTargetFrom, grafanaLokiExploreUrl, grafanaTraceUrl, isInsideFolders, type FrameTarget, type LogsNode, type LogsViewState } from '../core/logs/logsTree';
import { listWorkspaceFiles, mapFrameToWorkspace, normalizePathMappings } from '../core/logs/mapFrameToWorkspace';
import { parseLokiEntries } from '../core/logs/parseLogEntry';
import { fetchRecentErrors, recentErrorsParamsFrom } from '../core/logs/recentErrors';
import type { LokiTail, TailState } from '../core/logs/tailLogs';
import type { StackFrame } from '../core/logs/types';
import type { ZenOpsSettings } from '../core/settings';
import { onDidChangeCredential, readCredential } from '../credentials';
import { log } from '../log';
import { LOG_PANEL_VIEW, LogPanelProvider, type LogPanelSource } from './logPanelView';
import { LogsTreeProvider, OPEN_FRAME_COMMAND, SHOW_IN_PANEL_COMMAND, type LogsElement } from './logsView';

const LOGS_SECTIONS = ['zenops.loki', 'zenops.logs', 'zenops.grafana', 'zenops.tls'];
const FILE_LIST_TTL_MS = 60_000;

/** What tests and the `zenops.logs.state` command may read about the running Logs capability. */
export interface LogsStateSnapshot {
  state: LogsViewState['kind'];
  tree: LogsNode[];
  panel: { html: string; rows: PanelRow[]; lines: number; rejectedMessages: number; visible: boolean };
  paused: boolean;
  /** A (re)start or a read of Loki is under way. */
  reading: boolean;
  tail?: TailState['kind'];
  /** URLs given to openExternal (Explore, traces), newest last: a popup in a browser is out of the test's sight. */
  opened: string[];
}

export interface LogsHandle {
  refresh(): Promise<void>;
  snapshot(): LogsStateSnapshot;
}

export function registerLogs(context: vscode.ExtensionContext): LogsHandle {
  const controller = new LogsController(context);
  context.subscriptions.push(controller);
  void controller.start();
  return controller;
}

class LogsController implements vscode.Disposable, LogsHandle, LogPanelSource {
  private readonly tree = new LogsTreeProvider();
  private readonly view: vscode.TreeView<LogsElement>;
  private readonly panel: LogPanelProvider;
  private readonly disposables: vscode.Disposable[] = [];
  private settings: ZenOpsSettings = readSettings(undefined);
  private client: LokiClient | undefined;
  private closeDispatcher: (() => void) | undefined;
  private buffer = new PanelBuffer(this.settings.logs.maxLines);
  private state: LogsViewState = { kind: 'loading' };
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private abort = new AbortController();
  private tail: LokiTail | undefined;
  private tailState: TailState | undefined;
  private tailRefreshTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private generation = 0;
  private starting = 0;
  private source = '';
  private lastLogged = '';
  private fileList: { at: number; files: string[] } | undefined;
  private readonly opened: string[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.panel = new LogPanelProvider(context.extensionUri, this);
    this.view = vscode.window.createTreeView('zenops.logs', { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.tree,
      this.panel,
      vscode.window.registerWebviewViewProvider(LOG_PANEL_VIEW, this.panel),
      vscode.commands.registerCommand('zenops.refreshLogs', () => this.refresh()),
      vscode.commands.registerCommand('zenops.setLokiCredentials', () => vscode.commands.executeCommand('zenops.setCredentials', 'loki')),
      vscode.commands.registerCommand(OPEN_FRAME_COMMAND, (e?: LogsElement) => {
        const target = e && this.tree.node(e)?.open;
        return target ? this.openFrame(target) : undefined;
      }),
      vscode.commands.registerCommand(SHOW_IN_PANEL_COMMAND, async (e?: LogsElement) => {
        const key = e && this.tree.node(e)?.entryKey;
        const record = key ? this.buffer.findByKey(key) : undefined;
        if (!record) return;
        await vscode.commands.executeCommand(`${LOG_PANEL_VIEW}.focus`);
        this.panel.reveal(record.row.id);
      }),
      vscode.commands.registerCommand('zenops.logs.copy', async (e?: LogsElement) => {
        const text = e && this.tree.node(e)?.copyText;
        if (text) await vscode.env.clipboard.writeText(text);
      }),
      vscode.commands.registerCommand('zenops.logs.openInGrafana', () => this.openExternal(grafanaLokiExploreUrl(this.settings.grafana.url, this.settings.loki.query))),
      vscode.commands.registerCommand('zenops.logs.state', () => this.snapshot()),
      this.view.onDidChangeVisibility(() => this.updatePause()),
      this.panel.onDidChangeVisibility(() => this.updatePause()),
      vscode.window.onDidChangeWindowState(() => this.updatePause()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (LOGS_SECTIONS.some((s) => e.affectsConfiguration(s))) {
          log().info('logs: settings changed, reading Loki again');
          void this.start();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.fileList = undefined;
        void this.start();
      }),
      onDidChangeCredential(context.secrets, (source) => {
        if (source === 'loki') void this.start();
      }),
    );
    this.render();
  }

  snapshot(): LogsStateSnapshot {
    return {
      state: this.state.kind,
      tree: [...this.tree.current],
      panel: { html: this.panel.lastHtml, rows: this.buffer.rows(), lines: this.buffer.lines, rejectedMessages: this.panel.rejectedMessages, visible: this.panel.visible },
      paused: this.paused,
      reading: this.starting > 0 || this.inFlight !== undefined,
      ...(this.tailState ? { tail: this.tailState.kind } : {}),
      opened: [...this.opened],
    };
  }

  /** (Re)builds the client from settings and credentials and reads Loki at once. */
  async start(): Promise<void> {
    this.starting++;
    try {
      await this.restart();
    } finally {
      this.starting--;
    }
  }

  private async restart(): Promise<void> {
    const generation = ++this.generation;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const settings = readSettings(folder);
    const auth = await readCredential(this.context.secrets, 'loki');
    if (generation !== this.generation) return; // a newer start() superseded this one
    this.stopWork();
    this.settings = settings;
    this.buffer.setMaxLines(settings.logs.maxLines);
    // Lines of another Loki, query or tenant are not this source's lines: the panel starts over.
    const source = JSON.stringify([settings.loki.url.trim(), settings.loki.query, settings.loki.tenant, auth ? auth.kind : '']);
    if (source !== this.source) {
      this.source = source;
      this.buffer.clear();
      this.panel.sendAll();
    } else {
      this.panel.sendConfig();
    }
    const url = settings.loki.url.trim();
    if (!url) {
      this.client = undefined;
      this.setState({ kind: 'off', reason: 'zenops.loki.url is empty' });
      return;
    }
    const tls = createTlsDispatcher({ caFile: settings.tls.caFile, rejectUnauthorized: settings.tls.rejectUnauthorized });
    if (!tls.ok) {
      this.client = undefined;
      this.setState({ kind: 'error', url: redactUrl(url), error: { ok: false, kind: 'tls', message: tls.message } });
      return;
    }
    this.closeDispatcher = tls.dispatcher ? () => void tls.dispatcher?.close().catch(() => undefined) : undefined;
    this.client = new LokiClient({
      url,
      ...(settings.loki.tenant ? { tenant: settings.loki.tenant } : {}),
      ...(auth ? { auth } : {}),
      ...(tls.dispatcher ? { dispatcher: tls.dispatcher } : {}),
    });
    log().info(`logs: reading ${redactUrl(url)} every ${settings.loki.pollInterval || 'never (manual)'} s${settings.loki.live ? ', live tail on' : ''}; query ${settings.loki.query}`);
    this.updatePause();
    await this.poll();
  }

  /** Reads Loki now; a read already under way (started before whatever prompted this) is waited out first. */
  async refresh(): Promise<void> {
    if (!this.client) return this.start();
    if (this.inFlight) await this.inFlight;
    await this.poll();
  }

  private async poll(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const client = this.client;
    if (!client) return;
    const generation = this.generation;
    clearTimeout(this.timer);
    const run = (async () => {
      const result = await fetchRecentErrors(client, { ...recentErrorsParamsFrom(this.settings), signal: this.abort.signal });
      if (generation !== this.generation) return;
      let waitMs = this.settings.loki.pollInterval * 1000;
      if (result.ok) {
        this.setState({ kind: 'ready', result: result.value });
        this.panel.append(this.buffer.add(result.value.entries, this.frameResolver()).map((r) => r.row));
      } else if (result.kind !== 'aborted') {
        this.setState({ kind: 'error', error: result, url: redactUrl(this.settings.loki.url) });
        if (result.retryAfterSeconds !== undefined) waitMs = Math.max(waitMs, result.retryAfterSeconds * 1000);
      }
      this.schedule(waitMs);
    })();
    this.inFlight = run;
    try {
      await run;
    } finally {
      if (this.inFlight === run) this.inFlight = undefined;
    }
  }

  private schedule(waitMs: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // With live tail on, the tail brings new lines; the tree is re-read when it does (and on Refresh).
    if (waitMs <= 0 || this.paused || !this.client || this.tail) return;
    this.timer = setTimeout(() => void this.poll(), Math.max(2000, waitMs));
  }

  private updatePause(): void {
    if (!this.client) return;
    const idle = !vscode.window.state.focused && !this.view.visible && !this.panel.visible;
    if (idle && !this.paused) {
      this.paused = true;
      clearTimeout(this.timer);
      this.timer = undefined;
      this.stopTail();
      log().debug('logs: paused (window unfocused, Logs views hidden)');
    } else if (!idle && this.paused) {
      this.paused = false;
      log().debug('logs: resumed');
      this.startTail();
      void this.poll();
    } else if (!idle) {
      this.startTail();
    }
  }

  private startTail(): void {
    if (!this.settings.loki.live || this.tail || !this.client || this.paused) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.tail = this.client.tail({
      query: this.settings.loki.query,
      pollIntervalMs: Math.max(2, this.settings.loki.pollInterval || 15) * 1000,
      onEntries: (entries) => {
        const parsed = parseLokiEntries(entries, { maxLineLength: this.settings.logs.maxLineLength, maxLines: this.settings.logs.maxLines });
        this.panel.append(this.buffer.add(parsed, this.frameResolver()).map((r) => r.row));
        // New errors regroup the tree: read the window again, at most every 2 s.
        if (!this.tailRefreshTimer) {
          this.tailRefreshTimer = setTimeout(() => {
            this.tailRefreshTimer = undefined;
            void this.poll();
          }, 2000);
        }
      },
      onState: (state) => {
        this.tailState = state;
        if (state.kind === 'reconnecting' || state.kind === 'polling') log().info(`logs: tail ${state.kind}: ${state.reason}`);
        this.panel.sendStatus();
      },
    });
  }

  private stopTail(): void {
    this.tail?.stop();
    this.tail = undefined;
    this.tailState = undefined;
    clearTimeout(this.tailRefreshTimer);
    this.tailRefreshTimer = undefined;
  }

  private setState(state: LogsViewState): void {
    this.state = state;
    this.render();
    this.panel.sendStatus();
    const line = state.kind === 'error' ? `logs: ${state.error.message}` : state.kind === 'ready' ? `logs: ${state.result.groups.length} error signature(s)` : '';
    if (line && line !== this.lastLogged) {
      if (state.kind === 'error') log().warn(line);
      else log().info(line);
      this.lastLogged = line;
    }
  }

  private render(): void {
    const nodes = buildLogsTree(this.state, { windowMinutes: this.settings.loki.window, resolveFrame: this.frameResolver() });
    this.tree.update(nodes);
    const errors = this.state.kind === 'ready' ? this.state.result.groups.reduce((n, g) => n + g.count, 0) : 0;
    this.view.badge = errors > 0 ? { value: errors, tooltip: `${errors} error line(s) in the last ${this.settings.loki.window} min` } : undefined;
  }

  /** Maps frames to files inside the workspace folders; one lookup per distinct path per call. */
  private frameResolver(): (frame: Pick<StackFrame, 'file' | 'line' | 'column'>) => FrameTarget | undefined {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const mappings = normalizePathMappings(this.settings.logs.pathMappings);
    const cache = new Map<string, ReturnType<typeof mapFrameToWorkspace>>();
    return (frame): FrameTarget | undefined => {
      if (folders.length === 0) return undefined;
      let location = cache.get(frame.file);
      if (!location) {
        location = mapFrameToWorkspace(frame.file, mappings, folders, { files: this.workspaceFiles(folders) });
        cache.set(frame.file, location);
      }
      return frameTargetFrom(location, frame, folders);
    };
  }

  private workspaceFiles(folders: string[]): string[] {
    const now = Date.now();
    if (!this.fileList || now - this.fileList.at > FILE_LIST_TTL_MS) this.fileList = { at: now, files: listWorkspaceFiles(folders) };
    return this.fileList.files;
  }

  private async openFrame(target: FrameTarget): Promise<vscode.TextEditor | undefined> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    // Only files mapFrameToWorkspace produced inside a workspace folder; never a path as given.
    if (!isInsideFolders(target.file, folders)) {
      log().warn(`logs: not opening ${target.file}: outside the workspace folders`);
      return undefined;
    }
    const line = Math.max(0, target.line - 1);
    const column = Math.max(0, (target.column ?? 1) - 1);
    const position = new vscode.Position(line, column);
    return vscode.window.showTextDocument(vscode.Uri.file(target.file), { selection: new vscode.Range(position, position), preview: true });
  }

  private async openExternal(url: string | undefined): Promise<void> {
    if (!url) {
      void vscode.window.showInformationMessage('ZenOps: set zenops.grafana.url to open Grafana Explore.');
      return;
    }
    log().info('logs: opening Grafana Explore');
    this.opened.push(url);
    if (this.opened.length > 10) this.opened.shift();
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  // LogPanelSource: what the webview reads and may ask for.

  rows(): PanelRow[] {
    return this.buffer.rows();
  }

  config(): { maxLines: number; hasGrafana: boolean } {
    return { maxLines: this.settings.logs.maxLines, hasGrafana: /^https?:\/\//i.test(this.settings.grafana.url.trim()) };
  }

  initialStatus(): string {
    return `Query: ${this.settings.loki.query}`;
  }

  status(): { text: string; problem: boolean } {
    const s = this.state;
    const tail = this.tailState ? ` · tail ${this.tailState.kind}` : '';
    if (s.kind === 'off') return { text: `Loki is off: ${s.reason}`, problem: false };
    if (s.kind === 'loading') return { text: 'Reading errors from Loki…', problem: false };
    if (s.kind === 'error') return { text: `${s.error.message}${tail}`, problem: true };
    const groups = s.result.groups.length;
    return { text: `${groups === 0 ? `No errors in the last ${this.settings.loki.window} min` : `${groups} error signature(s) in the last ${this.settings.loki.window} min`}${tail}`, problem: false };
  }

  async onMessage(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'refresh':
        return this.refresh();
      case 'openFrame': {
        const rowId = message.frameId.split(':')[0];
        const target = this.buffer.get(rowId)?.frames.get(message.frameId);
        if (target) await this.openFrame(target);
        return;
      }
      case 'copy': {
        const record = this.buffer.get(message.rowId);
        if (record) await vscode.env.clipboard.writeText(record.text);
        return;
      }
      case 'openTrace': {
        const traceId = this.buffer.get(message.rowId)?.row.traceId;
        if (traceId) await this.openExternal(grafanaTraceUrl(this.settings.grafana.url, traceId));
        return;
      }
      case 'openExplore': {
        const record = message.rowId ? this.buffer.get(message.rowId) : undefined;
        if (record && message.byRequest && record.row.requestId) {
          return this.openExternal(grafanaLokiExploreUrl(this.settings.grafana.url, selectorFor(record.labels), record.row.requestId));
        }
        return this.openExternal(grafanaLokiExploreUrl(this.settings.grafana.url, record ? selectorFor(record.labels) : this.settings.loki.query));
      }
      default:
        return;
    }
  }

  private stopWork(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopTail();
    this.abort.abort();
    this.abort = new AbortController();
    this.inFlight = undefined;
    this.closeDispatcher?.();
    this.closeDispatcher = undefined;
  }

  dispose(): void {
    this.generation++;
    this.stopWork();
    for (const d of this.disposables) d.dispose();
  }
}
