import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { groupErrors } from '../../../src/core/logs/groupErrors';
import { panelRecordFrom } from '../../../src/core/logs/logPanel';
import { buildLogsTree, frameTargetFrom, type FrameResolver, type LogsNode } from '../../../src/core/logs/logsTree';
import { listWorkspaceFiles, mapFrameToWorkspace, normalizePathMappings } from '../../../src/core/logs/mapFrameToWorkspace';
import { nsFromMs } from '../../../src/core/logs/nanoseconds';
import { parseLogEntry, parseLokiEntries } from '../../../src/core/logs/parseLogEntry';

// The repository is the workspace; examples/zenops/frontend/src/api/payroll.js is a real file of the example,
// and line 21 is `export const exportRun = …`.
const repo = path.resolve(__dirname, '../../..');
const payrollJs = path.join(repo, 'examples/zenops/frontend/src/api/payroll.js');
const mappings = normalizePathMappings({ '/srv/web': 'examples/zenops/frontend' });
const files = listWorkspaceFiles([repo]);
const resolveFrame: FrameResolver = (frame) => frameTargetFrom(mapFrameToWorkspace(frame.file, mappings, [repo], { files }), frame, [repo]);
const labels = { container: 'zenops-web-1', job: 'docker' };

/** A Node stack as `console.error(err)` after a log line writes it, with ESM `file://` frames and runtime frames. */
function nodeStack(requestId: string, exportLine = 21, message = "Cannot read properties of undefined (reading 'net')"): string[] {
  return [
    `2026-12-03T16:40:01.123Z ERROR payroll export failed request_id=${requestId}`,
    `TypeError: ${message}`,
    `    at exportRun (file:///srv/web/src/api/payroll.js:${exportLine}:30)`,
    '    at Array.map (<anonymous>)',
    '    at async handler (file:///srv/web/src/api/client.js:3:14)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ];
}

describe('JavaScript stack frames', () => {
  it('map a file:///srv/web frame through the path mapping to the frontend file at its line and column', () => {
    const entry = parseLogEntry(nodeStack('web-1').join('\n'), labels, '1');
    const raising = entry.traceback!.frames.at(-1)!;
    assert.deepEqual([raising.file, raising.line, raising.column, raising.function], ['/srv/web/src/api/payroll.js', 21, 30, 'exportRun']);
    const target = resolveFrame(raising);
    assert.deepEqual(target, { file: payrollJs, relativePath: 'examples/zenops/frontend/src/api/payroll.js', line: 21, column: 30, via: 'mapping' });
    assert.match(fs.readFileSync(payrollJs, 'utf8').split('\n')[target!.line - 1], /export const exportRun = /);
  });

  it('leave runtime frames and frames without a workspace file as plain text', () => {
    const frames = parseLogEntry(nodeStack('web-1').join('\n'), labels, '1').traceback!.frames;
    assert.deepEqual(
      frames.map((f) => [f.file, resolveFrame(f)?.relativePath]),
      [
        ['node:internal/process/task_queues', undefined],
        ['/srv/web/src/api/client.js', 'examples/zenops/frontend/src/api/client.js'],
        ['/srv/web/src/api/payroll.js', 'examples/zenops/frontend/src/api/payroll.js'],
      ],
    );
    assert.equal(resolveFrame({ file: '/srv/web/src/api/gone.js', line: 3 }), undefined);
  });

  it('get links in the log panel on exactly the lines that map to workspace files', () => {
    const entry = parseLogEntry(nodeStack('web-1').join('\n'), labels, '1');
    const record = panelRecordFrom(entry, 'r4', resolveFrame);
    assert.deepEqual(
      record.row.lines.filter((l) => l.frameId).map((l) => [l.frameId, l.frameLabel]),
      [
        ['r4:2', 'examples/zenops/frontend/src/api/payroll.js:21'],
        ['r4:4', 'examples/zenops/frontend/src/api/client.js:3'],
      ],
    );
    assert.equal(record.frames.get('r4:2')?.file, payrollJs);
  });

  it('group by exception type and innermost frame: a shifted line and another message are the same error', () => {
    const entries = [
      parseLogEntry(nodeStack('web-1').join('\n'), labels, '100'),
      parseLogEntry(nodeStack('web-2', 23, "Cannot read properties of null (reading 'gross')").join('\n'), { container: 'zenops-web-2' }, '200'),
      parseLogEntry(nodeStack('web-3').join('\n').replace('TypeError', 'RangeError'), labels, '300'),
    ];
    const groups = groupErrors(entries);
    assert.deepEqual(
      groups.map((g) => [g.signature, g.title, g.count, g.firstSeen, g.lastSeen, g.services, g.requestIds]),
      [
        ['RangeError@api/payroll.js:exportRun', 'RangeError in exportRun (api/payroll.js)', 1, '300', '300', ['zenops-web-1'], ['web-3']],
        ['TypeError@api/payroll.js:exportRun', 'TypeError in exportRun (api/payroll.js)', 2, '100', '200', ['zenops-web-1', 'zenops-web-2'], ['web-2', 'web-1']],
      ],
    );
    const typeError = groups[1];
    assert.equal(typeError.exceptionMessage, "Cannot read properties of null (reading 'gross')");
    assert.deepEqual([typeError.innermostFrame?.file, typeError.innermostFrame?.line], ['/srv/web/src/api/payroll.js', 23]);
  });

  it('shipped one line per Loki entry are joined back into one entry with the whole stack', () => {
    const t0 = Date.parse('2026-12-03T16:40:01.123Z');
    const lines = nodeStack('web-9');
    const entries = [
      ...lines.map((line, i) => ({ stream: labels, ts: nsFromMs(t0 + i), line })),
      { stream: labels, ts: nsFromMs(t0 + 40), line: '2026-12-03T16:40:01.163Z INFO GET /healthz 200' },
    ];
    const parsed = parseLokiEntries(entries.slice().reverse());
    assert.equal(parsed.length, 2);
    const [info, error] = parsed;
    assert.equal(info.level, 'INFO');
    assert.equal(error.text, lines.join('\n'));
    assert.equal(error.ts, nsFromMs(t0));
    assert.equal(error.requestId, 'web-9');
    assert.equal(error.traceback?.exceptionType, 'TypeError');
    assert.equal(error.traceback?.frames.length, 3, '`at Array.map (<anonymous>)` has no file');

    const tree = buildLogsTree({ kind: 'ready', result: { entries: parsed, groups: groupErrors(parsed), truncated: false, start: '0', end: '1' } }, { windowMinutes: 15, resolveFrame });
    const frame = findNode(tree, (n) => n.kind === 'frame' && n.open?.relativePath === 'examples/zenops/frontend/src/api/payroll.js');
    assert.deepEqual(frame?.open, { file: payrollJs, relativePath: 'examples/zenops/frontend/src/api/payroll.js', line: 21, column: 30, via: 'mapping' });
  });

  it('whose stack starts with a bare "TypeError: …" line (console.error(err)) are joined too', () => {
    const t0 = Date.parse('2026-12-03T16:40:01.123Z');
    const lines = nodeStack('web-10').slice(1);
    const parsed = parseLokiEntries(lines.map((line, i) => ({ stream: labels, ts: nsFromMs(t0 + i), line })));
    assert.equal(parsed.length, 1, parsed.map((e) => e.text).join('\n---\n'));
    assert.equal(parsed[0].level, 'ERROR');
    assert.equal(parsed[0].traceback?.frames.at(-1)?.function, 'exportRun');
  });
});

function findNode(nodes: readonly LogsNode[], test: (n: LogsNode) => boolean): LogsNode | undefined {
  for (const n of nodes) {
    if (test(n)) return n;
    const inner = n.children && findNode(n.children, test);
    if (inner) return inner;
  }
  return undefined;
}
