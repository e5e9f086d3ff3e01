// Wiring only: each capability registers itself from its own folder.
import * as vscode from 'vscode';
import { registerContract } from './contract/registerContract';

export function activate(context: vscode.ExtensionContext): void {
  // Capabilities are registered here as they land.
  registerContract(context);
}

export function deactivate(): void {}
