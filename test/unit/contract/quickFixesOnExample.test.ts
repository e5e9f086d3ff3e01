import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkContract } from '../../../src/core/contract/checkContract';
import { loadSpec } from '../../../src/core/contract/loadSpec';
import { fixMethodText, fixPathText, pathFixTargets, setTrailingSlashText } from '../../../src/core/contract/quickFixes';
import { CallScanner } from '../../../src/core/contract/scanWorkspace';
import type { CheckedCall, LoadedSpec, Span } from '../../../src/core/contract/types';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';

const ROOT = path.resolve(__dirname, '../../../examples/zenops');
const { include, exclude } = DEFAULT_SETTINGS.contract;
const checkSettings = { ...DEFAULT_SETTINGS.contract, apiUrl: DEFAULT_SETTINGS.api.url };

function offset(text: string, pos: Span['start']): number {
  const lines = text.split('\n');
  return lines.slice(0, pos.line - 1).reduce((n, l) => n + l.length + 1, 0) + pos.column;
}

function replaceSpan(text: string, span: Span, replacement: string): string {
  return text.slice(0, offset(text, span.start)) + replacement + text.slice(offset(text, span.end));
}

/** The edit the editor would offer first for a flagged call, as the new file text; undefined when none. */
function firstFix(text: string, call: CheckedCall): { title: string; text: string; expect: string } | undefined {
  const urlText = text.slice(offset(text, call.urlSpan.start), offset(text, call.urlSpan.end));
  if (call.result.status === 'missing-path') {
    for (const target of pathFixTargets(call)) {
      const fixed = fixPathText(urlText, call, target.path);
      // A path without the call's method is offered as such ("PATCH not allowed there"): the error becomes that.
      if (fixed !== undefined) return { title: `path → ${target.path}`, text: replaceSpan(text, call.urlSpan, fixed), expect: target.allowsMethod ? 'ok' : 'method-not-allowed' };
    }
  }
  if (call.result.status === 'trailing-slash') {
    const fixed = setTrailingSlashText(urlText, call, (call.result.suggestion ?? '').endsWith('/'));
    if (fixed !== undefined) return { title: 'trailing slash', text: replaceSpan(text, call.urlSpan, fixed), expect: 'ok' };
  }
  if (call.result.status === 'method-not-allowed' && call.methodSpan && call.result.allowedMethods?.length) {
    const methodText = text.slice(offset(text, call.methodSpan.start), offset(text, call.methodSpan.end));
    const fixed = fixMethodText(methodText, call.result.allowedMethods[0]);
    if (fixed !== undefined) return { title: `method → ${call.result.allowedMethods[0]}`, text: replaceSpan(text, call.methodSpan, fixed), expect: 'ok' };
  }
  return undefined;
}

describe('quick fixes on the example workspace', () => {
  let spec: LoadedSpec;
  before(async () => {
    spec = await loadSpec('backend/openapi.json', { cwd: ROOT });
  });

  it('makes every call it offers a fix for pass the check, changing nothing else in the file', async () => {
    const scanner = new CallScanner(ROOT, { include, exclude });
    const report = checkContract(await scanner.scanAll(), spec, checkSettings);
    const flagged = report.calls.filter((c) => ['missing-path', 'method-not-allowed', 'trailing-slash'].includes(c.result.status));
    const fixed: string[] = [];
    for (const call of flagged) {
      const original = fs.readFileSync(call.file, 'utf8');
      const fix = firstFix(original, call);
      if (!fix) continue;
      const where = `${path.relative(ROOT, call.file)}:${call.urlSpan.start.line}`;
      try {
        const changed = await scanner.updateFile(call.file, fix.text);
        const after = checkContract({ calls: changed.get(call.file) ?? scanner.callsOf(call.file), files: 1, skipped: [] }, spec, checkSettings);
        const same = after.calls.find((c) => c.callSpan.start.line === call.callSpan.start.line);
        assert.ok(same, `${where}: the call is gone after "${fix.title}"`);
        assert.equal(same.result.status, fix.expect, `${where}: after "${fix.title}" the call is ${same.result.status}: ${same.result.message}`);
        const others = (calls: CheckedCall[]) => calls.filter((c) => c.callSpan.start.line !== call.callSpan.start.line).map((c) => `${c.urlSpan.start.line} ${c.result.status}`);
        assert.deepEqual(others(after.calls), others(report.calls.filter((c) => c.file === call.file)), `${where}: other calls changed`);
        fixed.push(`${where} ${fix.title}${fix.expect === 'ok' ? '' : ` (then ${fix.expect})`}`);
      } finally {
        await scanner.updateFile(call.file, original);
      }
    }
    // Every README finding whose URL or method the code writes in place gets a fix (which path a
    // missing one is pointed at is the matcher's did-you-mean; only the plain cases are pinned here).
    assert.equal(fixed.length, 10, fixed.join('\n'));
    for (const expected of [
      'frontend/src/api/documents.js:5 trailing slash',
      'frontend/src/api/payroll.js:13 path → /api/payroll/payslips/{payslip_id}/generate',
      'frontend/src/api/payroll.js:19 method → POST',
      'frontend/src/api/support.ts:27 trailing slash',
      'frontend/src/api/typed.ts:8 method → GET',
    ]) {
      assert.ok(fixed.includes(expected), `missing: ${expected}\n${fixed.join('\n')}`);
    }
  });
});
