// Finds where each path and operation sits in a spec's text, for "open the operation" links.
// JSON gets a single-pass scanner (a full position-keeping parse of a 10 MB spec is too slow);
// YAML gets the ranges the `yaml` parser keeps anyway.
import { isMap, isScalar, type Document, type LineCounter } from 'yaml';

/** 1-based lines of a path key and of its method keys, keyed by the path as written. */
export interface PathLines {
  line: number;
  methods: Map<string, number>;
}

export type SpecLineMap = Map<string, PathLines>;

/** Scans JSON text (already known to be valid) for the keys under the top-level `paths` object. */
export function locateJsonPaths(text: string): SpecLineMap {
  const found: SpecLineMap = new Map();
  const n = text.length;
  // keys[d] is the last key read in the container at depth d (1 = the document object).
  const keys: (string | undefined)[] = [];
  let depth = 0;
  let line = 1;
  let i = 0;
  let enteredPaths = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 34) {
      const end = closingQuote(text, i + 1);
      if (depth <= 3) {
        let k = end + 1;
        while (k < n && isJsonSpace(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) === 58) {
          const key = JSON.parse(text.slice(i, end + 1)) as string;
          keys[depth] = key;
          if (keys[1] === 'paths') {
            if (depth === 2) {
              found.set(key, { line, methods: new Map() });
              enteredPaths = true;
            } else if (depth === 3) {
              found.get(keys[2] as string)?.methods.set(key.toLowerCase(), line);
            }
          }
        }
      }
      i = end + 1;
    } else if (c === 123 || c === 91) {
      depth++;
      keys[depth] = undefined;
      i++;
    } else if (c === 125 || c === 93) {
      depth--;
      i++;
      // Everything after the paths object is of no interest.
      if (depth === 1 && enteredPaths && keys[1] === 'paths') break;
    } else {
      i++;
    }
  }
  return found;
}

function closingQuote(text: string, from: number): number {
  let j = from;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === 92; b--) backslashes++;
    if (backslashes % 2 === 0) return q;
    j = q + 1;
  }
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Reads path and method key lines from a parsed YAML document. */
export function locateYamlPaths(doc: Document, lines: LineCounter): SpecLineMap {
  const found: SpecLineMap = new Map();
  const root = doc.contents;
  if (!isMap(root)) return found;
  const pathsPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'paths');
  if (!pathsPair || !isMap(pathsPair.value)) return found;
  for (const pair of pathsPair.value.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const entry: PathLines = { line: lines.linePos(pair.key.range[0]).line, methods: new Map() };
    found.set(String(pair.key.value), entry);
    if (!isMap(pair.value)) continue;
    for (const op of pair.value.items) {
      if (isScalar(op.key) && op.key.range) {
        entry.methods.set(String(op.key.value).toLowerCase(), lines.linePos(op.key.range[0]).line);
      }
    }
  }
  return found;
}
