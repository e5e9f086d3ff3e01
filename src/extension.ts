// Wiring only: each capability registers itself from its own folder.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerCollect } from './collect/registerCollect';
import { liveContractCheck } from './contract/liveContractCheck';
import { registerContract } from './contract/registerContract';
import { registerHealth } from './health/registerHealth';
import { log } from './log';
import { registerLogs } from './logs/registerLogs';
import { registerTraffic } from './traffic/registerTraffic';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const contract = registerContract(context);
  const health = registerHealth(context);
  registerLogs(context);
  registerCollect(context, liveContractCheck(contract));
  registerTraffic(context, contract, health);
  const activateMs = performance.now() - started;
  log().info(`activated in ${activateMs.toFixed(1)} ms`);
  // Not contributed: lets tests and `Developer: …` users read how long activate() took.
  context.subscriptions.push(vscode.commands.registerCommand('zenops.activation', () => ({ activateMs })));
}

export function deactivate(): void {}
