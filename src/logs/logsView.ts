// The "Logs" tree view: renders core LogsNodes, redraws only nodes whose fingerprint changed; frame nodes that map
// to a workspace file carry the command that opens it.
import * as vscode from 'vscode';
import { diffLogsTrees, type LogsNode } from '../core/logs/logsTree';

/** The object VS Code holds for a node: one per id, so refreshes by element work. */
export interface LogsElement {
  readonly id: string;
}

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

export class LogsTreeProvider implements vscode.TreeDataProvider<LogsElement> {
  private roots: LogsNode[] | undefined;
  private readonly nodes = new Map<string, LogsNode>();
  private readonly parents = new Map<string, string>();
  private readonly handles = new Map<string, LogsElement>();
  private readonly changeEmitter = new vscode.EventEmitter<LogsElement | LogsElement[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  update(next: LogsNode[]): void {
    const diff = diffLogsTrees(this.roots, next);
    this.roots = next;
    this.nodes.clear();
    this.parents.clear();
    const index = (list: LogsNode[], parent?: string) => {
      for (const n of list) {
        this.nodes.set(n.id, n);
        if (parent) this.parents.set(n.id, parent);
        if (n.children) index(n.children, n.id);
      }
    };
    index(next);
    for (const id of [...this.handles.keys()]) if (!this.nodes.has(id)) this.handles.delete(id);
    if (diff.all) this.changeEmitter.fire(undefined);
    else if (diff.changed.length > 0) this.changeEmitter.fire(diff.changed.map((n) => this.handle(n.id)));
  }

  /** The current tree as data (for tests and the state command). */
  get current(): readonly LogsNode[] {
    return this.roots ?? [];
  }

  node(element: LogsElement | string): LogsNode | undefined {
    return this.nodes.get(typeof element === 'string' ? element : element.id);
  }

  getChildren(element?: LogsElement): LogsElement[] {
    if (!element) return (this.roots ?? []).map((n) => this.handle(n.id));
    return (this.nodes.get(element.id)?.children ?? []).map((n) => this.handle(n.id));
  }

  getParent(element: LogsElement): LogsElement | undefined {
    const parent = this.parents.get(element.id);
    return parent ? this.handle(parent) : undefined;
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

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private handle(id: string): LogsElement {
    let h = this.handles.get(id);
    if (!h) {
      h = { id };
      this.handles.set(id, h);
    }
    return h;
  }
}
