import * as assert from 'node:assert/strict';
import { LokiClient } from '../../../src/core/logs/lokiClient';
import { fetchRecentErrors } from '../../../src/core/logs/recentErrors';
import { LokiStandIn, pushToLoki, startLokiStandIn } from '../../harness/lokiStandIn';

const limits = { maxLineLength: 4000, maxLines: 2000 };

describe('what the Loki client sends to query_range', () => {
  let loki: LokiStandIn;
  before(async () => {
    loki = await startLokiStandIn();
  });
  after(() => loki.stop());

  it('asks for the newest entries first (direction=backward) over the window, as 19-digit nanosecond start and end', async () => {
    const now = new Date('2026-12-03T16:45:00.000Z');
    const nowNs = BigInt(now.getTime()) * 1_000_000n;
    await pushToLoki(loki.url, { container: 'zenops-api-1' }, [[(nowNs - 60_000_000_000n).toString(), 'ERROR [app] request_id=w-1 boom']]);
    loki.requests.length = 0;
    const result = await fetchRecentErrors(new LokiClient({ url: loki.url }), {
      query: '{container=~".*api.*"} |= "ERROR"',
      windowMinutes: 15,
      limit: 200,
      limits,
      contextLookups: 0,
      now,
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.entries.length, 1);
    const reads = loki.requests.filter((r) => r.method === 'GET' && r.path === '/loki/api/v1/query_range');
    assert.equal(reads.length, 1);
    const q = reads[0].query;
    assert.equal(q.direction, 'backward');
    assert.equal(q.query, '{container=~".*api.*"} |= "ERROR"');
    assert.equal(q.limit, '200');
    assert.match(q.start, /^\d{19}$/);
    assert.match(q.end, /^\d{19}$/);
    // [start, end): the window back from now, and `now` itself included.
    assert.equal(BigInt(q.start), nowNs - 15n * 60n * 1_000_000_000n);
    assert.ok(BigInt(q.end) > nowNs && BigInt(q.end) - nowNs <= 1_000_000n, `end ${q.end}`);
    assert.equal(result.value.start, q.start);
    assert.equal(result.value.end, q.end);
  });
});
