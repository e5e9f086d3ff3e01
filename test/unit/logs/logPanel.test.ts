import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildLogPanelHtml, createNonce, escapeHtml, logPanelCsp, PanelBuffer, panelRecordFrom, parsePanelMessage } from '../../../src/core/logs/logPanel';
import type { FrameResolver } from '../../../src/core/logs/logsTree';
import { mapFrameToWorkspace, normalizePathMappings } from '../../../src/core/logs/mapFrameToWorkspace';
import { nsFromMs } from '../../../src/core/logs/nanoseconds';
import { parseLogEntry } from '../../../src/core/logs/parseLogEntry';

const workspace = path.resolve(__dirname, '../../../examples/zenops');
const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../../fixtures/logs', name), 'utf8');
const mappings = normalizePathMappings({ '/app': 'backend' });
const resolveFrame: FrameResolver = (frame) => {
  const at = mapFrameToWorkspace(frame.file, mappings, [workspace]);
  return at.mapped ? { file: at.file, relativePath: at.relativePath, line: frame.line } : undefined;
};
const noFrames: FrameResolver = () => undefined;
const HOSTILE = ['ERROR [web] <img src=x onerror=alert(1)>', 'ERROR [web] <script>alert(document.cookie)</script>', 'ERROR [web] "><svg onload=alert(1)>'];
const t0 = Date.UTC(2026, 11, 3, 16, 0, 0);
const entry = (line: string, ms = t0, container = 'web') => parseLogEntry(line, { container }, nsFromMs(ms));

describe('Log panel HTML', () => {
  const input = { cspSource: 'https://*.vscode-cdn.net', nonce: createNonce(), scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/logPanel.js', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/logPanel.css', initialStatus: 'Query: {container=~".*api.*"} |= "ERROR"' };

  it('declares a strict CSP: nothing by default, only the nonce for scripts, our style source and the nonce for styles', () => {
    const html = buildLogPanelHtml(input);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${input.nonce}'; style-src https://*.vscode-cdn.net 'nonce-${input.nonce}'`);
    assert.equal(logPanelCsp(input.cspSource, input.nonce), csp);
    assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|\*;|script-src[^;]*https:/);
  });

  it('loads exactly one script, our nonced file from media/, and has no inline script, style or handler', () => {
    const html = buildLogPanelHtml(input);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0][0], `<script nonce="${input.nonce}" src="${input.scriptUri}"></script>`);
    assert.equal(scripts[0][1], '');
    assert.doesNotMatch(html, /<style\b|\son[a-z]+=|style="|javascript:/i);
    assert.ok(html.includes(`<link rel="stylesheet" nonce="${input.nonce}" href="${input.styleUri}">`));
  });

  for (const hostile of HOSTILE) {
    it(`never puts ${JSON.stringify(hostile.slice(12))} into the page unescaped`, () => {
      const html = buildLogPanelHtml({ ...input, initialStatus: hostile });
      assert.ok(!html.includes(hostile.slice(12)));
      assert.ok(html.includes(escapeHtml(hostile)));
      assert.equal((html.match(/<script/g) ?? []).length, 1);
      assert.doesNotMatch(html, /<img|<svg/);
    });
  }

  it('refuses a nonce that is short or not base64, since the CSP rests on it', () => {
    assert.throws(() => buildLogPanelHtml({ ...input, nonce: 'abc' }), /nonce/);
    assert.throws(() => buildLogPanelHtml({ ...input, nonce: `${'a'.repeat(20)}' 'unsafe-inline` }), /nonce/);
    assert.notEqual(createNonce(), createNonce());
  });
});

describe('Log panel rows', () => {
  it('keeps hostile lines as data: the row carries the exact text for textContent', () => {
    const rows = HOSTILE.map((line, i) => panelRecordFrom(entry(line), `r${i + 1}`, noFrames).row);
    assert.deepEqual(rows.map((r) => r.head), HOSTILE);
    assert.deepEqual(rows.map((r) => r.message), HOSTILE.map((line) => line.slice('ERROR [web] '.length)));
  });

  it('links only the traceback lines whose frame maps to a workspace file', () => {
    const [traceback] = fixture('example-app-500.log').trimEnd().split(/\n(?=\d{4}-)/);
    const record = panelRecordFrom(entry(traceback), 'r7', resolveFrame);
    const linked = record.row.lines.filter((l) => l.frameId);
    assert.deepEqual(linked.map((l) => [l.frameId, l.frameLabel, l.text.trim()]), [
      ['r7:2', 'backend/app/main.py:71', 'File "/app/app/main.py", line 71, in observe'],
      ['r7:42', 'backend/app/main.py:208', 'File "/app/app/main.py", line 208, in get_run'],
    ]);
    assert.deepEqual(record.frames.get('r7:42'), { file: path.join(workspace, 'backend/app/main.py'), relativePath: 'backend/app/main.py', line: 208 });
    assert.equal(record.row.requestId, 'req-x1');
    assert.equal(record.row.level, 'ERROR');
    assert.equal(record.row.lines.length, traceback.split('\n').length - 1);
  });

  it('shows an over-long line cut with a marker', () => {
    const long = `ERROR ${'y'.repeat(500)}`;
    const record = panelRecordFrom(parseLogEntry(long, { container: 'web' }, '1', { maxLineLength: 100, maxLines: 10 }), 'r1', noFrames);
    assert.equal(record.row.head, `${long.slice(0, 100)}… [truncated ${long.length - 100} chars]`);
    assert.equal(record.row.truncated, true);
  });
});

describe('PanelBuffer', () => {
  it('adds each entry once, even when a poll and the tail both bring it', () => {
    const buffer = new PanelBuffer(100);
    const a = entry('ERROR one', t0);
    const b = entry('ERROR two', t0 + 1);
    assert.equal(buffer.add([a, b], noFrames).length, 2);
    assert.deepEqual(buffer.add([entry('ERROR two', t0 + 1), entry('ERROR three', t0 + 2)], noFrames).map((r) => r.row.head), ['ERROR three']);
    assert.deepEqual(buffer.rows().map((r) => r.head), ['ERROR one', 'ERROR two', 'ERROR three']);
  });

  it('keeps rows in time order when a late poll brings an older entry', () => {
    const buffer = new PanelBuffer(100);
    buffer.add([entry('ERROR late', t0 + 5000)], noFrames);
    buffer.add([entry('ERROR early', t0)], noFrames);
    assert.deepEqual(buffer.rows().map((r) => r.head), ['ERROR early', 'ERROR late']);
  });

  it('holds at most maxLines lines over an hour of tail, dropping the oldest rows and their frame links', () => {
    const [traceback] = fixture('example-app-500.log').trimEnd().split(/\n(?=\d{4}-)/);
    const maxLines = 500;
    const buffer = new PanelBuffer(maxLines);
    let firstId = '';
    // One traceback and one plain line every second for an hour.
    for (let s = 0; s < 3600; s++) {
      const added = buffer.add([entry(traceback.replace('req-x1', `req-${s}`), t0 + s * 1000), entry(`ERROR tick ${s}`, t0 + s * 1000 + 1)], resolveFrame);
      if (s === 0) firstId = added[0].row.id;
      assert.ok(buffer.lines <= maxLines, `${buffer.lines} lines after ${s} s`);
    }
    assert.ok(buffer.lines > maxLines - 60, 'the buffer stays nearly full');
    assert.equal(buffer.get(firstId), undefined);
    assert.equal(buffer.rows().at(-1)!.head, 'ERROR tick 3599');
    // An evicted entry is forgotten, so the same line seen again is new.
    assert.equal(buffer.add([entry('ERROR tick 0', t0 + 1)], noFrames).length, 1);
  });

  it('shrinks at once when maxLines is lowered', () => {
    const buffer = new PanelBuffer(100);
    buffer.add(Array.from({ length: 50 }, (_, i) => entry(`ERROR ${i}`, t0 + i)), noFrames);
    buffer.setMaxLines(10);
    assert.equal(buffer.lines, 10);
    assert.equal(buffer.rows()[0].head, 'ERROR 40');
  });
});

describe('Messages from the log panel webview', () => {
  it('accepts the known messages with well-formed ids', () => {
    assert.deepEqual(parsePanelMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'openFrame', frameId: 'r12:39' }), { type: 'openFrame', frameId: 'r12:39' });
    assert.deepEqual(parsePanelMessage({ type: 'copy', rowId: 'r3' }), { type: 'copy', rowId: 'r3' });
    assert.deepEqual(parsePanelMessage({ type: 'openExplore', rowId: 'r3', byRequest: true }), { type: 'openExplore', rowId: 'r3', byRequest: true });
    assert.deepEqual(parsePanelMessage({ type: 'openExplore' }), { type: 'openExplore', byRequest: false });
  });

  it('drops paths, URLs, unknown types and anything that is not an id the extension handed out', () => {
    const bad = [
      null,
      'openFrame',
      { type: 'openFrame', frameId: '/etc/passwd' },
      { type: 'openFrame', frameId: '../../r1:2' },
      { type: 'openFrame', file: '/etc/passwd', line: 1 },
      { type: 'copy', rowId: 'r1; rm -rf /' },
      { type: 'openTrace', rowId: 42 },
      { type: 'openExplore', rowId: 'https://evil.example' },
      { type: 'openExternal', url: 'https://evil.example' },
    ];
    for (const message of bad) assert.equal(parsePanelMessage(message), undefined, JSON.stringify(message));
  });
});
