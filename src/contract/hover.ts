// Hover on a checked call's URL: the operation it reaches, or why it reaches none and what is near.
import * as vscode from 'vscode';
import { describeCallMarkdown } from '../core/contract/contractMarkdown';
import { describeSpecSource } from '../core/contract/specSource';
import type { ContractService } from './contractService';
import { toRange } from './diagnostics';

export class ContractHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: ContractService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const folder = this.service.folderOf(document.uri);
    if (!folder || folder.specState.kind !== 'loaded') return undefined;
    const call = folder.checkedCallsOf(document.uri.fsPath).find((c) => c.result.status !== 'external' && toRange(c.urlSpan).contains(position));
    if (!call) return undefined;
    const source = folder.specState.source;
    const markdown = new vscode.MarkdownString(describeCallMarkdown(call, { specLabel: source.kind === 'file' ? describeSpecSource(source) : undefined }));
    return new vscode.Hover(markdown, toRange(call.urlSpan));
  }
}
