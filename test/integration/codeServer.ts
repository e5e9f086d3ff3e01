// Starts and stops code-server (VS Code's server + web workbench) from the cache install-vscode-test-deps.sh fills.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface CodeServerInstall {
  /** The folder holding node/ and code-server/, from scripts/install-vscode-test-deps.sh. */
  dir: string;
  /** The code-server launcher. */
  bin: string;
  /** PATH with the cached Node 24 first: code-server's launcher runs `node` from PATH. */
  pathEnv: string;
}

export interface RunningCodeServer {
  port: number;
  process: ChildProcess;
  /** Stops the whole process group (server, extension hosts, file watchers). Safe to call twice. */
  stop(): Promise<void>;
}

/** Runs the install script (a no-op once its marker exists) and returns where it installed. */
export function ensureCodeServer(repoRoot: string): CodeServerInstall {
  const script = path.join(repoRoot, 'scripts/install-vscode-test-deps.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 });
  if (result.status !== 0) {
    throw new Error(`${script} failed (exit ${result.status ?? result.signal})`);
  }
  const dir = result.stdout.trim().split('\n').pop() ?? '';
  const bin = path.join(dir, 'code-server/bin/code-server');
  if (!fs.existsSync(bin)) {
    throw new Error(`${script} reported ${JSON.stringify(dir)} but ${bin} does not exist`);
  }
  return { dir, bin, pathEnv: `${path.join(dir, 'node/bin')}${path.delimiter}${process.env.PATH ?? ''}` };
}

/** Writes the user settings every run wants: no welcome editor, no telemetry, no distractions. */
export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    // A calm window for screenshots: no chat side panel, no "open the parent git repository?" prompt.
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'git.openRepositoryInParentFolders': 'never',
    // The web workbench saves after a second by default: a test's temporary edit must never reach the repo.
    'files.autoSave': 'off',
    ...extra,
  };
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Installs a .vsix into the extensions folder the server will use (code-server exits when done). */
export function installVsix(install: CodeServerInstall, vsix: string, userDataDir: string, extensionsDir: string): void {
  const result = spawnSync(
    install.bin,
    [...configArgs(userDataDir), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8', env: { ...process.env, ...privateDirsEnv(userDataDir), PATH: install.pathEnv }, timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
}

/** Without --config, code-server writes a default config file into ~/.config/code-server. */
function configArgs(userDataDir: string): string[] {
  return ['--config', path.join(userDataDir, 'code-server-config.yaml')];
}

/** code-server keeps its own logs and heartbeat under XDG_DATA_HOME (~/.local/share otherwise), whatever --user-data-dir says. */
function privateDirsEnv(userDataDir: string): Record<string, string> {
  return { XDG_DATA_HOME: path.join(userDataDir, 'xdg-data') };
}

/** A port on 127.0.0.1 nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface StartOptions {
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  /** Where the server's stdout/stderr go. */
  logFile: string;
  /** Extra environment for the server; the extension host inherits it. */
  env?: Record<string, string>;
  /** Pass --vscode-option enable-smoke-test-driver, which the development payload (extension tests) needs. */
  testDriver?: boolean;
  /** Fixed port; a free one otherwise. */
  port?: number;
  readyTimeoutMs?: number;
  /** Keep Workspace Trust on (no --disable-workspace-trust): the folder opens untrusted, in Restricted Mode. */
  workspaceTrust?: boolean;
}

/**
 * Starts code-server in its own process group and waits until /healthz answers. Without a fixed port it tries up to
 * three free ports, since another process can take a free port between the check and code-server's listen.
 */
export async function startCodeServer(install: CodeServerInstall, options: StartOptions): Promise<RunningCodeServer> {
  if (options.port !== undefined) {
    return startOnPort(install, options, options.port);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(install, options, await freePort());
    } catch (error) {
      if (attempt >= 3 || !(error instanceof ServerExitedEarly)) throw error;
    }
  }
}

class ServerExitedEarly extends Error {}

async function startOnPort(install: CodeServerInstall, options: StartOptions, port: number): Promise<RunningCodeServer> {
  const args = [
    ...configArgs(options.userDataDir),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    options.folder,
  ];
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(install.bin, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...privateDirsEnv(options.userDataDir), PATH: install.pathEnv, ...options.env },
  });
  fs.closeSync(log);
  let exited = child.exitCode !== null;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const stop = async (): Promise<void> => {
    if (child.pid === undefined) return;
    signalGroup(child.pid, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (!exited && Date.now() < deadline) await sleep(100);
    // Extension hosts and watchers can outlive the server: kill whatever is left in the group.
    signalGroup(child.pid, 'SIGKILL');
    await Promise.race([exitedPromise, sleep(2_000)]);
  };

  const readyDeadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (Date.now() < readyDeadline) {
    if (exited) {
      throw new ServerExitedEarly(`code-server exited (code ${child.exitCode}) before answering on port ${port}; see ${options.logFile}`);
    }
    if (await answers(`http://127.0.0.1:${port}/healthz`)) {
      return { port, process: child, stop };
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`code-server did not answer /healthz on port ${port} within ${(options.readyTimeoutMs ?? 30_000) / 1000}s; see ${options.logFile}`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
