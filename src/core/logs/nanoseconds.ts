// Loki timestamps are nanoseconds since the epoch as decimal strings: past 2^53, so never Numbers.

/** A nanosecond timestamp as Loki sends it: digits only, no sign, no exponent. */
export type NsTimestamp = string;

const DIGITS = /^\d{1,20}$/;

export function isNsTimestamp(value: unknown): value is NsTimestamp {
  return typeof value === 'string' && DIGITS.test(value);
}

export function nsFromDate(date: Date): NsTimestamp {
  return (BigInt(date.getTime()) * 1_000_000n).toString();
}

export function nsFromMs(ms: number): NsTimestamp {
  return (BigInt(Math.trunc(ms)) * 1_000_000n).toString();
}

/** Milliseconds since the epoch (sub-millisecond digits dropped), for Date and display. */
export function msFromNs(ns: NsTimestamp): number {
  return Number(BigInt(ns) / 1_000_000n);
}

export function compareNs(a: NsTimestamp, b: NsTimestamp): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addNs(ns: NsTimestamp, delta: bigint | number): NsTimestamp {
  const r = BigInt(ns) + BigInt(delta);
  return (r < 0n ? 0n : r).toString();
}

/** ISO 8601 with nanosecond digits kept: `2026-12-03T16:31:32.580123456Z`. */
export function isoFromNs(ns: NsTimestamp): string {
  const big = BigInt(ns);
  const seconds = big / 1_000_000_000n;
  const frac = (big % 1_000_000_000n).toString().padStart(9, '0');
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}
