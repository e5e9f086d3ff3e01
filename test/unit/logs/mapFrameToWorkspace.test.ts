import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { listWorkspaceFiles, mapFrameToWorkspace, normalizePathMappings } from '../../../src/core/logs/mapFrameToWorkspace';

// The repository itself is the workspace: examples/zenops/backend/app/main.py is a real file in it.
const repo = path.resolve(__dirname, '../../..');
const mainPy = path.join(repo, 'examples/zenops/backend/app/main.py');

describe('mapFrameToWorkspace', () => {
  it('reads the mapping setting as an object or an array, longest prefix first, ignoring junk', () => {
    assert.deepEqual(normalizePathMappings({ '/app': 'backend', '/app/vendor': 'vendor', '/x': 3 }), [
      { from: '/app/vendor', to: 'vendor' },
      { from: '/app', to: 'backend' },
    ]);
    assert.deepEqual(normalizePathMappings([{ from: '/srv/web', to: 'frontend' }, { from: 1 }, null]), [{ from: '/srv/web', to: 'frontend' }]);
    assert.deepEqual(normalizePathMappings(null), []);
  });

  it('maps a container path through a path mapping to the workspace file', () => {
    const loc = mapFrameToWorkspace('/app/app/main.py', normalizePathMappings({ '/app': 'examples/zenops/backend' }), [repo]);
    assert.deepEqual(loc, { mapped: true, file: mainPy, folder: repo, relativePath: 'examples/zenops/backend/app/main.py', via: 'mapping' });
  });

  it('maps a path already inside a workspace folder as it is', () => {
    const loc = mapFrameToWorkspace(mainPy, [], [repo]);
    assert.equal(loc.mapped && loc.via, 'workspace');
  });

  it('finds a file by its path suffix when no mapping applies', () => {
    const loc = mapFrameToWorkspace('/srv/zenops/app/main.py', [], [repo], { files: listWorkspaceFiles([repo]) });
    assert.deepEqual(loc, { mapped: true, file: mainPy, folder: repo, relativePath: 'examples/zenops/backend/app/main.py', via: 'suffix' });
  });

  it('leaves library frames, unknown files and bare file names unmapped', () => {
    const files = listWorkspaceFiles([repo]);
    assert.deepEqual(mapFrameToWorkspace('/usr/lib/python3/dist-packages/starlette/routing.py', [], [repo], { files }), { mapped: false, reason: 'library' });
    assert.deepEqual(mapFrameToWorkspace('/app/app/routers/payroll.py', normalizePathMappings({ '/app': 'examples/zenops/backend' }), [repo], { files }), {
      mapped: false,
      reason: 'not-found',
    });
    assert.deepEqual(mapFrameToWorkspace('main.py', [], [repo], { files }), { mapped: false, reason: 'not-found' });
    assert.deepEqual(mapFrameToWorkspace('node:internal/process/task_queues', [], [repo], { files }), { mapped: false, reason: 'library' });
  });

  it('lists workspace source files without dependency folders', () => {
    const files = listWorkspaceFiles([repo]);
    assert.ok(files.includes(mainPy));
    assert.ok(!files.some((f) => f.includes(`${path.sep}node_modules${path.sep}`)));
  });
});
