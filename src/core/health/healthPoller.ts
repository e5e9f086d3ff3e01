// Polls the health sources on a timer: never two polls at once, exponential (capped) backoff per unreachable
// source, pause/resume, refresh on demand, and every in-flight request aborted on dispose. Timers are injectable.
import { EMPTY_SNAPSHOT, HealthSnapshot, SourceState } from './types';

export type SourceName = keyof HealthSnapshot;

/** Reads one source; `signal` aborts when the poller is disposed. A rejection becomes an `error` state. */
export type SourceReader<K extends SourceName> = (signal: AbortSignal) => Promise<HealthSnapshot[K]>;

export type HealthSources = { [K in SourceName]?: SourceReader<K> };

export interface PollerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: PollerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export interface HealthPollerOptions {
  sources: HealthSources;
  intervalMs: number;
  /** Longest wait between polls of an unreachable source. Default: max(intervalMs, 120 s). */
  maxBackoffMs?: number;
  timers?: PollerTimers;
}

export class HealthPoller {
  private snapshot: HealthSnapshot = { ...EMPTY_SNAPSHOT };
  private readonly names: SourceName[];
  private readonly dueAt = new Map<SourceName, number>();
  private readonly failures = new Map<SourceName, number>();
  private readonly listeners = new Set<(snapshot: HealthSnapshot) => void>();
  private readonly controller = new AbortController();
  private readonly timers: PollerTimers;
  private readonly maxBackoffMs: number;
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  private refreshQueued = false;
  private paused = false;
  private disposed = false;
  private started = false;

  constructor(private readonly options: HealthPollerOptions) {
    this.timers = options.timers ?? realTimers;
    this.maxBackoffMs = options.maxBackoffMs ?? Math.max(options.intervalMs, 120_000);
    this.names = (Object.keys(options.sources) as SourceName[]).filter((n) => options.sources[n] !== undefined);
    for (const name of this.names) this.dueAt.set(name, 0);
  }

  get current(): HealthSnapshot {
    return this.snapshot;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isPolling(): boolean {
    return this.inFlight !== undefined;
  }

  /** Milliseconds until `source` is polled again after its latest result (interval, or its backoff). */
  delayFor(source: SourceName): number {
    const failures = this.failures.get(source) ?? 0;
    if (failures === 0) return this.options.intervalMs;
    return Math.min(this.options.intervalMs * 2 ** failures, this.maxBackoffMs);
  }

  onSnapshot(listener: (snapshot: HealthSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Polls every source now, then keeps polling on the timer. */
  start(): Promise<void> {
    if (this.started || this.disposed) return this.inFlight ?? Promise.resolve();
    this.started = true;
    if (this.names.length === 0) {
      this.emit();
      return Promise.resolve();
    }
    return this.poll(true);
  }

  /** Polls every source at once, ignoring backoff; if a poll is running, one more runs right after it. */
  refreshNow(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.started = true;
    for (const name of this.names) this.failures.set(name, 0);
    return this.poll(true);
  }

  /** Stops the timer (an in-flight poll finishes). */
  pause(): void {
    this.paused = true;
    this.clearTimer();
  }

  /** Restarts the timer; a source already due is polled at once. */
  resume(): void {
    if (!this.paused || this.disposed) return;
    this.paused = false;
    if (!this.started || this.inFlight) return;
    const now = this.timers.now();
    if (this.names.some((n) => (this.dueAt.get(n) ?? 0) <= now)) void this.poll(false);
    else this.scheduleNext();
  }

  /** Aborts in-flight requests and stops for good. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.controller.abort();
    this.listeners.clear();
  }

  private async poll(all: boolean): Promise<void> {
    if (this.disposed) return;
    if (this.inFlight) {
      // Never overlap: remember the request and run it when the current poll ends.
      if (all) this.refreshQueued = true;
      return this.inFlight;
    }
    this.clearTimer();
    const now = this.timers.now();
    const due = all ? this.names : this.names.filter((n) => (this.dueAt.get(n) ?? 0) <= now);
    this.inFlight = this.readSources(due);
    try {
      await this.inFlight;
    } finally {
      this.inFlight = undefined;
    }
    if (this.disposed) return;
    this.emit();
    if (this.refreshQueued) {
      this.refreshQueued = false;
      return this.poll(true);
    }
    this.scheduleNext();
  }

  private async readSources(names: SourceName[]): Promise<void> {
    const signal = this.controller.signal;
    const results = await Promise.all(
      names.map(async (name) => {
        const reader = this.options.sources[name] as SourceReader<SourceName>;
        let state: SourceState<unknown>;
        try {
          state = await reader(signal);
        } catch (err) {
          state = { state: 'error', error: { kind: 'other', message: `${name}: ${(err as Error)?.message ?? String(err)}` }, at: this.timers.now() };
        }
        return [name, state] as const;
      }),
    );
    if (this.disposed) return;
    const next = { ...this.snapshot } as Record<SourceName, SourceState<unknown>>;
    const now = this.timers.now();
    for (const [name, state] of results) {
      next[name] = state;
      this.failures.set(name, state.state === 'error' ? (this.failures.get(name) ?? 0) + 1 : 0);
      this.dueAt.set(name, now + this.delayFor(name));
    }
    this.snapshot = next as unknown as HealthSnapshot;
  }

  private scheduleNext(): void {
    if (this.disposed || this.paused || this.names.length === 0) return;
    this.clearTimer();
    const now = this.timers.now();
    const nextDue = Math.min(...this.names.map((n) => this.dueAt.get(n) ?? now));
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.poll(false);
    }, Math.max(0, nextDue - now));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener(this.snapshot);
      } catch {
        // A broken listener must not stop polling.
      }
    }
  }
}
