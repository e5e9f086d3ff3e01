// Turns a resolved call URL (text and placeholders) into path segments for matching, and into
// the display form with placeholders as `{}`.
import type { CallSegment, UrlPart } from './types';

export interface CallPath {
  segments: CallSegment[];
  /** The path ends in `/` (and is not just `/`). */
  slash: boolean;
}

/** Drops `?query` and `#fragment` from the parts (the scanner strips them; inline `?page=${n}` may remain). */
export function stripQuery(parts: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const part of parts) {
    if (part.kind === 'text') {
      const cut = part.text.search(/[?#]/);
      if (cut >= 0) {
        if (cut > 0) out.push({ kind: 'text', text: part.text.slice(0, cut) });
        return out;
      }
    }
    out.push(part);
  }
  return out;
}

/** `/items/${id}/tags` → `/items/{}/tags`. */
export function renderCallPath(parts: UrlPart[]): string {
  const text = stripQuery(parts)
    .map((p) => (p.kind === 'text' ? p.text : '{}'))
    .join('');
  return text.startsWith('/') ? text : `/${text}`;
}

const SPEC_PARAM = /\{[^{}/]+\}/g;

/** Splits a call path into segments; `specSyntax` reads `{name}` in the text as a placeholder. */
export function splitCallPath(parts: UrlPart[], specSyntax = false): CallPath {
  const raw: UrlPart[][] = [[]];
  for (const part of stripQuery(parts)) {
    if (part.kind === 'placeholder') {
      raw[raw.length - 1].push(part);
      continue;
    }
    part.text.split('/').forEach((piece, i) => {
      if (i > 0) raw.push([]);
      if (piece !== '') raw[raw.length - 1].push({ kind: 'text', text: piece });
    });
  }
  // A leading `/` leaves an empty first group; a path written without it is read as if it had one.
  if (raw.length > 1 && raw[0].length === 0) raw.shift();
  let slash = false;
  if (raw.length > 1 && raw[raw.length - 1].length === 0) {
    raw.pop();
    slash = true;
  }
  if (raw.length === 1 && raw[0].length === 0) return { segments: [], slash: false };
  return { segments: raw.map((group) => toSegment(specSyntax ? expandSpecSyntax(group) : group)), slash };
}

function expandSpecSyntax(group: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const part of group) {
    if (part.kind !== 'text') {
      out.push(part);
      continue;
    }
    let last = 0;
    for (const m of part.text.matchAll(SPEC_PARAM)) {
      if (m.index > last) out.push({ kind: 'text', text: part.text.slice(last, m.index) });
      out.push({ kind: 'placeholder', source: m[0] });
      last = m.index + m[0].length;
    }
    if (last < part.text.length) out.push({ kind: 'text', text: part.text.slice(last) });
  }
  return out;
}

function toSegment(group: UrlPart[]): CallSegment {
  if (group.every((p) => p.kind === 'text')) {
    return { kind: 'literal', text: decodeSegment(group.map((p) => (p as { text: string }).text).join('')) };
  }
  if (group.every((p) => p.kind === 'placeholder')) return { kind: 'param' };
  return { kind: 'mixed', parts: group };
}

function decodeSegment(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
