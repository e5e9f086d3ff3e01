// Checked calls as VS Code diagnostics: errors for calls the backend will refuse, warnings for
// redirects and deprecations, hints for unresolved URLs only when the user asked for them.
import * as vscode from 'vscode';
import type { CheckedCall, Span } from '../core/contract/types';

export const DIAGNOSTIC_SOURCE = 'ZenOps';

const SEVERITY: Partial<Record<CheckedCall['result']['status'], vscode.DiagnosticSeverity>> = {
  'missing-path': vscode.DiagnosticSeverity.Error,
  'method-not-allowed': vscode.DiagnosticSeverity.Error,
  'trailing-slash': vscode.DiagnosticSeverity.Warning,
  deprecated: vscode.DiagnosticSeverity.Warning,
  unresolved: vscode.DiagnosticSeverity.Hint,
};

/** Engine spans are 1-based lines, 0-based columns; VS Code ranges are 0-based both. */
export function toRange(span: Span): vscode.Range {
  return new vscode.Range(span.start.line - 1, span.start.column, span.end.line - 1, span.end.column);
}

export function toDiagnostic(call: CheckedCall, showUnresolved: boolean): vscode.Diagnostic | undefined {
  const { status } = call.result;
  const severity = SEVERITY[status];
  if (severity === undefined || (status === 'unresolved' && !showUnresolved)) return undefined;
  const diagnostic = new vscode.Diagnostic(toRange(call.urlSpan), call.result.message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = status;
  if (status === 'deprecated') diagnostic.tags = [vscode.DiagnosticTag.Deprecated];
  return diagnostic;
}

export function diagnosticsFor(calls: readonly CheckedCall[], showUnresolved: boolean): vscode.Diagnostic[] {
  return calls.map((call) => toDiagnostic(call, showUnresolved)).filter((d): d is vscode.Diagnostic => d !== undefined);
}
