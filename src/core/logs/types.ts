// Shapes shared by the Loki client, the log parser, error grouping and frame mapping.
import type { NsTimestamp } from './nanoseconds';

export type StreamLabels = Record<string, string>;

/** One log entry as Loki stores it: the stream's labels, a nanosecond timestamp and the line. */
export interface LokiEntry {
  stream: StreamLabels;
  ts: NsTimestamp;
  line: string;
}

export type LogLevel = 'CRITICAL' | 'ERROR' | 'WARNING' | 'INFO' | 'DEBUG' | 'TRACE' | 'UNKNOWN';

export interface StackFrame {
  /** The path as the process saw it (`/app/app/main.py`, `/srv/web/src/api.js`). */
  file: string;
  line: number;
  column?: number;
  function?: string;
  /** The source line Python prints under the frame, when present. */
  code?: string;
}

export interface Traceback {
  language: 'python' | 'javascript';
  exceptionType: string;
  exceptionMessage: string;
  /** Outermost call first, so the last frame is the one that raised. */
  frames: StackFrame[];
}

export interface ParsedLogEntry {
  ts: NsTimestamp;
  labels: StreamLabels;
  /** container, else service/service_name/app/job label: who wrote the line. */
  service: string;
  level: LogLevel;
  /** The first line without its timestamp, level and logger prefix. Plain text: never interpreted as markup. */
  message: string;
  /** The whole entry (all lines), after truncation. Plain text. */
  text: string;
  /** The timestamp written inside the line, as written (`2026-12-03 16:31:32,580`). */
  loggedAt?: string;
  logger?: string;
  requestId?: string;
  traceId?: string;
  traceback?: Traceback;
  /** True when a line was cut at maxLineLength or lines were dropped past maxLines. */
  truncated: boolean;
}
