import * as assert from 'node:assert/strict';
import { parseLogQuery } from '../../harness/logql';
import { LokiStandIn, parseLokiTime, pushToLoki, startLokiStandIn } from '../../harness/lokiStandIn';

// The stand-in replaces Loki in tests, so its query semantics are checked against Loki's documentation.
describe('the Loki stand-in', () => {
  describe('LogQL subset', () => {
    it('anchors label regexes and applies every matcher', () => {
      const q = parseLogQuery('{container=~"api.*", job!="test", env!~"dev|qa"}');
      assert.equal(q.matchesStream({ container: 'api-1', job: 'docker', env: 'prod' }), true);
      assert.equal(q.matchesStream({ container: 'zenops-api-1', job: 'docker' }), false, 'regex is anchored');
      assert.equal(q.matchesStream({ container: 'api-1', job: 'test' }), false);
      assert.equal(q.matchesStream({ container: 'api-1', env: 'qa' }), false);
    });

    it('chains line filters: contains, not contains, regex, not regex', () => {
      const q = parseLogQuery('{a="b"} |= "ERROR" != "healthz" |~ `req(uest)?_id=\\w+` !~ "(?i)ignore me"');
      assert.equal(q.matchesLine('ERROR request_id=abc boom'), true);
      assert.equal(q.matchesLine('ERROR request_id=abc GET /healthz'), false);
      assert.equal(q.matchesLine('ERROR no id'), false);
      assert.equal(q.matchesLine('ERROR req_id=1 IGNORE ME'), false);
      assert.equal(q.matchesLine('error request_id=abc'), false, '|= is case-sensitive');
    });

    it("refuses selectors that match every stream, as Loki does", () => {
      assert.throws(() => parseLogQuery('{container=~".*"}'), /at least one regexp or equality matcher that does not have an empty-compatible value/);
      assert.throws(() => parseLogQuery('{}'), /parse error at line 1, col 2/);
      assert.throws(() => parseLogQuery('container="x"'), /parse error/);
      assert.doesNotThrow(() => parseLogQuery('{container=~".*api.*"} |= "ERROR"'));
    });

    it('reads Loki time parameters: nanoseconds, seconds, float seconds and RFC3339', () => {
      assert.equal(parseLokiTime('1764779492580123456', 0n), 1764779492580123456n);
      assert.equal(parseLokiTime('1764779492', 0n), 1764779492000000000n);
      assert.equal(parseLokiTime('1764779492.5', 0n), 1764779492500000000n);
      assert.equal(parseLokiTime('2026-12-03T16:31:32.580123456Z', 0n), BigInt(Date.parse('2026-12-03T16:31:32Z')) * 1_000_000n + 580123456n);
      assert.equal(parseLokiTime(undefined, 7n), 7n);
    });
  });

  describe('HTTP API', () => {
    let loki: LokiStandIn;
    const t0 = BigInt(Date.now() - 60_000) * 1_000_000n;
    const at = (i: number) => (t0 + BigInt(i)).toString();
    before(async () => {
      loki = await startLokiStandIn();
      await pushToLoki(loki.url, { container: 'api-1' }, [[at(0), 'ERROR a0'], [at(2), 'INFO a2'], [at(4), 'ERROR a4']]);
      await pushToLoki(loki.url, { container: 'api-2' }, [[at(1), 'ERROR b1'], [at(3), 'ERROR b3']]);
    });
    after(() => loki?.stop());

    const queryRange = async (params: Record<string, string>) => {
      const res = await fetch(`${loki.url}/loki/api/v1/query_range?${new URLSearchParams(params)}`);
      return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
    };

    it('answers query_range newest first across streams, limited, in Loki\'s result shape', async () => {
      const { status, body } = await queryRange({ query: '{container=~"api-.*"} |= "ERROR"', start: at(0), end: at(100), limit: '3' });
      assert.equal(status, 200);
      const data = (body as { status: string; data: { resultType: string; result: { stream: Record<string, string>; values: [string, string][] }[] } });
      assert.equal(data.status, 'success');
      assert.equal(data.data.resultType, 'streams');
      const lines = data.data.result.flatMap((s) => s.values.map((v) => v[1])).sort();
      assert.deepEqual(lines, ['ERROR a4', 'ERROR b1', 'ERROR b3']);
      const a = data.data.result.find((s) => s.stream.container === 'api-1')!;
      assert.deepEqual(a.values, [[at(4), 'ERROR a4']]);
    });

    it('treats start as inclusive and end as exclusive, and forward returns the oldest first', async () => {
      const { body } = await queryRange({ query: '{container="api-1"}', start: at(2), end: at(4), direction: 'forward' });
      const values = (body as { data: { result: { values: [string, string][] }[] } }).data.result[0].values;
      assert.deepEqual(values, [[at(2), 'INFO a2']]);
    });

    it('answers a bad query or limit with a 400 text body', async () => {
      const bad = await queryRange({ query: '{container=~".*"}' });
      assert.equal(bad.status, 400);
      assert.match(bad.body as string, /empty-compatible value/);
      const limit = await queryRange({ query: '{container="api-1"}', limit: '6000' });
      assert.equal(limit.status, 400);
      assert.match(limit.body as string, /max entries limit per query exceeded/);
    });

    it('lists label names and answers /ready', async () => {
      const labels = await (await fetch(`${loki.url}/loki/api/v1/labels`)).json();
      assert.deepEqual(labels, { status: 'success', data: ['container'] });
      const ready = await fetch(`${loki.url}/ready`);
      assert.equal(ready.status, 200);
      assert.equal((await ready.text()).trim(), 'ready');
    });

    it('rejects a push without labels or with numeric timestamps', async () => {
      await assert.rejects(pushToLoki(loki.url, {}, [[at(9), 'x']]), /400/);
      const res = await fetch(`${loki.url}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ streams: [{ stream: { a: 'b' }, values: [[123, 'x']] }] }),
      });
      assert.equal(res.status, 400);
    });
  });
});
