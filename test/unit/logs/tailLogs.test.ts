import * as assert from 'node:assert/strict';
import { LokiClient } from '../../../src/core/logs/lokiClient';
import { SEEN_KEYS_KEPT, startTail, type LokiTail } from '../../../src/core/logs/tailLogs';
import type { LokiEntry } from '../../../src/core/logs/types';
import { LokiStandIn, pushToLoki, startLokiStandIn } from '../../harness/lokiStandIn';
import { until } from '../../harness/until';

describe('the live tail over hours', () => {
  let loki: LokiStandIn;
  let tail: LokiTail | undefined;

  before(async () => {
    loki = await startLokiStandIn();
  });
  afterEach(() => tail?.stop());
  after(() => loki.stop());

  it(`remembers at most ${SEEN_KEYS_KEPT} entry keys after more entries than that, and still drops a resent newest entry`, async () => {
    const delivered: LokiEntry[] = [];
    const start = BigInt(Date.now()) * 1_000_000n;
    tail = startTail(new LokiClient({ url: loki.url }), {
      query: '{container="zenops-api-1"}',
      start: start.toString(),
      onEntries: (entries) => delivered.push(...entries),
      initialBackoffMs: 10,
    });
    await until('the tail to be live', () => tail!.state.kind === 'live');

    const total = SEEN_KEYS_KEPT + 1500;
    const batch = 500;
    for (let i = 0; i < total; i += batch) {
      const values: [string, string][] = [];
      for (let k = i; k < Math.min(total, i + batch); k++) values.push([(start + BigInt(k) * 1000n).toString(), `ERROR [app] tail line ${k}`]);
      await pushToLoki(loki.url, { container: 'zenops-api-1' }, values);
    }
    await until(`all ${total} entries delivered`, () => delivered.length >= total, 30_000);
    assert.equal(delivered.length, total);
    assert.equal(new Set(delivered.map((e) => e.line)).size, total, 'each entry once');
    assert.equal(tail.seenKeys, SEEN_KEYS_KEPT);

    // Loki closes the tail; the reconnect asks from the newest entry on (start is inclusive), which comes again.
    const connections = loki.tailConnections;
    loki.closeTailSockets();
    await until('the tail to reconnect', () => loki.tailConnections > connections && tail!.state.kind === 'live');
    const late = (start + BigInt(total) * 1000n).toString();
    await pushToLoki(loki.url, { container: 'zenops-api-1' }, [[late, 'ERROR [app] after the reconnect']]);
    await until('the new entry delivered', () => delivered.at(-1)?.line === 'ERROR [app] after the reconnect');
    assert.equal(delivered.length, total + 1, 'the resent newest entry was not delivered twice');
    assert.ok(tail.seenKeys <= SEEN_KEYS_KEPT);
  });
});
