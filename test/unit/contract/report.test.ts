import * as assert from 'node:assert/strict';
import { checkContract } from '../../../src/core/contract/checkContract';
import { formatJson } from '../../../src/core/contract/report/formatJson';
import { formatSarif } from '../../../src/core/contract/report/formatSarif';
import { formatText } from '../../../src/core/contract/report/formatText';
import { hasErrors } from '../../../src/core/contract/report/severity';
import { apiCall, scan, specOf } from './contractBuilders';

const root = '/work/app';
const spec = specOf(['GET /api/payroll/payslips', 'POST /api/payroll/payslips', 'GET /api/items/', 'GET! /api/old']);
const settings = { extraRoutes: [], ignoreCalls: [], apiOrigins: [], apiUrl: 'http://localhost:8000' };

function sample(): ReturnType<typeof checkContract> {
  return checkContract(
    {
      calls: [
        apiCall({ file: `${root}/frontend/src/api/payroll.js`, method: 'GET', url: '/api/payroll/payslip', line: 12, column: 23 }),
        apiCall({ file: `${root}/frontend/src/api/payroll.js`, method: 'DELETE', url: '/api/payroll/payslips', line: 20, column: 4 }),
        apiCall({ file: `${root}/frontend/src/api/items.js`, method: 'GET', url: '/api/items', line: 3, column: 15 }),
        apiCall({ file: `${root}/frontend/src/api/items.js`, method: 'GET', url: '/api/old', line: 4, column: 15 }),
        apiCall({ file: `${root}/frontend/src/api/items.js`, method: 'POST', url: '/api/payroll/payslips', line: 5, column: 15 }),
        apiCall({ file: `${root}/frontend/src/api/items.js`, unresolved: 'built by a function', line: 6, column: 15 }),
        apiCall({ file: `${root}/frontend/src/api/items.js`, url: '/x', origin: { kind: 'literal', origin: 'https://cdn.example.com' }, line: 7, column: 15 }),
      ],
      files: 2,
      skipped: [{ file: `${root}/frontend/src/broken.js`, reason: 'syntax error at 3:1' }],
    },
    spec,
    settings,
  );
}

describe('the text report', () => {
  it('prints one compiler-style line per problem with a 1-based column, then a summary', () => {
    const text = formatText(sample(), root);
    assert.equal(
      text,
      [
        'frontend/src/api/items.js:3:16  warning  GET /api/items  trailing-slash  the spec has /api/items/ (with the trailing slash); FastAPI answers this URL with a 307 redirect',
        'frontend/src/api/items.js:4:16  warning  GET /api/old  deprecated  GET /api/old is deprecated in the spec',
        'frontend/src/api/payroll.js:12:24  error  GET /api/payroll/payslip  missing-path  did you mean /api/payroll/payslips?',
        'frontend/src/api/payroll.js:20:5  error  DELETE /api/payroll/payslips  method-not-allowed  method not allowed; /api/payroll/payslips accepts GET, POST',
        'frontend/src/broken.js  note  skipped: syntax error at 3:1',
        '',
        '2 errors, 2 warnings, 7 calls in 2 files (1 skipped), 1 unresolved, 1 external, 1 of 4 operations unused (spec: openapi.json)',
        '',
      ].join('\n'),
    );
  });

  it('lists unresolved calls as notes only with zenops.contract.showUnresolved', () => {
    const unresolvedLine = 'frontend/src/api/items.js:6:16  note';
    assert.ok(!formatText(sample(), root).includes(unresolvedLine));
    const shown = formatText(sample(), root, { showUnresolved: true }).split('\n');
    const line = shown.find((l) => l.startsWith(unresolvedLine));
    assert.ok(line, shown.join('\n'));
    assert.match(line, /  unresolved  .*built by a function/);
    assert.match(shown[shown.length - 2], /^2 errors, 2 warnings, 7 calls in 2 files \(1 skipped\), 1 unresolved/);
  });

  it('keeps a finding on one line when the path was written across lines', () => {
    const report = checkContract(scan([apiCall({ file: `${root}/src/a.js`, url: '/api/items/\n/bad', line: 3, column: 2 })]), spec, settings);
    const lines = formatText(report, root).split('\n');
    assert.match(lines[0], /^src\/a\.js:3:3  error  GET \/api\/items\/\\n\/bad  missing-path  /);
    assert.equal(lines[1], '');
    assert.match(lines[2], /^1 error, 0 warnings/);
  });

  it('says there are no problems when there are none', () => {
    const report = checkContract(scan([apiCall({ url: '/api/payroll/payslips' })]), spec, settings);
    assert.equal(formatText(report, root), 'no problems, 1 call in 1 file, 0 unresolved, 0 external, 3 of 4 operations unused (spec: openapi.json)\n');
  });
});

describe('the JSON report', () => {
  it('has exactly the documented shape, with ranges of the URL argument, 1-based', () => {
    const json = JSON.parse(formatJson(sample(), root));
    assert.deepEqual(Object.keys(json), ['spec', 'files', 'calls', 'unused', 'skipped']);
    assert.deepEqual(json.skipped, [{ file: 'frontend/src/broken.js', reason: 'syntax error at 3:1' }]);
    assert.deepEqual(json.spec, { source: 'openapi.json', title: 'Test API', operations: 4 });
    assert.equal(json.files, 2);
    assert.equal(json.calls.length, 7);
    const missing = json.calls.find((c: { status: string }) => c.status === 'missing-path');
    assert.deepEqual(missing, {
      file: 'frontend/src/api/payroll.js',
      line: 12,
      column: 24,
      endLine: 12,
      endColumn: 24 + '/api/payroll/payslip'.length + 2,
      method: 'GET',
      path: '/api/payroll/payslip',
      status: 'missing-path',
      operation: null,
      message: 'GET /api/payroll/payslip: no such path in the spec; did you mean /api/payroll/payslips?',
      suggestion: '/api/payroll/payslips',
    });
    const ok = json.calls.find((c: { status: string }) => c.status === 'ok');
    assert.equal(ok.operation, 'POST /api/payroll/payslips');
    assert.equal(ok.suggestion, null);
    const unresolved = json.calls.find((c: { status: string }) => c.status === 'unresolved');
    assert.equal(unresolved.path, null);
    assert.deepEqual(json.unused, ['GET /api/payroll/payslips']);
  });

  it('names no operation for a call whose method is not known (its path is checked, its method cannot be)', () => {
    const report = checkContract(scan([apiCall({ file: `${root}/a.js`, method: null, url: '/api/payroll/payslips' })]), spec, settings);
    const [call] = JSON.parse(formatJson(report, root)).calls;
    assert.equal(call.status, 'ok');
    assert.equal(call.method, null);
    assert.equal(call.operation, null);
    assert.equal(call.message, '/api/payroll/payslips: the spec has /api/payroll/payslips (GET, POST); the method is not known here, so only the path is checked');
  });

  it('keeps the method column in the text report when the method is not known (`?`)', () => {
    const report = checkContract(scan([apiCall({ file: `${root}/a.js`, method: null, url: '/api/nope' })]), spec, settings);
    assert.match(formatText(report, root), /^a\.js:\d+:\d+  error  \? \/api\/nope  missing-path  /);
  });
});

describe('the SARIF report', () => {
  it('is SARIF 2.1.0 from the ZenOps driver with one rule per status', () => {
    const sarif = JSON.parse(formatSarif(sample(), root));
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'ZenOps');
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string; defaultConfiguration: { level: string } }) => `${r.id}:${r.defaultConfiguration.level}`),
      ['missing-path:error', 'method-not-allowed:error', 'trailing-slash:warning', 'deprecated:warning', 'unresolved:note', 'external:none', 'ok:none'],
    );
  });

  it('has a result per problem (and per unresolved call with showUnresolved), with a relative artifact and a 1-based region', () => {
    const levelsOf = (r: { results: { ruleId: string; level: string }[] }) => r.results.map((x) => `${x.ruleId}:${x.level}`).sort();
    const problems = ['deprecated:warning', 'method-not-allowed:error', 'missing-path:error', 'trailing-slash:warning'];
    assert.deepEqual(levelsOf(JSON.parse(formatSarif(sample(), root, '0.1.0', { showUnresolved: true })).runs[0]), [...problems, 'unresolved:note']);
    const run = JSON.parse(formatSarif(sample(), root)).runs[0];
    assert.deepEqual(levelsOf(run), problems);
    const missing = run.results.find((r: { ruleId: string }) => r.ruleId === 'missing-path');
    assert.equal(run.tool.driver.rules[missing.ruleIndex].id, 'missing-path');
    assert.match(missing.message.text, /did you mean \/api\/payroll\/payslips\?/);
    const location = missing.locations[0].physicalLocation;
    assert.deepEqual(location.artifactLocation, { uri: 'frontend/src/api/payroll.js', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(location.region, { startLine: 12, startColumn: 24, endLine: 12, endColumn: 46 });
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///work/app/');
  });
});

describe('skipped files in the SARIF report', () => {
  it("are the run's tool execution notifications, with the file and the reason", () => {
    const run = JSON.parse(formatSarif(sample(), root)).runs[0];
    assert.equal(run.invocations.length, 1);
    assert.equal(run.invocations[0].executionSuccessful, true);
    assert.deepEqual(run.invocations[0].toolExecutionNotifications, [
      {
        level: 'warning',
        message: { text: 'skipped: syntax error at 3:1' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'frontend/src/broken.js', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });
});

describe('the exit decision', () => {
  it('fails on errors only, not on warnings', () => {
    assert.equal(hasErrors(sample()), true);
    const warningsOnly = checkContract(scan([apiCall({ url: '/api/old' }), apiCall({ url: '/api/items' })]), spec, settings);
    assert.equal(hasErrors(warningsOnly), false);
  });
});
