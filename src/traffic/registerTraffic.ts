// Wires live traffic into VS Code: lenses or inlay hints on matched calls, a hover section, "fails in production"
// warnings, notes on the Contract view's unused operations and a Traffic section in the Health view. Traffic is read on
// the health poll's rhythm (so it pauses with it) and only while a visible editor shows a matched call.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { operationKey } from '../core/contract/operationUsage';
import { grafanaExploreUrl } from '../core/health/healthTree';
import { PrometheusClient } from '../core/health/prometheusClient';
import { createTlsDispatcher, redactUrl } from '../core/http/getJson';
import type { TrafficDisplay, ZenOpsSettings } from '../core/settings';
import { TrafficMonitor } from '../core/traffic/trafficMonitor';
import { failingInProduction, lensText, trafficHealthNote, unusedOperationNote, type FailingRule } from '../core/traffic/trafficText';
import type { EndpointTraffic, TrafficState } from '../core/traffic/types';
import type { ContractService } from '../contract/contractService';
import { toRange } from '../contract/diagnostics';
import { onDidChangeCredential, readAllCredentials } from '../credentials';
import type { HealthHandle } from '../health/registerHealth';
import { log } from '../log';
import { TrafficHoverProvider } from './trafficHover';
import { matchedCalls, OPEN_IN_GRAFANA_COMMAND, TrafficCodeLensProvider, TrafficInlayHintsProvider, type TrafficView } from './trafficLenses';

export const FAILING_CODE = 'failing-in-production';
export const DIAGNOSTIC_SOURCE = 'ZenOps traffic';
const SECTIONS = ['zenops.traffic', 'zenops.prometheus', 'zenops.grafana', 'zenops.tls', 'zenops.health'];
const HEALTH_NOTE_ID = 'traffic';

/** What tests and other features may read about the running traffic capability. */
export interface TrafficHandle extends TrafficView {
  /** Reads traffic now (whatever is visible) and redraws. */
  refresh(): Promise<TrafficState>;
  /** PromQL traffic queries sent since activation (restarts included). */
  readonly queriesSent: number;
  /** Health polls seen since activation (each may refresh traffic, when a matched call is visible). */
  readonly polls: number;
}

/** Not contributed: what `zenops.traffic.state` answers (tests read it to count the queries sent). */
export interface TrafficStateReport {
  state: TrafficState['kind'];
  queriesSent: number;
  polls: number;
  display: TrafficDisplay;
  window: string;
}

export function registerTraffic(context: vscode.ExtensionContext, contract: ContractService, health: HealthHandle): TrafficHandle {
  const controller = new TrafficController(context, contract, health);
  context.subscriptions.push(controller);
  void controller.start();
  return controller;
}

class TrafficController implements TrafficHandle, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('zenops-traffic');
  private readonly disposables: vscode.Disposable[] = [];
  private monitor: TrafficMonitor | undefined;
  private settings: ZenOpsSettings | undefined;
  private closeDispatcher: (() => void) | undefined;
  private generation = 0;
  private shown = '';
  private lastKind = '';
  private diagnosticsTimer: NodeJS.Timeout | undefined;
  /** Queries sent by every monitor so far (a restart replaces the monitor, not this count). */
  private queriesTotal = 0;
  private pollsSeen = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly contract: ContractService,
    private readonly health: HealthHandle,
  ) {
    const files: vscode.DocumentSelector = { scheme: 'file' };
    this.disposables.push(
      this.changeEmitter,
      this.diagnostics,
      vscode.languages.registerCodeLensProvider(files, new TrafficCodeLensProvider(contract, this)),
      vscode.languages.registerInlayHintsProvider(files, new TrafficInlayHintsProvider(contract, this)),
      vscode.languages.registerHoverProvider(files, new TrafficHoverProvider(contract, this)),
      vscode.commands.registerCommand('zenops.refreshTraffic', () => this.refresh()),
      vscode.commands.registerCommand(OPEN_IN_GRAFANA_COMMAND, (url?: string) => {
        if (typeof url === 'string' && /^https?:\/\//.test(url)) void vscode.env.openExternal(vscode.Uri.parse(url, true));
      }),
      vscode.commands.registerCommand('zenops.traffic.state', (): TrafficStateReport => ({
        state: this.state.kind,
        queriesSent: this.queriesSent,
        polls: this.polls,
        display: this.display,
        window: this.window,
      })),
      health.onDidPoll(() => {
        this.pollsSeen++;
        void this.refreshIfVisible();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        // A newly shown file gets numbers at once when nothing has been read yet; otherwise on the next poll.
        if (this.monitor?.snapshot.kind === 'unknown') void this.refreshIfVisible();
      }),
      contract.onDidChange(() => {
        // Calls moved or appeared: redraw lenses from the cache, first read when a matched call is now visible.
        this.changeEmitter.fire();
        this.scheduleDiagnostics();
        if (this.monitor?.snapshot.kind === 'unknown') void this.refreshIfVisible();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (SECTIONS.some((s) => e.affectsConfiguration(s))) void this.start();
      }),
      onDidChangeCredential(context.secrets, (source) => {
        if (source === 'prometheus') void this.start();
      }),
    );
  }

  get state(): TrafficState {
    return this.monitor?.snapshot ?? { kind: 'unknown' };
  }

  get display(): TrafficDisplay {
    const display = this.settings?.traffic.display;
    return display === 'inlayHint' || display === 'off' ? display : 'codeLens';
  }

  get window(): string {
    return this.monitor?.window ?? '1h';
  }

  get queriesSent(): number {
    return this.queriesTotal;
  }

  get polls(): number {
    return this.pollsSeen;
  }

  private get rule(): FailingRule {
    const t = this.settings?.traffic;
    return { share: t?.failingShare ?? 0.5, minRequests: t?.failingMinRequests ?? 5 };
  }

  lookup(operation: { method: string; path: string; specPath?: string }): EndpointTraffic | undefined {
    return this.monitor?.lookup(operation);
  }

  grafanaLink(promql: string): string | undefined {
    const url = this.settings?.grafana.url.trim();
    return url ? grafanaExploreUrl({ grafanaUrl: url }, promql) : undefined;
  }

  /** (Re)builds the Prometheus client and the cache from settings, then reads if a matched call is visible. */
  async start(): Promise<void> {
    const generation = ++this.generation;
    const settings = readSettings(vscode.workspace.workspaceFolders?.[0]?.uri);
    const credentials = await readAllCredentials(this.context.secrets);
    if (generation !== this.generation) return;
    this.closeDispatcher?.();
    this.closeDispatcher = undefined;
    this.settings = settings;
    const url = settings.prometheus.url.trim();
    let client: PrometheusClient | undefined;
    if (url) {
      const tls = createTlsDispatcher({ caFile: settings.tls.caFile, rejectUnauthorized: settings.tls.rejectUnauthorized });
      const dispatcher = tls.ok ? tls.dispatcher : undefined;
      if (dispatcher) this.closeDispatcher = () => void dispatcher.close().catch(() => undefined);
      client = new PrometheusClient({ url, auth: credentials.prometheus, dispatcher, timeoutMs: Math.max(1, settings.health.requestTimeout) * 1000 });
    }
    this.monitor = new TrafficMonitor({ client, settings: settings.traffic, onQuery: () => this.queriesTotal++ });
    if (this.monitor.windowNote) log().warn(`traffic: ${this.monitor.windowNote}`);
    log().info(`traffic: ${url ? `reading ${settings.traffic.requestsMetric} from ${redactUrl(url)} over ${this.monitor.window}` : 'off (zenops.prometheus.url is empty)'}; display ${this.display}`);
    this.shown = '';
    // A read follows at once when a matched call is visible: publish its answer only, not a passing "not read yet"
    // (two quick updates of the Health view's Traffic row once left its description behind its detail line).
    if (this.matchedCallVisible()) await this.refresh();
    else this.publish();
  }

  async refresh(): Promise<TrafficState> {
    if (!this.monitor) await this.start();
    const monitor = this.monitor;
    if (!monitor) return this.state;
    const state = await monitor.refresh();
    if (monitor === this.monitor) this.publish();
    return state;
  }

  private matchedCallVisible(): boolean {
    return vscode.window.visibleTextEditors.some((editor) => matchedCalls(this.contract, editor.document.uri).length > 0);
  }

  private async refreshIfVisible(): Promise<void> {
    if (this.matchedCallVisible()) await this.refresh();
  }

  /** Tells every surface about the latest state; lenses redraw only when their text changed. */
  private publish(): void {
    const state = this.state;
    this.health.setNote(HEALTH_NOTE_ID, trafficHealthNote(state, this.monitor?.windowNote));
    if (state.kind !== this.lastKind) {
      const detail = state.kind === 'error' ? `: ${state.error.message}` : state.kind === 'missing-metrics' ? `: ${state.message}` : state.kind === 'ok' ? ` (${state.metrics.requestsSeries} by ${state.metrics.routeLabel}${state.metrics.notes.length ? `; ${state.metrics.notes.join('; ')}` : ''})` : '';
      if (state.kind === 'error' || state.kind === 'missing-metrics') log().warn(`traffic: ${state.kind}${detail}`);
      else log().info(`traffic: ${state.kind}${detail}`);
      this.lastKind = state.kind;
    }
    const shown = state.kind === 'ok' ? [...state.endpoints.entries()].map(([k, e]) => `${k}=${lensText('', e, state.window)}`).sort().join('\n') : state.kind;
    if (shown !== this.shown) {
      this.shown = shown;
      this.changeEmitter.fire();
      this.contract.setUnusedOperationNote(state.kind === 'ok' ? (_folder, operation) => unusedOperationNote(this.lookup(operation), state.window) : undefined);
    }
    this.publishDiagnostics();
  }

  private scheduleDiagnostics(): void {
    if (this.diagnosticsTimer) clearTimeout(this.diagnosticsTimer);
    this.diagnosticsTimer = setTimeout(() => {
      this.diagnosticsTimer = undefined;
      this.publishDiagnostics();
    }, 200);
  }

  /** A warning on every matched call whose endpoint mostly fails in production. */
  private publishDiagnostics(): void {
    if (this.state.kind !== 'ok') {
      this.diagnostics.clear();
      return;
    }
    const rule = this.rule;
    const next = new Map<string, vscode.Diagnostic[]>();
    for (const folder of this.contract.all()) {
      for (const file of folder.checkedFiles()) {
        const uri = vscode.Uri.file(file);
        for (const call of matchedCalls(this.contract, uri)) {
          const verdict = failingInProduction(this.lookup(call.result.operation), rule, this.window);
          if (!verdict) continue;
          const d = new vscode.Diagnostic(toRange(call.urlSpan), `${operationKey(call.result.operation)} ${verdict.message}`, vscode.DiagnosticSeverity.Warning);
          // Its own source: contract checks (source ZenOps) stay exactly what the spec says.
          d.source = DIAGNOSTIC_SOURCE;
          d.code = FAILING_CODE;
          next.set(uri.toString(), [...(next.get(uri.toString()) ?? []), d]);
        }
      }
    }
    this.diagnostics.clear();
    for (const [uri, list] of next) this.diagnostics.set(vscode.Uri.parse(uri), list);
  }

  dispose(): void {
    this.generation++;
    if (this.diagnosticsTimer) clearTimeout(this.diagnosticsTimer);
    this.closeDispatcher?.();
    this.contract.setUnusedOperationNote(undefined);
    for (const d of this.disposables) d.dispose();
  }
}
