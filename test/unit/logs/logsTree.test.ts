import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LokiError } from '../../../src/core/logs/lokiClient';
import { buildLogsTree, diffLogsTrees, frameTargetFrom, grafanaLokiExploreUrl, grafanaTraceUrl, isInsideFolders, lokiStateNode, type FrameResolver, type LogsNode, type LogsViewState } from '../../../src/core/logs/logsTree';
import { mapFrameToWorkspace, normalizePathMappings } from '../../../src/core/logs/mapFrameToWorkspace';
import { nsFromMs } from '../../../src/core/logs/nanoseconds';
import { parseLokiEntries } from '../../../src/core/logs/parseLogEntry';
import { groupErrors } from '../../../src/core/logs/groupErrors';
import type { LokiEntry } from '../../../src/core/logs/types';

const workspace = path.resolve(__dirname, '../../../examples/zenops');
const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../../fixtures/logs', name), 'utf8');
const mappings = normalizePathMappings({ '/app': 'backend' });
const resolveFrame: FrameResolver = (frame) => {
  const at = mapFrameToWorkspace(frame.file, mappings, [workspace]);
  return at.mapped ? { file: at.file, relativePath: at.relativePath, line: frame.line } : undefined;
};
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** The example app's real 500 (a traceback record, then the `-> 500` line), logged `times` times by `container`. */
function appErrors(container: string, startMs: number, times: number, requestPrefix = 'req'): LokiEntry[] {
  const [traceback, status] = fixture('example-app-500.log').trimEnd().split(/\n(?=\d{4}-)/);
  const out: LokiEntry[] = [];
  for (let i = 0; i < times; i++) {
    const id = `${requestPrefix}-${i}`;
    out.push({ stream: { container }, ts: nsFromMs(startMs + i * 1000), line: traceback.replace('req-x1', id) });
    out.push({ stream: { container }, ts: nsFromMs(startMs + i * 1000 + 1), line: status.replace('req-x1', id) });
  }
  return out;
}

function ready(entries: LokiEntry[]): LogsViewState {
  const parsed = parseLokiEntries(entries);
  return { kind: 'ready', result: { entries: parsed, groups: groupErrors(parsed), truncated: false, start: '0', end: '1' } };
}

const options = { windowMinutes: 15, resolveFrame, clock };
const t0 = Date.UTC(2026, 11, 3, 16, 0, 0);

describe('Logs tree', () => {
  it('lists services, then each error signature with its count and last time, then the lines', () => {
    const tree = buildLogsTree(ready([...appErrors('zenops-api-1', t0, 3), ...appErrors('zenops-api-2', t0 + 60_000, 1, 'other')]), options);
    assert.deepEqual(tree.map((n) => [n.label, n.description]), [
      ['zenops-api-1', '3 error(s) · 1 signature(s)'],
      ['zenops-api-2', '1 error(s) · 1 signature(s)'],
    ]);
    const [group] = tree[0].children!;
    assert.equal(group.label, 'ZeroDivisionError in get_run (app/main.py)');
    assert.equal(group.description, '×3 · last 16:00:02');
    assert.deepEqual(group.children!.map((n) => [n.label, n.description]), [
      ['16:00:02  unhandled error on GET /api/payroll/runs/0', 'req-2'],
      ['16:00:01  unhandled error on GET /api/payroll/runs/0', 'req-1'],
      ['16:00:00  unhandled error on GET /api/payroll/runs/0', 'req-0'],
    ]);
    assert.match(group.tooltip!, /Also logged: GET \/api\/payroll\/runs\/<n> -> <n>/);
  });

  it('puts frames under a line, innermost first; a frame in the workspace opens main.py at its line, library frames stay text', () => {
    const tree = buildLogsTree(ready(appErrors('zenops-api-1', t0, 1)), options);
    const frames = tree[0].children![0].children![0].children!;
    assert.equal(frames[0].label, 'main.py:208 in get_run');
    assert.deepEqual(frames[0].open, { file: path.join(workspace, 'backend/app/main.py'), relativePath: 'backend/app/main.py', line: 208 });
    assert.equal(frames[0].description, 'backend/app/main.py');
    const library = frames.find((f) => f.label.startsWith('_asyncio.py'))!;
    assert.equal(library.open, undefined);
    assert.equal(library.description, '/usr/lib/python3/dist-packages/anyio/_backends/_asyncio.py');
    assert.deepEqual(frames.filter((f) => f.open).map((f) => f.label), ['main.py:208 in get_run', 'main.py:71 in observe']);
  });

  it('keeps the whole entry in the tooltip as plain text, hostile markup included', () => {
    const hostile = 'ERROR [web] request_id=h-1 <img src=x onerror=alert(1)> **bold** [link](command:x)';
    const tree = buildLogsTree(ready([{ stream: { container: 'web' }, ts: nsFromMs(t0), line: hostile }]), options);
    const line = tree[0].children![0].children![0];
    assert.ok(line.tooltip!.includes(hostile));
    assert.equal(line.copyText, hostile);
    assert.equal(line.label, '16:00:00  <img src=x onerror=alert(1)> **bold** [link](command:x)');
  });

  it('gives the same ids on every refresh and redraws only the signature that changed', () => {
    const before = buildLogsTree(ready(appErrors('zenops-api-1', t0, 2)), options);
    const again = buildLogsTree(ready(appErrors('zenops-api-1', t0, 2)), options);
    assert.deepEqual(diffLogsTrees(before, again), { all: false, changed: [] });
    const after = buildLogsTree(ready(appErrors('zenops-api-1', t0, 3)), options);
    const diff = diffLogsTrees(before, after);
    assert.equal(diff.all, false);
    assert.deepEqual(diff.changed.map((n) => n.kind), ['service']);
    const ids = (nodes: LogsNode[]): string[] => nodes.flatMap((n) => [n.id, ...ids(n.children ?? [])]);
    assert.equal(new Set(ids(after)).size, ids(after).length);
  });

  it('caps the lines under one signature with a "more" node', () => {
    const tree = buildLogsTree(ready(appErrors('zenops-api-1', t0, 5)), { ...options, maxEntriesPerGroup: 2 });
    const group = tree[0].children![0];
    assert.equal(group.description, '×5 · last 16:00:04');
    assert.deepEqual(group.children!.map((n) => n.kind), ['entry', 'entry', 'more']);
    assert.equal(group.children![2].label, '… 3 more');
  });

  it('says there are no errors in the window when Loki answered with none', () => {
    const tree = buildLogsTree(ready([{ stream: { container: 'api' }, ts: nsFromMs(t0), line: 'INFO all good' }]), options);
    assert.deepEqual(tree.map((n) => [n.kind, n.label, n.description]), [['state', 'No errors in the last 15 min', '1 other line(s)']]);
  });
});

describe('Logs state node', () => {
  const error = (kind: LokiError['kind'], extra: Partial<LokiError> = {}): LogsViewState => ({ kind: 'error', url: 'http://127.0.0.1:3100', error: { ok: false, kind, message: `the ${kind} message`, ...extra } });
  const cases: [string, LogsViewState, string, string | undefined][] = [
    ['a refused connection', error('refused'), 'Loki unreachable', 'http://127.0.0.1:3100'],
    ['a timeout', error('timeout'), 'Loki unreachable', 'http://127.0.0.1:3100'],
    ['a 429 with Retry-After', error('rate-limited', { status: 429, retryAfterSeconds: 7 }), 'Loki is rate-limiting (429)', 'retry in 7 s'],
    ['a 400 bad query', error('bad-query', { status: 400 }), 'Loki refused the query', 'check zenops.loki.query'],
    ['a 401', error('unauthorized', { status: 401 }), 'Loki needs credentials (401)', 'run ZenOps: Set Loki Credentials'],
    ['a 500', error('http', { status: 500 }), 'Loki answered 500', 'http://127.0.0.1:3100'],
    ['HTML where JSON was expected', error('not-json', { status: 200 }), 'Loki answered something unreadable', 'http://127.0.0.1:3100'],
    ['an empty URL', { kind: 'off', reason: 'zenops.loki.url is empty' }, 'Loki is off', 'zenops.loki.url is empty'],
    ['the first read', { kind: 'loading' }, 'Reading errors from Loki…', undefined],
  ];
  for (const [what, state, label, description] of cases) {
    it(`shows ${what} as one node: "${label}"`, () => {
      const tree = buildLogsTree(state, options);
      assert.equal(tree.length, 1);
      assert.deepEqual([tree[0].kind, tree[0].label, tree[0].description], ['state', label, description]);
      if (state.kind === 'error') assert.equal(tree[0].tooltip, state.error.message);
    });
  }

  it('keeps the state node id stable, so a recovering Loki replaces it in place', () => {
    assert.equal(lokiStateNode({ kind: 'loading' }, 15).id, lokiStateNode({ kind: 'off', reason: '' }, 15).id);
  });
});

describe('Grafana links of the log views', () => {
  it('opens Explore on the Loki datasource with the query, narrowed to a request id', () => {
    const url = grafanaLokiExploreUrl('http://grafana.local:3000/', '{container="api"}', 'req-1')!;
    assert.ok(url.startsWith('http://grafana.local:3000/explore?orgId=1&left='));
    const left = JSON.parse(decodeURIComponent(url.split('left=')[1]));
    assert.deepEqual(left, { datasource: 'Loki', queries: [{ refId: 'A', expr: '{container="api"} |= "req-1"' }], range: { from: 'now-1h', to: 'now' } });
  });

  it('opens a trace on the Tempo datasource only for a hex trace id', () => {
    const url = grafanaTraceUrl('http://g:3000', '4bf92f3577b34da6a3ce929d0e0e4736')!;
    assert.equal(JSON.parse(decodeURIComponent(url.split('left=')[1])).queries[0].query, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(grafanaTraceUrl('http://g:3000', 'javascript:alert(1)'), undefined);
  });

  it('gives no link without an http(s) Grafana URL', () => {
    assert.equal(grafanaLokiExploreUrl('', '{a="b"}'), undefined);
    assert.equal(grafanaLokiExploreUrl('javascript:alert(1)//', '{a="b"}'), undefined);
  });
});

describe('Which frames may open a file', () => {
  const repo = path.resolve(workspace, '../..');
  const open = (framePath: string, mapping: Record<string, string>, line = 208) =>
    frameTargetFrom(mapFrameToWorkspace(framePath, normalizePathMappings(mapping), [workspace]), { line }, [workspace]);

  it('opens a mapped frame inside the workspace folder at its line', () => {
    assert.deepEqual(open('/app/app/main.py', { '/app': 'backend' }), { file: path.join(workspace, 'backend/app/main.py'), relativePath: 'backend/app/main.py', line: 208, via: 'mapping' });
  });

  it('opens nothing for a mapping to an absolute folder outside the workspace, even when the file exists', () => {
    assert.ok(fs.existsSync(path.join(repo, 'package.json')));
    assert.equal(open('/app/package.json', { '/app': repo }), undefined);
  });

  it('opens nothing for a logged path that climbs out with ..', () => {
    assert.equal(open('/app/../../../package.json', { '/app': 'backend' }), undefined);
    assert.equal(open(path.join(workspace, '../../package.json'), {}), undefined);
  });

  it('opens nothing for a frame without a usable line number', () => {
    assert.equal(open('/app/app/main.py', { '/app': 'backend' }, 0), undefined);
    assert.equal(open('/app/app/main.py', { '/app': 'backend' }, Number.NaN), undefined);
  });

  it('counts only files strictly inside a folder as inside', () => {
    assert.equal(isInsideFolders(path.join(workspace, 'backend/app/main.py'), [workspace]), true);
    assert.equal(isInsideFolders(workspace, [workspace]), false);
    assert.equal(isInsideFolders(`${workspace}-other/x.py`, [workspace]), false);
    assert.equal(isInsideFolders(path.join(workspace, '..foo/x.py'), [workspace]), true);
    assert.equal(isInsideFolders(path.join(workspace, 'a/../../x.py'), [workspace]), false);
  });
});
