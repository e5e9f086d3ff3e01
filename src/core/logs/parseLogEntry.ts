// Turns one Loki entry (a line, possibly many lines) into level, message, ids and a traceback.
// Lines are data: nothing here interprets markup, and every string comes out as plain text.
import type { NsTimestamp } from './nanoseconds';
import type { LogLevel, ParsedLogEntry, StackFrame, StreamLabels, Traceback } from './types';

export interface LogLimits {
  /** Characters kept of one line. */
  maxLineLength: number;
  /** Lines kept of one entry. */
  maxLines: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { maxLineLength: 4000, maxLines: 2000 };

const SERVICE_LABELS = ['container', 'container_name', 'service', 'service_name', 'app', 'job'];

const LEADING_TIMESTAMP =
  /^\[?(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s*/;
const LEVEL_WORDS: Record<string, LogLevel> = {
  CRITICAL: 'CRITICAL',
  FATAL: 'CRITICAL',
  PANIC: 'CRITICAL',
  EMERG: 'CRITICAL',
  ALERT: 'CRITICAL',
  CRIT: 'CRITICAL',
  ERROR: 'ERROR',
  ERR: 'ERROR',
  EROR: 'ERROR',
  WARNING: 'WARNING',
  WARN: 'WARNING',
  INFO: 'INFO',
  NOTICE: 'INFO',
  DEBUG: 'DEBUG',
  DBUG: 'DEBUG',
  TRACE: 'TRACE',
};
// A level word near the start of the line (after the timestamp), as most formatters put it.
const PLAIN_LEVEL = /^(?:[\w.-]+\s+)?[[(<]?(CRITICAL|FATAL|PANIC|ERROR|ERR|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE)[\])>]?:?(?=\s|$)/;
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)=["']?(\w+)/i;
const LOGGER_PREFIX = /^(?:\[([\w.:-]+)\]|([\w.]+):)\s+/;

const REQUEST_ID_PATTERNS = [
  /\brequest[_-]?id["']?\s*[=:]\s*["']?([\w.:/+-]{2,128})/i,
  /\bx-request-id["']?\s*[=:]\s*["']?([\w.:/+-]{2,128})/i,
  /\breq[_-]?id["']?\s*[=:]\s*["']?([\w.:/+-]{2,128})/i,
];
const TRACE_ID_PATTERNS = [/\btrace[_-]?id["']?\s*[=:]\s*["']?([0-9a-f]{8,64})\b/i];

const JSON_LEVEL_KEYS = ['level', 'lvl', 'severity', 'levelname', 'log.level', 'loglevel'];
const JSON_MESSAGE_KEYS = ['msg', 'message', 'event', 'log'];
const JSON_REQUEST_ID_KEYS = ['request_id', 'requestId', 'requestID', 'x_request_id', 'X-Request-Id', 'req_id', 'reqId'];
const JSON_TRACE_ID_KEYS = ['trace_id', 'traceId', 'traceID', 'otelTraceID', 'trace.id'];
const JSON_STACK_KEYS = ['exc_info', 'exception', 'stack', 'stack_trace', 'stacktrace', 'traceback', 'error.stack', 'err.stack'];
const JSON_LOGGER_KEYS = ['logger', 'name', 'logger_name'];
const JSON_TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp', 'asctime'];

export function serviceOf(labels: StreamLabels): string {
  for (const key of SERVICE_LABELS) if (labels[key]) return labels[key];
  return '';
}

/** Cuts each line at maxLineLength and the entry at maxLines, with visible markers. */
export function truncateEntry(text: string, limits: LogLimits): { text: string; truncated: boolean } {
  let truncated = false;
  let lines = text.split(/\r?\n/);
  if (lines.length > limits.maxLines) {
    // Keep both ends: a traceback's exception line comes last.
    const head = Math.ceil(limits.maxLines / 2);
    const tail = Math.max(0, limits.maxLines - head);
    const dropped = lines.length - head - tail;
    lines = [...lines.slice(0, head), `… [${dropped} more lines truncated]`, ...(tail ? lines.slice(-tail) : [])];
    truncated = true;
  }
  lines = lines.map((line) => {
    if (line.length <= limits.maxLineLength) return line;
    truncated = true;
    return `${line.slice(0, limits.maxLineLength)}… [truncated ${line.length - limits.maxLineLength} chars]`;
  });
  return { text: lines.join('\n'), truncated };
}

export function levelFromWord(word: string): LogLevel {
  return LEVEL_WORDS[word.toUpperCase()] ?? 'UNKNOWN';
}

function firstString(obj: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    let value: unknown = obj[key];
    if (value === undefined && key.includes('.')) {
      value = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
    }
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && key !== 'level') return String(value);
  }
  return undefined;
}

function parseJsonLine(firstLine: string): Record<string, unknown> | undefined {
  if (!firstLine.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(firstLine);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// pino and bunyan write numeric levels: 10 trace … 60 fatal.
function levelFromJson(value: unknown): LogLevel {
  if (typeof value === 'number') {
    if (value >= 60) return 'CRITICAL';
    if (value >= 50) return 'ERROR';
    if (value >= 40) return 'WARNING';
    if (value >= 30) return 'INFO';
    if (value >= 20) return 'DEBUG';
    return 'TRACE';
  }
  return typeof value === 'string' ? levelFromWord(value) : 'UNKNOWN';
}

function findId(text: string, patterns: RegExp[]): string | undefined {
  for (const pattern of patterns) {
    const m = pattern.exec(text);
    // The example backend writes request_id=- outside a request.
    if (m && m[1] !== '-' && !/^-+$/.test(m[1])) return m[1].replace(/[.,;:]+$/, '');
  }
  return undefined;
}

const PY_TRACEBACK_START = /^\s*Traceback \(most recent call last\):\s*$/;
const PY_FRAME = /^\s*File "([^"]+)", line (\d+)(?:, in (.+?))?\s*$/;
const PY_EXCEPTION = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;
const PY_CARETS = /^\s*[~^]+\s*$/;
const JS_FRAME = /^\s+at (?:(?:async )?(.+?) \()?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;
const JS_ERROR_HEAD = /(?:^|\s|:\s)((?:[A-Z][\w$]*)?(?:Error|Exception))(?::\s?(.*))?$/;

/** The last Python traceback in the lines (with chained exceptions, the one finally raised). */
export function parsePythonTraceback(lines: string[]): Traceback | undefined {
  let result: Traceback | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!PY_TRACEBACK_START.test(lines[i])) continue;
    const frames: StackFrame[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j];
      const frame = PY_FRAME.exec(line);
      if (frame) {
        frames.push({ file: frame[1], line: Number(frame[2]), ...(frame[3] ? { function: frame[3] } : {}) });
        continue;
      }
      if (/^\s/.test(line) || line === '') {
        const last = frames[frames.length - 1];
        if (last && last.code === undefined && !PY_CARETS.test(line) && line.trim() !== '' && !/^\s*\.\.\./.test(line)) {
          last.code = line.trim();
        }
        continue;
      }
      break;
    }
    const exception = j < lines.length ? PY_EXCEPTION.exec(lines[j].trim()) : null;
    if (frames.length > 0 || exception) {
      result = {
        language: 'python',
        exceptionType: exception ? exception[1] : 'UnknownError',
        exceptionMessage: exception?.[2] ?? '',
        frames,
      };
    }
    i = j;
  }
  return result;
}

/** A JavaScript `Error: …` with `at fn (file:line:col)` frames (Node and browsers in V8 format). */
export function parseJavaScriptStack(lines: string[]): Traceback | undefined {
  const first = lines.findIndex((l) => JS_FRAME.test(l));
  if (first < 0) return undefined;
  let exceptionType = 'Error';
  let exceptionMessage = '';
  for (let k = first - 1; k >= 0; k--) {
    const head = JS_ERROR_HEAD.exec(lines[k].trim());
    if (head) {
      exceptionType = head[1];
      exceptionMessage = head[2] ?? '';
      break;
    }
  }
  const frames: StackFrame[] = [];
  for (let k = first; k < lines.length; k++) {
    const m = JS_FRAME.exec(lines[k]);
    if (!m) {
      if (/^\s+at /.test(lines[k]) || /^\s*\.\.\. \d+ more/.test(lines[k])) continue;
      break;
    }
    frames.push({
      file: m[2].replace(/^file:\/\//, ''),
      line: Number(m[3]),
      column: Number(m[4]),
      ...(m[1] ? { function: m[1] } : {}),
    });
  }
  // V8 lists the throwing frame first; we keep Python's order (outermost first).
  frames.reverse();
  return { language: 'javascript', exceptionType, exceptionMessage, frames };
}

/**
 * Parses one entry. `line` may hold many lines (a traceback shipped as one entry);
 * limits cut over-long lines and entries with visible markers.
 */
export function parseLogEntry(
  line: string,
  labels: StreamLabels,
  tsNs: NsTimestamp,
  limits: LogLimits = DEFAULT_LOG_LIMITS,
): ParsedLogEntry {
  const { text, truncated } = truncateEntry(line.replace(/\s+$/, ''), limits);
  const lines = text.split('\n');
  const firstLine = lines[0] ?? '';
  const entry: ParsedLogEntry = {
    ts: tsNs,
    labels: { ...labels },
    service: serviceOf(labels),
    level: 'UNKNOWN',
    message: firstLine,
    text,
    truncated,
  };

  const json = parseJsonLine(firstLine);
  let stackText: string[] = lines;
  if (json) {
    const levelKey = JSON_LEVEL_KEYS.find((k) => json[k] !== undefined);
    entry.level = levelKey ? levelFromJson(json[levelKey]) : 'UNKNOWN';
    entry.message = firstString(json, JSON_MESSAGE_KEYS) ?? firstLine;
    entry.requestId = firstString(json, JSON_REQUEST_ID_KEYS);
    entry.traceId = firstString(json, JSON_TRACE_ID_KEYS);
    entry.logger = firstString(json, JSON_LOGGER_KEYS);
    entry.loggedAt = firstString(json, JSON_TIME_KEYS);
    const stack = firstString(json, JSON_STACK_KEYS);
    if (stack) stackText = stack.split(/\r?\n/);
    else if (entry.message.includes('\n')) stackText = entry.message.split(/\r?\n/);
    entry.message = entry.message.split(/\r?\n/)[0];
  } else {
    let rest = firstLine;
    const ts = LEADING_TIMESTAMP.exec(rest);
    if (ts) {
      entry.loggedAt = ts[1];
      rest = rest.slice(ts[0].length);
    }
    const level = PLAIN_LEVEL.exec(rest);
    if (level) {
      entry.level = levelFromWord(level[1]);
      rest = rest.slice(level[0].length).trimStart();
    } else {
      const logfmt = LOGFMT_LEVEL.exec(firstLine);
      if (logfmt) entry.level = levelFromWord(logfmt[1]);
    }
    const logger = LOGGER_PREFIX.exec(rest);
    if (logger && level) {
      entry.logger = logger[1] ?? logger[2];
      rest = rest.slice(logger[0].length);
    }
    // Correlation ids are kept as fields; the message reads better without them.
    rest = rest.replace(/^(?:(?:request_id|req_id|trace_id|span_id)=\S+\s+)+/i, '');
    const logfmtMsg = /(?:^|\s)msg=(?:"((?:[^"\\]|\\.)*)"|(\S+))/.exec(firstLine);
    entry.message = logfmtMsg ? (logfmtMsg[1] ?? logfmtMsg[2]).replace(/\\"/g, '"') : rest;
    entry.requestId = findId(firstLine, REQUEST_ID_PATTERNS) ?? findId(text, REQUEST_ID_PATTERNS);
    entry.traceId = findId(firstLine, TRACE_ID_PATTERNS) ?? findId(text, TRACE_ID_PATTERNS);
  }

  entry.traceback = parsePythonTraceback(stackText) ?? parseJavaScriptStack(stackText);
  if (entry.traceback && entry.level === 'UNKNOWN') entry.level = 'ERROR';
  if (entry.traceback && PY_TRACEBACK_START.test(firstLine) && !json) {
    entry.message = `${entry.traceback.exceptionType}: ${entry.traceback.exceptionMessage}`.replace(/: $/, '');
  }
  for (const key of ['loggedAt', 'logger', 'requestId', 'traceId', 'traceback'] as const) {
    if (entry[key] === undefined) delete entry[key];
  }
  return entry;
}

const CONTINUATION_MARKERS = [
  PY_TRACEBACK_START,
  /^During handling of the above exception, another exception occurred:/,
  /^The above exception was the direct cause of the following exception:/,
  /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Fault)(?::|$)/,
];

/** True for a line that belongs to the record before it: indented, a traceback header, an exception line. */
export function isContinuationLine(line: string): boolean {
  if (line.trim() === '') return false;
  if (LEADING_TIMESTAMP.test(line) && /^\S/.test(line)) return false;
  if (/^\s/.test(line)) return true;
  return CONTINUATION_MARKERS.some((p) => p.test(line));
}

export interface JoinOptions {
  /** Largest gap between one line and the next of the same record. */
  maxGapMs: number;
  /** Lines joined onto one record at most. */
  maxLines: number;
}

const EXCEPTION_HEAD = /^(?:Uncaught )?(?:[A-Z][\w$]*)?(?:Error|Exception)(?::\s|$)/;

function isRecordHead(line: string): boolean {
  const first = line.split('\n', 1)[0];
  const rest = first.replace(LEADING_TIMESTAMP, '');
  const level = PLAIN_LEVEL.exec(rest);
  if (level) return ['ERROR', 'CRITICAL', 'WARNING'].includes(levelFromWord(level[1]));
  if (PY_TRACEBACK_START.test(first)) return true;
  // Node's console.error(err) writes the stack alone, starting with `TypeError: …`; its `at` lines follow.
  if (EXCEPTION_HEAD.test(first)) return true;
  const logfmt = LOGFMT_LEVEL.exec(first);
  return logfmt !== null && ['ERROR', 'CRITICAL', 'WARNING'].includes(levelFromWord(logfmt[1]));
}

/**
 * Joins continuation lines (a traceback shipped one entry per line) onto the ERROR/WARNING line
 * of the same stream they follow within maxGapMs. Entries already holding newlines pass through.
 * The result is ordered by time (oldest first); each joined entry keeps its head's timestamp.
 */
export function joinContinuationLines<T extends { stream: StreamLabels; ts: NsTimestamp; line: string }>(
  entries: readonly T[],
  options: JoinOptions = { maxGapMs: 2000, maxLines: DEFAULT_LOG_LIMITS.maxLines },
): T[] {
  const byStream = new Map<string, { entry: T; index: number }[]>();
  entries.forEach((entry, index) => {
    const key = streamKey(entry.stream);
    let list = byStream.get(key);
    if (!list) byStream.set(key, (list = []));
    list.push({ entry, index });
  });
  const maxGapNs = BigInt(Math.round(options.maxGapMs * 1e6));
  const out: T[] = [];
  for (const list of byStream.values()) {
    list.sort((a, b) => {
      const d = BigInt(a.entry.ts) - BigInt(b.entry.ts);
      return d < 0n ? -1 : d > 0n ? 1 : a.index - b.index;
    });
    let head: { entry: T; lines: string[]; lastTs: bigint } | undefined;
    const flush = () => {
      if (head) out.push(head.lines.length > 1 ? { ...head.entry, line: head.lines.join('\n') } : head.entry);
      head = undefined;
    };
    for (const { entry } of list) {
      const ts = BigInt(entry.ts);
      if (head && ts - head.lastTs <= maxGapNs && isContinuationLine(entry.line) && head.lines.length < options.maxLines) {
        head.lines.push(entry.line);
        head.lastTs = ts;
        continue;
      }
      flush();
      if (isRecordHead(entry.line)) head = { entry, lines: [entry.line], lastTs: ts };
      else out.push(entry);
    }
    flush();
  }
  return out.sort((a, b) => {
    const d = BigInt(a.ts) - BigInt(b.ts);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
}

/** A stable key for a label set, independent of key order. */
export function streamKey(labels: StreamLabels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

/** Joins continuation lines, then parses every entry; newest first. */
export function parseLokiEntries(
  entries: readonly { stream: StreamLabels; ts: NsTimestamp; line: string }[],
  limits: LogLimits = DEFAULT_LOG_LIMITS,
  join: Partial<JoinOptions> = {},
): ParsedLogEntry[] {
  const joined = joinContinuationLines(entries, { maxGapMs: join.maxGapMs ?? 2000, maxLines: join.maxLines ?? limits.maxLines });
  return joined.map((e) => parseLogEntry(e.line, e.stream, e.ts, limits)).reverse();
}
