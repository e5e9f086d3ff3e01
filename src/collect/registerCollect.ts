// "ZenOps: Collect Logs": runs the core collector with a cancellable progress notification, opens the error
// index, offers Reveal in Explorer; a trusted workspace's own ops/diagnostics/collect_logs.sh can run instead as a task.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../config';
import type { CollectResult, ContractCheckOutcome } from '../core/collect/collectDiagnostics';
import { chooseCollector, findCollectScript, WORKSPACE_COLLECT_SCRIPT } from '../core/collect/collectorChoice';
import { collectionHeadline, sourceSummaryLine } from '../core/collect/collectSummary';
import { readAllCredentials } from '../credentials';
import { log } from '../log';

const RUN_SCRIPT = 'Run collect_logs.sh';
const BUILT_IN = 'Use Built-in Collector';
const REVEAL = 'Reveal in Explorer';

/** What the command resolves to (for tests and other commands): the bundle, the task, or nothing when dismissed. */
export type CollectCommandResult =
  | { kind: 'bundle'; folder: string; status: CollectResult['status']; errorIndexFile: string; sources: CollectResult['sources'] }
  | { kind: 'script-task'; script: string }
  | { kind: 'none'; reason: string };

/** `contractCheck`: the contract result a bundle gets for a folder (the editor's live one). */
export type FolderContractCheck = (folder: vscode.WorkspaceFolder) => Promise<ContractCheckOutcome>;

export function registerCollect(context: vscode.ExtensionContext, contractCheck: FolderContractCheck): void {
  context.subscriptions.push(vscode.commands.registerCommand('zenops.collectLogs', () => collectLogs(context, contractCheck)));
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Collect diagnostics for which folder?' });
}

async function collectLogs(context: vscode.ExtensionContext, contractCheck: FolderContractCheck): Promise<CollectCommandResult> {
  const folder = await pickFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('ZenOps: open a folder to collect diagnostics for.');
    return { kind: 'none', reason: 'no folder' };
  }
  const root = folder.uri.fsPath;
  const script = findCollectScript(root);
  const choice = chooseCollector({ scriptExists: script !== undefined, trusted: vscode.workspace.isTrusted });
  if (choice.kind === 'builtin' && choice.reason === 'untrusted') {
    log().info(`collect: not offering ${WORKSPACE_COLLECT_SCRIPT}: the workspace is not trusted, so the built-in collector runs`);
  }
  if (choice.kind === 'offer-script') {
    const picked = await vscode.window.showInformationMessage(
      `ZenOps: this workspace has its own ${WORKSPACE_COLLECT_SCRIPT}. Run it as a task in a terminal, or use the built-in collector (a redacted bundle with an error index)?`,
      RUN_SCRIPT,
      BUILT_IN,
    );
    if (picked === undefined) return { kind: 'none', reason: 'dismissed' };
    if (picked === RUN_SCRIPT) return runScriptTask(folder, choice.script);
  }
  return runBuiltIn(context, folder, contractCheck);
}

/** The workspace's script as a task in a terminal; checks trust again at the moment it would run. */
async function runScriptTask(folder: vscode.WorkspaceFolder, script: string): Promise<CollectCommandResult> {
  if (!vscode.workspace.isTrusted) return { kind: 'none', reason: 'untrusted' };
  const execution = new vscode.ShellExecution('bash', [script], { cwd: folder.uri.fsPath });
  const task = new vscode.Task({ type: 'zenops', task: 'collect_logs' }, folder, 'collect_logs.sh', 'ZenOps', execution);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  await vscode.tasks.executeTask(task);
  log().info(`collect: running ${script} as a task in ${folder.name}`);
  return { kind: 'script-task', script };
}

async function runBuiltIn(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder, contractCheck: FolderContractCheck): Promise<CollectCommandResult> {
  const root = folder.uri.fsPath;
  const settings = readSettings(folder.uri);
  const credentials = await readAllCredentials(context.secrets);
  const outDir = path.resolve(root, settings.collect.outputFolder);
  // Loaded on first use: nothing of it is needed at activation.
  const { collectDiagnostics, CollectSetupError } = await import('../core/collect/collectDiagnostics.js');
  let result: CollectResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'ZenOps: Collect Logs', cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          return await collectDiagnostics({
            root,
            outDir,
            settings,
            credentials,
            signal: controller.signal,
            version: String(context.extension.packageJSON.version ?? ''),
            contractCheck: () => contractCheck(folder),
            onProgress: (step) => progress.report({ message: `${step.title} (${step.index}/${step.total})`, increment: 100 / step.total }),
          });
        } finally {
          cancel.dispose();
        }
      },
    );
  } catch (err) {
    const message = err instanceof CollectSetupError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    log().error(`collect: ${message}`);
    void vscode.window.showErrorMessage(`ZenOps: could not collect diagnostics: ${message}`);
    return { kind: 'none', reason: message };
  }

  log().info(`collect: ${result.folder}\n${result.sources.map((s) => `  ${sourceSummaryLine(s)}`).join('\n')}\n${collectionHeadline(result)}`);
  const index = vscode.Uri.file(result.errorIndexFile);
  await vscode.window.showTextDocument(index, { preview: false });
  const failed = result.sources.filter((s) => s.status === 'failed').map((s) => s.source);
  const text =
    result.status === 'cancelled'
      ? `ZenOps: collection cancelled; the partial bundle is in ${path.basename(result.folder)}.`
      : `ZenOps: diagnostics bundle written to ${shownPath(root, result.folder)}${failed.length ? ` (failed: ${failed.join(', ')})` : ''}.`;
  const show = result.status === 'cancelled' || failed.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  // Not awaited: the command resolves with the bundle while the message waits for the user.
  void show(text, REVEAL).then((picked) => {
    if (picked === REVEAL) void revealBundle(result);
  });
  return { kind: 'bundle', folder: result.folder, status: result.status, errorIndexFile: result.errorIndexFile, sources: result.sources };
}

/** Relative to the workspace folder when the bundle is inside it, else absolute. */
function shownPath(root: string, folder: string): string {
  const rel = path.relative(root, folder);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : folder;
}

/**
 * Inside a workspace folder: VS Code's Explorer, which the button names. Outside it the Explorer cannot show the folder:
 * a local desktop opens the OS file manager; the web or a remote (code-server, where revealInExplorer does nothing
 * there) copies the folder's path and lists the bundle's files to open, since the files are what the user came for.
 */
async function revealBundle(result: CollectResult): Promise<void> {
  const folder = vscode.Uri.file(result.folder);
  if (vscode.workspace.getWorkspaceFolder(folder)) {
    await vscode.commands.executeCommand('revealInExplorer', folder);
    return;
  }
  if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) {
    await vscode.commands.executeCommand('revealFileInOS', folder);
    return;
  }
  // A browser may refuse the clipboard (no permission, page not focused): the list still shows the path.
  const copied = await vscode.env.clipboard.writeText(result.folder).then(
    () => true,
    () => false,
  );
  const files = [...new Set([...result.sources.flatMap((s) => s.files), 'manifest.json'])].sort();
  const picked = await vscode.window.showQuickPick(
    files.map((file) => ({ label: file })),
    { title: `ZenOps: bundle ${result.folder}${copied ? ' (path copied to the clipboard)' : ''}`, placeHolder: 'Open a file of the bundle' },
  );
  if (picked) await vscode.window.showTextDocument(vscode.Uri.file(path.join(result.folder, picked.label)), { preview: false });
}
