// Which collector "ZenOps: Collect Logs" runs: the workspace's own ops/diagnostics/collect_logs.sh is
// offered only in a trusted workspace (Workspace Trust); an untrusted workspace's script is never run.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where a workspace keeps its own collector script (the seed's convention). */
export const WORKSPACE_COLLECT_SCRIPT = 'ops/diagnostics/collect_logs.sh';

export type CollectorChoice =
  | { kind: 'builtin'; reason: 'no-script' | 'untrusted' }
  /** Ask the user: their script (as a task in a terminal) or the built-in collector. */
  | { kind: 'offer-script'; script: string };

/** Pure: what to do given whether the script exists and whether the workspace is trusted. */
export function chooseCollector(input: { scriptExists: boolean; trusted: boolean; script?: string }): CollectorChoice {
  if (!input.scriptExists) return { kind: 'builtin', reason: 'no-script' };
  if (!input.trusted) return { kind: 'builtin', reason: 'untrusted' };
  return { kind: 'offer-script', script: input.script ?? WORKSPACE_COLLECT_SCRIPT };
}

/** The workspace's collector script, if it has one (a file, not a folder). */
export function findCollectScript(root: string): string | undefined {
  const file = path.join(root, ...WORKSPACE_COLLECT_SCRIPT.split('/'));
  try {
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
