// Wiring only: each capability registers itself from its own folder.
import * as vscode from 'vscode';
import { registerCollect } from './collect/registerCollect';
import { registerContract } from './contract/registerContract';
import { registerHealth } from './health/registerHealth';
import { registerLogs } from './logs/registerLogs';

export function activate(context: vscode.ExtensionContext): void {
  // Capabilities are registered here as they land.
  registerContract(context);
  registerHealth(context);
  registerLogs(context);
  registerCollect(context);
}

export function deactivate(): void {}
