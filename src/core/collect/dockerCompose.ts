// `docker compose ps` and `docker compose logs` for a bundle. Every command is spawned with an argument
// array and no shell, so a service name can never become a command; no Docker engine is a skip, not a failure.
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code; null when the process did not run or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not finish normally. */
  failure?: 'not-found' | 'aborted' | 'timeout' | 'spawn';
  message?: string;
}

export interface RunCommandOptions {
  cwd: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Output kept per stream; the rest is dropped. Default 16 MiB. */
  maxBytes?: number;
}

/** Runs `command args…` without a shell; never throws. */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve({ code: null, stdout: '', stderr: '', failure: 'aborted', message: `${command} was cancelled` });
    const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let failure: CommandResult['failure'];
    let message: string | undefined;
    let settled = false;
    const child = spawn(command, [...args], { cwd: options.cwd, shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const kill = (why: 'aborted' | 'timeout') => {
      failure ??= why;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    };
    const onAbort = () => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => kill('timeout'), options.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => {
      if (outBytes < maxBytes) out.push(d);
      outBytes += d.length;
    });
    child.stderr.on('data', (d: Buffer) => {
      if (errBytes < maxBytes) err.push(d);
      errBytes += d.length;
    });
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const result: CommandResult = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (failure) {
        result.failure = failure;
        result.message =
          message ?? (failure === 'aborted' ? `${command} was cancelled` : failure === 'timeout' ? `${command} ${args[0] ?? ''} took longer than ${options.timeoutMs ?? 30_000} ms` : `${command} failed`);
      }
      resolve(result);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure = e.code === 'ENOENT' ? 'not-found' : 'spawn';
      message = e.code === 'ENOENT' ? `${command} is not installed (not found on PATH)` : `cannot run ${command}: ${e.message}`;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** The first meaningful line of a command's error output, for a one-line reason. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  ).slice(0, 300);
}

export interface DockerLogLine {
  service: string;
  /** RFC 3339 time Docker stamped the line with (`--timestamps`), when present. */
  time?: string;
  line: string;
}

/** `docker compose logs --timestamps --no-log-prefix` output → lines with their times. */
export function parseDockerLogs(service: string, text: string): DockerLogLine[] {
  const out: DockerLogLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?(.*)$/.exec(raw);
    out.push(m ? { service, time: m[1], line: m[2] } : { service, line: raw });
  }
  return out;
}

/** Service names from `docker compose ps --services` (one per line). */
export function parseServiceList(text: string): string[] {
  return [...new Set(text.split('\n').map((s) => s.trim()).filter((s) => s !== ''))];
}
