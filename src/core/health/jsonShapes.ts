// Narrowing helpers for JSON answers whose shape we do not control.

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The string-valued entries of an object (label and annotation maps); anything else is dropped. */
export function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
