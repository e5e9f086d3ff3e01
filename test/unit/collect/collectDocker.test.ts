// docker compose in a bundle. No Docker engine can run on these machines, so the "engine answers" path uses a
// stand-in `docker` executable that prints what `docker compose` prints and records the argument arrays it got;
// the "no engine" path uses the real docker CLI when it is installed.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectDiagnostics, type CollectResult } from '../../../src/core/collect/collectDiagnostics';
import { parseDockerLogs, parseServiceList, runCommand } from '../../../src/core/collect/dockerCompose';
import { resolveSettings } from '../../../src/core/settings';

const STAND_IN = `#!${process.execPath}
const fs = require('fs');
fs.appendFileSync(process.env.ZENOPS_DOCKER_ARGV_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');
const [cmd, sub] = process.argv.slice(2);
const out = (s) => process.stdout.write(s);
if (cmd === 'info') out('27.3.1\\n');
else if (cmd === 'compose' && sub === 'version') out('2.29.7\\n');
else if (cmd === 'compose' && sub === 'ps' && process.argv.includes('--services')) out('api\\nevil; touch PWNED\\n');
else if (cmd === 'compose' && sub === 'ps') out('NAME           IMAGE        SERVICE   STATUS\\nzenops-api-1   zenops-api   api       Up 2 minutes\\n');
else if (cmd === 'compose' && sub === 'logs') {
  const service = process.argv[process.argv.length - 1];
  if (service === 'api') {
    out('2026-12-03T16:40:00.000000000Z 2026-12-03 16:40:00,000 ERROR [app] request_id=req-d1 db login failed password=hunter2\\n');
    out('2026-12-03T16:40:01.000000000Z 2026-12-03 16:40:01,000 ERROR [app] request_id=req-d2 db login failed password=hunter2\\n');
    out('2026-12-03T16:40:02.000000000Z 2026-12-03 16:40:02,000 INFO [app] ok\\n');
  } else out('2026-12-03T16:40:00.000000000Z just a line\\n');
} else { process.stderr.write('unknown command\\n'); process.exit(1); }
`;

function settingsWithoutHttpSources() {
  return resolveSettings({ 'zenops.loki.url': '', 'zenops.prometheus.url': '', 'zenops.api.url': '', 'zenops.collect.since': 60 });
}

describe('docker compose in a diagnostics bundle', function () {
  this.timeout(30_000);
  let dir: string;
  let root: string;
  let docker: string;
  let argvLog: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-docker-'));
    root = path.join(dir, 'workspace');
    fs.mkdirSync(root);
    docker = path.join(dir, 'docker');
    fs.writeFileSync(docker, STAND_IN, { mode: 0o755 });
    argvLog = path.join(dir, 'argv.jsonl');
    process.env.ZENOPS_DOCKER_ARGV_LOG = argvLog;
  });
  after(() => {
    delete process.env.ZENOPS_DOCKER_ARGV_LOG;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes docker/ps.txt and one log per service, passing every argument as one array element without a shell', async () => {
    const result: CollectResult = await collectDiagnostics({ root, outDir: path.join(dir, 'out'), settings: settingsWithoutHttpSources(), dockerCommand: docker });
    const record = result.sources.find((s) => s.source === 'docker');
    assert.equal(record?.status, 'ok', JSON.stringify(record));
    assert.deepEqual(record?.files, ['docker/ps.txt', 'docker/api.log', 'docker/evil_touch_PWNED.log']);
    assert.deepEqual(record?.detail, { engine: '27.3.1', compose: '2.29.7' });
    assert.match(fs.readFileSync(path.join(result.folder, 'docker/ps.txt'), 'utf8'), /zenops-api-1 {3}zenops-api/);

    const calls = fs.readFileSync(argvLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    assert.deepEqual(calls.at(-1), ['compose', 'logs', '--no-color', '--no-log-prefix', '--timestamps', '--since', '60m', '--tail', '10000', 'evil; touch PWNED']);
    assert.equal(fs.existsSync(path.join(root, 'PWNED')), false, 'a service name never reaches a shell');

    const apiLog = fs.readFileSync(path.join(result.folder, 'docker/api.log'), 'utf8');
    assert.ok(!apiLog.includes('hunter2'));
    assert.match(apiLog, /password=\[REDACTED\]/);
    // Without Loki's lines, the index is built from docker's.
    const index = fs.readFileSync(result.errorIndexFile, 'utf8');
    assert.match(index, /^#1 {2}db login failed password=\[REDACTED\] {2}\(2×\)$/m);
    assert.match(index, /request ids: req-d2, req-d1/);
    assert.match(index, /services: {4}api/);
  });

  it('records docker as skipped with the reason when no engine answers (the real docker CLI, or none installed)', async function () {
    const result = await collectDiagnostics({ root, outDir: path.join(dir, 'out'), settings: settingsWithoutHttpSources() });
    const record = result.sources.find((s) => s.source === 'docker');
    assert.equal(record?.status, 'skipped');
    let installed = true;
    try {
      execFileSync('docker', ['--version'], { stdio: 'ignore' });
    } catch {
      installed = false;
    }
    assert.match(record?.reason ?? '', installed ? /^no Docker engine answers: / : /^docker is not installed/);
    assert.equal(fs.existsSync(path.join(result.folder, 'docker')), false);
  });

  it('says a command is not installed instead of throwing', async () => {
    const res = await runCommand(path.join(dir, 'no-such-docker'), ['info'], { cwd: root });
    assert.equal(res.failure, 'not-found');
    assert.match(res.message ?? '', /is not installed/);
  });

  it('kills a command when cancelled', async () => {
    const controller = new AbortController();
    const pending = runCommand(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { cwd: root, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const res = await pending;
    assert.equal(res.failure, 'aborted');
    assert.notEqual(res.code, 0);
  });

  it('parses compose service lists and timestamped log lines', () => {
    assert.deepEqual(parseServiceList('api\n\nworker\napi\n'), ['api', 'worker']);
    assert.deepEqual(parseDockerLogs('api', '2026-12-03T16:40:00.123456789Z hello world\nno stamp\n'), [
      { service: 'api', time: '2026-12-03T16:40:00.123456789Z', line: 'hello world' },
      { service: 'api', line: 'no stamp' },
    ]);
  });
});
