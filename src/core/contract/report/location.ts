// Where a checked call sits, in the 1-based form reports use (ranges are the URL argument's).
import * as path from 'node:path';
import type { CheckedCall } from '../types';

export interface ReportLocation {
  /** Relative to the root, forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  /** 1-based column just after the range's last character. */
  endColumn: number;
}

export function relativeFile(root: string, file: string): string {
  const rel = path.isAbsolute(file) ? path.relative(root, file) : file;
  return rel.split(path.sep).join('/');
}

export function locationOf(call: CheckedCall, root: string): ReportLocation {
  return {
    file: relativeFile(root, call.file),
    line: call.urlSpan.start.line,
    column: call.urlSpan.start.column + 1,
    endLine: call.urlSpan.end.line,
    endColumn: call.urlSpan.end.column + 1,
  };
}

/** `GET /api/x/{}` or just the path when the method is unknown. */
export function callLabel(call: CheckedCall): string {
  const where = call.path ?? '(unresolved URL)';
  return call.method ? `${call.method} ${where}` : where;
}

/** The message without the `METHOD /path: ` it starts with, for formats that show the call separately. */
export function messageDetail(call: CheckedCall): string {
  const prefix = `${call.path !== null ? callLabel(call) : ''}: `;
  const message = call.result.message;
  return call.path !== null && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
