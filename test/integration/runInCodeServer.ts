// Runs the integration suite inside a real VS Code (code-server's workbench in headless Debian Chromium).
// Usage: tsx test/integration/runInCodeServer.ts [--mode vsix|dev] [--grep TEXT] [--keep] [--timeout SECONDS]
//                                                [--multi-root | --workspace FILE.code-workspace] [--untrusted]
//   Without --grep it runs the suite on examples/zenops, then suite/multiRoot/ on a multi-root workspace it builds
//   in a temporary folder (multiRootWorkspace.ts). --grep runs the single-folder suite only; --multi-root only the
//   multi-root run (--grep filters within it); --workspace FILE runs suite/multiRoot/ on that workspace file.
//   The full run (no --grep) ends with an untrusted run of the suites named UNTRUSTED_SUITES.
//   --untrusted (with --grep): Workspace Trust stays on and the folder opens untrusted (Restricted Mode, no startup
//   prompt); the suite sees ZENOPS_IT_UNTRUSTED=1. Only suites written for it pass there (see collect.test.ts).
//   vsix (default): the extension under test is the packaged zenops-<version>.vsix, installed with --install-extension.
//   dev: the extension is loaded from the repository as extensionDevelopmentPath (no packaging; faster).
// Exit code: the suite's (0 = all passed); 1 for a failure to start, a timeout or a crash.
import { spawnSync } from 'node:child_process';

/** The tests written for Restricted Mode (they skip themselves in a trusted window). */
const UNTRUSTED_SUITES = 'untrusted workspace';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureCodeServer, installVsix, sleep, startCodeServer, writeUserSettings, type CodeServerInstall, type RunningCodeServer } from './codeServer';
import { buildMultiRootWorkspace } from './multiRootWorkspace';
import { SUITE_DONE, WORKBENCH_REQUEST, type SuiteCounts } from './suite/protocol';
import type { WorkbenchAnswer, WorkbenchRequest } from './suite/workbench';

const repoRoot = path.resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const REQUEST_LINE = new RegExp(`${WORKBENCH_REQUEST} ([0-9a-f-]+) ([A-Za-z0-9_-]+)`);
const resultsDir = path.join(repoRoot, 'test-results');
const screenshotDir = path.join(resultsDir, 'screenshots');

interface Options {
  mode: 'vsix' | 'dev';
  grep?: string;
  keep: boolean;
  /** Seconds from starting code-server until the suite must have reported its exit code (per run). */
  timeoutS: number;
  /** Only the multi-root run, on a workspace built in a temporary folder. */
  multiRoot: boolean;
  /** Only the multi-root suite, on this .code-workspace file. */
  workspace?: string;
  /** Workspace Trust on, the folder untrusted (single-folder run only, needs --grep). */
  untrusted: boolean;
}

/** What one code-server run opens: a folder (`?folder=`) or a workspace file (`?workspace=`, the multi-root suite). */
/** `untrusted`/`grep` on a folder target: that run opens the folder in Restricted Mode with its own filter. */
type Target = { kind: 'folder'; path: string; untrusted?: boolean; grep?: string } | { kind: 'workspace'; file?: string };

function parseArgs(argv: string[]): Options {
  const options: Options = { mode: 'vsix', keep: false, multiRoot: false, untrusted: false, timeoutS: Number(process.env.ZENOPS_IT_TIMEOUT_S || 600) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mode') {
      const mode = argv[++i];
      if (mode !== 'vsix' && mode !== 'dev') throw new Error(`--mode must be vsix or dev, not ${mode}`);
      options.mode = mode;
    } else if (arg === '--dev') {
      options.mode = 'dev';
    } else if (arg === '--grep') {
      options.grep = argv[++i];
    } else if (arg === '--keep') {
      options.keep = true;
    } else if (arg === '--multi-root') {
      options.multiRoot = true;
    } else if (arg === '--workspace') {
      const file = argv[++i];
      if (!file?.endsWith('.code-workspace') || !fs.existsSync(file)) throw new Error(`--workspace needs an existing .code-workspace file, not ${file}`);
      options.workspace = path.resolve(file);
    } else if (arg === '--untrusted') {
      options.untrusted = true;
    } else if (arg === '--timeout') {
      options.timeoutS = Number(argv[++i]);
    } else {
      throw new Error(`unknown argument ${arg}`);
    }
  }
  if (!(options.timeoutS > 0)) throw new Error('the timeout must be a positive number of seconds');
  if (options.untrusted && (!options.grep || options.multiRoot || options.workspace)) {
    throw new Error('--untrusted needs --grep and a single-folder run: only suites written for Restricted Mode pass there');
  }
  return options;
}

function log(message: string): void {
  console.log(`[it] ${message}`);
}

function run(command: string, args: string[], timeoutMs: number): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
  }
}

function timed<T>(label: string, action: () => T): T {
  const started = Date.now();
  const value = action();
  log(`${label} took ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return value;
}

/** Renders what the workbench passed to codeAutomationLog (console-style arguments, %s/%d/%c formats) as text. */
function formatLogArgs(args: unknown): string {
  return util.format(...(Array.isArray(args) ? args : [args]));
}

// Workbench chatter that repeats on every run and says nothing about the suite (all of it still goes to the log file).
const WORKBENCH_NOISE =
  /^(\[(AgentHost|AgentHost:remote|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)\]|Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|getaddrinfo ENOTFOUND open-vsx\.org|Timed out waiting for authentication provider 'github'|Creation of workbench contribution '[^']+' took)/;

/** Prints the extension host's output (mocha's reporter, console.* from tests and extensions) without the noise. */
function printWorkbenchLog(type: string, text: string): void {
  if (process.env.ZENOPS_IT_VERBOSE !== '1' && (WORKBENCH_NOISE.test(text) || text.startsWith(WORKBENCH_REQUEST) || text.startsWith(SUITE_DONE))) return;
  // Stack traces of workbench errors are long; the first line says what happened, the log file has the rest.
  const shown = process.env.ZENOPS_IT_VERBOSE === '1' || type !== 'error' ? text : text.split('\n')[0];
  console.log(type === 'info' ? shown : `[${type}] ${shown}`);
}

function parseCounts(json: string): SuiteCounts | undefined {
  try {
    return JSON.parse(json) as SuiteCounts;
  } catch {
    return undefined;
  }
}

/** Answers the suite's workbench requests (see suite/workbench.ts) one at a time, through answer files it waits for. */
class WorkbenchChannel {
  private queue: Promise<void> = Promise.resolve();
  readonly screenshots: string[] = [];

  constructor(
    private readonly page: Page,
    readonly answerDir: string,
    /** Called when an answer cannot be delivered: the suite would wait in vain, so the run must end. */
    private readonly onBroken: (reason: string) => void,
  ) {}

  /** Picks a request out of a log line, if there is one. */
  handle(line: string): void {
    const match = REQUEST_LINE.exec(line);
    if (!match) return;
    const [, id, encoded] = match;
    let request: WorkbenchRequest;
    try {
      request = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as WorkbenchRequest;
    } catch {
      this.queue = this.queue.then(() => this.reply(id, { ok: false, error: 'unreadable request' }));
      return;
    }
    this.queue = this.queue.then(async () => this.reply(id, await this.answer(request))).catch(() => undefined);
  }

  private async answer(request: WorkbenchRequest): Promise<WorkbenchAnswer> {
    try {
      await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 10_000 });
      if (request.kind === 'screenshot') {
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.name)) throw new Error(`bad screenshot name ${JSON.stringify(request.name)}`);
        const file = path.join(screenshotDir, `${request.name}.png`);
        await this.page.screenshot({ path: file });
        this.screenshots.push(file);
        log(`screenshot saved: ${path.relative(repoRoot, file)}`);
        return { ok: true, value: path.relative(repoRoot, file) };
      }
      if (request.kind === 'count') {
        return { ok: true, value: await this.page.locator(request.selector).filter({ visible: true }).count() };
      }
      if (request.kind === 'click') {
        // The first visible match, clicked like a user would (playwright waits until it can be clicked).
        await this.page.locator(request.selector).filter({ visible: true }).first().click({ timeout: 10_000 });
        return { ok: true, value: 1 };
      }
      if (request.kind === 'fill') {
        // Types into an input (replacing its text) or picks a <select> option by value, firing the page's events.
        const target = this.page.locator(request.selector).filter({ visible: true }).first();
        const tag = await target.evaluate((element) => element.tagName, undefined, { timeout: 10_000 });
        if (tag === 'SELECT') await target.selectOption(request.value, { timeout: 10_000 });
        else await target.fill(request.value, { timeout: 10_000 });
        return { ok: true, value: 1 };
      }
      throw new Error(`unknown request ${JSON.stringify(request)}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${request.kind} failed: ${message}`);
      return { ok: false, error: message };
    }
  }

  private reply(id: string, answer: WorkbenchAnswer): void {
    // Written then renamed, so the suite never reads half an answer.
    const file = path.join(this.answerDir, id);
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(answer));
      fs.renameSync(`${file}.tmp`, file);
    } catch (error) {
      const gone = !fs.existsSync(this.answerDir);
      this.onBroken(
        gone
          ? `${this.answerDir} disappeared during the run (deleted by something else?): cannot answer the suite`
          : `cannot answer the suite in ${this.answerDir}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Removes out/integration/run-PID folders left by runs that were killed before cleaning up (their PID is gone). */
function removeBundlesOfDeadRuns(): void {
  const parent = path.join(repoRoot, 'out/integration');
  for (const entry of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
    const pid = /^run-(\d+)$/.exec(entry)?.[1];
    if (!pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const install = timed('code-server install check', () => ensureCodeServer(repoRoot));

  let extensionDevelopmentPath: string;
  let vsix: string | undefined;
  if (options.mode === 'vsix') {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    // Each run packages to its own file: runs at the same time must not install each other's half-written VSIX.
    vsix = path.join(repoRoot, 'out/integration', `zenops-${version}-${process.pid}.vsix`);
    fs.mkdirSync(path.dirname(vsix), { recursive: true });
    const packaged = vsix;
    timed('npm run package', () => run('npm', ['run', '--silent', 'package', '--', '--out', packaged], 180_000));
    if (!fs.existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
    // A stand-in development extension: test runs need one, and the real one must not shadow the installed VSIX.
    extensionDevelopmentPath = path.join(__dirname, 'testHost');
  } else {
    timed('extension build', () => run('node', ['esbuild.mjs'], 120_000));
    extensionDevelopmentPath = repoRoot;
  }
  // Each run bundles the suite into its own folder: several runs (different --grep) may share this working tree at once.
  removeBundlesOfDeadRuns();
  const suiteOut = path.join(repoRoot, 'out/integration', `run-${process.pid}`);
  timed('suite build', () => run('node', ['test/integration/esbuild.mjs', suiteOut], 120_000));
  const extensionTestsPath = path.join(suiteOut, 'suite/index.js');

  const folder = path.join(repoRoot, 'examples/zenops');
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist`);
  const targets: Target[] = options.workspace
    ? [{ kind: 'workspace', file: options.workspace }]
    : options.multiRoot
      ? [{ kind: 'workspace' }]
      : [
          { kind: 'folder', path: folder },
          // The full run also opens the folder untrusted for the suites written for Restricted Mode.
          ...(options.grep || options.untrusted ? [] : [{ kind: 'workspace' } as const, { kind: 'folder', path: folder, untrusted: true, grep: UNTRUSTED_SUITES } as const]),
        ];
  let code = 0;
  try {
    for (const target of targets) {
      const runCode = await runOnce(options, { install, vsix, extensionDevelopmentPath, extensionTestsPath, suiteOut }, target);
      code = Math.max(code, runCode);
    }
  } finally {
    if (!options.keep) fs.rmSync(suiteOut, { recursive: true, force: true });
    if (vsix) fs.rmSync(vsix, { force: true });
  }
  if (targets.length > 1) log(`all runs: exit code ${code}; ${((Date.now() - started) / 1000).toFixed(1)}s in all`);
  return code;
}

interface Prepared {
  install: CodeServerInstall;
  vsix: string | undefined;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  suiteOut: string;
}

/**
 * A copy of the folder under test in the run's own temporary folder (same last two path segments, e.g.
 * examples/zenops): tests change its .vscode/settings.json and write files, so runs at the same time, or a
 * run stopped half-way, never touch the repository's copy.
 */
function copyFolder(folder: string, tmp: string): string {
  const copy = path.join(tmp, 'folder', path.basename(path.dirname(folder)), path.basename(folder));
  const skip = new Set(['node_modules', '__pycache__']);
  // ops/ holds bundles a local `npm run demo` may have collected: not part of the example.
  fs.cpSync(folder, copy, { recursive: true, filter: (source) => !skip.has(path.basename(source)) && source !== path.join(folder, 'ops') });
  return copy;
}

/** One code-server + browser run of the bundled suite on a folder or a workspace file; returns its exit code. */
async function runOnce(options: Options, prepared: Prepared, target: Target): Promise<number> {
  const { install, vsix, extensionDevelopmentPath, extensionTestsPath, suiteOut } = prepared;
  const started = Date.now();
  // The multi-root run keeps its own logs and failure screenshot, so both runs' are there to read afterwards.
  const untrusted = options.untrusted || (target.kind === 'folder' && target.untrusted === true);
  const grep = (target.kind === 'folder' ? target.grep : undefined) ?? options.grep;
  const suffix = target.kind === 'workspace' ? '-multi-root' : untrusted ? '-untrusted' : '';
  fs.mkdirSync(screenshotDir, { recursive: true });
  fs.mkdirSync(path.join(resultsDir, 'integration'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-it-'));
  const userDataDir = path.join(tmp, 'ud');
  const extensionsDir = path.join(tmp, 'ext');
  const answerDir = path.join(tmp, 'workbench-answers');
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(answerDir, { recursive: true });
  // Untrusted: Restricted Mode without the modal "Do you trust the authors?" prompt, which would block the run.
  writeUserSettings(userDataDir, untrusted ? { 'security.workspace.trust.startupPrompt': 'never' } : {});
  // Logs are written in the run's own folder and copied to test-results/integration/ at the end (the last run wins).
  const serverLog = path.join(tmp, 'code-server.log');
  const workbenchLog = path.join(tmp, 'workbench.log');
  fs.writeFileSync(workbenchLog, '');

  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let hardStop: NodeJS.Timeout | undefined;
  let cleanedUp = false;
  const cleanup = async (): Promise<void> => {
    if (cleanedUp) return;
    cleanedUp = true;
    await browser?.close().catch(() => undefined);
    await server?.stop();
    const kept: string[] = [];
    for (const file of [workbenchLog, serverLog]) {
      if (!fs.existsSync(file)) continue;
      const target = path.join(resultsDir, 'integration', path.basename(file, '.log') + `${suffix}.log`);
      fs.copyFileSync(file, `${target}.${process.pid}.tmp`);
      fs.renameSync(`${target}.${process.pid}.tmp`, target);
      kept.push(path.relative(repoRoot, target));
    }
    log(`full logs: ${kept.join(', ')}${options.keep ? `; run folder kept: ${tmp}` : ''}`);
    if (!options.keep) fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping`);
    void cleanup().finally(() => {
      if (!options.keep) fs.rmSync(suiteOut, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const opened = target.kind === 'folder' ? copyFolder(target.path, tmp) : (target.file ?? buildMultiRootWorkspace(repoRoot, path.join(tmp, 'workspace')));
    if (vsix) {
      const packaged = vsix;
      timed(`install ${path.basename(packaged)}`, () => installVsix(install, packaged, userDataDir, extensionsDir));
    }
    const serverStarted = Date.now();
    server = await startCodeServer(install, {
      userDataDir,
      extensionsDir,
      folder: opened,
      logFile: serverLog,
      testDriver: true,
      workspaceTrust: untrusted,
      env: {
        ZENOPS_IT_ANSWER_DIR: answerDir,
        ZENOPS_IT_EXPECT_EXTENSION_ROOT: vsix ? extensionsDir : repoRoot,
        ZENOPS_IT_MODE: options.mode,
        ...(grep ? { ZENOPS_IT_GREP: grep } : {}),
        ...(untrusted ? { ZENOPS_IT_UNTRUSTED: '1' } : {}),
        // Tells suite/index.ts to run suite/multiRoot/ (and only it).
        ...(target.kind === 'workspace' ? { ZENOPS_IT_WORKSPACE: opened } : {}),
      },
    });
    serverGroup = server.process.pid;
    const port = server.port;
    log(`code-server (${options.mode} mode) answers on http://127.0.0.1:${port}`);

    // If cleanup itself hangs, the process still ends.
    hardStop = setTimeout(() => {
      log(`hard stop: the run did not finish within ${options.timeoutS + 30}s`);
      if (server?.process.pid !== undefined) {
        try {
          process.kill(-server.process.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      process.exit(1);
    }, (options.timeoutS + 30) * 1000);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let settle: (result: { code: number; reason?: string }) => void = () => undefined;
    const finished = new Promise<{ code: number; reason?: string }>((resolve) => (settle = resolve));
    const workbench = new WorkbenchChannel(page, answerDir, (reason) => settle({ code: 1, reason }));

    let suiteDone: SuiteCounts | undefined;

    // Both functions must exist before the workbench loads: it looks for them once, at startup.
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      settle({ code: Number(code) });
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = formatLogArgs(args);
      fs.appendFileSync(workbenchLog, `[${type}] ${line}\n`);
      printWorkbenchLog(type, line);
      workbench.handle(line);
      if (line.startsWith(SUITE_DONE)) suiteDone = parseCounts(line.slice(SUITE_DONE.length));
      if (/Extension host terminated unexpectedly/i.test(line)) {
        settle({ code: 1, reason: `the extension host crashed: ${line.split('\n')[0]}` });
      }
    });
    page.on('crash', () => settle({ code: 1, reason: 'the browser page crashed' }));
    page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));

    const remote = (absolute: string): string => `vscode-remote://127.0.0.1:${port}${absolute}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(extensionTestsPath)],
    ]);
    const url = `http://127.0.0.1:${port}/?${target.kind}=${encodeURIComponent(opened)}&payload=${encodeURIComponent(payload)}`;
    log(`opening the workbench on ${opened}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const remainingMs = options.timeoutS * 1000 - (Date.now() - serverStarted);
    const timeout = sleep(Math.max(remainingMs, 0)).then(() => ({
      code: 1,
      reason: `timeout: the suite did not report an exit code within ${options.timeoutS}s (ZENOPS_IT_TIMEOUT_S or --timeout to change)`,
    }));
    let result = await Promise.race([finished, timeout]);
    if (result.code === 0 && !result.reason) {
      // The suite's last log line can trail the exit call by a moment.
      for (let waited = 0; suiteDone === undefined && waited < 3_000; waited += 100) await sleep(100);
      if (suiteDone === undefined) {
        result = { code: 1, reason: 'VS Code reported success but the suite never finished (did the extension host die?)' };
      } else if (suiteDone.failures > 0 || suiteDone.tests === 0) {
        result = { code: 1, reason: `VS Code reported success but the suite says ${JSON.stringify(suiteDone)}` };
      }
    }
    if (result.reason) {
      log(result.reason);
      const failure = path.join(screenshotDir, `failure${suffix}.png`);
      await page.screenshot({ path: failure }).catch(() => undefined);
      log(`state at failure: ${path.relative(repoRoot, failure)}`);
    }
    if (suiteDone) {
      log(`tests: ${suiteDone.tests} run, ${suiteDone.passes} passed, ${suiteDone.failures} failed, ${suiteDone.pending} pending`);
    }
    log(`suite exit code ${result.code}; ${workbench.screenshots.length} screenshot(s); ${((Date.now() - started) / 1000).toFixed(1)}s in all`);
    return result.code;
  } finally {
    await cleanup();
    if (hardStop) clearTimeout(hardStop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// Whatever goes wrong, code-server must not outlive the runner (playwright closes the browser on exit by itself).
let serverGroup: number | undefined;
const dieWith = (what: string) => (error: unknown): void => {
  console.error(`[it] ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (serverGroup !== undefined) {
    try {
      process.kill(-serverGroup, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  process.exit(1);
};
process.on('uncaughtException', dieWith('runner crashed'));
process.on('unhandledRejection', dieWith('runner crashed (unhandled rejection)'));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[it] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
