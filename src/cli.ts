// `zenops` command line: the contract engine and the log collector, headless.
// Only argument parsing and output here; the work is in src/core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readWorkspaceSettingsFile, resolveSettings, SettingsError } from './core/settings';
import { SpecLoadError } from './core/contract/loadSpec';
import { CheckRunError, checkContractOnDisk, DEFAULT_CACHE_FILE, runContractCheck } from './core/contract/runContractCheck';
import { formatJson } from './core/contract/report/formatJson';
import { formatSarif } from './core/contract/report/formatSarif';
import { formatText } from './core/contract/report/formatText';
import { hasErrors } from './core/contract/report/severity';
import { collectDiagnostics, CollectSetupError } from './core/collect/collectDiagnostics';
import { collectionHeadline, parseSinceMinutes, sourceSummaryLine } from './core/collect/collectSummary';

/** Exit codes: 0 no errors, 1 contract errors found, 2 the run itself failed. */
const EXIT_OK = 0;
const EXIT_PROBLEMS = 1;
const EXIT_FAILED = 2;

const VERSION = '0.1.0';

class UsageError extends Error {}

interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  check: {
    summary: 'check the frontend API calls against the OpenAPI document',
    usage: `usage: zenops check [--root DIR] [--spec FILE_OR_URL] [--format text|json|sarif] [--prefix /api]
                    [--cache] [--cache-location FILE]

  --root DIR        workspace folder to check (default: the current folder);
                    settings are read from DIR/.vscode/settings.json
  --spec FILE|URL   the OpenAPI document, a file relative to the current folder
                    or an http(s) URL (default: zenops.contract.spec, else an
                    openapi.json/yaml or swagger.json/yaml in the folder, else
                    zenops.api.url + /openapi.json)
  --format FORMAT   text (default), json or sarif
  --prefix /api     prefix the backend serves the spec's paths under
                    (overrides zenops.contract.apiPrefix)
  --cache           keep what the scan found per file and, next time, re-parse
                    only files that changed (or whose imports did); in
                    DIR/${DEFAULT_CACHE_FILE}
  --cache-location FILE
                    the cache file, relative to the current folder (implies
                    --cache)

exit status: 0 no errors, 1 contract errors found, 2 the check could not run`,
    run: runCheck,
  },
  collect: {
    summary: 'write a redacted diagnostics bundle (logs, metrics, health, contract, error index)',
    usage: `usage: zenops collect [--root DIR] [--out DIR] [--since 30m]

  --root DIR     workspace folder (default: the current folder); settings are
                 read from DIR/.vscode/settings.json, the contract check and
                 docker compose run there
  --out DIR      folder the bundle's <timestamp>/ folder goes in, relative to
                 the current folder (default: zenops.collect.outputFolder,
                 relative to --root: ops/diagnostics)
  --since TIME   how far back logs go: 30m, 2h, 90s, 1d or minutes
                 (default: zenops.collect.since, 30 minutes)

Every file is redacted before it is written (tokens, Authorization headers,
passwords, credentials in URLs; plus zenops.collect.redactPatterns).
Prints the bundle folder, then one line per source.

exit status: 0 the bundle was written (failed sources are listed),
             2 the collection could not run`,
    run: runCollect,
  },
};

const FORMATS = ['text', 'json', 'sarif'] as const;

function mainUsage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`);
  return `usage: zenops <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`zenops <command> --help\` for a command's options.`;
}

/** `--name value`, `--name=value`, boolean `--help`/`-h` and `switches`; anything else is a usage error. */
function parseFlags(args: string[], names: readonly string[], switches: readonly string[] = []): { values: Map<string, string>; switches: Set<string>; help: boolean } {
  const values = new Map<string, string>();
  const on = new Set<string>();
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    const [, name, inline] = m;
    if (switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      on.add(name);
      continue;
    }
    if (!names.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  return { values, switches: on, help };
}

async function runCheck(args: string[]): Promise<number> {
  const { values, switches, help } = parseFlags(args, ['root', 'spec', 'format', 'prefix', 'cache-location'], ['cache']);
  if (help) {
    await write(process.stdout, `${COMMANDS.check.usage}\n`);
    return EXIT_OK;
  }
  const format = values.get('format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);

  if (values.get('cache-location')?.trim() === '') throw new UsageError('--cache-location needs a file name');
  const run = await runContractCheck({
    root: values.get('root') ?? '.',
    cwd: process.cwd(),
    spec: values.get('spec'),
    prefix: values.get('prefix'),
    cacheFile: values.get('cache-location') ?? (switches.has('cache') ? path.join(values.get('root') ?? '.', DEFAULT_CACHE_FILE) : undefined),
  });
  for (const notice of run.notices) process.stderr.write(`zenops: ${notice}\n`);
  const output =
    format === 'json'
      ? formatJson(run.report, run.root)
      : format === 'sarif'
        ? formatSarif(run.report, run.root, VERSION, { showUnresolved: run.settings.contract.showUnresolved })
        : formatText(run.report, run.root, { showUnresolved: run.settings.contract.showUnresolved });
  await write(process.stdout, output);
  return hasErrors(run.report) ? EXIT_PROBLEMS : EXIT_OK;
}

async function runCollect(args: string[]): Promise<number> {
  const { values, help } = parseFlags(args, ['root', 'out', 'since']);
  if (help) {
    await write(process.stdout, `${COMMANDS.collect.usage}\n`);
    return EXIT_OK;
  }
  const root = path.resolve(values.get('root') ?? '.');
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new CheckRunError(`cannot read ${root}: no such folder`);
  const settings = resolveSettings(readWorkspaceSettingsFile(root));
  const since = values.get('since');
  if (since !== undefined) {
    const minutes = parseSinceMinutes(since);
    if (minutes === undefined) throw new UsageError(`--since must be a duration like 30m, 2h or 90s, not "${since}"`);
    settings.collect.since = minutes;
  }
  const out = values.get('out');
  const outDir = out !== undefined ? path.resolve(process.cwd(), out) : path.resolve(root, settings.collect.outputFolder);

  // Ctrl-C cancels in-flight requests; the partial bundle is still written and marked cancelled.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await collectDiagnostics({
      root,
      outDir,
      settings,
      signal: controller.signal,
      version: VERSION,
      contractCheck: () => checkContractOnDisk(root, settings),
      onProgress: (step) => process.stderr.write(`zenops: [${step.index}/${step.total}] ${step.title}\n`),
    });
    const lines = [result.folder, ...result.sources.map((s) => `  ${sourceSummaryLine(s)}`), collectionHeadline(result)];
    await write(process.stdout, `${lines.join('\n')}\n`);
    return result.status === 'cancelled' ? 130 : EXIT_OK;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.write(text, (err) => {
      // EPIPE: the reader has gone (`| head`); what it did not read is not an error of ours.
      if (err && (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(err);
      else resolve();
    }),
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await write(name === undefined ? process.stderr : process.stdout, `${mainUsage()}\n`);
    return name === undefined ? EXIT_FAILED : EXIT_OK;
  }
  if (name === '--version') {
    await write(process.stdout, `${VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${err.message} (see zenops ${name} --help)`);
    throw err;
  }
}

// A reader that stops early (`zenops check | head`) is not a failure of the check: the exit code stays the check's.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // One line for the user; ZENOPS_DEBUG=1 adds the stack of an unexpected failure.
    const expected =
      err instanceof UsageError || err instanceof SpecLoadError || err instanceof SettingsError || err instanceof CheckRunError || err instanceof CollectSetupError;
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`zenops: ${expected ? '' : 'internal error: '}${message}\n`);
    if (!expected && process.env.ZENOPS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    process.exit(EXIT_FAILED);
  },
);
