// The editor's own contract result for Collect Logs: what the squiggles show right now (unsaved edits
// included), so collecting never loads a second parser into the extension host.
import type * as vscode from 'vscode';
import type { ContractCheckOutcome } from '../core/collect/collectDiagnostics';
import type { ContractService } from './contractService';

const FIRST_CHECK_WAIT_MS = 30_000;

export function liveContractCheck(service: ContractService): (folder: vscode.WorkspaceFolder) => Promise<ContractCheckOutcome> {
  return async (folder) => {
    const deadline = Date.now() + FIRST_CHECK_WAIT_MS;
    for (;;) {
      const contract = service.all().find((c) => c.folder.uri.toString() === folder.uri.toString());
      const state = contract?.specState;
      if (contract && state?.kind === 'failed') throw new Error(`the OpenAPI document is not loaded: ${state.message}`);
      if (contract && state?.kind === 'loaded' && contract.report) {
        const notices = state.bufferError ? [`the spec's unsaved edits do not parse (${state.bufferError}); the last good version was used`] : [];
        return { report: contract.report, root: folder.uri.fsPath, notices };
      }
      // No checker once every folder has started: this folder has no frontend code to check.
      if (!contract && service.firstCheckMs !== undefined) throw new Error('no frontend files in this folder match zenops.contract.include');
      if (Date.now() > deadline) throw new Error(`the contract check did not finish within ${FIRST_CHECK_WAIT_MS / 1000} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 500);
        const subscription = service.onDidChange(done);
        function done(): void {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      });
    }
  };
}
