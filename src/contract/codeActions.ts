// Quick fixes on contract diagnostics. The edits themselves are computed by the pure functions in
// src/core/contract/quickFixes.ts; this file only finds the call and wraps them as WorkspaceEdits.
import * as vscode from 'vscode';
import { fixMethodText, fixPathText, ignoreCommentLine, pathFixTargets, setTrailingSlashText } from '../core/contract/quickFixes';
import type { CheckedCall, HttpMethod } from '../core/contract/types';
import type { ContractService } from './contractService';
import { DIAGNOSTIC_SOURCE, toRange } from './diagnostics';

export const OPEN_OPERATION_COMMAND = 'zenops.openOperation';

export class ContractCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly service: ContractService) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const folder = this.service.folderOf(document.uri);
    if (!folder) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const call = folder.checkedCallsOf(document.uri.fsPath).find((c) => toRange(c.urlSpan).isEqual(diagnostic.range) && c.result.status === diagnostic.code);
      if (!call) continue;
      actions.push(...fixesFor(document, call, diagnostic, folder.folder.uri, folder.specFile !== undefined));
    }
    return actions;
  }
}

function fixesFor(document: vscode.TextDocument, call: CheckedCall, diagnostic: vscode.Diagnostic, folder: vscode.Uri, fileSpec: boolean): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const urlRange = toRange(call.urlSpan);
  const urlText = document.getText(urlRange);
  const { result } = call;

  const replace = (title: string, range: vscode.Range, text: string, preferred: boolean): void => {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(document.uri, range, text);
    action.diagnostics = [diagnostic];
    action.isPreferred = preferred;
    actions.push(action);
  };

  if (result.status === 'missing-path') {
    let preferred = true;
    for (const target of pathFixTargets(call)) {
      const text = fixPathText(urlText, call, target.path);
      if (text === undefined || text === urlText) continue;
      replace(`Change path to ${target.path}${target.allowsMethod ? '' : ` (${call.method} not allowed there)`}`, urlRange, text, preferred && target.allowsMethod);
      preferred = false;
    }
  } else if (result.status === 'method-not-allowed' && call.methodSpan) {
    const methodRange = toRange(call.methodSpan);
    const methodText = document.getText(methodRange);
    const allowed = result.allowedMethods ?? [];
    for (const method of allowed) {
      const text = fixMethodText(methodText, method as HttpMethod);
      if (text !== undefined) replace(`Change method to ${method}`, methodRange, text, allowed.length === 1);
    }
  } else if (result.status === 'trailing-slash') {
    const slash = result.suggestion ? /\/$/.test(result.suggestion) : !(call.path ?? '').endsWith('/');
    const text = setTrailingSlashText(urlText, call, slash);
    if (text !== undefined) replace(slash ? 'Add the trailing slash' : 'Remove the trailing slash', urlRange, text, true);
  }

  const ignore = new vscode.CodeAction('Ignore this call (// zenops-ignore)', vscode.CodeActionKind.QuickFix);
  const line = call.callSpan.start.line - 1;
  ignore.edit = new vscode.WorkspaceEdit();
  ignore.edit.insert(document.uri, new vscode.Position(line, 0), ignoreCommentLine(document.lineAt(line).text));
  ignore.diagnostics = [diagnostic];
  actions.push(ignore);

  const operation = result.operation ?? result.candidates?.[0];
  if (operation) {
    const open = new vscode.CodeAction(
      `Open ${operation.method} ${operation.path} in ${fileSpec ? 'the spec' : 'the API docs'}`,
      vscode.CodeActionKind.QuickFix,
    );
    open.command = { title: open.title, command: OPEN_OPERATION_COMMAND, arguments: [folder, operation.method, operation.path] };
    open.diagnostics = [diagnostic];
    actions.push(open);
  }
  return actions;
}
