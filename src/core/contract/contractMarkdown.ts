// What a user reads about the contract: the hover on a checked call and the Show Contract Report
// document, as Markdown. Pure text, so the CLI and tests can use it too.
import * as path from 'node:path';
import { groupOperationsByTag } from './operationUsage';
import { callLabel, locationOf, relativeFile } from './report/location';
import { countBySeverity, isProblem } from './report/severity';
import type { CallStatus, CheckedCall, ContractReport, LoadedSpec, SpecOperation, UrlPart } from './types';

const STATUS_TITLE: Record<CallStatus, string> = {
  ok: 'matches the spec',
  'missing-path': 'path not in the spec',
  'method-not-allowed': 'method not allowed',
  'trailing-slash': 'trailing slash differs',
  deprecated: 'deprecated operation',
  unresolved: 'URL not known statically',
  external: 'another host',
};

/** Inline code that survives backticks in the text. */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Markdown text with the characters Markdown would act on escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}

function operationTitle(op: SpecOperation): string {
  return `${inlineCode(`${op.method} ${op.path}`)}${op.summary ? ` ${escapeMarkdown(op.summary)}` : ''}`;
}

/** The code's expressions for each spec path parameter, paired by position: `payslip_id` ← `id`. */
function pairPathParameters(op: SpecOperation, parts: UrlPart[] | undefined): string[] {
  const specParams = [...op.path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
  const values = (parts ?? []).filter((p): p is { kind: 'placeholder'; source: string } => p.kind === 'placeholder').map((p) => p.source);
  // Placeholders from the base URL (an origin from the environment) come first: align from the end.
  const offset = values.length - specParams.length;
  return specParams.map((name, i) => {
    const param = op.parameters.find((p) => p.in === 'path' && p.name === name);
    const from = offset >= 0 && values[offset + i] !== undefined && !values[offset + i].startsWith('{') ? ` ← ${inlineCode(values[offset + i])}` : '';
    const about = param?.description ? `: ${escapeMarkdown(param.description)}` : '';
    return `${inlineCode(name)}${from}${about}`;
  });
}

function describeOperation(op: SpecOperation, call: CheckedCall | undefined, where: string | undefined): string[] {
  const lines = [`${op.deprecated ? '~~' : ''}${operationTitle(op)}${op.deprecated ? '~~ (deprecated)' : ''}`];
  if (op.description && op.description !== op.summary) lines.push('', escapeMarkdown(op.description.split('\n')[0]));
  const params = pairPathParameters(op, call?.url.kind === 'resolved' ? call.url.path : undefined);
  if (params.length > 0) lines.push('', `Path parameters: ${params.join(', ')}`);
  const query = op.parameters.filter((p) => p.in === 'query').map((p) => inlineCode(p.name) + (p.required ? ' (required)' : ''));
  if (query.length > 0) lines.push('', `Query parameters: ${query.join(', ')}`);
  if (op.responses.length > 0) lines.push('', `Responses: ${op.responses.map(inlineCode).join(', ')}`);
  if (op.tags.length > 0 || op.operationId || where) {
    const bits = [op.tags.length > 0 ? `tag ${op.tags.map(inlineCode).join(', ')}` : '', op.operationId ? `operationId ${inlineCode(op.operationId)}` : '', where ?? ''];
    lines.push('', bits.filter(Boolean).join(' · '));
  }
  return lines;
}

export interface HoverContext {
  /** How the spec's location reads (`backend/openapi.json`), for the operation's line. */
  specLabel?: string;
}

/** The hover on a checked call: the operation it reaches, or why it reaches none and the nearest ones. */
export function describeCallMarkdown(call: CheckedCall, context: HoverContext = {}): string {
  const { result } = call;
  const lines = [`**ZenOps API contract**: ${STATUS_TITLE[result.status]} · ${inlineCode(callLabel(call))}`, ''];
  const where = (op: SpecOperation): string | undefined =>
    context.specLabel ? `${escapeMarkdown(context.specLabel)}${op.line !== undefined ? ` line ${op.line}` : ''}` : undefined;
  // Flagged calls show their message in the diagnostic's own hover just above; others need it here.
  if (result.status === 'unresolved' || result.status === 'external') lines.push(escapeMarkdown(result.message), '');
  if (result.operation && result.status !== 'method-not-allowed') {
    lines.push(...describeOperation(result.operation, call, where(result.operation)), '');
  }
  if (result.status === 'method-not-allowed' && result.allowedMethods?.length) {
    lines.push(`The path allows ${result.allowedMethods.map((m) => inlineCode(m)).join(', ')}.`, '');
  }
  const candidates = (result.candidates ?? []).filter((c) => c !== result.operation);
  if (candidates.length > 0 && result.status !== 'ok') {
    lines.push(result.status === 'missing-path' ? 'Nearest operations:' : 'Operations on this path:', '');
    for (const op of candidates.slice(0, 5)) lines.push(`- ${operationTitle(op)}${op.deprecated ? ' (deprecated)' : ''}`);
    lines.push('');
  }
  if (call.via) lines.push(`Called through ${inlineCode(call.via)}.`, '');
  return lines.join('\n').trimEnd() + '\n';
}

/** The whole report as a Markdown document: problems, then per-tag operation usage, then the rest. */
export function formatReportMarkdown(report: ContractReport, spec: LoadedSpec | undefined, root: string, folderName = path.basename(root)): string {
  const out: string[] = [`# API contract: ${escapeMarkdown(folderName)}`, ''];
  const counts = countBySeverity(report);
  out.push(
    `Spec: ${inlineCode(report.spec.source)}${report.spec.title ? ` (${escapeMarkdown(report.spec.title)})` : ''}, ${report.spec.operations} operations. ` +
      `Checked ${report.calls.length} calls in ${report.files} files: **${counts.error} errors**, **${counts.warning} warnings**, ` +
      `${report.calls.filter((c) => c.result.status === 'unresolved').length} unresolved, ${report.calls.filter((c) => c.result.status === 'external').length} external.`,
    '',
  );
  const problems = report.calls.filter((c) => isProblem(c.result.status));
  out.push('## Problems', '');
  if (problems.length === 0) out.push('None.', '');
  else {
    out.push('| where | call | status | detail |', '| --- | --- | --- | --- |');
    for (const call of problems) {
      const at = locationOf(call, root);
      const { allowedMethods, suggestion } = call.result;
      const detail = call.result.status === 'method-not-allowed' && allowedMethods ? `allowed: ${allowedMethods.join(', ')}` : suggestion ? `did you mean ${inlineCode(suggestion)}?` : '';
      out.push(`| ${inlineCode(`${at.file}:${at.line}:${at.column}`)} | ${inlineCode(callLabel(call))} | ${call.result.status} | ${detail} |`);
    }
    out.push('');
  }
  if (spec) {
    out.push('## Operations', '');
    for (const group of groupOperationsByTag(spec, report)) {
      out.push(`### ${escapeMarkdown(group.tag)}`, '');
      for (const usage of group.operations) {
        const n = usage.calls.length;
        out.push(`- ${inlineCode(usage.key)}: ${n === 0 ? '**unused**' : `${n} call${n === 1 ? '' : 's'}`}${usage.operation.deprecated ? ' (deprecated)' : ''}`);
      }
      out.push('');
    }
  }
  const unresolved = report.calls.filter((c) => c.result.status === 'unresolved');
  if (unresolved.length > 0) {
    out.push('## Not checked: URL known only at run time', '');
    for (const call of unresolved) out.push(`- ${inlineCode(`${relativeFile(root, call.file)}:${call.urlSpan.start.line}`)}: ${escapeMarkdown(call.result.message)}`);
    out.push('');
  }
  if (report.skipped.length > 0) {
    out.push('## Files skipped', '');
    for (const skipped of report.skipped) out.push(`- ${inlineCode(relativeFile(root, skipped.file))}: ${escapeMarkdown(skipped.reason)}`);
    out.push('');
  }
  return out.join('\n');
}
