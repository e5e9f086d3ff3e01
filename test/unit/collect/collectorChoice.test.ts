import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseCollector, findCollectScript } from '../../../src/core/collect/collectorChoice';

describe('choosing between the built-in collector and the workspace script', () => {
  it('never offers the script of an untrusted workspace: the built-in collector runs', () => {
    assert.deepEqual(chooseCollector({ scriptExists: true, trusted: false }), { kind: 'builtin', reason: 'untrusted' });
  });

  it('offers the script in a trusted workspace that has one', () => {
    assert.deepEqual(chooseCollector({ scriptExists: true, trusted: true }), { kind: 'offer-script', script: 'ops/diagnostics/collect_logs.sh' });
  });

  it('runs the built-in collector when there is no script, trusted or not', () => {
    for (const trusted of [true, false]) assert.deepEqual(chooseCollector({ scriptExists: false, trusted }), { kind: 'builtin', reason: 'no-script' });
  });

  it('finds ops/diagnostics/collect_logs.sh only as a file', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-script-'));
    assert.equal(findCollectScript(root), undefined);
    fs.mkdirSync(path.join(root, 'ops/diagnostics/collect_logs.sh'), { recursive: true });
    assert.equal(findCollectScript(root), undefined, 'a folder of that name is not a script');
    fs.rmSync(path.join(root, 'ops'), { recursive: true });
    fs.mkdirSync(path.join(root, 'ops/diagnostics'), { recursive: true });
    fs.writeFileSync(path.join(root, 'ops/diagnostics/collect_logs.sh'), '#!/bin/sh\n');
    assert.equal(findCollectScript(root), path.join(root, 'ops/diagnostics/collect_logs.sh'));
    fs.rmSync(root, { recursive: true, force: true });
  });
});
