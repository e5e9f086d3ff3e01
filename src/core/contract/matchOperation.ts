// Matches a call (method + path) against a spec, following the rules in CONTRACT-PATTERNS.md
// "Matching": positional parameters, literal routes first, "possible" matches for placeholders,
// trailing slash and method-not-allowed as their own findings, a segment-aware "did you mean".
import { HTTP_METHODS, type CallSegment, type HttpMethod, type LoadedSpec, type MatchResult, type SpecOperation, type UrlPart } from './types';
import { renderCallPath, splitCallPath, type CallPath } from './callPath';

/** One spec path (as served, prefix included) with its operations. */
interface PathEntry {
  path: string;
  segments: SpecSegment[];
  slash: boolean;
  operations: Map<HttpMethod, SpecOperation>;
  /** An `extraRoutes` entry with `*` as the method. */
  anyMethod?: SpecOperation;
}

type SpecSegment = { kind: 'literal'; text: string } | { kind: 'param' } | { kind: 'pattern'; regex: RegExp; text: string };

interface TrieNode {
  literals: Map<string, TrieNode>;
  param?: TrieNode;
  /** Segments mixing text and a parameter (`{name}.pdf`), keyed by their text. */
  patterns: Map<string, { regex: RegExp; node: TrieNode }>;
  /** Paths ending here: [without trailing slash, with trailing slash]. */
  ends: [PathEntry | undefined, PathEntry | undefined];
}

/** Which loose direction a segment used: a spec parameter took a code literal, or a code placeholder took a spec literal. */
const LOOSE_SPEC = 1;
const LOOSE_CODE = 2;

interface Found {
  node: TrieNode;
  /** Per-segment quality, higher is better; compared left to right so the literal route wins. */
  quality: number[];
  possible: boolean;
}

export interface MatchOptions {
  /** The call's path is written in OpenAPI syntax (`/items/{id}`), as with openapi-fetch. */
  specSyntax?: boolean;
}

/** A spec's paths indexed once, for matching many calls. */
export class SpecIndex {
  readonly spec: LoadedSpec;
  /** `extraRoutes` entries that could not be read (shown to the user once). */
  readonly invalidExtraRoutes: string[] = [];
  private readonly root: TrieNode = newNode();
  private readonly entries: PathEntry[] = [];
  private readonly basePathSegments: string[];

  constructor(spec: LoadedSpec, extraRoutes: readonly string[] = []) {
    this.spec = spec;
    this.basePathSegments = spec.basePath.split('/').filter(Boolean);
    for (const op of spec.operations) {
      const entry = this.entryFor(op.path);
      if (!entry.operations.has(op.method)) entry.operations.set(op.method, op);
    }
    for (const route of extraRoutes) this.addExtraRoute(route);
    for (const unread of spec.unreadPaths ?? []) this.addExtraRoute(`* ${unread}`);
  }

  get operations(): readonly SpecOperation[] {
    return this.spec.operations;
  }

  match(method: HttpMethod | null, parts: UrlPart[], opts: MatchOptions = {}): MatchResult {
    const label = `${method ? `${method} ` : ''}${renderCallPath(parts)}`;
    const call = this.withBasePath(splitCallPath(parts, opts.specSyntax), opts.specSyntax === true);
    const found: Found[] = [];
    collect(this.root, call.segments, 0, [], 0, found);
    found.sort((a, b) => compareQuality(b.quality, a.quality));

    const sameSlash = found.filter((f) => f.node.ends[call.slash ? 1 : 0]).map((f) => ({ ...f, entry: f.node.ends[call.slash ? 1 : 0] as PathEntry }));
    if (sameSlash.length > 0) return resultFor(label, method, sameSlash, false);
    const otherSlash = found.filter((f) => f.node.ends[call.slash ? 0 : 1]).map((f) => ({ ...f, entry: f.node.ends[call.slash ? 0 : 1] as PathEntry }));
    if (otherSlash.length > 0) return resultFor(label, method, otherSlash, true);
    return this.missing(label, method, call);
  }

  /** openapi-fetch style paths are the document's own: put the base path in front when it is not there. */
  private withBasePath(call: CallPath, specSyntax: boolean): CallPath {
    const base = this.basePathSegments;
    if (!specSyntax || base.length === 0) return call;
    const hasBase = base.every((text, i) => {
      const seg = call.segments[i];
      return seg?.kind === 'literal' && seg.text === text;
    });
    if (hasBase) return call;
    return { slash: call.slash, segments: [...base.map((text): CallSegment => ({ kind: 'literal', text })), ...call.segments] };
  }

  private missing(label: string, method: HttpMethod | null, call: CallPath): MatchResult {
    const ranked = this.nearest(method, call, 3);
    const best = ranked[0];
    const suggestion = best && best.distance <= SUGGEST_WITHIN ? best.entry.path : undefined;
    const candidates = ranked
      .filter((r) => r.distance <= SUGGEST_WITHIN + 1.6)
      .map((r) => (method && r.entry.operations.get(method)) || firstOperation(r.entry))
      .filter((op): op is SpecOperation => op !== undefined);
    let message = `${label}: no such path in the spec`;
    if (suggestion) {
      message += `; did you mean ${suggestion}?`;
      if (best && best.prefixOnly) message += ' (if the backend serves under a prefix, set zenops.contract.apiPrefix)';
    }
    // Every missing path carries the closest spec path; only a near one is worded as "did you mean".
    const closest = suggestion ?? (candidates.length > 0 ? best?.entry.path : undefined);
    if (!suggestion && closest) message += `; the closest spec path is ${closest}`;
    const result: MatchResult = { status: 'missing-path', message };
    if (closest) result.suggestion = closest;
    if (suggestion) result.nearMiss = true;
    if (candidates.length > 0) result.candidates = candidates;
    return result;
  }

  /** The `limit` spec paths closest to the call by a segment-aware edit distance. */
  private nearest(method: HttpMethod | null, call: CallPath, limit: number): { entry: PathEntry; distance: number; prefixOnly: boolean }[] {
    const best: { entry: PathEntry; distance: number; prefixOnly: boolean }[] = [];
    const n = call.segments.length;
    // Spec segments repeat across paths (`api`, `v1`, `{id}`): compare each distinct one to each call segment once.
    const memo = call.segments.map(() => new Map<string, number>());
    const cost = (i: number, seg: SpecSegment): number => {
      const key = seg.kind === 'param' ? '{}' : seg.text;
      let d = memo[i].get(key);
      if (d === undefined) memo[i].set(key, (d = segmentDistance(call.segments[i], seg)));
      return d;
    };
    for (const entry of this.entries) {
      const worst = best.length < limit ? Infinity : best[best.length - 1].distance;
      const lengthGap = Math.abs(entry.segments.length - n);
      if ((lengthGap <= 2 ? Math.min(lengthGap, 1) : lengthGap) * INSERT_COST >= worst) continue;
      const edits = pathDistance(n, entry.segments, cost, worst);
      const prefix = prefixChange(n, entry.segments, cost);
      const prefixOnly = prefix !== undefined && prefix <= edits;
      let distance = prefixOnly ? (prefix as number) : edits;
      if (entry.slash !== call.slash) distance += 0.1;
      if (method && !entry.operations.has(method) && !entry.anyMethod) distance += 0.3;
      if (distance >= worst) continue;
      best.push({ entry, distance, prefixOnly });
      best.sort((a, b) => a.distance - b.distance || a.entry.path.localeCompare(b.entry.path));
      if (best.length > limit) best.pop();
    }
    return best;
  }

  private entryFor(path: string): PathEntry {
    const { segments, slash } = splitSpecPath(path);
    let node = this.root;
    for (const seg of segments) {
      if (seg.kind === 'literal') {
        let next = node.literals.get(seg.text);
        if (!next) node.literals.set(seg.text, (next = newNode()));
        node = next;
      } else if (seg.kind === 'param') {
        node = node.param ??= newNode();
      } else {
        let next = node.patterns.get(seg.text);
        if (!next) node.patterns.set(seg.text, (next = { regex: seg.regex, node: newNode() }));
        node = next.node;
      }
    }
    const at = slash ? 1 : 0;
    let entry = node.ends[at];
    if (!entry) {
      entry = { path: normalizeSpecPath(path), segments, slash, operations: new Map() };
      node.ends[at] = entry;
      this.entries.push(entry);
    }
    return entry;
  }

  private addExtraRoute(route: string): void {
    const text = route.trim();
    // `GET /x`, `* /x`, or a bare `/x` (any method).
    const m = /^(\*|[A-Za-z]+)\s+(\/\S*)$/.exec(text);
    const [method, path] = m ? [m[1].toUpperCase(), m[2]] : /^\/\S*$/.test(text) ? ['*', text] : ['', ''];
    if (!path || (method !== '*' && !(HTTP_METHODS as readonly string[]).includes(method))) {
      this.invalidExtraRoutes.push(route);
      return;
    }
    const entry = this.entryFor(path);
    const op: SpecOperation = {
      method: method === '*' ? 'GET' : (method as HttpMethod),
      path: entry.path,
      specPath: entry.path,
      summary: 'declared in zenops.contract.extraRoutes',
      tags: [],
      deprecated: false,
      parameters: [],
      responses: [],
    };
    if (method === '*') entry.anyMethod ??= op;
    else if (!entry.operations.has(op.method)) entry.operations.set(op.method, op);
  }
}

export function buildSpecIndex(spec: LoadedSpec, extraRoutes: readonly string[] = []): SpecIndex {
  return new SpecIndex(spec, extraRoutes);
}

export function matchCall(index: SpecIndex, method: HttpMethod | null, path: UrlPart[], opts?: MatchOptions): MatchResult {
  return index.match(method, path, opts);
}

function newNode(): TrieNode {
  return { literals: new Map(), patterns: new Map(), ends: [undefined, undefined] };
}

function normalizeSpecPath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

function splitSpecPath(path: string): { segments: SpecSegment[]; slash: boolean } {
  const pieces = normalizeSpecPath(path).split('/').slice(1);
  let slash = false;
  if (pieces.length > 1 && pieces[pieces.length - 1] === '') {
    pieces.pop();
    slash = true;
  }
  if (pieces.length === 1 && pieces[0] === '') return { segments: [], slash: false };
  return { segments: pieces.map(specSegment), slash };
}

function specSegment(text: string): SpecSegment {
  if (/^\{[^{}]+\}$/.test(text)) return { kind: 'param' };
  if (!/\{[^{}]+\}/.test(text)) return { kind: 'literal', text };
  const source = text
    .split(/(\{[^{}]+\})/)
    .map((piece) => (/^\{[^{}]+\}$/.test(piece) ? '[^/]+' : escapeRegex(piece)))
    .join('');
  return { kind: 'pattern', regex: new RegExp(`^${source}$`), text };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A code segment mixing text and placeholders as a regex (`${name}.pdf` → `^.+\.pdf$`). */
function mixedRegex(parts: UrlPart[]): RegExp {
  return new RegExp(`^${parts.map((p) => (p.kind === 'text' ? escapeRegex(p.text) : '.+')).join('')}$`);
}

function mixedSample(parts: UrlPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : 'x')).join('');
}

/** Walks every spec path the call can match; the trie keeps it to the branches that fit. */
function collect(node: TrieNode, segs: CallSegment[], i: number, quality: number[], loose: number, out: Found[]): void {
  if (i === segs.length) {
    if (node.ends[0] || node.ends[1]) out.push({ node, quality: [...quality], possible: (loose & LOOSE_CODE) !== 0 });
    return;
  }
  const seg = segs[i];
  const step = (child: TrieNode, q: number, l: number): void => {
    const next = loose | l;
    if (next === (LOOSE_SPEC | LOOSE_CODE)) return;
    quality.push(q);
    collect(child, segs, i + 1, quality, next, out);
    quality.pop();
  };
  if (seg.kind === 'literal') {
    const exact = node.literals.get(seg.text);
    if (exact) step(exact, 3, 0);
    if (seg.text === '') return;
    if (node.param) step(node.param, 2, LOOSE_SPEC);
    for (const { regex, node: child } of node.patterns.values()) if (regex.test(seg.text)) step(child, 2, LOOSE_SPEC);
  } else if (seg.kind === 'param') {
    if (node.param) step(node.param, 3, 0);
    for (const { node: child } of node.patterns.values()) step(child, 1, LOOSE_CODE);
    for (const child of node.literals.values()) step(child, 1, LOOSE_CODE);
  } else {
    if (node.param) step(node.param, 2, 0);
    const codeRegex = mixedRegex(seg.parts);
    for (const { regex, node: child } of node.patterns.values()) {
      if (regex.test(mixedSample(seg.parts)) || codeRegex.test(patternSample(regex))) step(child, 2, 0);
    }
    for (const [text, child] of node.literals) if (codeRegex.test(text)) step(child, 1, LOOSE_CODE);
  }
}

/** A string a spec pattern such as `^[^/]+\.pdf$` accepts, for comparing it with a code pattern. */
function patternSample(regex: RegExp): string {
  return regex.source.slice(1, -1).replace(/\[\^\/\]\+/g, 'x').replace(/\\(.)/g, '$1');
}

function compareQuality(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function firstOperation(entry: PathEntry): SpecOperation | undefined {
  return entry.operations.get('GET') ?? entry.operations.values().next().value ?? entry.anyMethod;
}

function methodsOf(entries: PathEntry[]): HttpMethod[] {
  const set = new Set<HttpMethod>();
  for (const e of entries) for (const m of e.operations.keys()) set.add(m);
  return HTTP_METHODS.filter((m) => set.has(m));
}

function operationFor(entry: PathEntry, method: HttpMethod): SpecOperation | undefined {
  const op = entry.operations.get(method);
  if (op) return op;
  return entry.anyMethod ? { ...entry.anyMethod, method } : undefined;
}

function describe(op: SpecOperation): string {
  return `${op.method} ${op.path}${op.summary ? ` (${op.summary})` : ''}`;
}

function resultFor(label: string, method: HttpMethod | null, found: (Found & { entry: PathEntry })[], slashMismatch: boolean): MatchResult {
  let chosen: (Found & { entry: PathEntry; op: SpecOperation }) | undefined;
  const reachable: SpecOperation[] = [];
  if (method === null) {
    const best = found[0];
    const op = firstOperation(best.entry);
    if (op) chosen = { ...best, op };
    for (const f of found.filter((f) => f.possible || f === best)) {
      reachable.push(...f.entry.operations.values());
    }
  } else {
    for (const f of found) {
      const op = operationFor(f.entry, method);
      if (!op) continue;
      // A definite match reaches one route; a placeholder against literal routes may reach each of them.
      if (!chosen) chosen = { ...f, op };
      else if (!f.possible) continue;
      reachable.push(op);
      if (!chosen.possible) break;
    }
  }

  if (!chosen) {
    const allowed = methodsOf(found.map((f) => f.entry));
    return {
      status: 'method-not-allowed',
      message: `${label}: method not allowed; ${found[0].entry.path} accepts ${allowed.length ? allowed.join(', ') : 'no method'}`,
      allowedMethods: allowed,
      ...(allowed.length > 0 ? { suggestion: allowed.join(', ') } : {}),
      candidates: [...new Set(found.flatMap((f) => [...f.entry.operations.values()]))].slice(0, 5),
    };
  }

  const op = chosen.op;
  if (slashMismatch) {
    const want = chosen.entry.slash ? 'with' : 'without';
    return {
      status: 'trailing-slash',
      operation: op,
      reachable,
      suggestion: chosen.entry.path,
      message: `${label}: the spec has ${chosen.entry.path} (${want} the trailing slash); FastAPI answers this URL with a 307 redirect`,
    };
  }
  const deprecated = method === null ? [...chosen.entry.operations.values()].every((o) => o.deprecated) && chosen.entry.operations.size > 0 : op.deprecated;
  if (deprecated) {
    return { status: 'deprecated', operation: op, reachable, message: `${label}: ${describe(op)} is deprecated in the spec` };
  }
  if (method === null) {
    const methods = [...new Set(reachable.map((r) => r.method))];
    return { status: 'ok', operation: op, reachable, message: `${label}: the spec has ${chosen.entry.path} (${methods.join(', ')}); the method is not known here, so only the path is checked` };
  }
  const others = reachable.filter((r) => r !== op);
  const message = chosen.possible
    ? `${label}: may reach ${describe(op)}${others.length ? ` or ${others.length} other route${others.length > 1 ? 's' : ''}` : ''}, depending on the placeholder`
    : `${label}: ${describe(op)}`;
  return { status: 'ok', operation: op, reachable, message };
}

const INSERT_COST = 0.9;
const DIFFERENT_WORD = 1.5;
/** Furthest a "did you mean" may be: a missing or extra segment plus a typo. */
const SUGGEST_WITHIN = 1.4;

/**
 * Edit distance over segments (`cost(i, seg)` compares call segment i with a spec segment). A missing
 * or extra leading segment (a prefix) costs 0.9; one further in changes what is called, so it costs as
 * much as a different word. Gives up early once past `cutoff`.
 */
function pathDistance(n: number, spec: SpecSegment[], cost: (i: number, seg: SpecSegment) => number, cutoff: number): number {
  const m = spec.length;
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j * INSERT_COST;
  for (let i = 1; i <= n; i++) {
    cur[0] = i * INSERT_COST;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      cur[j] = Math.min(prev[j] + DIFFERENT_WORD, cur[j - 1] + DIFFERENT_WORD, prev[j - 1] + cost(i - 1, spec[j - 1]));
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin >= cutoff) return Infinity;
    [prev, cur] = [cur, prev];
  }
  return prev[m];
}

function segmentDistance(call: CallSegment, spec: SpecSegment): number {
  if (call.kind === 'literal') {
    if (spec.kind === 'literal') {
      if (call.text === spec.text) return 0;
      // A typo or plural is near; a different word is farther than any suggestion may go.
      const ratio = levenshteinRatio(call.text, spec.text);
      return ratio <= 0.5 ? ratio : DIFFERENT_WORD;
    }
    return spec.kind === 'param' || spec.regex.test(call.text) ? 0.2 : 0.6;
  }
  if (spec.kind === 'literal') return 0.3;
  return call.kind === 'param' ? 0 : 0.1;
}

function levenshteinRatio(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 0.05;
  const row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] === y[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[y.length] / Math.max(x.length, y.length, 1);
}

/**
 * When the call and the spec path end alike and differ only in up to two leading segments (`/api/x`
 * against `/v2/x` or `/x`), the cost of that one prefix change; otherwise undefined.
 */
function prefixChange(n: number, spec: SpecSegment[], cost: (i: number, seg: SpecSegment) => number): number | undefined {
  let shared = 0;
  let sum = 0;
  let sameWords = 0;
  while (shared < n && shared < spec.length) {
    const specSeg = spec[spec.length - 1 - shared];
    const d = cost(n - 1 - shared, specSeg);
    if (d > 0.2) break;
    if (d === 0 && specSeg.kind === 'literal') sameWords++;
    sum += d;
    shared++;
  }
  const restCall = n - shared;
  const restSpec = spec.length - shared;
  // A tail of placeholders alone (`/{id}`) says nothing: only a shared word makes the rest a prefix.
  if (sameWords === 0 || (restCall === 0 && restSpec === 0) || restCall > 2 || restSpec > 2) return undefined;
  return INSERT_COST + sum;
}
