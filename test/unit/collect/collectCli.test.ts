// `zenops collect` as a process (the built dist/cli.js), against the real example app and the Loki stand-in.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startExampleApp, type ExampleApp } from '../../harness/exampleApp';
import { freePort } from '../../harness/freePort';
import { pushToLoki, startLokiStandIn, type LokiStandIn } from '../../harness/lokiStandIn';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist/cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function zenops(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['esbuild.mjs'], { cwd: repo }, (err, _stdout, stderr) => (err ? reject(new Error(`build failed: ${stderr}`)) : resolve()));
  });
}

describe('zenops collect (the built CLI as a process)', function () {
  this.timeout(60_000);
  let app: ExampleApp;
  let loki: LokiStandIn;
  let root: string;
  let closedPort: number;

  function writeSettings(extra: Record<string, unknown> = {}): void {
    fs.mkdirSync(path.join(root, '.vscode'), { recursive: true });
    const settings = {
      'zenops.loki.url': loki.url,
      'zenops.api.url': app.url,
      'zenops.prometheus.url': `http://127.0.0.1:${closedPort}`,
      ...extra,
    };
    fs.writeFileSync(path.join(root, '.vscode/settings.json'), `// written by the test\n${JSON.stringify(settings, null, 2)}\n`);
  }

  before(async () => {
    await build();
    [app, loki] = await Promise.all([startExampleApp(), startLokiStandIn()]);
    closedPort = await freePort();
    const res = await fetch(`${app.url}/api/payroll/runs/0`, { headers: { 'X-Request-Id': 'req-cli-1' } });
    assert.equal(res.status, 500);
    const deadline = Date.now() + 10_000;
    while (!app.output().includes('req-cli-1 GET /api/payroll/runs/0 -> 500') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const base = BigInt(Date.now() - 2000) * 1_000_000n;
    const lines = app.output().trimEnd().split('\n');
    await pushToLoki(loki.url, { container: 'zenops-api-1' }, lines.map((l, i) => [(base + BigInt(i) * 1000n).toString(), l]));
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-collect-cli-'));
  });
  after(async () => {
    await Promise.all([app?.stop(), loki?.stop()]);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('prints the bundle folder and one line per source, and exits 0 even with failed sources', async () => {
    writeSettings();
    const out = path.join(root, 'bundles');
    const run = await zenops(['collect', '--root', root, '--out', out, '--since', '1h'], root);
    assert.equal(run.code, 0, run.stderr);
    const [folder, ...rest] = run.stdout.trimEnd().split('\n');
    assert.equal(path.dirname(folder), out);
    assert.ok(fs.existsSync(path.join(folder, 'manifest.json')));
    assert.match(rest.join('\n'), /^ {2}loki +ok +logs\/zenops-api-1\.log \(\d+ lines\)$/m);
    assert.match(rest.join('\n'), /^ {2}prometheus\.targets +failed +connection refused by 127\.0\.0\.1:\d+/m);
    assert.match(rest.join('\n'), /^ {2}api\.healthz +ok +api\/healthz\.json$/m);
    assert.match(rest.join('\n'), /^ {2}docker +skipped +/m);
    assert.match(rest.at(-1) ?? '', /^complete: \d+ ok, 4 failed \(prometheus\.targets, prometheus\.alerts, prometheus\.up, prometheus\.error-rate\), 1 skipped \(docker\); \d+ error signatures?$/);
    assert.match(run.stderr, /\[1\/6\] Loki logs/);
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    assert.equal(manifest.window.minutes, 60);
    assert.match(fs.readFileSync(path.join(folder, 'error_index.txt'), 'utf8'), /^#1 {2}ZeroDivisionError in get_run \(app\/main\.py\) {2}\(1×\)$/m);
  });

  it('writes under zenops.collect.outputFolder of the root by default', async () => {
    writeSettings({ 'zenops.collect.outputFolder': 'diag/out' });
    const run = await zenops(['collect'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(path.dirname(run.stdout.split('\n')[0]), path.join(fs.realpathSync(root), 'diag/out'));
  });

  it('exits 2 when it cannot run: a bad --since, a missing root, an unusable redact pattern', async () => {
    writeSettings();
    const since = await zenops(['collect', '--since', 'soon'], root);
    assert.equal(since.code, 2);
    assert.match(since.stderr, /--since must be a duration like 30m/);
    const missing = await zenops(['collect', '--root', path.join(root, 'nope')], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such folder/);
    writeSettings({ 'zenops.collect.redactPatterns': ['(unclosed'] });
    const pattern = await zenops(['collect', '--out', path.join(root, 'never')], root);
    assert.equal(pattern.code, 2);
    assert.match(pattern.stderr, /redactPatterns entry "\(unclosed" is not a usable regular expression/);
    assert.equal(fs.existsSync(path.join(root, 'never')), false);
  });
});
