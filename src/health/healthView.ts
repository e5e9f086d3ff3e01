// The "Health" tree view: renders core HealthNodes, redraws only nodes whose fingerprint changed, builds
// tooltips on hover (so scrape ages are always fresh without redrawing the tree).
import * as vscode from 'vscode';
import { diffHealthTrees, HealthNode } from '../core/health/healthTree';
import { nodeTooltipMarkdown } from '../core/health/healthText';
import { IndexedTreeProvider, type TreeElement } from '../views/indexedTreeProvider';

/** The object VS Code holds for a node: one per id for the view's lifetime, so refreshes by element work. */
export type HealthElement = TreeElement;

export class HealthTreeProvider extends IndexedTreeProvider<HealthNode> {
  constructor() {
    super(diffHealthTrees);
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
}
