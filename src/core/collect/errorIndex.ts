// error_index.txt: every error signature the bundle's sources show, most frequent first, each with its
// count, first/last seen, services, request ids, source locations and a sample.
import type { ErrorGroup } from '../logs/groupErrors';
import { mapFrameToWorkspace, type PathMapping } from '../logs/mapFrameToWorkspace';
import { compareNs, isoFromNs, nsFromMs } from '../logs/nanoseconds';
import type { ParsedLogEntry, StackFrame } from '../logs/types';

/** Most frequent first; equal counts most recently seen first. */
export function sortByCount(groups: readonly ErrorGroup[]): ErrorGroup[] {
  return [...groups].sort((a, b) => b.count - a.count || compareNs(b.lastSeen, a.lastSeen) || a.signature.localeCompare(b.signature));
}

export interface SourceLocation {
  /** `examples/zenops/backend/app/main.py:212` (workspace-relative when mapped), else the path as logged. */
  where: string;
  function?: string;
  mapped: boolean;
}

export interface LocateOptions {
  root: string;
  mappings: readonly PathMapping[];
  /** Workspace files for suffix matching (see listWorkspaceFiles). */
  files: readonly string[];
}

/** The group's frames in the team's code, innermost first (library frames left out), at most `max`. */
export function sourceLocations(frames: readonly StackFrame[], options: LocateOptions, max = 5): SourceLocation[] {
  const out: SourceLocation[] = [];
  for (const frame of [...frames].reverse()) {
    const loc = mapFrameToWorkspace(frame.file, options.mappings, [options.root], { files: options.files });
    if (!loc.mapped && loc.reason === 'library') continue;
    const where = loc.mapped ? `${loc.relativePath}:${frame.line}` : `${frame.file}:${frame.line}`;
    if (out.some((o) => o.where === where)) continue;
    out.push({ where, mapped: loc.mapped, ...(frame.function ? { function: frame.function } : {}) });
    if (out.length >= max) break;
  }
  return out;
}

/** A synthetic error entry for what a non-log source reports (a down target, a firing alert, a failing dependency). */
export function sourceErrorEntry(service: string, message: string, atMs: number, labels: Record<string, string> = {}, text = message): ParsedLogEntry {
  return { ts: nsFromMs(atMs), labels: { source: service, ...labels }, service, level: 'ERROR', message, text, truncated: false };
}

export interface ErrorIndexHeader {
  generatedAt: Date;
  windowStart: Date;
  windowEnd: Date;
  /** One line per source: `loki: ok (logs/api.log, …)`. */
  sourceLines: string[];
  cancelled: boolean;
}

const SAMPLE_LINES = 40;
const SAMPLE_HEAD = 8;

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

export function formatErrorIndex(groups: readonly ErrorGroup[], header: ErrorIndexHeader, locate: LocateOptions): string {
  const sorted = sortByCount(groups);
  const total = sorted.reduce((n, g) => n + g.count, 0);
  const lines: string[] = [
    `ZenOps error index${header.cancelled ? ' (PARTIAL: the collection was cancelled)' : ''}`,
    `generated ${header.generatedAt.toISOString()}; window ${header.windowStart.toISOString()} … ${header.windowEnd.toISOString()}`,
    `${sorted.length} error signature${sorted.length === 1 ? '' : 's'}, ${total} occurrence${total === 1 ? '' : 's'}, most frequent first`,
    '',
    'sources:',
    ...header.sourceLines.map((l) => `  ${l}`),
    '',
  ];
  if (sorted.length === 0) lines.push('No errors found in the sources that answered.', '');
  sorted.forEach((g, i) => {
    lines.push(`#${i + 1}  ${g.title}  (${g.count}×)`);
    lines.push(`    signature:   ${g.signature}`);
    lines.push(`    count:       ${g.count}`);
    lines.push(`    first seen:  ${isoFromNs(g.firstSeen)}`);
    lines.push(`    last seen:   ${isoFromNs(g.lastSeen)}`);
    lines.push(`    services:    ${g.services.join(', ') || '(unknown)'}`);
    if (g.exceptionType) lines.push(`    exception:   ${g.exceptionType}${g.exceptionMessage ? `: ${g.exceptionMessage}` : ''}`);
    const locations = sourceLocations(g.frames, locate);
    if (locations.length > 0) {
      lines.push('    locations:');
      for (const l of locations) lines.push(`      ${l.where}${l.function ? ` in ${l.function}` : ''}${l.mapped ? '' : ' (not found in the workspace)'}`);
    }
    lines.push(`    request ids: ${g.requestIds.join(', ') || '(none logged)'}`);
    if (g.traceIds.length > 0) lines.push(`    trace ids:   ${g.traceIds.join(', ')}`);
    if (g.related.length > 0) lines.push(`    related:     ${g.related.join(' | ')}`);
    const sample = g.sample.text.split('\n');
    // A traceback's end (the raising frame and the exception) matters most: keep the head and the tail.
    const shown =
      sample.length > SAMPLE_LINES
        ? [...sample.slice(0, SAMPLE_HEAD), `… ${sample.length - SAMPLE_LINES} lines left out …`, ...sample.slice(-(SAMPLE_LINES - SAMPLE_HEAD))]
        : sample;
    lines.push(`    sample (${isoFromNs(g.sample.ts)}${g.sample.service ? `, ${g.sample.service}` : ''}):`);
    lines.push(indent(shown.join('\n'), '      | '));
    lines.push('');
  });
  return `${lines.join('\n').trimEnd()}\n`;
}
