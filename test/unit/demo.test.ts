// The README's first command, `npm run demo` (scripts/demo.sh): its check prints the example's findings,
// and its live stack (scripts/demo-stack.ts) really serves the API, Prometheus and Loki, and stops cleanly.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort } from '../harness/freePort';
import { until } from '../harness/until';

const repo = path.resolve(__dirname, '../..');

describe('npm run demo', function () {
  this.timeout(180_000);

  it('--check-only prints the example README\'s 8 errors and 3 warnings and exits 0', () => {
    const run = spawnSync('bash', ['scripts/demo.sh', '--check-only'], { cwd: repo, encoding: 'utf8', timeout: 170_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /== zenops check examples\/zenops ==/);
    assert.match(run.stdout, /^8 errors, 3 warnings, /m);
    assert.match(run.stdout, /frontend\/src\/api\/payroll\.js:19:\d+ {2}error {2}PUT \/api\/payroll\/runs\/\{\}\/close {2}method-not-allowed/);
  });

  describe('the live stack', () => {
    let stack: ChildProcess | undefined;
    let output = '';
    const ports = { api: 0, prometheus: 0, loki: 0 };

    before(async () => {
      [ports.api, ports.prometheus, ports.loki] = [await freePort(), await freePort(), await freePort()];
      stack = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/demo-stack.ts'], {
        cwd: repo,
        detached: true,
        env: {
          ...process.env,
          ZENOPS_DEMO_API_PORT: String(ports.api),
          ZENOPS_DEMO_PROMETHEUS_PORT: String(ports.prometheus),
          ZENOPS_DEMO_LOKI_PORT: String(ports.loki),
        },
      });
      stack.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      stack.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      await until('demo-stack: READY', () => output.includes('demo-stack: READY') || stack?.exitCode !== null, 120_000);
      assert.match(output, /demo-stack: READY/, output);
    });

    after(async () => {
      if (stack && stack.exitCode === null && stack.pid) {
        try {
          process.kill(-stack.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });

    it('serves the example API, a Prometheus with the api target up and the worker down, and a Loki with the API\'s lines', async () => {
      const health = await fetch(`http://127.0.0.1:${ports.api}/healthz`);
      assert.equal(health.status, 200);
      const targets = await until(
        'both targets scraped',
        async () => {
          const body = (await (await fetch(`http://127.0.0.1:${ports.prometheus}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string }; health: string }[] } };
          const t = body.data.activeTargets;
          return t.length === 2 && t.every((x) => x.health !== 'unknown') ? t : undefined;
        },
        60_000,
      );
      assert.deepEqual(targets.map((t) => `${t.labels.job}:${t.health}`).sort(), ['api:up', 'worker:down']);
      const query = new URLSearchParams({ query: '{service="api"}', limit: '10', start: String(BigInt(Date.now() - 3_600_000) * 1_000_000n), end: String(BigInt(Date.now() + 1000) * 1_000_000n) });
      const loki = (await (await fetch(`http://127.0.0.1:${ports.loki}/loki/api/v1/query_range?${query}`)).json()) as { data: { result: { values: [string, string][] }[] } };
      const lines = loki.data.result.flatMap((s) => s.values.map((v) => v[1]));
      assert.ok(lines.some((l) => l.includes('ZeroDivisionError')), `Loki lines: ${lines.slice(0, 5).join(' | ')}`);
    });

    it('stops everything on SIGTERM', async () => {
      assert.ok(stack?.pid);
      stack.kill('SIGTERM');
      await until('the stack to exit', () => stack?.exitCode !== null, 30_000);
      assert.equal(stack.exitCode, 0, output);
      await until('the API port to close', async () => (await fetch(`http://127.0.0.1:${ports.api}/healthz`).then(() => false, () => true)), 10_000);
    });
  });
});
