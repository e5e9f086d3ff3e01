// The log lines the suite and runInCodeServer.ts talk through (the extension host's console reaches the runner).

/** Asks the runner for something only the browser can do: `ZENOPS_WORKBENCH_REQUEST <id> <base64url JSON>`. */
export const WORKBENCH_REQUEST = 'ZENOPS_WORKBENCH_REQUEST';

/**
 * The suite's last line, `ZENOPS_SUITE_DONE {"tests":…,"passes":…,"failures":…,"pending":…}`. The runner trusts a
 * passing exit code only after seeing it: VS Code also reports exit code 0 when the extension host dies mid-suite.
 */
export const SUITE_DONE = 'ZENOPS_SUITE_DONE';

export interface SuiteCounts {
  tests: number;
  passes: number;
  failures: number;
  pending: number;
}
