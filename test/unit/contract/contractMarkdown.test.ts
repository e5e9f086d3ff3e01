import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkContract } from '../../../src/core/contract/checkContract';
import { describeCallMarkdown, formatReportMarkdown, inlineCode } from '../../../src/core/contract/contractMarkdown';
import { loadSpec } from '../../../src/core/contract/loadSpec';
import { groupOperationsByTag } from '../../../src/core/contract/operationUsage';
import { scanWorkspace } from '../../../src/core/contract/scanWorkspace';
import type { ContractReport, LoadedSpec } from '../../../src/core/contract/types';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';

const ROOT = path.resolve(__dirname, '../../../examples/zenops');

describe('what the user reads about the example contract', () => {
  let spec: LoadedSpec;
  let report: ContractReport;
  before(async () => {
    const { include, exclude } = DEFAULT_SETTINGS.contract;
    spec = await loadSpec('backend/openapi.json', { cwd: ROOT });
    report = checkContract(await scanWorkspace(ROOT, { include, exclude }), spec, { ...DEFAULT_SETTINGS.contract, apiUrl: DEFAULT_SETTINGS.api.url });
  });

  const callAt = (file: string, line: number) => {
    const call = report.calls.find((c) => c.file.endsWith(file) && c.urlSpan.start.line === line);
    assert.ok(call, `no call at ${file}:${line}`);
    return call;
  };

  it('hovers a missing path with the reason and the nearest operations', () => {
    const text = describeCallMarkdown(callAt('api/payroll.js', 13));
    assert.match(text, /path not in the spec · `POST \/api\/payroll\/payslips\/\{\}\/send-email`/);
    assert.match(text, /Nearest operations:/);
    assert.match(text, /- `POST \/api\/payroll\/payslips\/\{payslip_id\}\/generate`/);
  });

  it('hovers a good call with the operation, the code value of each path parameter and the responses', () => {
    const text = describeCallMarkdown(callAt('api/payroll.js', 11), { specLabel: 'backend/openapi.json' });
    assert.match(text, /matches the spec/);
    assert.match(text, /`GET \/api\/payroll\/payslips\/\{payslip_id\}\/download`/);
    assert.match(text, /Path parameters: `payslip_id` ← `payslipId`/);
    assert.match(text, /Responses: `200`/);
    assert.match(text, /backend\/openapi\.json line \d+/);
  });

  it('hovers a wrong method with the methods the path allows', () => {
    const text = describeCallMarkdown(callAt('api/payroll.js', 19));
    assert.match(text, /method not allowed/);
    assert.match(text, /The path allows `POST`\./);
  });

  it('marks a deprecated operation', () => {
    assert.match(describeCallMarkdown(callAt('api/support.ts', 25)), /~~`DELETE \/api\/support\/tokens\/\{token_id\}`.*~~ \(deprecated\)/);
  });

  it('groups operations by tag with the calls that reach them, unused ones with none', () => {
    const groups = groupOperationsByTag(spec, report);
    assert.deepEqual(groups.map((g) => g.tag), ['auth', 'payroll', 'support', 'documents', 'reports']);
    const payroll = groups.find((g) => g.tag === 'payroll')!;
    const usage = (key: string) => payroll.operations.find((o) => o.key === key)!;
    assert.equal(usage('GET /api/payroll/payslips/my').calls.length, 2);
    assert.equal(usage('POST /api/payroll/runs/{run_id}/close').calls.length, 0);
    assert.equal(groups.reduce((n, g) => n + g.operations.length, 0), spec.operations.length);
  });

  it('writes a report with the problems table and the unused operations', () => {
    const text = formatReportMarkdown(report, spec, ROOT);
    assert.match(text, /^# API contract: zenops/);
    assert.match(text, /\*\*8 errors\*\*, \*\*3 warnings\*\*/);
    assert.match(text, /\| `frontend\/src\/api\/payroll\.js:19:\d+` \| `PUT \/api\/payroll\/runs\/\{\}\/close` \| method-not-allowed \| allowed: POST \|/);
    assert.match(text, /- `POST \/api\/support\/tokens\/\{token_id\}\/revoke`: \*\*unused\*\*/);
  });

  it('keeps backticks in code from breaking inline code', () => {
    assert.equal(inlineCode('`/a/${b}`'), '`` `/a/${b}` ``');
  });
});
