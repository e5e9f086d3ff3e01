// The "Health" tree view: renders core HealthNodes, redraws only nodes whose fingerprint changed, builds
// tooltips on hover (so scrape ages are always fresh without redrawing the tree).
import * as vscode from 'vscode';
import { diffHealthTrees, HealthNode } from '../core/health/healthTree';
import { nodeTooltipMarkdown } from '../core/health/healthText';

/** The object VS Code holds for a node: one per id for the view's lifetime, so refreshes by element work. */
export interface HealthElement {
  readonly id: string;
}

export class HealthTreeProvider implements vscode.TreeDataProvider<HealthElement> {
  private roots: HealthNode[] | undefined;
  private nodes = new Map<string, HealthNode>();
  private parents = new Map<string, string>();
  private readonly handles = new Map<string, HealthElement>();
  private readonly changeEmitter = new vscode.EventEmitter<HealthElement | HealthElement[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** How many nodes each update redrew (`all` = whole tree), for logs and tests. */
  lastRedraw: 'all' | string[] = 'all';

  update(next: HealthNode[]): void {
    const diff = diffHealthTrees(this.roots, next);
    this.roots = next;
    this.nodes.clear();
    this.parents.clear();
    const index = (list: HealthNode[], parent?: string) => {
      for (const n of list) {
        this.nodes.set(n.id, n);
        if (parent) this.parents.set(n.id, parent);
        if (n.children) index(n.children, n.id);
      }
    };
    index(next);
    for (const id of [...this.handles.keys()]) if (!this.nodes.has(id)) this.handles.delete(id);
    if (diff.all) {
      this.lastRedraw = 'all';
      this.changeEmitter.fire(undefined);
    } else if (diff.changed.length > 0) {
      this.lastRedraw = diff.changed.map((n) => n.id);
      this.changeEmitter.fire(diff.changed.map((n) => this.handle(n.id)));
    } else {
      this.lastRedraw = [];
    }
  }

  node(element: HealthElement): HealthNode | undefined {
    return this.nodes.get(element.id);
  }

  getChildren(element?: HealthElement): HealthElement[] {
    if (!element) {
      return this.roots ? this.roots.map((n) => this.handle(n.id)) : [];
    }
    return (this.nodes.get(element.id)?.children ?? []).map((n) => this.handle(n.id));
  }

  getParent(element: HealthElement): HealthElement | undefined {
    const parent = this.parents.get(element.id);
    return parent ? this.handle(parent) : undefined;
  }

  getTreeItem(element: HealthElement): vscode.TreeItem {
    const node = this.nodes.get(element.id);
    if (!node) return new vscode.TreeItem('…');
    const state = node.children
      ? node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: HealthElement): vscode.TreeItem {
    const node = this.nodes.get(element.id);
    if (node) item.tooltip = new vscode.MarkdownString(nodeTooltipMarkdown(node, Date.now()));
    return item;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private handle(id: string): HealthElement {
    let h = this.handles.get(id);
    if (!h) {
      h = { id };
      this.handles.set(id, h);
    }
    return h;
  }
}
