// Wiring only: each capability registers itself from its own folder.
import * as vscode from 'vscode';
import { registerCollect } from './collect/registerCollect';
import { liveContractCheck } from './contract/liveContractCheck';
import { registerContract } from './contract/registerContract';
import { registerHealth } from './health/registerHealth';
import { registerLogs } from './logs/registerLogs';
import { registerTraffic } from './traffic/registerTraffic';

export function activate(context: vscode.ExtensionContext): void {
  // Capabilities are registered here as they land.
  const contract = registerContract(context);
  const health = registerHealth(context);
  registerLogs(context);
  registerCollect(context, liveContractCheck(contract));
  registerTraffic(context, contract, health);
}

export function deactivate(): void {}
