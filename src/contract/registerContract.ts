// Wires the contract capability into VS Code: diagnostics, hover, quick fixes, the Contract view,
// the status item and the commands. Cheap by design: the engine loads only for folders with frontend code.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { log } from '../log';
import { ContractCodeActionProvider } from './codeActions';
import { registerContractCommands } from './commands';
import { ContractService } from './contractService';
import { ContractTreeProvider } from './contractView';
import { ContractHoverProvider } from './hover';
import { ContractStatusItem } from './statusItem';

/** Returns the service, so other capabilities (traffic) can read each folder's checked calls. */
export function registerContract(context: vscode.ExtensionContext): ContractService {
  const started = performance.now();
  const diagnostics = vscode.languages.createDiagnosticCollection('zenops');
  // The scan cache lives in this workspace's storage: reopening the folder re-parses only files that changed.
  const service = new ContractService(diagnostics, context.storageUri ? vscode.Uri.joinPath(context.storageUri, 'scan-cache').fsPath : undefined);
  const files: vscode.DocumentSelector = { scheme: 'file' };
  const status = new ContractStatusItem(service);
  const view = new ContractTreeProvider(service);
  // Disposed in this order: the service still clears its diagnostics before the collection goes.
  context.subscriptions.push(
    service,
    diagnostics,
    status,
    view,
    vscode.languages.registerHoverProvider(files, new ContractHoverProvider(service)),
    vscode.languages.registerCodeActionsProvider(files, new ContractCodeActionProvider(service), ContractCodeActionProvider.metadata),
    ...registerContractCommands(service, { status, view }),
  );
  log().info(`contract: registered in ${(performance.now() - started).toFixed(1)} ms`);
  void service.startAll().then(
    () => log().info(`contract: first check of ${service.all().length} folder(s) done in ${Math.round(service.firstCheckMs ?? 0)} ms`),
    (error: unknown) => log().error(`contract: start failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  return service;
}
