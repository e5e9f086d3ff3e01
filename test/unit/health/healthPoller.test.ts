import * as assert from 'node:assert/strict';
import { HealthPoller } from '../../../src/core/health/healthPoller';
import type { ApiState, HealthSnapshot, PrometheusState } from '../../../src/core/health/types';
import { deferred, FakeTimers, settle } from './fakeTimers';

const promOk = (): HealthSnapshot['prometheus'] => ({ state: 'ok', value: { targets: [], alerts: [] } as PrometheusState, at: 0 });
const promDown = (): HealthSnapshot['prometheus'] => ({ state: 'error', error: { kind: 'refused', message: 'connection refused' }, at: 0 });
const apiOk = (): HealthSnapshot['api'] => ({
  state: 'ok',
  value: { health: { status: 'ok', httpStatus: 200, latencyMs: 3 }, deps: { ok: true, value: { status: 'ok', httpStatus: 200, checks: [] }, elapsedMs: 1 } } as ApiState,
  at: 0,
});

describe('HealthPoller', () => {
  let timers: FakeTimers;
  beforeEach(() => {
    timers = new FakeTimers();
  });

  it('polls every source at start and then once per interval', async () => {
    let calls = 0;
    const poller = new HealthPoller({ intervalMs: 15_000, timers, sources: { prometheus: async () => (calls++, promOk()) } });
    await poller.start();
    assert.equal(calls, 1);
    assert.equal(poller.current.prometheus.state, 'ok');
    assert.equal(poller.current.api.state, 'off', 'a source without a reader is off');
    await timers.advance(14_999);
    assert.equal(calls, 1);
    await timers.advance(1);
    assert.equal(calls, 2);
    await timers.advance(30_000);
    assert.equal(calls, 4);
    poller.dispose();
  });

  it('never starts a poll while one is still running', async () => {
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const gates: ReturnType<typeof deferred<void>>[] = [];
    const poller = new HealthPoller({
      intervalMs: 1000,
      timers,
      sources: {
        prometheus: async () => {
          calls++;
          running++;
          maxRunning = Math.max(maxRunning, running);
          const gate = deferred<void>();
          gates.push(gate);
          await gate.promise;
          running--;
          return promOk();
        },
      },
    });
    const first = poller.start();
    await settle();
    assert.equal(poller.isPolling, true);
    // While it hangs: the timer is not even armed, and refreshes queue up into one.
    await timers.advance(10_000);
    void poller.refreshNow();
    void poller.refreshNow();
    await settle();
    assert.equal(calls, 1);
    gates[0].resolve();
    await settle();
    assert.equal(calls, 2, 'the queued refresh runs once after the first poll');
    gates[1].resolve();
    await first;
    await settle();
    assert.equal(calls, 2);
    assert.equal(maxRunning, 1);
    poller.dispose();
  });

  it('backs off exponentially while a source is unreachable, up to the cap, and recovers at the normal interval', async () => {
    let reachable = false;
    const seen: number[] = [];
    const poller = new HealthPoller({
      intervalMs: 10_000,
      maxBackoffMs: 60_000,
      timers,
      sources: {
        prometheus: async () => {
          seen.push(timers.now());
          return reachable ? promOk() : promDown();
        },
      },
    });
    await poller.start();
    await timers.advance(20_000 + 40_000 + 60_000 + 60_000);
    assert.deepEqual(seen, [0, 20_000, 60_000, 120_000, 180_000]);
    reachable = true;
    await timers.advance(60_000);
    assert.equal(seen.at(-1), 240_000);
    assert.equal(poller.current.prometheus.state, 'ok');
    assert.equal(poller.delayFor('prometheus'), 10_000);
    await timers.advance(10_000);
    assert.equal(seen.at(-1), 250_000);
    poller.dispose();
  });

  it('keeps polling a healthy source on time while another one backs off', async () => {
    const prom: number[] = [];
    const api: number[] = [];
    const poller = new HealthPoller({
      intervalMs: 10_000,
      timers,
      sources: {
        prometheus: async () => (prom.push(timers.now()), promDown()),
        api: async () => (api.push(timers.now()), apiOk()),
      },
    });
    await poller.start();
    await timers.advance(40_000);
    assert.deepEqual(api, [0, 10_000, 20_000, 30_000, 40_000]);
    assert.deepEqual(prom, [0, 20_000]);
    poller.dispose();
  });

  it('stops polling while paused and polls at once on resume when a poll is due', async () => {
    let calls = 0;
    const poller = new HealthPoller({ intervalMs: 5000, timers, sources: { api: async () => (calls++, apiOk()) } });
    await poller.start();
    poller.pause();
    assert.deepEqual(timers.pending(), []);
    await timers.advance(60_000);
    assert.equal(calls, 1);
    poller.resume();
    await settle();
    assert.equal(calls, 2);
    await timers.advance(5000);
    assert.equal(calls, 3);
    poller.dispose();
  });

  it('waits out the rest of the interval on resume when no poll is due yet', async () => {
    let calls = 0;
    const poller = new HealthPoller({ intervalMs: 5000, timers, sources: { api: async () => (calls++, apiOk()) } });
    await poller.start();
    await timers.advance(2000);
    poller.pause();
    poller.resume();
    await settle();
    assert.equal(calls, 1);
    assert.deepEqual(timers.pending(), [3000]);
    poller.dispose();
  });

  it('polls at once on refreshNow, even while paused or backing off, and resets the backoff', async () => {
    let calls = 0;
    const poller = new HealthPoller({ intervalMs: 1000, timers, sources: { prometheus: async () => (calls++, promDown()) } });
    await poller.start();
    await timers.advance(2000);
    assert.equal(calls, 2);
    assert.equal(poller.delayFor('prometheus'), 4000);
    poller.pause();
    await poller.refreshNow();
    assert.equal(calls, 3);
    assert.equal(poller.delayFor('prometheus'), 2000, 'refresh restarts the backoff from the first failure');
    assert.deepEqual(timers.pending(), [], 'still paused: no timer armed');
    poller.dispose();
  });

  it('aborts in-flight requests on dispose and emits nothing afterwards', async () => {
    let aborted = false;
    let emitted = 0;
    const poller = new HealthPoller({
      intervalMs: 1000,
      timers,
      sources: {
        prometheus: (signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              resolve(promDown());
            });
          }),
      },
    });
    poller.onSnapshot(() => emitted++);
    const started = poller.start();
    await settle();
    poller.dispose();
    await started;
    assert.equal(aborted, true);
    assert.equal(emitted, 0);
    assert.deepEqual(timers.pending(), []);
  });

  it('turns a reader that throws into an error state instead of stopping', async () => {
    const poller = new HealthPoller({
      intervalMs: 1000,
      timers,
      sources: {
        api: async () => {
          throw new Error('boom');
        },
      },
    });
    await poller.start();
    const api = poller.current.api;
    assert.equal(api.state, 'error');
    assert.ok(api.state === 'error' && /boom/.test(api.error.message));
    assert.equal(timers.pending().length, 1);
    poller.dispose();
  });

  it('tells listeners about every snapshot it takes', async () => {
    const snapshots: HealthSnapshot[] = [];
    const poller = new HealthPoller({ intervalMs: 1000, timers, sources: { api: async () => apiOk() } });
    poller.onSnapshot((s) => snapshots.push(s));
    await poller.start();
    await timers.advance(1000);
    assert.equal(snapshots.length, 2);
    assert.equal(snapshots[1].api.state, 'ok');
    poller.dispose();
  });
});
