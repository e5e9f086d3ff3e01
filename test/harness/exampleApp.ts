// Starts the example FastAPI backend (examples/zenops/backend) on a free loopback port for a test.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, waitForHttp } from './freePort';

export const EXAMPLE_BACKEND_DIR = path.resolve(__dirname, '../../examples/zenops/backend');

export interface ExampleApp {
  url: string;
  port: number;
  /** Everything the app wrote to stdout and stderr so far (its log lines). */
  output(): string;
  stop(): Promise<void>;
}

export interface ExampleAppOptions {
  /** Dependencies /healthz/deps reports as failing: 'database', 'disk', 'uploads'. */
  failDeps?: string[];
  /** ZENOPS_EXAMPLE_LEAKY=1: /healthz/deps answers DSNs with credentials and an api_key, and the app logs a token and an Authorization header. */
  leaky?: boolean;
  /** Where examples/zenops/backend is, when this file runs bundled elsewhere (the integration suite). */
  backendDir?: string;
  /** A fixed port (the demo uses the default 8000); a free one when absent. */
  port?: number;
}

export async function startExampleApp(options: ExampleAppOptions = {}): Promise<ExampleApp> {
  const port = options.port ?? (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-example-app-'));
  const child: ChildProcess = spawn('/usr/bin/python3', ['-m', 'app.main', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: options.backendDir ?? EXAMPLE_BACKEND_DIR,
    env: {
      PATH: process.env.PATH,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      ZENOPS_EXAMPLE_DATA: dataDir,
      ZENOPS_EXAMPLE_FAIL_DEPS: (options.failDeps ?? []).join(','),
      ...(options.leaky ? { ZENOPS_EXAMPLE_LEAKY: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = false;
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/healthz`, 20000, () => !exited);
  } catch (err) {
    await stop();
    throw new Error(`example app did not start: ${(err as Error).message}\n${output}`);
  }
  return { url, port, output: () => output, stop };
}

/** Splits the app's output into log records (a record starts at a timestamped line), as a shipper with multiline handling does. */
export function logRecords(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (/^\d{4}-\d{2}-\d{2} /.test(line) || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out;
}
