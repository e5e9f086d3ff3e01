// The bookkeeping every ZenOps tree shares: nodes indexed by stable id, one handle object per id for the view's
// lifetime (so VS Code can refresh single elements), and redraws limited to the nodes a diff says changed.
import * as vscode from 'vscode';

/** The object VS Code holds for a node. */
export interface TreeElement {
  readonly id: string;
}

export interface IndexedNode<N> {
  id: string;
  children?: N[];
}

export interface TreeDiff<N> {
  all: boolean;
  changed: N[];
}

export abstract class IndexedTreeProvider<N extends IndexedNode<N>> implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  protected roots: N[] | undefined;
  protected readonly nodes = new Map<string, N>();
  private readonly parents = new Map<string, string>();
  private readonly handles = new Map<string, TreeElement>();
  private readonly changeEmitter = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** How many nodes the last update redrew (`all` = the whole tree), for logs and tests. */
  lastRedraw: 'all' | string[] = 'all';

  constructor(private readonly diff: (before: N[] | undefined, after: N[]) => TreeDiff<N>) {}

  update(next: N[]): void {
    const diff = this.diff(this.roots, next);
    this.roots = next;
    this.nodes.clear();
    this.parents.clear();
    const index = (list: N[], parent?: string): void => {
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

  /** The current tree as data (for tests and state commands). */
  get current(): readonly N[] {
    return this.roots ?? [];
  }

  node(element: TreeElement | string): N | undefined {
    return this.nodes.get(typeof element === 'string' ? element : element.id);
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (!element) return (this.roots ?? []).map((n) => this.handle(n.id));
    return (this.nodes.get(element.id)?.children ?? []).map((n) => this.handle(n.id));
  }

  getParent(element: TreeElement): TreeElement | undefined {
    const parent = this.parents.get(element.id);
    return parent ? this.handle(parent) : undefined;
  }

  abstract getTreeItem(element: TreeElement): vscode.TreeItem;

  dispose(): void {
    this.changeEmitter.dispose();
  }

  protected handle(id: string): TreeElement {
    let h = this.handles.get(id);
    if (!h) {
      h = { id };
      this.handles.set(id, h);
    }
    return h;
  }
}
