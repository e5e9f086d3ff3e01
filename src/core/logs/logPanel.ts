// The log panel's pure half: the webview's HTML (strict CSP, no log data in it), the rows the webview renders as
// text, a bounded row buffer, and the check of every message the webview posts back (it is never trusted).
import { randomBytes } from 'node:crypto';
import type { FrameResolver, FrameTarget } from './logsTree';
import { msFromNs, type NsTimestamp } from './nanoseconds';
import { streamKey } from './parseLogEntry';
import type { LogLevel, ParsedLogEntry } from './types';

/** One line of an entry past its first; `frameId` when it is a traceback frame that maps to a workspace file. */
export interface PanelLine {
  text: string;
  frameId?: string;
  frameLabel?: string;
}

/** What the webview gets for one entry: strings it renders with textContent, ids it posts back. */
export interface PanelRow {
  id: string;
  ts: NsTimestamp;
  /** ISO time. */
  time: string;
  service: string;
  level: LogLevel;
  /** The message without the time, level and logger the row shows apart. */
  message: string;
  /** The entry's first line as logged. */
  head: string;
  lines: PanelLine[];
  requestId?: string;
  traceId?: string;
  truncated: boolean;
}

/** The extension's record of a row: what the webview sees plus what only the extension may use. */
export interface PanelRecord {
  row: PanelRow;
  key: string;
  /** The whole entry, for "copy". */
  text: string;
  /** The stream's labels, for Explore links of this entry's stream. */
  labels: Record<string, string>;
  /** frameId → workspace file; the only files a webview message can open. */
  frames: Map<string, FrameTarget>;
}

const PY_FRAME_LINE = /^\s*File "([^"]+)", line (\d+)/;
const JS_FRAME_LINE = /^\s+at (?:.+? \()?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

/** A key that is the same for the same entry read twice (a poll and the tail). */
export function panelEntryKey(entry: ParsedLogEntry): string {
  return `${streamKey(entry.labels)}\u0000${entry.ts}\u0000${entry.text.split('\n', 1)[0]}`;
}

/** Turns a parsed entry into a row; frame lines that resolve to workspace files get ids. */
export function panelRecordFrom(entry: ParsedLogEntry, id: string, resolveFrame: FrameResolver): PanelRecord {
  const all = entry.text.split('\n');
  const frames = new Map<string, FrameTarget>();
  const lines: PanelLine[] = all.slice(1).map((text, i) => {
    const py = PY_FRAME_LINE.exec(text);
    const js = py ? null : JS_FRAME_LINE.exec(text);
    const found = py ? { file: py[1], line: Number(py[2]) } : js ? { file: js[1].replace(/^file:\/\//, ''), line: Number(js[2]), column: Number(js[3]) } : undefined;
    const target = found ? resolveFrame(found) : undefined;
    if (!target) return { text };
    const frameId = `${id}:${i + 1}`;
    frames.set(frameId, target);
    return { text, frameId, frameLabel: `${target.relativePath}:${target.line}` };
  });
  const row: PanelRow = {
    id,
    ts: entry.ts,
    time: new Date(msFromNs(entry.ts)).toISOString(),
    service: entry.service,
    level: entry.level,
    message: entry.message,
    head: all[0] ?? '',
    lines,
    truncated: entry.truncated,
    ...(entry.requestId ? { requestId: entry.requestId } : {}),
    ...(entry.traceId ? { traceId: entry.traceId } : {}),
  };
  return { row, key: panelEntryKey(entry), text: entry.text, labels: { ...entry.labels }, frames };
}

/**
 * The panel's rows, oldest first, holding at most `maxLines` text lines in all (the oldest rows go first), so an
 * hour of tail costs no more memory than a minute. Each entry is already cut by parseLogEntry's limits.
 */
export class PanelBuffer {
  private readonly records: PanelRecord[] = [];
  private readonly byId = new Map<string, PanelRecord>();
  private readonly keys = new Map<string, string>();
  private lineCount = 0;
  private nextId = 1;

  constructor(private maxLines: number) {}

  get size(): number {
    return this.records.length;
  }

  get lines(): number {
    return this.lineCount;
  }

  setMaxLines(maxLines: number): void {
    this.maxLines = Math.max(1, maxLines);
    this.evict();
  }

  /** Adds entries not seen yet (any order); returns the new records, oldest first. */
  add(entries: readonly ParsedLogEntry[], resolveFrame: FrameResolver): PanelRecord[] {
    const fresh = entries
      .filter((e) => !this.keys.has(panelEntryKey(e)))
      .sort((a, b) => (BigInt(a.ts) < BigInt(b.ts) ? -1 : BigInt(a.ts) > BigInt(b.ts) ? 1 : 0));
    const added: PanelRecord[] = [];
    for (const entry of fresh) {
      const key = panelEntryKey(entry);
      if (this.keys.has(key)) continue;
      const record = panelRecordFrom(entry, `r${this.nextId++}`, resolveFrame);
      this.keys.set(key, record.row.id);
      this.byId.set(record.row.id, record);
      // Rows stay in time order even when a late poll brings an older entry than the tail already showed.
      let at = this.records.length;
      while (at > 0 && BigInt(this.records[at - 1].row.ts) > BigInt(entry.ts)) at--;
      this.records.splice(at, 0, record);
      this.lineCount += record.row.lines.length + 1;
      added.push(record);
    }
    this.evict();
    return added.filter((r) => this.byId.has(r.row.id));
  }

  get(id: string): PanelRecord | undefined {
    return this.byId.get(id);
  }

  /** The record of an entry by its panelEntryKey (the Logs tree knows entries by key). */
  findByKey(key: string): PanelRecord | undefined {
    const id = this.keys.get(key);
    return id ? this.byId.get(id) : undefined;
  }

  rows(): PanelRow[] {
    return this.records.map((r) => r.row);
  }

  clear(): void {
    this.records.length = 0;
    this.byId.clear();
    this.keys.clear();
    this.lineCount = 0;
  }

  private evict(): void {
    while (this.lineCount > this.maxLines && this.records.length > 1) {
      const old = this.records.shift()!;
      this.byId.delete(old.row.id);
      this.keys.delete(old.key);
      this.lineCount -= old.row.lines.length + 1;
    }
  }
}

/** Messages the webview may post. Anything else is dropped. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'openFrame'; frameId: string }
  | { type: 'copy'; rowId: string }
  | { type: 'openTrace'; rowId: string }
  | { type: 'openExplore'; rowId?: string; byRequest: boolean };

const ROW_ID = /^r\d{1,12}$/;
const FRAME_ID = /^r\d{1,12}:\d{1,6}$/;

/** The typed message, or undefined for anything malformed: the webview renders hostile text, so it is not trusted. */
export function parsePanelMessage(value: unknown): PanelMessage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
      return { type: m.type };
    case 'openFrame':
      return typeof m.frameId === 'string' && FRAME_ID.test(m.frameId) ? { type: 'openFrame', frameId: m.frameId } : undefined;
    case 'copy':
    case 'openTrace':
      return typeof m.rowId === 'string' && ROW_ID.test(m.rowId) ? { type: m.type, rowId: m.rowId } : undefined;
    case 'openExplore':
      if (m.rowId !== undefined && !(typeof m.rowId === 'string' && ROW_ID.test(m.rowId))) return undefined;
      return { type: 'openExplore', ...(typeof m.rowId === 'string' ? { rowId: m.rowId } : {}), byRequest: m.byRequest === true };
    default:
      return undefined;
  }
}

/** Escapes a value for a double-quoted attribute (quotes of the CSP's 'self'-style keywords stay readable). */
function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** A fresh CSP nonce (base64 of 18 random bytes). */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface LogPanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri of media/logPanel.js and media/logPanel.css, as strings. */
  scriptUri: string;
  styleUri: string;
  /** Shown until the first rows arrive (e.g. the LogQL query); rendered as text. */
  initialStatus: string;
}

/** The content security policy of the panel: nothing but our nonce'd script and our style sheet. */
export function logPanelCsp(cspSource: string, nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource} 'nonce-${nonce}'`;
}

/**
 * The panel's HTML. It carries no log data: rows arrive by postMessage and the script renders them with
 * textContent. Every value put in here is escaped all the same.
 */
export function buildLogPanelHtml(input: LogPanelHtmlInput): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(input.nonce)) throw new Error('the nonce must be at least 16 base64 characters');
  const nonce = escapeAttribute(input.nonce);
  const csp = escapeAttribute(logPanelCsp(input.cspSource, input.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(input.styleUri)}">
<title>ZenOps Logs</title>
</head>
<body>
<div class="toolbar" role="toolbar" aria-label="Log panel controls">
  <button type="button" id="pause" title="Pause the live list (new lines wait until you resume)">Pause</button>
  <button type="button" id="refresh" title="Read Loki again">Refresh</button>
  <button type="button" id="explore" title="Open the query in Grafana Explore">Explore</button>
  <input type="search" id="filter" placeholder="Filter text" aria-label="Filter text" spellcheck="false">
  <select id="level" aria-label="Level">
    <option value="" selected>All levels</option>
    <option value="ERROR">Errors</option>
    <option value="WARNING">Warnings and errors</option>
  </select>
  <select id="service" aria-label="Service"><option value="">All services</option></select>
</div>
<div id="request" class="request" hidden><span id="request-label"></span> <button type="button" id="request-clear">Show all</button></div>
<div id="status" class="status" role="status">${escapeHtml(input.initialStatus)}</div>
<div id="rows" class="rows" role="list"></div>
<script nonce="${nonce}" src="${escapeAttribute(input.scriptUri)}"></script>
</body>
</html>
`;
}
