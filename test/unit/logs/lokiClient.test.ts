import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mapFrameToWorkspace } from '../../../src/core/logs/mapFrameToWorkspace';
import { LokiClient } from '../../../src/core/logs/lokiClient';
import { nsFromMs } from '../../../src/core/logs/nanoseconds';
import { fetchRecentErrors } from '../../../src/core/logs/recentErrors';
import type { TailState } from '../../../src/core/logs/tailLogs';
import type { LokiEntry } from '../../../src/core/logs/types';
import { EXAMPLE_BACKEND_DIR, ExampleApp, logRecords, startExampleApp } from '../../harness/exampleApp';
import { until } from '../../harness/until';
import { freePort } from '../../harness/freePort';
import { LokiStandIn, pushToLoki, startLokiStandIn } from '../../harness/lokiStandIn';

const repo = path.resolve(__dirname, '../../..');
const limits = { maxLineLength: 4000, maxLines: 2000 };



describe('LokiClient with the real example app\'s logs in the Loki stand-in', () => {
  let app: ExampleApp;
  let loki: LokiStandIn;
  let client: LokiClient;
  const requestIds = ['req-loki-1', 'req-loki-2', 'req-loki-3'];
  // Set when the hook runs, not when mocha loads the file: a long suite must not age the entries out of the window.
  let base = 0n;
  const recordTimes: string[] = [];

  before(async () => {
    base = BigInt(Date.now() - 30_000) * 1_000_000n;
    app = await startExampleApp();
    loki = await startLokiStandIn();
    client = new LokiClient({ url: loki.url });
    for (const id of requestIds) {
      const res = await fetch(`${app.url}/api/payroll/runs/0`, { headers: { 'X-Request-Id': id } });
      assert.equal(res.status, 500);
    }
    await until('three tracebacks in the app output', () => (app.output().match(/^ZeroDivisionError/gm) ?? []).length === 3);
    await until('the last -> 500 line', () => app.output().includes('request_id=req-loki-3 GET /api/payroll/runs/0 -> 500'));

    // Like a shipper without multiline handling: one entry per line, read-time stamps 1 µs apart.
    const lines = app.output().trimEnd().split('\n');
    await pushToLoki(
      loki.url,
      { container: 'zenops-api-1', job: 'lines' },
      lines.map((line, i) => [(base + BigInt(i) * 1000n).toString(), line]),
    );
    // Like a shipper with multiline handling: one entry per record, 1 ms apart.
    const recs = logRecords(app.output());
    recs.forEach((_, i) => recordTimes.push((base + BigInt(i) * 1_000_000n).toString()));
    await pushToLoki(
      loki.url,
      { container: 'zenops-api-1', job: 'multiline' },
      recs.map((rec, i) => [recordTimes[i], rec]),
    );
  });
  after(async () => {
    await app?.stop();
    await loki?.stop();
  });

  for (const job of ['multiline', 'lines']) {
    it(`parses, joins and groups the app's three failures shipped ${job === 'lines' ? 'one entry per line' : 'as multi-line entries'}`, async () => {
      const result = await fetchRecentErrors(client, {
        query: `{container=~".*api.*", job="${job}"} |= "ERROR"`,
        windowMinutes: 5,
        limit: 200,
        limits,
      });
      assert.ok(result.ok, !result.ok ? result.message : '');
      const { entries, groups } = result.value;
      const tracebacks = entries.filter((e) => e.traceback);
      assert.equal(tracebacks.length, 3);
      for (const e of tracebacks) {
        assert.equal(e.level, 'ERROR');
        assert.equal(e.service, 'zenops-api-1');
        assert.equal(e.message, 'unhandled error on GET /api/payroll/runs/0');
        assert.equal(e.traceback!.exceptionType, 'ZeroDivisionError');
        const inner = e.traceback!.frames.at(-1)!;
        assert.equal(inner.file, path.join(EXAMPLE_BACKEND_DIR, 'app/main.py'));
        assert.equal(inner.function, 'get_run');
        assert.equal(inner.code, 'share = 100 // run_id');
        assert.ok(inner.line > 0);
      }
      assert.deepEqual(tracebacks.map((e) => e.requestId), ['req-loki-3', 'req-loki-2', 'req-loki-1']);

      assert.equal(groups.length, 1, groups.map((g) => g.signature).join(', '));
      const [group] = groups;
      assert.equal(group.signature, 'ZeroDivisionError@app/main.py:get_run');
      assert.equal(group.count, 3);
      assert.equal(group.firstSeen, tracebacks[2].ts);
      assert.equal(group.lastSeen, tracebacks[0].ts);
      assert.deepEqual(group.requestIds, ['req-loki-3', 'req-loki-2', 'req-loki-1']);
      assert.deepEqual(group.related, ['GET /api/payroll/runs/<n> -> <n>']);
      assert.deepEqual(group.services, ['zenops-api-1']);

      // The line number is the one in the source: the innermost frame points at the division.
      const loc = mapFrameToWorkspace(group.innermostFrame!.file, [], [repo]);
      assert.ok(loc.mapped);
      assert.equal(loc.relativePath, 'examples/zenops/backend/app/main.py');
      const source = (await import('node:fs')).readFileSync(loc.file, 'utf8').split('\n');
      assert.equal(source[group.innermostFrame!.line - 1].trim(), 'share = 100 // run_id');
    });
  }

  it('merges streams into one time order, newest first or oldest first', async () => {
    const start = nsFromMs(Date.now() - 120_000);
    const end = nsFromMs(Date.now() + 1);
    const backward = await client.queryRange({ query: '{container="zenops-api-1"} |= "ERROR"', start, end, limit: 100 });
    assert.ok(backward.ok);
    const jobs = new Set(backward.value.entries.map((e) => e.stream.job));
    assert.deepEqual([...jobs].sort(), ['lines', 'multiline']);
    const ts = backward.value.entries.map((e) => BigInt(e.ts));
    assert.ok(ts.every((t, i) => i === 0 || ts[i - 1] >= t), 'newest first');
    const forward = await client.queryRange({ query: '{container="zenops-api-1"} |= "ERROR"', start, end, limit: 100, direction: 'forward' });
    assert.ok(forward.ok);
    assert.deepEqual(forward.value.entries, [...backward.value.entries].reverse());
  });

  it('pages past the per-query limit without losing or repeating entries at the page boundaries', async () => {
    const pagingBase = BigInt(Date.now() - 20_000) * 1_000_000n;
    // Two streams with the same 13 timestamps: every page boundary falls on a shared timestamp.
    for (const pod of ['a', 'b']) {
      await pushToLoki(loki.url, { container: 'paging', pod }, Array.from({ length: 13 }, (_, i) => [(pagingBase + BigInt(i)).toString(), `ERROR ${pod}${i}`] as [string, string]));
    }
    const params = { query: '{container="paging"}', start: pagingBase.toString(), end: (pagingBase + 100n).toString(), limit: 5 };
    const all = await client.queryRangePaged({ ...params, maxEntries: 1000 });
    assert.ok(all.ok);
    assert.equal(all.value.entries.length, 26);
    assert.equal(new Set(all.value.entries.map((e) => e.line)).size, 26);
    assert.equal(all.value.truncated, false);
    assert.ok(all.value.pages >= 6);
    const capped = await client.queryRangePaged({ ...params, maxEntries: 12 });
    assert.ok(capped.ok);
    assert.equal(capped.value.entries.length, 12);
    assert.equal(capped.value.truncated, true);
    assert.deepEqual(capped.value.entries, all.value.entries.slice(0, 12));
    const forward = await client.queryRangePaged({ ...params, direction: 'forward', maxEntries: 1000 });
    assert.ok(forward.ok);
    assert.deepEqual(forward.value.entries.map((e) => e.line), [...all.value.entries].reverse().map((e) => e.line));
  });

  it('keeps hostile lines as plain text and cuts over-long lines with a marker', async () => {
    const t = BigInt(Date.now() - 10_000) * 1_000_000n;
    const hostile = ['ERROR [web] <img src=x onerror=alert(1)>', 'ERROR [web] <script>alert(document.cookie)</script>', `ERROR [web] ${'y'.repeat(9000)}`];
    await pushToLoki(loki.url, { container: 'hostile-api' }, hostile.map((line, i) => [(t + BigInt(i)).toString(), line]));
    const result = await fetchRecentErrors(client, { query: '{container="hostile-api"}', windowMinutes: 5, limit: 50, limits });
    assert.ok(result.ok);
    const byTs = [...result.value.entries].reverse();
    assert.equal(byTs[0].message, '<img src=x onerror=alert(1)>');
    assert.equal(byTs[1].text, hostile[1]);
    assert.equal(byTs[2].truncated, true);
    assert.equal(byTs[2].text, `${hostile[2].slice(0, 4000)}… [truncated ${hostile[2].length - 4000} chars]`);
  });
});

describe('LokiClient failures are values', () => {
  let loki: LokiStandIn;
  const window = () => ({ start: nsFromMs(Date.now() - 60_000), end: nsFromMs(Date.now() + 1), limit: 10 });
  const query = '{container=~".*api.*"} |= "ERROR"';
  before(async () => {
    loki = await startLokiStandIn();
  });
  after(() => loki?.stop());

  it('reports a refused connection', async () => {
    const closed = new LokiClient({ url: `http://127.0.0.1:${await freePort()}` });
    const r = await closed.queryRange({ query, ...window() });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'refused');
  });

  it('reports a timeout when Loki does not answer', async () => {
    loki.failNext(1, 'hang');
    const r = await new LokiClient({ url: loki.url, timeoutMs: 300 }).queryRange({ query, ...window() });
    assert.equal(!r.ok && r.kind, 'timeout');
  });

  it('reports 429 as rate-limited, 500 as an HTTP error, HTML as not JSON and a Loki error body as loki-error', async () => {
    const client = new LokiClient({ url: loki.url });
    loki.failNext(1, 'rate-limited');
    const limited = await client.queryRange({ query, ...window() });
    assert.ok(!limited.ok);
    assert.deepEqual([limited.kind, limited.status], ['rate-limited', 429]);
    assert.match(limited.message, /too many outstanding requests/);
    // The stand-in answers `Retry-After: 7`, as a rate-limiting proxy in front of Loki does.
    assert.equal(limited.retryAfterSeconds, 7);
    assert.match(limited.message, /retry after 7 s/);

    loki.failNext(1, 'server-error');
    const failed = await client.queryRange({ query, ...window() });
    assert.ok(!failed.ok);
    assert.deepEqual([failed.kind, failed.status], ['http', 500]);

    loki.failNext(1, 'garbage');
    const garbage = await client.queryRange({ query, ...window() });
    assert.ok(!garbage.ok);
    assert.equal(garbage.kind, 'not-json');

    loki.failNext(1, { status: 200, body: '{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[[1,2]]}]}}', contentType: 'application/json' });
    const malformed = await client.queryRange({ query, ...window() });
    assert.equal(!malformed.ok && malformed.kind, 'bad-response');

    loki.failNext(1, { status: 422, body: '{"status":"error","errorType":"execution","error":"max streams exceeded"}', contentType: 'application/json' });
    const lokiError = await client.queryRange({ query, ...window() });
    assert.ok(!lokiError.ok);
    assert.equal(lokiError.kind, 'loki-error');
    assert.match(lokiError.message, /max streams exceeded/);
  });

  it("passes Loki's own message for a query it refuses", async () => {
    const r = await new LokiClient({ url: loki.url }).queryRange({ query: '{container=~".*"}', ...window() });
    assert.ok(!r.ok);
    assert.equal(r.kind, 'bad-query');
    assert.match(r.message, /empty-compatible value/);
  });
});

describe('LokiClient tenant and credentials', () => {
  const window = () => ({ query: '{container="api"}', start: nsFromMs(Date.now() - 60_000), end: nsFromMs(Date.now() + 1), limit: 10 });

  it('sends the tenant as X-Scope-OrgID and reads only that tenant\'s logs', async () => {
    const loki = await startLokiStandIn({ multiTenant: true });
    try {
      await pushToLoki(loki.url, { container: 'api' }, [[nsFromMs(Date.now() - 1000), 'ERROR team-a only']], { 'X-Scope-OrgID': 'team-a' });
      const none = await new LokiClient({ url: loki.url }).queryRange(window());
      assert.equal(!none.ok && none.kind, 'unauthorized');
      const a = await new LokiClient({ url: loki.url, tenant: 'team-a' }).queryRange(window());
      assert.ok(a.ok);
      assert.deepEqual(a.value.entries.map((e) => e.line), ['ERROR team-a only']);
      const b = await new LokiClient({ url: loki.url, tenant: 'team-b' }).queryRange(window());
      assert.ok(b.ok);
      assert.equal(b.value.entries.length, 0);
    } finally {
      await loki.stop();
    }
  });

  it('sends basic or bearer credentials in a header and never puts them in a message', async () => {
    const basic = await startLokiStandIn({ requireAuth: { basic: { username: 'ops', password: 's3cret-pw' } } });
    const bearer = await startLokiStandIn({ requireAuth: { bearer: 'tok-123456' } });
    try {
      const wrong = await new LokiClient({ url: basic.url, auth: { kind: 'basic', username: 'ops', password: 'nope-pw' } }).queryRange(window());
      assert.ok(!wrong.ok);
      assert.equal(wrong.kind, 'unauthorized');
      assert.doesNotMatch(wrong.message, /nope-pw/);
      const inUrl = basic.url.replace('http://', 'http://ops:s3cret-pw@');
      const ok = await new LokiClient({ url: inUrl }).queryRange(window());
      assert.ok(ok.ok);
      basic.failNext(1, 'server-error');
      const failed = await new LokiClient({ url: inUrl }).queryRange(window());
      assert.ok(!failed.ok);
      assert.doesNotMatch(failed.message, /s3cret-pw/);
      const withToken = await new LokiClient({ url: bearer.url, auth: { kind: 'bearer', token: 'tok-123456' } }).queryRange(window());
      assert.ok(withToken.ok);
    } finally {
      await basic.stop();
      await bearer.stop();
    }
  });
});

describe('LokiClient.tail', () => {
  let loki: LokiStandIn;
  beforeEach(async () => {
    loki = await startLokiStandIn();
  });
  afterEach(() => loki?.stop());

  const collect = () => {
    const got: LokiEntry[] = [];
    const states: TailState[] = [];
    return { got, states, onEntries: (e: LokiEntry[]) => got.push(...e), onState: (s: TailState) => states.push(s) };
  };
  const push = (line: string) => pushToLoki(loki.url, { container: 'zenops-api-1' }, [[nsFromMs(Date.now()), line]]);

  it('delivers new entries, reconnects after Loki closes the socket, and delivers each entry once', async () => {
    const c = collect();
    const tail = new LokiClient({ url: loki.url }).tail({ query: '{container=~".*api.*"} |= "ERROR"', start: new Date(Date.now() - 1000), onEntries: c.onEntries, onState: c.onState, initialBackoffMs: 50 });
    try {
      await until('the tail to be live', () => tail.state.kind === 'live');
      await push('ERROR first');
      await push('INFO not wanted');
      await until('the first entry', () => c.got.length === 1);
      loki.closeTailSockets();
      await until('a reconnect', () => c.states.some((s) => s.kind === 'reconnecting'));
      await until('the tail to be live again', () => tail.state.kind === 'live' && loki.tailConnections === 2);
      await push('ERROR second');
      await until('the second entry', () => c.got.length === 2);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(c.got.map((e) => e.line), ['ERROR first', 'ERROR second']);
    } finally {
      tail.stop();
    }
    assert.equal(tail.state.kind, 'stopped');
  });

  it('falls back to polling query_range when the tail keeps failing', async () => {
    loki.rejectTails(Infinity);
    const c = collect();
    const tail = new LokiClient({ url: loki.url }).tail({
      query: '{container=~".*api.*"} |= "ERROR"',
      start: new Date(Date.now() - 1000),
      onEntries: c.onEntries,
      onState: c.onState,
      initialBackoffMs: 20,
      maxFailures: 3,
      pollIntervalMs: 100,
    });
    try {
      await until('polling', () => tail.state.kind === 'polling');
      assert.equal(c.states.filter((s) => s.kind === 'connecting').length, 3);
      assert.match((tail.state as { reason: string }).reason, /tail failed 3 times in a row: Unexpected server response: 500/);
      await push('ERROR while polling');
      await until('the polled entry', () => c.got.length === 1);
      await push('ERROR polled again');
      await until('the second polled entry', () => c.got.length === 2);
      assert.deepEqual(c.got.map((e) => e.line), ['ERROR while polling', 'ERROR polled again']);
      assert.equal(loki.tailConnections, 0);
    } finally {
      tail.stop();
    }
  });

  it('opens the tail with the tenant and credentials in headers', async () => {
    const guarded = await startLokiStandIn({ multiTenant: true, requireAuth: { bearer: 'tok-tail' } });
    const c = collect();
    const tail = new LokiClient({ url: guarded.url, tenant: 'team-a', auth: { kind: 'bearer', token: 'tok-tail' } }).tail({
      query: '{container="zenops-api-1"}',
      onEntries: c.onEntries,
      onState: c.onState,
    });
    try {
      await until('the tail to be live', () => tail.state.kind === 'live');
      await pushToLoki(guarded.url, { container: 'zenops-api-1' }, [[nsFromMs(Date.now()), 'ERROR for team-a']], {
        'X-Scope-OrgID': 'team-a',
        Authorization: 'Bearer tok-tail',
      });
      await until('the entry', () => c.got.length === 1);
      const upgrade = guarded.requests.find((r) => r.path === '/loki/api/v1/tail')!;
      assert.equal(upgrade.headers['x-scope-orgid'], 'team-a');
      assert.doesNotMatch(JSON.stringify(c.states), /tok-tail/);
    } finally {
      tail.stop();
      await guarded.stop();
    }
  });

  it('shows a failing poll as an error in the polling state and recovers', async () => {
    loki.rejectTails(Infinity);
    const c = collect();
    const tail = new LokiClient({ url: loki.url }).tail({ query: '{container="zenops-api-1"}', onEntries: c.onEntries, onState: c.onState, initialBackoffMs: 10, maxFailures: 1, pollIntervalMs: 50 });
    try {
      await until('polling', () => tail.state.kind === 'polling');
      loki.failNext(1, 'server-error');
      await until('a poll error', () => c.states.some((s) => s.kind === 'polling' && s.error?.status === 500));
      await until('a clean poll', () => tail.state.kind === 'polling' && !tail.state.error);
    } finally {
      tail.stop();
    }
  });
});
