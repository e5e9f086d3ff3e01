import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_BACKEND_DIR, ExampleApp, startExampleApp } from '../harness/exampleApp';

describe('the example FastAPI backend', () => {
  let app: ExampleApp;
  before(async () => {
    app = await startExampleApp();
  });
  after(async () => {
    await app?.stop();
  });

  it('serves the OpenAPI document committed as examples/zenops/backend/openapi.json', async () => {
    const served = await (await fetch(`${app.url}/openapi.json`)).json();
    const committed = JSON.parse(fs.readFileSync(path.join(EXAMPLE_BACKEND_DIR, 'openapi.json'), 'utf8'));
    assert.deepEqual(served, committed, 'regenerate backend/openapi.json (see examples/zenops/README.md)');
  });

  it('answers /healthz and /healthz/deps with a check per dependency', async () => {
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
    const deps = (await (await fetch(`${app.url}/healthz/deps`)).json()) as { status: string; checks: Record<string, unknown> };
    assert.deepEqual(Object.keys(deps.checks).sort(), ['database', 'disk', 'uploads']);
    assert.equal(deps.status, 'ok');
  });

  it('logs an ERROR line with a traceback and the request id when a route fails', async () => {
    const res = await fetch(`${app.url}/api/payroll/runs/0`, { headers: { 'X-Request-Id': 'req-test-42' } });
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-request-id'), 'req-test-42');
    await new Promise((r) => setTimeout(r, 200));
    assert.match(app.output(), /ERROR \[app\] request_id=req-test-42 unhandled error on GET \/api\/payroll\/runs\/0/);
    assert.match(app.output(), /File ".*app\/main\.py", line \d+, in get_run\n.*\n.*\nZeroDivisionError/);
  });

  it('counts requests per route template in /metrics', async () => {
    await fetch(`${app.url}/api/payroll/payslips/1/download`);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    assert.match(metrics, /http_requests_total\{handler="\/api\/payroll\/payslips\/\{payslip_id\}\/download",method="GET",status="501"\} 1\.0/);
    assert.match(metrics, /http_request_duration_seconds_bucket\{handler="\/api\/payroll\/payslips\/\{payslip_id\}\/download"/);
  });

  it('reports a failing dependency as degraded with 503', async () => {
    const degraded = await startExampleApp({ failDeps: ['database'] });
    try {
      const res = await fetch(`${degraded.url}/healthz/deps`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
      assert.equal(body.status, 'degraded');
      assert.equal(body.checks.database.status, 'error');
    } finally {
      await degraded.stop();
    }
  });

  it('has its Python dependencies from Debian (python3-fastapi, python3-uvicorn, python3-prometheus-client)', () => {
    const out = execFileSync('/usr/bin/python3', ['-c', 'import fastapi, uvicorn, prometheus_client; print("ok")']).toString();
    assert.equal(out.trim(), 'ok');
  });
});
