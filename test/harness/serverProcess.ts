// A server process a test starts: its output captured, whether it is gone, and a stop that always ends it
// (SIGTERM, then SIGKILL after 5 s) and removes its temporary folder.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export function startServerProcess(bin: string, args: string[], dir: string): ServerProcess {
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('error', (err) => {
    exited = true;
    output += `\nspawn failed: ${err.message}`;
  });
  child.on('exit', () => (exited = true));

  const stop = async (): Promise<void> => {
    if (!exited && child.exitCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { child, output: () => output, exited: () => exited, stop };
}
