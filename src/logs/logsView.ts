// The "Logs" tree view: renders core LogsNodes, redraws only nodes whose fingerprint changed; frame nodes that map
// to a workspace file carry the command that opens it.
import * as vscode from 'vscode';
import { diffLogsTrees, type LogsNode } from '../core/logs/logsTree';
import { IndexedTreeProvider, type TreeElement } from '../views/indexedTreeProvider';

/** The object VS Code holds for a node: one per id, so refreshes by element work. */
export type LogsElement = TreeElement;

export const OPEN_FRAME_COMMAND = 'zenops.logs.openFrame';
export const SHOW_IN_PANEL_COMMAND = 'zenops.logs.showInPanel';

/** Plain text as a MarkdownString that shows it literally (log lines are hostile input). */
export function plainTextTooltip(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendCodeblock(text, 'text');
  return md;
}

export class LogsTreeProvider extends IndexedTreeProvider<LogsNode> {
  constructor() {
    super(diffLogsTrees);
  }

  getTreeItem(element: LogsElement): vscode.TreeItem {
    const node = this.nodes.get(element.id);
    if (!node) return new vscode.TreeItem('…');
    const state = node.children && node.children.length > 0
      ? node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.contextValue = `zenops.logs.${node.kind}${node.copyText ? ' copyable' : ''}`;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.open) {
      item.command = { command: OPEN_FRAME_COMMAND, title: 'Open Source', arguments: [this.handle(node.id)] };
    } else if (node.entryKey) {
      item.command = { command: SHOW_IN_PANEL_COMMAND, title: 'Show in Log Panel', arguments: [this.handle(node.id)] };
    }
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: LogsElement): vscode.TreeItem {
    const node = this.nodes.get(element.id);
    if (node?.tooltip) item.tooltip = plainTextTooltip(node.tooltip);
    return item;
  }
}
