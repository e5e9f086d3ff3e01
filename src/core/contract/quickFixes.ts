// The text edits behind the contract quick fixes, computed on the source text of a URL or method
// argument. Pure: each returns the replacement text, or undefined when no safe edit exists.
import type { CheckedCall, HttpMethod } from './types';

/** A piece of a string or template literal: raw text, or a `${…}` substitution (kept verbatim). */
type Piece = { kind: 'text'; raw: string } | { kind: 'expr'; raw: string };

interface ParsedLiteral {
  quote: '"' | "'" | '`';
  pieces: Piece[];
}

/** Reads `'…'`, `"…"` or a template literal; anything else (an identifier, a call, `a + b`) is undefined. */
export function parseUrlLiteral(source: string): ParsedLiteral | undefined {
  const text = source.trim();
  const quote = text[0];
  if ((quote !== '"' && quote !== "'" && quote !== '`') || text.length < 2 || text[text.length - 1] !== quote) return undefined;
  const body = text.slice(1, -1);
  if (quote !== '`') {
    // A closing quote inside means this was not one literal (`'a' + 'b'`).
    if (unescapedIndexOf(body, quote, 0) >= 0) return undefined;
    return { quote, pieces: body ? [{ kind: 'text', raw: body }] : [] };
  }
  const pieces: Piece[] = [];
  let textStart = 0;
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') return undefined;
    if (c === '$' && body[i + 1] === '{') {
      const end = substitutionEnd(body, i + 2);
      if (end < 0) return undefined;
      if (i > textStart) pieces.push({ kind: 'text', raw: body.slice(textStart, i) });
      pieces.push({ kind: 'expr', raw: body.slice(i, end + 1) });
      i = end + 1;
      textStart = i;
      continue;
    }
    i++;
  }
  if (textStart < body.length) pieces.push({ kind: 'text', raw: body.slice(textStart) });
  return { quote: '`', pieces };
}

function unescapedIndexOf(text: string, ch: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ch) return i;
  }
  return -1;
}

/** Index of the `}` closing a substitution whose body starts at `from`; strings and nested braces skipped. */
function substitutionEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = unescapedIndexOf(text, c, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === '`') {
      // A nested template: skip to its end, substitutions included.
      let j = i + 1;
      while (j < text.length && text[j] !== '`') {
        if (text[j] === '\\') j++;
        else if (text[j] === '$' && text[j + 1] === '{') {
          const end = substitutionEnd(text, j + 2);
          if (end < 0) return -1;
          j = end;
        }
        j++;
      }
      if (j >= text.length) return -1;
      i = j;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The literal cut into: what precedes the path (origin), path segments, and what follows (query, fragment). */
interface LiteralPath {
  head: string;
  /** The path began with `/`. */
  leadingSlash: boolean;
  segments: Piece[][];
  trailingSlash: boolean;
  tail: string;
}

function splitLiteralPath(literal: ParsedLiteral, originInCode: boolean): LiteralPath | undefined {
  const pieces = [...literal.pieces];
  // Cut the query/fragment off the end.
  let tail = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.kind !== 'text') continue;
    const cut = piece.raw.search(/[?#]/);
    if (cut < 0) continue;
    tail = piece.raw.slice(cut) + pieces.slice(i + 1).map((p) => p.raw).join('');
    pieces.length = i;
    if (cut > 0) pieces.push({ kind: 'text', raw: piece.raw.slice(0, cut) });
    break;
  }
  // Cut the origin off the front: `http://${host}:8000` or an origin-holding `${API}`.
  let head = '';
  const first = pieces[0];
  if (first?.kind === 'text' && /^[a-z][a-z0-9+.-]*:\/\//i.test(first.raw)) {
    const flat = pieces.map((p) => p.raw).join('');
    const after = flat.indexOf('/', flat.indexOf('://') + 3);
    let consumed = 0;
    const cutAt = after < 0 ? flat.length : after;
    while (pieces.length > 0 && consumed + pieces[0].raw.length <= cutAt) {
      consumed += pieces[0].raw.length;
      head += pieces.shift()!.raw;
    }
    if (consumed < cutAt) {
      const piece = pieces[0];
      if (piece.kind !== 'text') return undefined;
      head += piece.raw.slice(0, cutAt - consumed);
      pieces[0] = { kind: 'text', raw: piece.raw.slice(cutAt - consumed) };
    }
  } else if (originInCode && first?.kind === 'expr' && (pieces[1] === undefined || (pieces[1].kind === 'text' && pieces[1].raw.startsWith('/')))) {
    head = first.raw;
    pieces.shift();
  }
  const segments: Piece[][] = [[]];
  for (const piece of pieces) {
    if (piece.kind === 'expr') {
      segments[segments.length - 1].push(piece);
      continue;
    }
    piece.raw.split('/').forEach((part, i) => {
      if (i > 0) segments.push([]);
      if (part !== '') segments[segments.length - 1].push({ kind: 'text', raw: part });
    });
  }
  let leadingSlash = false;
  if (segments.length > 1 && segments[0].length === 0) {
    segments.shift();
    leadingSlash = true;
  }
  let trailingSlash = false;
  if (segments.length > 1 && segments[segments.length - 1].length === 0) {
    segments.pop();
    trailingSlash = true;
  }
  if (segments.length === 1 && segments[0].length === 0) segments.pop();
  // An empty segment in the middle (`a//b`) is not something to rewrite safely.
  if (segments.some((s) => s.length === 0)) return undefined;
  return { head, leadingSlash, segments, trailingSlash, tail };
}

function renderLiteral(quote: string, path: LiteralPath, segments: string[], trailingSlash: boolean): string {
  let body = path.head;
  if (path.leadingSlash || path.head !== '') body += segments.length > 0 || trailingSlash ? '/' : '';
  body += segments.join('/');
  if (trailingSlash && segments.length > 0) body += '/';
  return quote + body + path.tail + quote;
}

type PathSegment = { param: boolean; text: string };

/** `/a/{}/b` or `/a/{id}/b` → segments; a segment holding a `{…}` is a parameter. */
function splitPath(path: string): { segments: PathSegment[]; trailingSlash: boolean } {
  const clean = path.replace(/[?#].*$/, '');
  const parts = clean.split('/').filter((p, i, all) => p !== '' || (i > 0 && i < all.length - 1));
  return {
    segments: parts.map((text) => ({ text, param: /\{[^{}]*\}/.test(text) })),
    trailingSlash: clean.length > 1 && clean.endsWith('/'),
  };
}

function sameSegment(a: PathSegment, b: PathSegment): boolean {
  return a.param && b.param ? true : !a.param && !b.param && a.text === b.text;
}

function segmentRaw(segment: Piece[]): string {
  return segment.map((p) => p.raw).join('');
}

/** Does a segment of the code's literal stand for this segment of the resolved path? */
function literalMatches(segment: Piece[], wanted: PathSegment, specSyntax: boolean): boolean {
  const raw = segmentRaw(segment);
  const holdsValue = segment.some((p) => p.kind === 'expr') || (specSyntax && /\{[^{}]*\}/.test(raw));
  return wanted.param ? holdsValue : !holdsValue && raw === wanted.text;
}

/**
 * Rewrites the URL argument so the call reaches `suggestion` (a spec path, prefix included), changing
 * only the segments that differ and only where the code itself wrote them: a base URL or constant
 * prefix is left alone, the code's own expressions stay in place of parameters, the query stays.
 */
export function fixPathText(urlSourceText: string, call: Pick<CheckedCall, 'path' | 'url'>, suggestion: string): string | undefined {
  if (call.path === null || call.url.kind !== 'resolved') return undefined;
  const literal = parseUrlLiteral(urlSourceText);
  if (!literal) return undefined;
  const specSyntax = call.url.specSyntax === true;
  const lit = splitLiteralPath(literal, call.url.origin.kind !== 'relative');
  if (!lit) return undefined;
  const from = splitPath(call.path);
  const to = splitPath(suggestion);
  const oldSegs = from.segments;
  const newSegs = to.segments;
  let p = 0;
  while (p < oldSegs.length && p < newSegs.length && sameSegment(oldSegs[p], newSegs[p])) p++;
  let s = 0;
  while (s < oldSegs.length - p && s < newSegs.length - p && sameSegment(oldSegs[oldSegs.length - 1 - s], newSegs[newSegs.length - 1 - s])) s++;
  const oldMiddle = oldSegs.slice(p, oldSegs.length - s);
  const newMiddle = newSegs.slice(p, newSegs.length - s);
  if (oldMiddle.length === 0 && newMiddle.length === 0 && from.trailingSlash === to.trailingSlash) return undefined;

  // Align the code's literal from its end: the suffix, then the old middle, must be written there.
  const k = lit.segments.length;
  const j = k - s - oldMiddle.length;
  if (j < 0) return undefined;
  for (let i = 0; i < s; i++) {
    if (!literalMatches(lit.segments[k - s + i], oldSegs[oldSegs.length - s + i], specSyntax)) return undefined;
  }
  for (let i = 0; i < oldMiddle.length; i++) {
    if (!literalMatches(lit.segments[j + i], oldMiddle[i], specSyntax)) return undefined;
  }
  // The trailing slash is the literal's to change only when its last segment is the path's last.
  if (from.trailingSlash !== to.trailingSlash && k === 0 && lit.head === '') return undefined;

  // Parameters in the new middle take the code's own values, in order; spec syntax keeps `{name}`.
  const values = oldMiddle.map((seg, i) => (seg.param ? segmentRaw(lit.segments[j + i]) : undefined)).filter((v): v is string => v !== undefined);
  const middle: string[] = [];
  for (const seg of newMiddle) {
    if (!seg.param) middle.push(seg.text);
    else if (specSyntax) middle.push(seg.text);
    else {
      const value = values.shift();
      if (value === undefined) return undefined;
      middle.push(value);
    }
  }
  const raw = lit.segments.map(segmentRaw);
  const segments = [...raw.slice(0, j), ...middle, ...raw.slice(k - s)];
  return renderLiteral(literal.quote, lit, segments, to.trailingSlash);
}

/** Adds or removes the trailing slash of the path the literal writes (the query stays after it). */
export function setTrailingSlashText(urlSourceText: string, call: Pick<CheckedCall, 'url'>, slash: boolean): string | undefined {
  const literal = parseUrlLiteral(urlSourceText);
  if (!literal || call.url.kind !== 'resolved') return undefined;
  const lit = splitLiteralPath(literal, call.url.origin.kind !== 'relative');
  if (!lit || lit.segments.length === 0 || lit.trailingSlash === slash) return undefined;
  return renderLiteral(literal.quote, lit, lit.segments.map(segmentRaw), slash);
}

/**
 * The method's source rewritten to `method`, in the code's own style: `put` → `post`, `PATCH` → `GET`,
 * `'put'` → `'post'`, `"PUT"` → `"POST"`. Undefined for anything that is not a name or a string.
 */
export function fixMethodText(methodSourceText: string, method: HttpMethod): string | undefined {
  const text = methodSourceText.trim();
  const m = /^(\.?)([A-Za-z]+)$/.exec(text) ?? /^(["'`])([A-Za-z]+)\1$/.exec(text);
  if (!m) return undefined;
  const [, quote, name] = m;
  const upper = name === name.toUpperCase();
  const word = upper ? method : method.toLowerCase();
  return quote === '.' || quote === '' ? `${quote}${word}` : `${quote}${word}${quote}`;
}

/** The `// zenops-ignore` line to insert above a line of code, indented like it. */
export function ignoreCommentLine(lineText: string): string {
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  return `${indent}// zenops-ignore\n`;
}

/**
 * Paths to offer as "Change path to …" for a missing-path call: only when the matcher found a close
 * one; then the near candidates too, those that allow the call's method first (at most three).
 */
export function pathFixTargets(call: Pick<CheckedCall, 'method' | 'result'>): { path: string; allowsMethod: boolean }[] {
  const { result } = call;
  if (result.status !== 'missing-path' || !result.suggestion) return [];
  const candidates = result.candidates ?? [];
  const allowsMethod = (p: string): boolean => call.method === null || candidates.some((op) => op.path === p && op.method === call.method);
  return [...new Set([result.suggestion, ...candidates.map((op) => op.path)])]
    .map((path) => ({ path, allowsMethod: allowsMethod(path) }))
    .sort((a, b) => Number(b.allowsMethod) - Number(a.allowsMethod))
    .slice(0, 3);
}
