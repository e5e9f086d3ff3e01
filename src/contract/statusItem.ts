// The "ZenOps contract" status bar item: the contract's state across folders at a glance, details in
// the tooltip. Separate from the health item on purpose: different data, different clicks.
import * as vscode from 'vscode';
import { describeSpecSource } from '../core/contract/specSource';
import { countBySeverity } from '../core/contract/report/severity';
import type { ContractService } from './contractService';
import type { FolderContract } from './folderContract';

export class ContractStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('zenops.contract', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: ContractService) {
    this.item.name = 'ZenOps contract';
    this.subscription = service.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const folders = this.service.all();
    if (folders.length === 0) {
      this.item.hide();
      return;
    }
    let errors = 0;
    let warnings = 0;
    let failed = 0;
    let loading = 0;
    for (const folder of folders) {
      if (folder.specState.kind === 'failed') failed++;
      else if (folder.specState.kind === 'loading') loading++;
      else if (folder.report) {
        const counts = countBySeverity(folder.report);
        errors += counts.error;
        warnings += counts.warning;
      }
    }
    const plural = (n: number, word: string): string => `${n} contract ${word}${n === 1 ? '' : 's'}`;
    if (failed > 0) {
      this.item.text = folders.every((f) => f.specState.kind !== 'failed' || f.specState.empty) ? '$(warning) spec has no operations' : '$(warning) spec not loaded';
      this.item.command = { title: 'Select OpenAPI Source', command: 'zenops.selectOpenApiSource', arguments: [folders.find((f) => f.specState.kind === 'failed')?.folder.uri] };
    } else {
      this.item.text = loading > 0 ? '$(sync~spin) API contract' : errors > 0 ? `$(error) ${plural(errors, 'error')}` : warnings > 0 ? `$(warning) ${plural(warnings, 'warning')}` : '$(check) API contract';
      this.item.command = { title: 'Show Contract Report', command: 'zenops.showContractReport' };
    }
    this.item.backgroundColor = failed > 0 || errors > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString('', true);
    tooltip.appendMarkdown('**ZenOps API contract**\n\n');
    for (const folder of folders) tooltip.appendMarkdown(`${describeFolder(folder, folders.length > 1)}\n\n`);
    tooltip.appendMarkdown(failed > 0 ? 'Click to choose the OpenAPI source.' : 'Click for the contract report.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  /** What the item shows right now (for the hidden `zenops.contract.stats` command the tests read). */
  get shown(): { text: string; tooltip: string } {
    const tooltip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '') };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function describeFolder(folder: FolderContract, named: boolean): string {
  const name = named ? `**${folder.folder.name}**: ` : '';
  const state = folder.specState;
  const source = state.source ? `\`${describeSpecSource(state.source)}\`` : 'the spec';
  if (state.kind === 'loading') return `${name}$(sync~spin) loading ${source}…`;
  if (state.kind === 'failed') return `${name}$(warning) ${state.empty ? 'spec has no operations' : 'spec not loaded'}, nothing is flagged: ${escape(state.message)}`;
  const report = folder.report;
  const counts = report ? countBySeverity(report) : { error: 0, warning: 0 };
  let text = `${name}${counts.error > 0 ? '$(error)' : counts.warning > 0 ? '$(warning)' : '$(check)'} ${counts.error} errors, ${counts.warning} warnings` +
    ` in ${report?.calls.length ?? 0} calls, ${report?.files ?? 0} files · spec ${source} (${state.spec.operations.length} operations)`;
  if (state.bufferError) text += `\n\n$(info) unsaved spec edits do not parse (${escape(state.bufferError)}); showing the last good version`;
  return text;
}

function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|$]/g, '\\$&');
}
