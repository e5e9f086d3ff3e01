// Which calls reach each spec operation, grouped by tag as the API docs group them: the data of the
// Contract view and of the report's per-operation table.
import type { CheckedCall, ContractReport, LoadedSpec, SpecOperation } from './types';

export interface OperationUsage {
  operation: SpecOperation;
  /** `GET /api/x/{id}`: unique within a spec, used as a stable id. */
  key: string;
  calls: CheckedCall[];
}

export interface TagGroup {
  tag: string;
  operations: OperationUsage[];
}

export const UNTAGGED = 'default';

export function operationKey(operation: Pick<SpecOperation, 'method' | 'path'>): string {
  return `${operation.method} ${operation.path}`;
}

/** Operations by tag (first-seen tag order; untagged ones under `default`), each with the calls that reach it. */
export function groupOperationsByTag(spec: LoadedSpec, report: ContractReport): TagGroup[] {
  const callsByKey = new Map<string, CheckedCall[]>();
  for (const call of report.calls) {
    const reached = call.result.reachable ?? (call.result.operation ? [call.result.operation] : []);
    for (const key of new Set(reached.map(operationKey))) {
      const list = callsByKey.get(key);
      if (list) list.push(call);
      else callsByKey.set(key, [call]);
    }
  }
  const groups = new Map<string, TagGroup>();
  const seen = new Set<string>();
  for (const operation of spec.operations) {
    const key = operationKey(operation);
    if (seen.has(key)) continue;
    seen.add(key);
    const usage: OperationUsage = { operation, key, calls: callsByKey.get(key) ?? [] };
    for (const tag of operation.tags.length > 0 ? operation.tags : [UNTAGGED]) {
      let group = groups.get(tag);
      if (!group) groups.set(tag, (group = { tag, operations: [] }));
      group.operations.push(usage);
    }
  }
  return [...groups.values()];
}
