// Each matched API call's live traffic as a CodeLens above the call or an inlay hint after it (zenops.traffic.display),
// read from the traffic cache: providing lenses never sends a request.
import * as vscode from 'vscode';
import { operationKey } from '../core/contract/operationUsage';
import type { CheckedCall, SpecOperation } from '../core/contract/types';
import type { TrafficDisplay } from '../core/settings';
import { endpointQuery } from '../core/traffic/trafficQuery';
import { lensText, trafficSummary } from '../core/traffic/trafficText';
import type { EndpointTraffic, TrafficState } from '../core/traffic/types';
import type { ContractService } from '../contract/contractService';

export const OPEN_IN_GRAFANA_COMMAND = 'zenops.traffic.openInGrafana';

/** What the providers read: the latest traffic and how to show it. */
export interface TrafficView {
  readonly state: TrafficState;
  readonly display: TrafficDisplay;
  readonly window: string;
  lookup(operation: SpecOperation): EndpointTraffic | undefined;
  /** A Grafana Explore link running `promql`, when Grafana is configured. */
  grafanaLink(promql: string): string | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export type MatchedCall = CheckedCall & { result: { operation: SpecOperation } };

/** Calls of a document that reach a spec operation (the ones traffic can be shown for). */
export function matchedCalls(service: ContractService, uri: vscode.Uri): MatchedCall[] {
  const folder = service.folderOf(uri);
  if (!folder || folder.specState.kind !== 'loaded') return [];
  return folder.checkedCallsOf(uri.fsPath).filter((c): c is MatchedCall => c.result.operation !== undefined && !c.suppressed);
}

export class TrafficCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly service: ContractService,
    private readonly traffic: TrafficView,
  ) {
    this.onDidChangeCodeLenses = traffic.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const { state } = this.traffic;
    if (this.traffic.display !== 'codeLens' || state.kind !== 'ok') return [];
    const hasStatus = state.metrics.statusLabel !== undefined;
    return matchedCalls(this.service, document.uri).map((call) => {
      const operation = call.result.operation;
      const traffic = this.traffic.lookup(operation);
      const line = call.callSpan.start.line - 1;
      const range = new vscode.Range(line, 0, line, 0);
      const link = this.traffic.grafanaLink(endpointQuery(state.metrics, traffic ?? { method: operation.method, route: operation.path }));
      const title = lensText(operationKey(operation), traffic, this.traffic.window, hasStatus);
      return new vscode.CodeLens(range, {
        title,
        // No Grafana: a plain line of text (an empty command id is not clickable).
        command: link ? OPEN_IN_GRAFANA_COMMAND : '',
        arguments: link ? [link] : undefined,
        tooltip: link ? 'Open this endpoint in Grafana Explore' : `Live traffic of ${operationKey(operation)}`,
      });
    });
  }
}

export class TrafficInlayHintsProvider implements vscode.InlayHintsProvider {
  readonly onDidChangeInlayHints: vscode.Event<void>;

  constructor(
    private readonly service: ContractService,
    private readonly traffic: TrafficView,
  ) {
    this.onDidChangeInlayHints = traffic.onDidChange;
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const { state } = this.traffic;
    if (this.traffic.display !== 'inlayHint' || state.kind !== 'ok') return [];
    const hasStatus = state.metrics.statusLabel !== undefined;
    return matchedCalls(this.service, document.uri)
      .map((call) => {
        const end = new vscode.Position(call.callSpan.end.line - 1, call.callSpan.end.column);
        const traffic = this.traffic.lookup(call.result.operation);
        const hint = new vscode.InlayHint(end, trafficSummary(traffic, this.traffic.window, hasStatus));
        hint.paddingLeft = true;
        hint.tooltip = lensText(operationKey(call.result.operation), traffic, this.traffic.window, hasStatus);
        return hint;
      })
      .filter((hint) => range.contains(hint.position));
  }
}
