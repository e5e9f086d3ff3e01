// What the Logs tree shows, as plain data: service → error signature (×N, last seen) → lines → frames,
// or one state node (Loki off, unreachable, 429, bad query, no errors). The adapter only turns nodes into TreeItems.
import * as path from 'node:path';
import { errorSignature, type ErrorGroup } from './groupErrors';
import type { LokiError } from './lokiClient';
import type { FrameLocation } from './mapFrameToWorkspace';
import { panelEntryKey } from './logPanel';
import { compareNs, msFromNs, type NsTimestamp } from './nanoseconds';
import type { RecentErrors } from './recentErrors';
import type { ParsedLogEntry, StackFrame } from './types';

/** Where a frame lives in the workspace, as mapFrameToWorkspace found it. */
export interface FrameTarget {
  file: string;
  relativePath: string;
  line: number;
  column?: number;
  /** How the logged path was found: a path mapping, a path already in the workspace, or a unique path suffix. */
  via?: 'mapping' | 'workspace' | 'suffix';
}

export type FrameResolver = (frame: Pick<StackFrame, 'file' | 'line' | 'column'>) => FrameTarget | undefined;

/** True for a file strictly inside one of the folders (after normalizing `..`). */
export function isInsideFolders(file: string, folders: readonly string[]): boolean {
  return folders.some((folder) => {
    const rel = path.relative(folder, path.resolve(file));
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  });
}

/**
 * The file a frame may open: only what mapFrameToWorkspace found, and only inside a workspace folder (a mapping to
 * an absolute folder elsewhere, or a `..` in a logged path, opens nothing).
 */
export function frameTargetFrom(location: FrameLocation, frame: Pick<StackFrame, 'line' | 'column'>, folders: readonly string[]): FrameTarget | undefined {
  if (!location.mapped || !isInsideFolders(location.file, folders)) return undefined;
  if (!Number.isInteger(frame.line) || frame.line < 1) return undefined;
  return { file: location.file, relativePath: location.relativePath, line: frame.line, ...(frame.column ? { column: frame.column } : {}), via: location.via };
}

export type LogsNodeKind = 'state' | 'service' | 'group' | 'entry' | 'frame' | 'more';

export interface LogsNode {
  /** Stable across refreshes for the same service/signature/entry/frame. */
  id: string;
  kind: LogsNodeKind;
  label: string;
  description?: string;
  /** Plain text; the adapter escapes it before it reaches a MarkdownString. */
  tooltip?: string;
  icon?: { id: string; color?: string };
  children?: LogsNode[];
  expanded?: boolean;
  /** Frames that map to a workspace file: clicking opens it at the line. */
  open?: FrameTarget;
  /** For entry nodes: the entry's panelEntryKey, so the log panel can show it. */
  entryKey?: string;
  /** What "Copy" puts on the clipboard. */
  copyText?: string;
  /** Same fingerprint = nothing to redraw. */
  fingerprint: string;
}

export interface LogsTreeOptions {
  /** Minutes the query looks back (for the "no errors" text). */
  windowMinutes: number;
  resolveFrame: FrameResolver;
  /** Lines listed under one signature; the rest is a "… N more" node. Default 20. */
  maxEntriesPerGroup?: number;
  /** Frames listed under one line, innermost first. Default 30. */
  maxFramesPerEntry?: number;
  /** Formats a time for labels; default local HH:MM:SS. */
  clock?: (ms: number) => string;
}

export type LogsViewState =
  | { kind: 'off'; reason: string }
  | { kind: 'loading' }
  | { kind: 'error'; error: LokiError; url: string }
  | { kind: 'ready'; result: RecentErrors };

function defaultClock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

function fingerprintOf(node: Omit<LogsNode, 'fingerprint'>): string {
  return [node.label, node.description ?? '', node.tooltip ?? '', node.icon?.id ?? '', node.icon?.color ?? '', node.open ? `${node.open.file}:${node.open.line}` : '', (node.children ?? []).map((c) => c.id).join(',')].join('\u0000');
}

function node(input: Omit<LogsNode, 'fingerprint'>): LogsNode {
  return { ...input, fingerprint: fingerprintOf(input) };
}

/** The single node that explains why there is nothing to list (never an exception). */
export function lokiStateNode(state: Exclude<LogsViewState, { kind: 'ready' }>, windowMinutes: number): LogsNode {
  if (state.kind === 'off') return node({ id: 'state', kind: 'state', label: 'Loki is off', description: state.reason, tooltip: state.reason, icon: { id: 'circle-slash' } });
  if (state.kind === 'loading') return node({ id: 'state', kind: 'state', label: 'Reading errors from Loki…', icon: { id: 'sync~spin' } });
  const { error, url } = state;
  const warn = { id: 'warning', color: 'problemsWarningIcon.foreground' };
  const fail = { id: 'error', color: 'problemsErrorIcon.foreground' };
  switch (error.kind) {
    case 'refused':
    case 'timeout':
    case 'dns':
    case 'tls':
    case 'other':
      return node({ id: 'state', kind: 'state', label: 'Loki unreachable', description: url, tooltip: error.message, icon: fail });
    case 'rate-limited':
      return node({
        id: 'state',
        kind: 'state',
        label: 'Loki is rate-limiting (429)',
        description: error.retryAfterSeconds !== undefined ? `retry in ${error.retryAfterSeconds} s` : 'retrying later',
        tooltip: error.message,
        icon: warn,
      });
    case 'bad-query':
    case 'loki-error':
      return node({ id: 'state', kind: 'state', label: 'Loki refused the query', description: 'check zenops.loki.query', tooltip: error.message, icon: fail });
    case 'unauthorized':
      return node({ id: 'state', kind: 'state', label: `Loki needs credentials (${error.status ?? 401})`, description: 'run ZenOps: Set Loki Credentials', tooltip: error.message, icon: warn });
    case 'http':
      return node({ id: 'state', kind: 'state', label: `Loki answered ${error.status ?? 'an error'}`, description: url, tooltip: error.message, icon: fail });
    default:
      return node({ id: 'state', kind: 'state', label: 'Loki answered something unreadable', description: url, tooltip: error.message, icon: fail });
  }
}

function frameLabel(frame: StackFrame): string {
  const name = frame.file.split(/[\\/]/).filter(Boolean).pop() ?? frame.file;
  return `${name}:${frame.line}${frame.function ? ` in ${frame.function}` : ''}`;
}

function frameNodes(entryId: string, entry: ParsedLogEntry, options: LogsTreeOptions): LogsNode[] {
  const frames = entry.traceback?.frames ?? [];
  const max = options.maxFramesPerEntry ?? 30;
  // Innermost first: the frame that raised is what a reader wants first.
  return [...frames].reverse().slice(0, max).map((frame, i) => {
    const target = options.resolveFrame(frame);
    const where = `${frame.file}:${frame.line}`;
    return node({
      id: `${entryId}\u0000f${i}`,
      kind: 'frame',
      label: frameLabel(frame),
      description: target ? target.relativePath : frame.file,
      tooltip: [where, frame.code ?? '', target ? `Opens ${target.relativePath}:${target.line}` : 'Not a workspace file'].filter(Boolean).join('\n'),
      icon: target ? { id: 'go-to-file' } : { id: 'dash' },
      ...(target ? { open: target } : {}),
      copyText: where,
    });
  });
}

/** Tooltip text of one entry: the whole entry, with the fields a reader looks for. */
export function entryTooltip(entry: ParsedLogEntry): string {
  const head = [
    `${entry.level}  ${new Date(msFromNs(entry.ts)).toISOString()}`,
    entry.service ? `service: ${entry.service}` : '',
    entry.requestId ? `request id: ${entry.requestId}` : '',
    entry.traceId ? `trace id: ${entry.traceId}` : '',
  ].filter(Boolean);
  return `${head.join('\n')}\n\n${entry.text}${entry.truncated ? '\n(truncated)' : ''}`;
}

function entryNode(groupId: string, entry: ParsedLogEntry, seq: number, options: LogsTreeOptions): LogsNode {
  const id = `${groupId}\u0000${entry.ts}\u0000${seq}`;
  const frames = frameNodes(id, entry, options);
  const clock = options.clock ?? defaultClock;
  return node({
    id,
    kind: 'entry',
    label: `${clock(msFromNs(entry.ts))}  ${entry.message}`,
    ...(entry.requestId ? { description: entry.requestId } : {}),
    tooltip: entryTooltip(entry),
    icon: { id: 'debug-stackframe-dot' },
    ...(frames.length > 0 ? { children: frames } : {}),
    entryKey: panelEntryKey(entry),
    copyText: entry.text,
  });
}

function newestFirst(a: NsTimestamp, b: NsTimestamp): number {
  return compareNs(b, a);
}

/** The tree for a state: one state node, or services → signatures → lines → frames. */
export function buildLogsTree(state: LogsViewState, options: LogsTreeOptions): LogsNode[] {
  if (state.kind !== 'ready') return [lokiStateNode(state, options.windowMinutes)];
  const { groups, entries } = state.result;
  if (groups.length === 0) {
    return [
      node({
        id: 'state',
        kind: 'state',
        label: `No errors in the last ${options.windowMinutes} min`,
        description: entries.length > 0 ? `${entries.length} other line(s)` : undefined,
        tooltip: 'Loki answered; the query matched no ERROR or CRITICAL lines in the window.',
        icon: { id: 'pass', color: 'testing.iconPassed' },
      }),
    ];
  }
  const bySignature = new Map<string, ErrorGroup>(groups.map((g) => [g.signature, g]));
  // service → signature → entries (newest first)
  const tree = new Map<string, Map<string, ParsedLogEntry[]>>();
  for (const entry of entries) {
    const group = bySignature.get(errorSignature(entry).signature);
    if (!group || !['ERROR', 'CRITICAL'].includes(entry.level)) continue;
    const service = entry.service || '(no service label)';
    let perService = tree.get(service);
    if (!perService) tree.set(service, (perService = new Map()));
    const list = perService.get(group.signature) ?? [];
    list.push(entry);
    perService.set(group.signature, list);
  }
  const clock = options.clock ?? defaultClock;
  const maxEntries = options.maxEntriesPerGroup ?? 20;
  const services = [...tree.keys()].sort();
  return services.map((service) => {
    const serviceId = `svc\u0000${service}`;
    const perService = tree.get(service)!;
    const groupNodes = [...perService.entries()]
      .map(([signature, list]) => ({ group: bySignature.get(signature)!, list: list.sort((a, b) => newestFirst(a.ts, b.ts)) }))
      .sort((a, b) => compareNs(b.list[0].ts, a.list[0].ts))
      .map(({ group, list }, index) => {
        const groupId = `${serviceId}\u0000${group.signature}`;
        const seen = new Map<string, number>();
        const children = list.slice(0, maxEntries).map((entry) => {
          const seq = seen.get(entry.ts) ?? 0;
          seen.set(entry.ts, seq + 1);
          return entryNode(groupId, entry, seq, options);
        });
        if (list.length > maxEntries) {
          children.push(node({ id: `${groupId}\u0000more`, kind: 'more', label: `… ${list.length - maxEntries} more`, tooltip: 'Open the ZenOps log panel to read them all.' }));
        }
        const last = list[0];
        return node({
          id: groupId,
          kind: 'group',
          label: group.title,
          description: `×${list.length} · last ${clock(msFromNs(last.ts))}`,
          tooltip: [
            group.title,
            `${list.length} time(s) in ${service}; first ${new Date(msFromNs(list[list.length - 1].ts)).toISOString()}, last ${new Date(msFromNs(last.ts)).toISOString()}`,
            group.exceptionMessage ? `${group.exceptionType}: ${group.exceptionMessage}` : '',
            group.related.length > 0 ? `Also logged: ${group.related.join(' | ')}` : '',
            '',
            entryTooltip(last),
          ].filter((l, i) => l !== '' || i === 4).join('\n'),
          icon: { id: 'bug', color: 'problemsErrorIcon.foreground' },
          // The most recent signature opens with its lines; the rest stay folded.
          expanded: index === 0,
          children,
          copyText: last.text,
        });
      });
    const count = [...perService.values()].reduce((n, list) => n + list.length, 0);
    return node({
      id: serviceId,
      kind: 'service',
      label: service,
      description: `${count} error(s) · ${groupNodes.length} signature(s)`,
      icon: { id: 'server-process' },
      expanded: true,
      children: groupNodes,
    });
  });
}

/** Nodes whose fingerprint changed (a changed node redraws with its subtree), or all when the roots changed. */
export function diffLogsTrees(before: LogsNode[] | undefined, after: LogsNode[]): { all: boolean; changed: LogsNode[] } {
  if (!before || before.map((n) => n.id).join('\u0001') !== after.map((n) => n.id).join('\u0001')) return { all: true, changed: [] };
  const old = new Map<string, string>();
  const index = (list: LogsNode[]) => {
    for (const n of list) {
      old.set(n.id, n.fingerprint);
      if (n.children) index(n.children);
    }
  };
  index(before);
  const changed: LogsNode[] = [];
  const walk = (list: LogsNode[]) => {
    for (const n of list) {
      if (old.get(n.id) !== n.fingerprint) changed.push(n);
      else if (n.children) walk(n.children);
    }
  };
  walk(after);
  return { all: false, changed };
}

const GRAFANA_TIME = { from: 'now-1h', to: 'now' };

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Grafana Explore on the Loki datasource running `query`, narrowed to one request id when given. */
export function grafanaLokiExploreUrl(grafanaUrl: string, query: string, requestId?: string, datasource = 'Loki'): string | undefined {
  if (!/^https?:\/\//i.test(grafanaUrl.trim())) return undefined;
  const expr = requestId ? `${query} |= ${JSON.stringify(requestId)}` : query;
  const left = { datasource, queries: [{ refId: 'A', expr }], range: GRAFANA_TIME };
  return `${trimSlash(grafanaUrl.trim())}/explore?orgId=1&left=${encodeURIComponent(JSON.stringify(left))}`;
}

/** Grafana Explore on the Tempo datasource showing one trace. */
export function grafanaTraceUrl(grafanaUrl: string, traceId: string, datasource = 'Tempo'): string | undefined {
  if (!/^https?:\/\//i.test(grafanaUrl.trim()) || !/^[0-9a-f]{8,64}$/i.test(traceId)) return undefined;
  const left = { datasource, queries: [{ refId: 'A', queryType: 'traceql', query: traceId }], range: GRAFANA_TIME };
  return `${trimSlash(grafanaUrl.trim())}/explore?orgId=1&left=${encodeURIComponent(JSON.stringify(left))}`;
}
