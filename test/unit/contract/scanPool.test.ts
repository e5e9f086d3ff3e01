import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { stopScanPool } from '../../../src/core/contract/scanPool';
import { CallScanner, scanWorkspace } from '../../../src/core/contract/scanWorkspace';
import { CALL_FIXTURES, DEFAULT_EXCLUDE, DEFAULT_INCLUDE, pathText } from './callAssertions';

const EXAMPLE = path.resolve(__dirname, '../../../examples/zenops');
const options = { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE };

describe('scan pool: worker threads help a full scan', () => {
  after(() => stopScanPool());

  for (const [name, root] of [
    ['app', path.join(CALL_FIXTURES, 'app')],
    ['monorepo', path.join(CALL_FIXTURES, 'monorepo')],
    ['axios-defaults', path.join(CALL_FIXTURES, 'axios-defaults')],
    ['updates', path.join(CALL_FIXTURES, 'updates')],
    ['the example frontend', EXAMPLE],
  ] as const) {
    it(`finds the same calls and skipped files in ${name} with two workers as on one thread`, async () => {
      const alone = await scanWorkspace(root, { ...options, workers: 0 });
      const scanner = new CallScanner(root, { ...options, workers: 2 });
      const pooled = await scanner.scanAll();
      assert.ok(alone.calls.length > 0);
      assert.deepEqual(pooled, alone);
      // In the small fixtures the calling thread may take every chunk before a worker has loaded.
      if (name === 'app' || name === 'the example frontend') assert.ok(scanner.stats().pooledFiles > 0, 'the workers analysed some of the files');
    });
  }

  it('still reports a syntax error found by a worker as a skipped file', async () => {
    const scan = await scanWorkspace(path.join(CALL_FIXTURES, 'app'), { ...options, workers: 2 });
    assert.deepEqual(
      scan.skipped.map((s) => [path.basename(s.file), s.reason.startsWith('syntax error (line 4')]),
      [['broken.js', true]],
    );
  });

  it('re-checks a file after a pooled scan as it would after a single-thread scan', async () => {
    const root = path.join(CALL_FIXTURES, 'updates');
    const file = path.join(root, 'src', 'items.js');
    const edit = "import { api } from './client';\nimport { ITEMS } from './routes';\n\nexport const load = () => api.get(ITEMS + '/42');\n";
    const results = [];
    for (const workers of [0, 2]) {
      const scanner = new CallScanner(root, { ...options, workers });
      await scanner.scanAll();
      const changed = await scanner.updateFile(file, edit);
      results.push([...changed].map(([f, calls]) => [path.basename(f), calls.map(pathText)]));
    }
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[0], [['items.js', ['/api/items/42']]]);
  });
});
