// Wiring only: each capability registers itself from its own folder.
import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Capabilities are registered here as they land.
}

export function deactivate(): void {}
