// Runs the built `zenops` CLI as a child process, the way CI and users run it.
import * as assert from 'node:assert/strict';
import { tempWorkspace as tempFolder } from './callAssertions';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startExampleApp, type ExampleApp } from '../../harness/exampleApp';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist/cli.js');
const fixtures = path.join(repo, 'test/fixtures/cli');
const shop = path.join(fixtures, 'shop');
const clean = path.join(fixtures, 'clean');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Async on purpose: some tests serve the spec from this process, which must keep answering. */
function zenops(args: string[], cwd = repo): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['esbuild.mjs'], { cwd: repo }, (err, _stdout, stderr) => (err ? reject(new Error(`build failed: ${stderr}`)) : resolve()));
  });
}

async function serveFile(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const body = fs.readFileSync(file);
  const server = http.createServer((req, res) => {
    if (req.url === '/openapi.json') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const ordersJs = fs.readFileSync(path.join(clean, 'frontend/src/orders.js'), 'utf8');
const shopSpec = fs.readFileSync(path.join(shop, 'backend/openapi.json'), 'utf8');

const tempWorkspace = (files: Record<string, string>): string => tempFolder(files, 'zenops-cli-');

describe('zenops check (the built CLI)', function () {
  this.timeout(120_000);
  const temps: string[] = [];

  it('keeps its own exit code and prints no stack trace when the reader stops early (| head)', async () => {
    const calls = Array.from({ length: 5000 }, (_, i) => `export const f${i} = () => fetch('/items');`).join('\n');
    const dir = tempWorkspace({
      'openapi.json': JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/items': { get: { responses: { '200': { description: 'ok' } } } } } }),
      'src/a.js': calls,
    });
    temps.push(dir);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, 'check', '--root', dir, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });

  before(build);
  after(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('text output', () => {
    it('lists errors and warnings like a compiler and exits 1 when there are errors', async () => {
      const run = await zenops(['check', '--root', shop]);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stderr, '');
      const lines = run.stdout.trimEnd().split('\n');
      assert.deepEqual(lines.slice(0, 4).map((l) => l.split('  ').slice(0, 4).join(' | ')), [
        'frontend/src/orders.js:7:52 | error | DELETE /api/orders/{} | method-not-allowed',
        'frontend/src/orders.js:8:41 | error | GET /api/orderz | missing-path',
        'frontend/src/orders.js:9:40 | warning | GET /api/carts | trailing-slash',
        'frontend/src/orders.js:10:42 | warning | GET /api/coupons | deprecated',
      ]);
      assert.match(lines[1], /did you mean \/api\/orders\?$/);
      assert.equal(lines[lines.length - 1], '2 errors, 2 warnings, 8 calls in 1 file, 0 unresolved, 1 external, 1 of 5 operations unused (spec: backend/openapi.json)');
    });

    it('exits 0 with "no problems" on a clean workspace, finding openapi.json in the root', async () => {
      const run = await zenops(['check', '--root', clean]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^no problems, 2 calls in 1 file, .*\(spec: openapi\.json\)\n$/);
    });

    it('reads --root relative to the current folder and defaults it to the current folder', async () => {
      assert.equal((await zenops(['check', '--root', 'test/fixtures/cli/clean'])).code, 0);
      assert.equal((await zenops(['check'], clean)).code, 0);
    });

    it('lets --prefix override the apiPrefix setting', async () => {
      const run = await zenops(['check', '--root', shop, '--prefix', '/v2']);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /GET \/api\/orders  missing-path {2}did you mean \/v2\/orders\?/);
    });
  });

  describe('JSON output', () => {
    it('has the documented fields for every call, with file paths relative to the root', async () => {
      const run = await zenops(['check', '--root', shop, '--format', 'json']);
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.deepEqual(report.spec, { source: 'backend/openapi.json', title: 'Shop API', operations: 5 });
      assert.equal(report.files, 1);
      assert.deepEqual(
        report.calls.map((c: { method: string; path: string; status: string }) => `${c.method} ${c.path} ${c.status}`),
        [
          'GET /api/orders ok',
          'GET /api/orders/{} ok',
          'DELETE /api/orders/{} method-not-allowed',
          'GET /api/orderz missing-path',
          'GET /api/carts trailing-slash',
          'GET /api/coupons deprecated',
          'GET /internal/ping ok',
          'GET /avatar.png external',
        ],
      );
      const missing = report.calls[3];
      assert.deepEqual(Object.keys(missing), ['file', 'line', 'column', 'endLine', 'endColumn', 'method', 'path', 'status', 'operation', 'message', 'suggestion']);
      assert.equal(missing.file, 'frontend/src/orders.js');
      assert.deepEqual([missing.line, missing.column, missing.endLine, missing.endColumn], [8, 41, 8, 50]);
      assert.equal(missing.suggestion, '/api/orders');
      assert.equal(report.calls[1].operation, 'GET /api/orders/{order_id}');
      assert.deepEqual(report.unused, ['POST /api/orders']);
    });

    it('exits 0 on a clean workspace', async () => {
      const run = await zenops(['check', '--root', clean, '--format=json']);
      assert.equal(run.code, 0);
      assert.ok(JSON.parse(run.stdout).calls.every((c: { status: string }) => c.status === 'ok'));
    });
  });

  describe('SARIF output', () => {
    it('is SARIF 2.1.0 with a result per problem and exits 1 on errors', async () => {
      const run = await zenops(['check', '--root', shop, '--format', 'sarif']);
      assert.equal(run.code, 1, run.stderr);
      const sarif = JSON.parse(run.stdout);
      assert.equal(sarif.version, '2.1.0');
      const [result] = sarif.runs;
      assert.equal(result.tool.driver.name, 'ZenOps');
      assert.deepEqual(
        result.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`),
        ['method-not-allowed:error', 'missing-path:error', 'trailing-slash:warning', 'deprecated:warning'],
      );
      const location = result.results[1].locations[0].physicalLocation;
      assert.equal(location.artifactLocation.uri, 'frontend/src/orders.js');
      assert.deepEqual(location.region, { startLine: 8, startColumn: 41, endLine: 8, endColumn: 50 });
    });

    it('has no results and exits 0 on a clean workspace', async () => {
      const run = await zenops(['check', '--root', clean, '--format', 'sarif']);
      assert.equal(run.code, 0);
      assert.deepEqual(JSON.parse(run.stdout).runs[0].results, []);
    });
  });

  describe('where the spec comes from', () => {
    it('takes --spec as a file relative to the current folder', async () => {
      const run = await zenops(['check', '--root', clean, '--spec', 'test/fixtures/specs/swagger2.json']);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /GET \/orders {2}missing-path {2}did you mean \/v1\/orders\?/);
    });

    it('fetches --spec from a URL', async () => {
      const server = await serveFile(path.join(clean, 'openapi.json'));
      try {
        const run = await zenops(['check', '--root', clean, '--spec', `${server.url}/openapi.json`, '--format', 'json']);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).spec.source, `${server.url}/openapi.json`);
      } finally {
        await server.close();
      }
    });

    it('skips node_modules when looking for a spec file in the folder', async () => {
      const dir = tempWorkspace({
        'node_modules/some-sdk/openapi.json': '{ broken',
        'docs/openapi.json': shopSpec,
        'src/orders.js': ordersJs,
      });
      temps.push(dir);
      const run = await zenops(['check', '--root', dir, '--format', 'json']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).spec.source, 'docs/openapi.json');
    });

    it('falls back to api.url + /openapi.json when the folder has no spec file', async () => {
      const server = await serveFile(path.join(clean, 'openapi.json'));
      try {
        const dir = tempWorkspace({ '.vscode/settings.json': JSON.stringify({ 'zenops.api.url': server.url }), 'src/orders.js': ordersJs });
        temps.push(dir);
        const run = await zenops(['check', '--root', dir, '--format', 'json']);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).spec.source, `${server.url}/openapi.json`);
      } finally {
        await server.close();
      }
    });

    it('takes zenops.contract.spec from the settings, relative to the root', async () => {
      const dir = tempWorkspace({
        '.vscode/settings.json': '{ "zenops.contract.spec": "api/shop.json" }',
        'api/shop.json': shopSpec,
        'openapi.json': '{ "not": "used" }',
        'src/orders.js': ordersJs,
      });
      temps.push(dir);
      const run = await zenops(['check', '--root', dir]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /\(spec: api\/shop\.json\)/);
    });
  });

  describe('when the check cannot run (exit 2, one line on stderr, nothing flagged)', () => {
    function assertFailed(run: Run, message: RegExp): void {
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, run.stderr);
      assert.match(run.stderr, message);
    }

    it('for a spec file that does not exist', async () => {
      // --spec is relative to the current folder (not --root), and the message says where it looked.
      const looked = path.join(repo, 'nope/openapi.json');
      assertFailed(await zenops(['check', '--root', clean, '--spec', 'nope/openapi.json']), new RegExp(`^zenops: nope/openapi\\.json: no such file \\(looked for ${looked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\n$`));
    });

    it('for a broken spec file, naming the line', async () => {
      assertFailed(await zenops(['check', '--root', clean, '--spec', 'test/fixtures/specs/broken.json']), /^zenops: test\/fixtures\/specs\/broken\.json line 8: /);
    });

    it('for a spec URL nobody answers', async () => {
      const server = await serveFile(path.join(clean, 'openapi.json'));
      await server.close();
      assertFailed(await zenops(['check', '--root', clean, '--spec', `${server.url}/openapi.json`]), /^zenops: cannot reach http:\/\/127\.0\.0\.1:\d+\/openapi\.json: connection refused/);
    });

    it('for a root that does not exist', async () => {
      assertFailed(await zenops(['check', '--root', '/nonexistent/zenops-root']), /^zenops: cannot read \/nonexistent\/zenops-root: no such folder\n$/);
    });

    it('for a settings file that is not JSON', async () => {
      const dir = tempWorkspace({ '.vscode/settings.json': '{ "zenops.contract.spec": ', 'openapi.json': shopSpec });
      temps.push(dir);
      assertFailed(await zenops(['check', '--root', dir]), /settings\.json is not valid JSON with comments/);
    });

    it('for an unknown option, a missing value or a bad format', async () => {
      assertFailed(await zenops(['check', '--root', clean, '--colour']), /^zenops: unknown option --colour \(see zenops check --help\)\n$/);
      assertFailed(await zenops(['check', '--root']), /--root needs a value/);
      assertFailed(await zenops(['check', '--root', clean, '--format', 'xml']), /--format must be one of text, json, sarif, not "xml"/);
    });

    it('for an unknown command', async () => {
      assertFailed(await zenops(['lint']), /^zenops: unknown command "lint" \(commands: check, collect\)\n$/);
    });
  });

  describe('against the example FastAPI backend, running', () => {
    const example = path.join(repo, 'examples/zenops');
    let app: ExampleApp;
    before(async () => {
      app = await startExampleApp();
    });
    after(async () => {
      await app?.stop();
    });

    it('finds the problems listed in examples/zenops/README.md from the served /openapi.json', async () => {
      const run = await zenops(['check', '--root', example, '--spec', `${app.url}/openapi.json`, '--format', 'json']);
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.spec.source, `${app.url}/openapi.json`);
      // Problems only: ok, external and unresolved calls are not flagged.
      const problems = report.calls
        .filter((c: { status: string }) => !['ok', 'external', 'unresolved'].includes(c.status))
        .map((c: { file: string; method: string; path: string; status: string }) => `${c.file.replace('frontend/src/', '')} ${c.method} ${c.path} ${c.status}`);
      assert.deepEqual(problems, [
        'api/auth.js POST /api/auth/refresh missing-path',
        'api/documents.js GET /api/documents trailing-slash',
        'api/documents.js PATCH /api/documents/{}/comments/{} missing-path',
        'api/payroll.js POST /api/payroll/payslips/{}/send-email missing-path',
        'api/payroll.js PUT /api/payroll/runs/{}/close method-not-allowed',
        'api/payroll.js POST /api/payroll/runs/{}/send-approval missing-path',
        'api/support.ts POST /api/support/threads/{}/resolve missing-path',
        'api/support.ts DELETE /api/support/tokens/{} deprecated',
        'api/support.ts GET /api/support/threads/ trailing-slash',
        'api/typed.ts PATCH /api/payroll/runs/{run_id} method-not-allowed',
        'components/PayslipList.jsx GET /api/payroll/history/{} missing-path',
      ]);
    });

    it('fails with exit 2 and the /docs hint when pointed at the Swagger UI page', async () => {
      const run = await zenops(['check', '--root', example, '--spec', `${app.url}/docs`]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /answered HTML, not an OpenAPI document \(is this the \/docs page\?/);
    });
  });

  describe('--cache', () => {
    it('writes the scan cache under node_modules/.cache/zenops and prints the same findings from it', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-cli-cache-'));
      temps.push(dir);
      fs.cpSync(shop, dir, { recursive: true });
      const plain = await zenops(['check', '--root', dir, '--format', 'json']);
      const first = await zenops(['check', '--root', dir, '--format', 'json', '--cache']);
      const cacheFile = path.join(dir, 'node_modules/.cache/zenops/scan-cache.json');
      assert.ok(fs.existsSync(cacheFile), 'no cache file was written');
      const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { files: Record<string, { calls: unknown[] }> };
      assert.ok(cached.files['./frontend/src/orders.js']?.calls.length > 0, Object.keys(cached.files).join(', '));
      const second = await zenops(['check', '--root', dir, '--format', 'json', '--cache']);
      for (const run of [first, second]) {
        assert.equal(run.code, plain.code, run.stderr);
        assert.equal(run.stderr, '');
        assert.equal(run.stdout, plain.stdout);
      }
      // An edit after the cache was written is seen.
      fs.writeFileSync(path.join(dir, 'frontend/src/orders.js'), "export const x = () => fetch('/api/nowhere');\n");
      const edited = await zenops(['check', '--root', dir, '--cache']);
      assert.equal(edited.code, 1);
      assert.match(edited.stdout, /GET \/api\/nowhere {2}missing-path/);
    });

    it('takes --cache-location relative to the current folder, and reports a cache it cannot write without failing', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-cli-cache-'));
      temps.push(dir);
      const run = await zenops(['check', '--root', shop, '--cache-location', 'here/scan.json'], dir);
      assert.equal(run.code, 1, run.stderr);
      assert.ok(fs.existsSync(path.join(dir, 'here/scan.json')));
      fs.writeFileSync(path.join(dir, 'blocker'), 'a file, not a folder');
      const blocked = await zenops(['check', '--root', shop, '--cache-location', 'blocker/scan.json'], dir);
      assert.equal(blocked.code, 1);
      assert.match(blocked.stderr, /^zenops: scan cache: could not write .*blocker\/scan\.json/m);
      assert.equal(blocked.stdout, run.stdout);
      const bad = await zenops(['check', '--root', shop, '--cache=yes'], dir);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--cache takes no value/);
      const empty = await zenops(['check', '--root', shop, '--cache-location='], dir);
      assert.equal(empty.code, 2);
      assert.match(empty.stderr, /--cache-location needs a file name/);
    });
  });

  describe('help', () => {
    it('prints the check options and exits 0', async () => {
      const run = await zenops(['check', '--help']);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^usage: zenops check \[--root DIR\] \[--spec FILE_OR_URL\] \[--format text\|json\|sarif\] \[--prefix \/api\]/);
    });

    it('lists the commands with --help, and on stderr with exit 2 when no command is given', async () => {
      const help = await zenops(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /check {5}check the frontend API calls against the OpenAPI document/);
      const none = await zenops([]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^usage: zenops <command>/);
    });
  });
});
