// Wires live health into VS Code: the Health view, the status-bar item, the commands, and a poller that
// pauses while the window is unfocused and the view hidden. Everything it knows comes from src/core/health.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { createHealthSources } from '../core/health/healthSources';
import { joinUrl, redactUrl } from '../core/http/getJson';
import { HealthPoller } from '../core/health/healthPoller';
import { buildHealthTree, type HealthNode, type HealthNote } from '../core/health/healthTree';
import { summarizeHealth, HealthLevel } from '../core/health/summarizeHealth';
import { EMPTY_SNAPSHOT, HealthSnapshot } from '../core/health/types';
import type { ZenOpsSettings } from '../core/settings';
import { onDidChangeCredential, readAllCredentials, registerCredentialsCommand } from '../credentials';
import { log } from '../log';
import { HealthStatusBar } from './healthStatusBar';
import { HealthElement, HealthTreeProvider } from './healthView';

const HEALTH_SECTIONS = ['zenops.prometheus', 'zenops.alertmanager', 'zenops.grafana', 'zenops.api', 'zenops.health', 'zenops.tls'];

/** What tests and other features may read about the running health capability. */
export interface HealthHandle {
  readonly snapshot: HealthSnapshot;
  readonly statusText: string;
  readonly tree: HealthTreeProvider;
  refresh(): Promise<void>;
  /** Shows (or with undefined removes) another capability's status section, e.g. traffic's metrics. */
  setNote(id: string, note: HealthNote | undefined): void;
  /** Fires after each poll (the rhythm other capabilities refresh on). */
  onDidPoll(listener: () => void): vscode.Disposable;
}

/** What the hidden `zenops.health.state` command answers (tests and bug reports read it; it holds no secret). */
export interface HealthState {
  paused: boolean;
  /** The window focus the pause logic uses (the real one unless `zenops.health.simulateWindowFocus` set one). */
  windowFocused: boolean;
  viewVisible: boolean;
  /** Snapshots rendered since activation. */
  polls: number;
  /** A poll's requests are in flight. */
  polling: boolean;
  statusText: string;
  statusTooltip: string;
  statusBackground: string | undefined;
  /** Node ids the last update redrew, or 'all'. */
  lastRedraw: 'all' | string[];
  /** The Health view's nodes as data. */
  nodes: readonly HealthNode[];
  snapshot: HealthSnapshot;
  /** The last URL (credentials redacted) an open action handed to `openExternal`, and its answer once there is one. */
  lastOpened: { url: string; opened: boolean | undefined } | undefined;
  /** The extension's log folder; the "ZenOps" log channel's file is under the extension host's log folder above it. */
  logFolder: string;
}

export function registerHealth(context: vscode.ExtensionContext): HealthHandle {
  const controller = new HealthController(context);
  context.subscriptions.push(controller);
  void controller.start();
  return controller;
}

class HealthController implements vscode.Disposable, HealthHandle {
  readonly tree = new HealthTreeProvider();
  private readonly statusBar = new HealthStatusBar();
  private readonly view: vscode.TreeView<HealthElement>;
  private readonly disposables: vscode.Disposable[] = [];
  private poller: HealthPoller | undefined;
  private closeDispatcher: (() => void) | undefined;
  private settings: ZenOpsSettings | undefined;
  private lastLevel: HealthLevel | undefined;
  private lastErrors = new Map<string, string>();
  private generation = 0;
  private readonly notes = new Map<string, HealthNote>();
  /** The current poller has answered once (rendering earlier would show a false "off"). */
  private polled = false;
  private readonly pollEmitter = new vscode.EventEmitter<void>();
  private polls = 0;
  /** The (re)start in progress, which a Refresh waits for. */
  private starting: Promise<void> | undefined;
  private lastOpened: { url: string; opened: boolean | undefined } | undefined;
  /** A window focus set by `zenops.health.simulateWindowFocus` (a headless browser's page always reports focus). */
  private simulatedFocus: boolean | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.view = vscode.window.createTreeView('zenops.health', { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.tree,
      this.statusBar,
      registerCredentialsCommand(context),
      vscode.commands.registerCommand('zenops.refreshHealth', () => this.refresh()),
      // Hidden (not in package.json): for tests and bug reports.
      vscode.commands.registerCommand('zenops.health.state', (): HealthState => this.state()),
      vscode.commands.registerCommand('zenops.health.simulateWindowFocus', (focused?: boolean) => {
        this.simulatedFocus = typeof focused === 'boolean' ? focused : undefined;
        this.updatePause();
      }),
      vscode.commands.registerCommand('zenops.health.openUrl', (e?: HealthElement) => this.openLink(e, 'openUrl')),
      vscode.commands.registerCommand('zenops.health.openInGrafana', (e?: HealthElement) => this.openLink(e, 'grafanaUrl')),
      vscode.commands.registerCommand('zenops.health.copy', async (e?: HealthElement) => {
        const node = e && this.tree.node(e);
        if (node) await vscode.env.clipboard.writeText(node.copyText);
      }),
      this.view.onDidChangeVisibility(() => this.updatePause()),
      vscode.window.onDidChangeWindowState(() => this.updatePause()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (HEALTH_SECTIONS.some((s) => e.affectsConfiguration(s))) {
          log().info('health: settings changed, restarting the poller');
          void this.start();
        }
      }),
      onDidChangeCredential(context.secrets, (source) => {
        if (source !== 'grafana' && source !== 'loki') void this.start();
      }),
    );
    // Nothing is rendered before the first poll: an empty view for a moment, never a false "off".
  }

  get snapshot(): HealthSnapshot {
    return this.poller?.current ?? EMPTY_SNAPSHOT;
  }

  get statusText(): string {
    return this.statusBar.text;
  }

  /** (Re)builds the sources from settings and credentials and polls at once. */
  start(): Promise<void> {
    const run = this.restart();
    this.starting = run;
    const settled = () => {
      if (this.starting === run) this.starting = undefined;
    };
    run.then(settled, settled);
    return run;
  }

  private async restart(): Promise<void> {
    const generation = ++this.generation;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const settings = readSettings(folder);
    const credentials = await readAllCredentials(this.context.secrets);
    if (generation !== this.generation) return; // a newer start() superseded this one
    this.stopPoller();
    this.settings = settings;
    const built = createHealthSources(settings, credentials);
    if (built.configError) log().error(`health: ${built.configError.message}`);
    this.closeDispatcher = built.dispatcher ? () => void built.dispatcher?.close().catch(() => undefined) : undefined;
    const poller = new HealthPoller({ sources: built.sources, intervalMs: Math.max(2, settings.health.pollInterval) * 1000 });
    this.poller = poller;
    this.polled = false;
    poller.onSnapshot((snapshot) => {
      this.polled = true;
      this.polls++;
      this.render(snapshot);
      this.pollEmitter.fire();
    });
    const configured = Object.keys(built.sources).join(', ') || 'none';
    log().info(
      `health: polling every ${settings.health.pollInterval} s; sources: ${configured}` +
        ` (prometheus ${redactUrl(settings.prometheus.url) || 'off'}, alertmanager ${redactUrl(settings.alertmanager.url) || 'off'}, api ${redactUrl(settings.api.url) || 'off'})`,
    );
    this.updatePause();
    await poller.start();
  }

  setNote(id: string, note: HealthNote | undefined): void {
    if (note) this.notes.set(id, note);
    else if (!this.notes.delete(id)) return;
    if (this.poller && this.polled) this.render(this.poller.current, false);
  }

  onDidPoll(listener: () => void): vscode.Disposable {
    return this.pollEmitter.event(listener);
  }

  async refresh(): Promise<void> {
    if (this.starting) {
      // A settings or credentials change is being applied: its first poll is the refresh (the old sources are stale).
      while (this.starting) await this.starting;
      this.poller?.resume();
      return;
    }
    if (!this.poller) return this.start();
    this.poller.resume();
    await this.poller.refreshNow();
  }

  private updatePause(): void {
    const poller = this.poller;
    if (!poller) return;
    const idle = !this.windowFocused && !this.view.visible;
    if (idle && !poller.isPaused) {
      poller.pause();
      log().debug('health: paused (window unfocused, Health view hidden)');
    } else if (!idle && poller.isPaused) {
      log().debug('health: resumed');
      poller.resume();
    }
  }

  private get windowFocused(): boolean {
    return this.simulatedFocus ?? vscode.window.state.focused;
  }

  private state(): HealthState {
    const look = this.statusBar.look;
    return {
      paused: this.poller?.isPaused ?? false,
      windowFocused: this.windowFocused,
      viewVisible: this.view.visible,
      polls: this.polls,
      polling: this.poller?.isPolling ?? false,
      statusText: this.statusBar.text,
      statusTooltip: look.tooltip,
      statusBackground: look.background,
      lastRedraw: this.tree.lastRedraw,
      nodes: this.tree.current,
      snapshot: this.snapshot,
      lastOpened: this.lastOpened && { ...this.lastOpened },
      logFolder: this.context.logUri.fsPath,
    };
  }

  private render(snapshot: HealthSnapshot, fromPoll = true): void {
    const s = this.settings;
    const apiUrl = s?.api.url.trim();
    const nodes = buildHealthTree(snapshot, {
      apiHealthUrl: apiUrl ? joinUrl(apiUrl, s!.api.healthPath) : undefined,
      apiDepsUrl: apiUrl && s!.api.depsPath ? joinUrl(apiUrl, s!.api.depsPath) : undefined,
      prometheusUrl: s?.prometheus.url || undefined,
      alertmanagerUrl: s?.alertmanager.url || undefined,
      grafanaUrl: s?.grafana.url || undefined,
      notes: [...this.notes.values()],
    });
    this.tree.update(nodes);
    if (!this.poller || !fromPoll) return; // before the first poll: keep the "checking" look; a note changes no summary
    const summary = summarizeHealth(snapshot);
    this.statusBar.update(summary);
    this.view.badge = summary.firing > 0 ? { value: summary.firing, tooltip: `${summary.firing} alert(s) firing` } : undefined;
    this.logChanges(snapshot, summary.level, summary.problems);
  }

  /** Logs level changes and each source's error once (not on every poll). */
  private logChanges(snapshot: HealthSnapshot, level: HealthLevel, problems: string[]): void {
    if (level !== this.lastLevel) {
      const detail = problems.length > 0 ? `: ${problems.slice(0, 3).join('; ')}` : '';
      const line = `health: ${this.lastLevel ?? 'start'} → ${level}${detail}`;
      if (level === 'ok' || level === 'not-configured') log().info(line);
      else log().warn(line);
      this.lastLevel = level;
    }
    for (const name of ['prometheus', 'alertmanager', 'api'] as const) {
      const state = snapshot[name];
      const message = state.state === 'error' ? state.error.message : '';
      if (message !== (this.lastErrors.get(name) ?? '')) {
        if (message) log().warn(`health: ${name}: ${message}`);
        else if (this.lastErrors.get(name)) log().info(`health: ${name} answers again`);
        this.lastErrors.set(name, message);
      }
    }
  }

  private async openLink(element: HealthElement | undefined, field: 'openUrl' | 'grafanaUrl'): Promise<void> {
    const node = element && this.tree.node(element);
    const url = node?.[field];
    if (!url) return;
    log().info(`health: opening ${field === 'grafanaUrl' ? 'Grafana Explore' : redactUrl(url)}`);
    const opening = { url: redactUrl(url), opened: undefined as boolean | undefined };
    this.lastOpened = opening;
    opening.opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  private stopPoller(): void {
    this.poller?.dispose();
    this.poller = undefined;
    this.closeDispatcher?.();
    this.closeDispatcher = undefined;
  }

  dispose(): void {
    this.generation++;
    this.stopPoller();
    this.pollEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
