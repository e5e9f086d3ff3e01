// Machine-readable report; the shape is a public contract for scripts and CI.
import type { CallStatus, ContractReport, HttpMethod } from '../types';
import { locationOf, relativeFile } from './location';

export interface JsonReport {
  spec: { source: string; title: string; operations: number };
  files: number;
  calls: {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    method: HttpMethod | null;
    path: string | null;
    status: CallStatus;
    operation: string | null;
    message: string;
    suggestion: string | null;
  }[];
  unused: string[];
  /** Files that could not be checked (syntax errors, too large, unreadable): their calls are not in `calls`. */
  skipped: { file: string; reason: string }[];
}

export function toJsonReport(report: ContractReport, root: string): JsonReport {
  return {
    spec: { source: report.spec.source, title: report.spec.title, operations: report.spec.operations },
    files: report.files,
    calls: report.calls.map((call) => {
      const op = call.result.operation;
      return {
        ...locationOf(call, root),
        method: call.method,
        path: call.path,
        status: call.result.status,
        // A call whose method is not known reaches no one operation.
        operation: op && call.method !== null ? `${op.method} ${op.path}` : null,
        message: call.result.message,
        suggestion: call.result.suggestion ?? null,
      };
    }),
    unused: report.unused,
    skipped: report.skipped.map((s) => ({ file: relativeFile(root, s.file), reason: s.reason })),
  };
}

export function formatJson(report: ContractReport, root: string): string {
  return `${JSON.stringify(toJsonReport(report, root), null, 2)}\n`;
}
