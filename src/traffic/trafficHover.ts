// Hover on a matched call's URL: its endpoint's requests by status class, p95, and the PromQL with a Grafana Explore
// link. VS Code shows it in the same hover as the contract's; a failing verdict is left to the warning diagnostic.
import * as vscode from 'vscode';
import { operationKey } from '../core/contract/operationUsage';
import { endpointQuery } from '../core/traffic/trafficQuery';
import { trafficHoverMarkdown } from '../core/traffic/trafficText';
import type { ContractService } from '../contract/contractService';
import { toRange } from '../contract/diagnostics';
import { matchedCalls, type TrafficView } from './trafficLenses';

export class TrafficHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly service: ContractService,
    private readonly traffic: TrafficView,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const { state } = this.traffic;
    if (state.kind !== 'ok') return undefined;
    const call = matchedCalls(this.service, document.uri).find((c) => toRange(c.urlSpan).contains(position));
    if (!call) return undefined;
    const operation = call.result.operation;
    const traffic = this.traffic.lookup(operation);
    const promql = endpointQuery(state.metrics, traffic ?? { method: operation.method, route: operation.path });
    const markdown = new vscode.MarkdownString(
      trafficHoverMarkdown(operationKey(operation), traffic, {
        window: this.traffic.window,
        hasStatus: state.metrics.statusLabel !== undefined,
        promql,
        grafanaUrl: this.traffic.grafanaLink(promql),
      }),
    );
    return new vscode.Hover(markdown, toRange(call.urlSpan));
  }
}
