// Helpers for call-finder tests: scan a fixture folder once, pick calls by file and line, read URLs as text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanWorkspace } from '../../../src/core/contract/scanWorkspace';
import type { ApiCall, HttpMethod, ScanResult, Span, UrlPart } from '../../../src/core/contract/types';

export const CALL_FIXTURES = path.resolve(__dirname, '../../fixtures/calls');
export const DEFAULT_INCLUDE = ['**/*.{js,jsx,ts,tsx,mjs,cjs,vue,svelte}'];
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/dist/**'];

/** A folder in the system's temp directory holding `files` (paths relative to it); the caller removes it. */
export function tempWorkspace(files: Record<string, string>, prefix = 'zenops-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export function scanFixture(name: string): Promise<ScanResult> {
  return scanWorkspace(path.join(CALL_FIXTURES, name), { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });
}

/** The path as text, placeholders as `${source}` (the way they were written). */
export function pathText(call: ApiCall): string {
  if (call.url.kind !== 'resolved') return `unresolved: ${call.url.reason}`;
  return call.url.path.map((p: UrlPart) => (p.kind === 'text' ? p.text : `\${${p.source}}`)).join('');
}

export function callsIn(scan: ScanResult, root: string, rel: string): ApiCall[] {
  const file = path.join(CALL_FIXTURES, root, rel);
  return scan.calls.filter((c) => c.file === file);
}

/** The one call that starts on `line` of `rel`. */
export function callOn(scan: ScanResult, root: string, rel: string, line: number): ApiCall {
  const found = callsIn(scan, root, rel).filter((c) => c.callSpan.start.line === line);
  assert.equal(found.length, 1, `expected one call on ${rel}:${line}, found ${found.length}: ${callsIn(scan, root, rel).map((c) => c.callSpan.start.line).join(', ')}`);
  return found[0];
}

export function span(startLine: number, startColumn: number, endLine: number, endColumn: number): Span {
  return { start: { line: startLine, column: startColumn }, end: { line: endLine, column: endColumn } };
}

export interface Expected {
  client: string;
  method: HttpMethod | null;
  path: string;
  origin?: 'relative' | 'literal' | 'unknown';
  originText?: string;
  urlSpan?: Span;
  /** The source text the URL span covers. */
  urlText?: string;
  via?: string;
}

export function assertCall(call: ApiCall, expected: Expected): void {
  assert.equal(call.client, expected.client, 'client');
  assert.equal(call.method, expected.method, 'method');
  assert.equal(pathText(call), expected.path, 'path');
  assert.equal(call.url.kind, 'resolved');
  if (call.url.kind === 'resolved') {
    assert.equal(call.url.origin.kind, expected.origin ?? 'relative', 'origin kind');
    if (expected.originText !== undefined) {
      const origin = call.url.origin;
      assert.equal(origin.kind === 'literal' ? origin.origin : origin.kind === 'unknown' ? origin.source : '', expected.originText, 'origin');
    }
  }
  if (expected.urlSpan) assert.deepEqual(call.urlSpan, expected.urlSpan, 'urlSpan');
  if (expected.urlText !== undefined) assert.equal(textAt(call.file, call.urlSpan), expected.urlText, 'text under urlSpan');
  assert.equal(call.via, expected.via, 'via');
}

/** The source text a span covers (spans are 1-based lines, 0-based columns). */
export function textAt(file: string, where: Span): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (where.start.line === where.end.line) return lines[where.start.line - 1].slice(where.start.column, where.end.column);
  const first = lines[where.start.line - 1].slice(where.start.column);
  const middle = lines.slice(where.start.line, where.end.line - 1);
  const last = lines[where.end.line - 1].slice(0, where.end.column);
  return [first, ...middle, last].join('\n');
}
