// Hand-driven timers for HealthPoller tests: time moves only when a test calls advance().
import type { PollerTimers } from '../../../src/core/health/healthPoller';

export class FakeTimers implements PollerTimers {
  private clock = 0;
  private nextId = 1;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.clock;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.set(id, { at: this.clock + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }

  /** Delays of the timers now pending, from now. */
  pending(): number[] {
    return [...this.queue.values()].map((t) => t.at - this.clock).sort((a, b) => a - b);
  }

  /** Moves time forward, running each timer that comes due (and the promise work it starts). */
  async advance(ms: number): Promise<void> {
    const end = this.clock + ms;
    for (;;) {
      const due = [...this.queue.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.queue.delete(due[0]);
      this.clock = due[1].at;
      due[1].fn();
      await settle();
    }
    this.clock = end;
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A promise with its resolve exposed. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
