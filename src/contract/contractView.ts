// The Contract view: broken calls first (click to jump to the code), then the spec's operations by
// tag with how many calls reach each, unused ones marked. Refreshes only while visible.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { callLabel } from '../core/contract/report/location';
import { isProblem, severityOf } from '../core/contract/report/severity';
import { groupOperationsByTag, type OperationUsage, type TagGroup } from '../core/contract/operationUsage';
import { describeSpecSource } from '../core/contract/specSource';
import type { CheckedCall } from '../core/contract/types';
import type { ContractService } from './contractService';
import { toRange } from './diagnostics';
import type { FolderContract } from './folderContract';

export const CONTRACT_VIEW_ID = 'zenops.contract';

type Node =
  | { kind: 'folder'; folder: FolderContract }
  | { kind: 'message'; folder: FolderContract; text: string; tooltip?: string; command?: vscode.Command; icon: string }
  | { kind: 'problems'; folder: FolderContract; calls: CheckedCall[] }
  | { kind: 'tag'; folder: FolderContract; group: TagGroup }
  | { kind: 'operation'; folder: FolderContract; tag: string; usage: OperationUsage }
  | { kind: 'call'; folder: FolderContract; parentId: string; call: CheckedCall };

export class ContractTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly view: vscode.TreeView<Node>;
  private stale = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly service: ContractService) {
    this.view = vscode.window.createTreeView(CONTRACT_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      service.onDidChange(() => this.refresh()),
      service.onDidChangeOperationNotes(() => this.refresh()),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) this.refresh();
      }),
    );
  }

  private refresh(): void {
    // A hidden view is refreshed when it is shown again, not on every keystroke.
    if (!this.view.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.updateBadge();
    this.emitter.fire(undefined);
  }

  private updateBadge(): void {
    const problems = this.service.all().reduce((n, f) => n + (f.report?.calls.filter((c) => severityOf(c.result.status) === 'error').length ?? 0), 0);
    this.view.badge = problems > 0 ? { value: problems, tooltip: `${problems} API contract errors` } : undefined;
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const folders = this.service.all();
      if (folders.length === 1) return this.folderChildren(folders[0]);
      return folders.map((folder) => ({ kind: 'folder', folder }));
    }
    switch (node.kind) {
      case 'folder':
        return this.folderChildren(node.folder);
      case 'problems':
        return node.calls.map((call) => ({ kind: 'call', folder: node.folder, parentId: idOf(node), call }));
      case 'tag':
        return node.group.operations.map((usage) => ({ kind: 'operation', folder: node.folder, tag: node.group.tag, usage }));
      case 'operation':
        return node.usage.calls.map((call) => ({ kind: 'call', folder: node.folder, parentId: idOf(node), call }));
      default:
        return [];
    }
  }

  private folderChildren(folder: FolderContract): Node[] {
    const state = folder.specState;
    if (state.kind === 'loading') return [{ kind: 'message', folder, text: 'Loading the OpenAPI document…', icon: 'sync~spin' }];
    if (state.kind === 'failed') {
      return [
        {
          kind: 'message',
          folder,
          text: state.empty ? 'OpenAPI document has no operations' : 'OpenAPI document not loaded',
          tooltip: state.message,
          icon: 'warning',
          command: { title: 'Select OpenAPI Source', command: 'zenops.selectOpenApiSource', arguments: [folder.folder.uri] },
        },
      ];
    }
    const report = folder.report;
    if (!report) return [];
    const problems = report.calls.filter((c) => isProblem(c.result.status));
    return [
      { kind: 'problems', folder, calls: problems },
      ...groupOperationsByTag(state.spec, report).map((group): Node => ({ kind: 'tag', folder, group })),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const id = idOf(node);
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folder.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = id;
        item.iconPath = new vscode.ThemeIcon('root-folder');
        const state = node.folder.specState;
        item.description = state.source ? describeSpecSource(state.source) : undefined;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip;
        item.description = node.tooltip;
        item.command = node.command;
        return item;
      }
      case 'problems': {
        const n = node.calls.length;
        const item = new vscode.TreeItem(n === 0 ? 'No broken calls' : 'Broken calls', n === 0 ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Expanded);
        item.id = id;
        item.description = n === 0 ? undefined : String(n);
        item.iconPath = new vscode.ThemeIcon(n === 0 ? 'pass' : 'error', new vscode.ThemeColor(n === 0 ? 'testing.iconPassed' : 'problemsErrorIcon.foreground'));
        return item;
      }
      case 'tag': {
        const ops = node.group.operations;
        const unused = ops.filter((u) => u.calls.length === 0).length;
        const item = new vscode.TreeItem(node.group.tag, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = id;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.description = `${ops.length} operation${ops.length === 1 ? '' : 's'}${unused > 0 ? `, ${unused} unused` : ''}`;
        return item;
      }
      case 'operation': {
        const { usage } = node;
        const op = usage.operation;
        const n = usage.calls.length;
        const note = n === 0 ? this.service.unusedOperationNote?.(node.folder, op) : undefined;
        const item = new vscode.TreeItem(usage.key, n > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = id;
        item.description = [n === 0 ? (note ?? 'unused') : `${n} call${n === 1 ? '' : 's'}`, op.deprecated ? 'deprecated' : '', op.summary ?? ''].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(n === 0 ? 'circle-slash' : op.deprecated ? 'warning' : 'symbol-method', n === 0 ? new vscode.ThemeColor('disabledForeground') : undefined);
        item.tooltip = `${usage.key}${op.summary ? `: ${op.summary}` : ''}\n${n === 0 ? 'No call in the frontend reaches this operation.' : `${n} call${n === 1 ? '' : 's'} reach this operation.`}${note ? `\n${note}` : ''}`;
        item.contextValue = 'zenops.operation';
        item.command = { title: 'Open Operation', command: 'zenops.openOperation', arguments: [node.folder.folder.uri, op.method, op.path] };
        return item;
      }
      case 'call': {
        const { call } = node;
        const item = new vscode.TreeItem(callLabel(call), vscode.TreeItemCollapsibleState.None);
        item.id = id;
        const rel = path.relative(node.folder.folder.uri.fsPath, call.file).split(path.sep).join('/');
        item.description = `${rel}:${call.urlSpan.start.line}`;
        item.tooltip = call.result.message;
        const severity = severityOf(call.result.status);
        item.iconPath = new vscode.ThemeIcon(severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'arrow-right', severity === 'error' ? new vscode.ThemeColor('problemsErrorIcon.foreground') : severity === 'warning' ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
        item.resourceUri = vscode.Uri.file(call.file);
        item.command = { title: 'Go to Call', command: 'vscode.open', arguments: [vscode.Uri.file(call.file), { selection: toRange(call.urlSpan) }] };
        return item;
      }
    }
  }

  /** Every row of the view, expanded, as the user would see it (for the hidden `zenops.contract.stats` command the tests read). */
  rows(): ContractViewRow[] {
    const out: ContractViewRow[] = [];
    const walk = (nodes: Node[], depth: number): void => {
      for (const node of nodes) {
        const item = this.getTreeItem(node);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
        out.push({ depth, kind: node.kind, label, description: typeof item.description === 'string' ? item.description : undefined, tooltip, command: item.command });
        walk(this.getChildren(node), depth + 1);
      }
    };
    walk(this.getChildren(), 0);
    return out;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}

export interface ContractViewRow {
  depth: number;
  kind: Node['kind'];
  label: string;
  description?: string;
  tooltip?: string;
  command?: vscode.Command;
}

/** Ids stay the same across refreshes, so expansion and selection survive re-checks. */
function idOf(node: Node): string {
  const folder = node.folder.folder.uri.toString();
  switch (node.kind) {
    case 'folder':
      return folder;
    case 'message':
      return `${folder}#message`;
    case 'problems':
      return `${folder}#problems`;
    case 'tag':
      return `${folder}#tag:${node.group.tag}`;
    case 'operation':
      return `${folder}#tag:${node.tag}#op:${node.usage.key}`;
    case 'call':
      return `${node.parentId}#call:${node.call.file}:${node.call.urlSpan.start.line}:${node.call.urlSpan.start.column}`;
  }
}
