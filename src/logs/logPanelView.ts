// The log panel (a webview in the ZenOps sidebar): the HTML comes from the pure buildLogPanelHtml; rows travel by
// postMessage; what the webview posts back is parsed and only ever names ids the extension handed out.
import * as vscode from 'vscode';
import { buildLogPanelHtml, createNonce, parsePanelMessage, type PanelMessage, type PanelRow } from '../core/logs/logPanel';

export const LOG_PANEL_VIEW = 'zenops.logPanel';

export interface LogPanelSource {
  /** Every row the panel holds now, oldest first. */
  rows(): PanelRow[];
  config(): { maxLines: number; hasGrafana: boolean };
  status(): { text: string; problem: boolean };
  initialStatus(): string;
  onMessage(message: PanelMessage): void | Promise<void>;
}

export class LogPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly visibilityEmitter = new vscode.EventEmitter<boolean>();
  readonly onDidChangeVisibility = this.visibilityEmitter.event;
  /** The last HTML given to the webview (tests read it). */
  lastHtml = '';
  /** Messages dropped because they did not parse. */
  rejectedMessages = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: LogPanelSource,
  ) {}

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    this.lastHtml = buildLogPanelHtml({
      cspSource: view.webview.cspSource,
      nonce: createNonce(),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'logPanel.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'logPanel.css')).toString(),
      initialStatus: this.source.initialStatus(),
    });
    view.webview.html = this.lastHtml;
    // A webview view is resolved again after it was disposed (collapsed, moved): drop the old view's listeners.
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parsePanelMessage(raw);
        if (!message) {
          this.rejectedMessages++;
          return;
        }
        if (message.type === 'ready') return this.sendAll();
        void this.source.onMessage(message);
      }),
      view.onDidChangeVisibility(() => this.visibilityEmitter.fire(view.visible)),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.visibilityEmitter.fire(false);
      }),
    );
    this.visibilityEmitter.fire(view.visible);
  }

  /** Sends config, status and every row (replacing what the webview holds). */
  sendAll(): void {
    void this.post({ type: 'config', ...this.source.config() });
    void this.post({ type: 'status', ...this.source.status() });
    void this.post({ type: 'rows', replace: true, rows: this.source.rows() });
  }

  append(rows: PanelRow[]): void {
    if (rows.length > 0) void this.post({ type: 'rows', replace: false, rows });
  }

  /** Expands one row and scrolls to it (after the rows it belongs to, when the webview is just starting). */
  reveal(rowId: string): void {
    void this.post({ type: 'reveal', rowId });
  }

  sendStatus(): void {
    void this.post({ type: 'status', ...this.source.status() });
  }

  sendConfig(): void {
    void this.post({ type: 'config', ...this.source.config() });
  }

  private async post(message: unknown): Promise<void> {
    // A hidden webview view may be disposed; the next resolve sends everything again.
    await this.view?.webview.postMessage(message).then(undefined, () => undefined);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.visibilityEmitter.dispose();
  }
}
