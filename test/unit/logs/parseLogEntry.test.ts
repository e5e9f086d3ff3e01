import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { groupErrors, maskMessage } from '../../../src/core/logs/groupErrors';
import { isContinuationLine, joinContinuationLines, parseLogEntry, parseLokiEntries, truncateEntry } from '../../../src/core/logs/parseLogEntry';

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../../fixtures/logs', name), 'utf8');
const labels = { container: 'zenops-web-1', job: 'docker' };

describe('parseLogEntry', () => {
  it('reads a JavaScript stack: exception, frames outermost first, request and trace ids', () => {
    const e = parseLogEntry(fixture('node-unhandled.log'), labels, '1');
    assert.equal(e.level, 'ERROR');
    assert.equal(e.service, 'zenops-web-1');
    assert.equal(e.requestId, 'web-77');
    assert.equal(e.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(e.loggedAt, '2026-12-03T16:40:01.123Z');
    assert.equal(e.traceback?.language, 'javascript');
    assert.equal(e.traceback?.exceptionType, 'TypeError');
    assert.equal(e.traceback?.exceptionMessage, "Cannot read properties of undefined (reading 'net')");
    assert.deepEqual(
      e.traceback?.frames.map((f) => `${f.function}@${f.file}:${f.line}:${f.column}`),
      ['handler@/srv/web/src/server.mjs:52:5', 'exportRun@/srv/web/src/payroll/export.js:31:18', 'totalNet@/srv/web/src/payroll/totals.js:14:22'],
    );
  });

  it('keeps the exception finally raised from a chained Python traceback', () => {
    const e = parseLogEntry(fixture('python-chained.log'), { service: 'api' }, '1');
    assert.equal(e.logger, 'app.db');
    assert.equal(e.message, 'query failed');
    assert.equal(e.requestId, '9f1c2e77-0b6d-4d7e-9a55-2f3c1d6b8e10');
    assert.equal(e.traceback?.exceptionType, 'LookupError');
    assert.equal(e.traceback?.exceptionMessage, 'payslip 4411 missing');
    const inner = e.traceback!.frames.at(-1)!;
    assert.deepEqual([inner.file, inner.line, inner.function, inner.code], ['/app/app/db.py', 14, 'fetch', 'raise LookupError(f"payslip {key} missing")']);
  });

  it('reads level, message and ids from JSON and logfmt lines', () => {
    const [a, b, c, d] = fixture('json-lines.log').trim().split('\n').map((l) => parseLogEntry(l, labels, '1'));
    assert.deepEqual([a.level, a.message, a.requestId, a.traceId, a.logger], ['ERROR', 'payment provider timeout after 3000 ms', 'r-1', '0af7651916cd43dd8448eb211c80319c', 'app']);
    assert.deepEqual([b.level, b.requestId], ['ERROR', 'r-2']);
    assert.equal(c.level, 'WARNING');
    assert.deepEqual([d.level, d.message, d.requestId], ['ERROR', 'upstream returned 502', 'r-3']);
  });

  it('ignores the "-" request id the backend writes outside a request', () => {
    const e = parseLogEntry('2026-12-03 16:31:32,580 WARNING [app] request_id=- disk is 91% full', labels, '1');
    assert.equal(e.level, 'WARNING');
    assert.equal(e.requestId, undefined);
    assert.equal(e.message, 'disk is 91% full');
  });

  it('keeps hostile markup as the exact plain text it was', () => {
    const img = '2026-12-03 16:31:32,580 ERROR [app] request_id=x1 bad name <img src=x onerror=alert(1)>';
    const script = '<script>alert(document.cookie)</script> ERROR in template';
    assert.equal(parseLogEntry(img, labels, '1').message, 'bad name <img src=x onerror=alert(1)>');
    assert.equal(parseLogEntry(img, labels, '1').text, img);
    assert.equal(parseLogEntry(script, labels, '1').text, script);
  });

  it('cuts an over-long line with a marker and keeps both ends of an over-long entry', () => {
    const long = `ERROR ${'x'.repeat(9994)}`;
    const e = parseLogEntry(long, labels, '1', { maxLineLength: 4000, maxLines: 100 });
    assert.equal(e.truncated, true);
    assert.equal(e.text, `${long.slice(0, 4000)}… [truncated 6000 chars]`);
    const many = truncateEntry(['head', ...Array.from({ length: 50 }, (_, i) => `  line ${i}`), 'ValueError: last'].join('\n'), { maxLineLength: 100, maxLines: 10 });
    const lines = many.text.split('\n');
    assert.equal(lines.length, 11);
    assert.equal(lines[0], 'head');
    assert.equal(lines[5], '… [42 more lines truncated]');
    assert.equal(lines.at(-1), 'ValueError: last');
  });
});

describe('joining a traceback shipped one line per entry', () => {
  const stream = { container: 'zenops-api-1' };
  const at = (ms: number) => (1_764_779_492_000_000_000n + BigInt(ms) * 1_000_000n).toString();

  it('tells continuation lines from new records', () => {
    assert.equal(isContinuationLine('  File "/app/x.py", line 1, in f'), true);
    assert.equal(isContinuationLine('ZeroDivisionError: integer division or modulo by zero'), true);
    assert.equal(isContinuationLine('Traceback (most recent call last):'), true);
    assert.equal(isContinuationLine('2026-12-03 16:31:32,581 ERROR [app] next record'), false);
    assert.equal(isContinuationLine('GET /healthz 200'), false);
  });

  it('joins lines of the same stream that follow an ERROR line closely, and only those', () => {
    const other = { container: 'zenops-worker-1' };
    const joined = joinContinuationLines([
      { stream, ts: at(0), line: '2026-12-03 16:31:32,580 ERROR [app] boom' },
      { stream: other, ts: at(1), line: '  indented line of another stream' },
      { stream, ts: at(2), line: 'Traceback (most recent call last):' },
      { stream, ts: at(3), line: '  File "/app/app/main.py", line 208, in get_run' },
      { stream, ts: at(4), line: 'ZeroDivisionError: integer division or modulo by zero' },
      { stream, ts: at(9000), line: '  late indented line, long after' },
    ]);
    assert.equal(joined.length, 3);
    assert.equal(joined[0].line.split('\n').length, 4);
    assert.equal(joined[0].ts, at(0));
    assert.equal(joined[1].stream, other);
    assert.equal(joined[2].line, '  late indented line, long after');
  });
});

describe('groupErrors', () => {
  it('masks numbers, ids, hex, uuids and timestamps so occurrences compare equal', () => {
    assert.equal(
      maskMessage('job 8812 for 9f1c2e77-0b6d-4d7e-9a55-2f3c1d6b8e10 at 2026-12-03T16:42:00Z failed: 0xdeadbeef request_id=abc-1 hash 4bf92f3577b3'),
      'job <n> for <uuid> at <time> failed: <hex> request_id=<id> hash <hex>',
    );
  });

  it('groups messages that differ only in variable parts, with count, services and first/last seen', () => {
    const entries = parseLokiEntries([
      { stream: { container: 'api-1' }, ts: '100', line: 'ERROR timeout after 3000 ms calling 10.0.0.7' },
      { stream: { container: 'api-2' }, ts: '300', line: 'ERROR timeout after 5000 ms calling 10.0.0.9' },
      { stream: { container: 'api-1' }, ts: '200', line: 'ERROR disk full' },
      { stream: { container: 'api-1' }, ts: '250', line: 'INFO timeout after 1 ms calling 10.0.0.7' },
    ]);
    const groups = groupErrors(entries);
    assert.deepEqual(
      groups.map((g) => [g.title, g.count, g.firstSeen, g.lastSeen, g.services]),
      [
        ['timeout after <n> ms calling <n>.<n>.<n>.<n>', 2, '100', '300', ['api-1', 'api-2']],
        ['disk full', 1, '200', '200', ['api-1']],
      ],
    );
  });

  it('folds an error line into the traceback of the same request instead of counting it apart', () => {
    const entries = [
      parseLogEntry(fixture('python-chained.log'), { container: 'api' }, '10'),
      parseLogEntry('ERROR [app] request_id=9f1c2e77-0b6d-4d7e-9a55-2f3c1d6b8e10 GET /api/payroll/payslips/4411 -> 500', { container: 'api' }, '11'),
    ];
    const groups = groupErrors(entries);
    assert.equal(groups.length, 1);
    assert.equal(groups[0].signature, 'LookupError@app/db.py:fetch');
    assert.deepEqual(groups[0].related, ['GET /api/payroll/payslips/<n> -> <n>']);
    assert.equal(groupErrors(entries, { foldByRequestId: false }).length, 2);
  });
});
