// How much each call status matters: errors fail `zenops check`, warnings do not.
import type { CallStatus, ContractReport } from '../types';

export type Severity = 'error' | 'warning' | 'note' | 'none';

const SEVERITY: Record<CallStatus, Severity> = {
  'missing-path': 'error',
  'method-not-allowed': 'error',
  'trailing-slash': 'warning',
  deprecated: 'warning',
  unresolved: 'note',
  external: 'none',
  ok: 'none',
};

export const CALL_STATUSES = Object.keys(SEVERITY) as CallStatus[];

export function severityOf(status: CallStatus): Severity {
  return SEVERITY[status];
}

/** A problem is an error or a warning; unresolved, external and ok calls are not problems. */
export function isProblem(status: CallStatus): boolean {
  const s = SEVERITY[status];
  return s === 'error' || s === 'warning';
}

export function countBySeverity(report: ContractReport): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0, none: 0 };
  for (const call of report.calls) counts[SEVERITY[call.result.status]]++;
  return counts;
}

export function hasErrors(report: ContractReport): boolean {
  return report.calls.some((call) => SEVERITY[call.result.status] === 'error');
}
