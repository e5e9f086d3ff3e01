// The one ZenOps output channel ("ZenOps" in the Output panel), shared by every capability.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('ZenOps', { log: true });
  return channel;
}
