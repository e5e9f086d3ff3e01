// Compiler-style text: one line per problem, then a summary line.
import type { ContractReport } from '../types';
import { countBySeverity, isProblem, severityOf } from './severity';
import { callLabel, locationOf, messageDetail, relativeFile } from './location';

export interface TextOptions {
  /** `zenops.contract.showUnresolved`: unresolved calls get a `note` line each (off: only counted). */
  showUnresolved?: boolean;
}

export function formatText(report: ContractReport, root: string, options: TextOptions = {}): string {
  const lines: string[] = [];
  for (const call of report.calls) {
    if (!isProblem(call.result.status) && !(options.showUnresolved === true && call.result.status === 'unresolved')) continue;
    const at = locationOf(call, root);
    const { status, suggestion, nearMiss } = call.result;
    const detail =
      status === 'missing-path' && suggestion
        ? nearMiss
          ? `did you mean ${suggestion}?`
          : `no such path; closest: ${suggestion}`
        : messageDetail(call);
    // One finding, one line: a path written across lines of a template literal shows its line breaks as \n.
    // The method is a column of its own: `?` when it is not known, so the fields stay in place.
    const label = call.method ? callLabel(call) : `? ${callLabel(call)}`;
    const line = `${at.file}:${at.line}:${at.column}  ${severityOf(call.result.status)}  ${label}  ${call.result.status}  ${detail}`;
    lines.push(oneLine(line));
  }
  for (const skipped of report.skipped) {
    lines.push(oneLine(`${relativeFile(root, skipped.file)}  note  skipped: ${skipped.reason}`));
  }
  const counts = countBySeverity(report);
  const byStatus = (status: string): number => report.calls.filter((c) => c.result.status === status).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    counts.error === 0 && counts.warning === 0 ? 'no problems' : `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`,
    `${plural(report.calls.length, 'call')} in ${plural(report.files, 'file')}${report.skipped.length > 0 ? ` (${report.skipped.length} skipped)` : ''}`,
    `${byStatus('unresolved')} unresolved`,
    `${byStatus('external')} external`,
    `${report.unused.length} of ${plural(report.spec.operations, 'operation')} unused`,
  ];
  if (lines.length > 0) lines.push('');
  lines.push(`${parts.join(', ')} (spec: ${report.spec.source})`);
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\\n');
}
