// Builds the multi-root workspace the multi-root suite opens, in a temporary folder (the repository is never touched):
// zenops = a copy of examples/zenops, inventory = a second frontend with its own spec, scripts-only = no frontend code.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folder names in the workspace, in its order; the suite (suite/multiRoot/) expects these. */
export const MULTI_ROOT_FOLDERS = ['zenops', 'inventory', 'scripts-only'] as const;

/** Copies the three folders into `dir` and writes `dir/zenops-multi-root.code-workspace`; returns that file. */
export function buildMultiRootWorkspace(repoRoot: string, dir: string): string {
  const sources: Record<(typeof MULTI_ROOT_FOLDERS)[number], string> = {
    zenops: path.join(repoRoot, 'examples/zenops'),
    inventory: path.join(repoRoot, 'test/fixtures/multi-root/inventory'),
    'scripts-only': path.join(repoRoot, 'test/fixtures/multi-root/scripts-only'),
  };
  fs.mkdirSync(dir, { recursive: true });
  for (const name of MULTI_ROOT_FOLDERS) {
    fs.cpSync(sources[name], path.join(dir, name), { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
  }
  const file = path.join(dir, 'zenops-multi-root.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders: MULTI_ROOT_FOLDERS.map((name) => ({ path: name })), settings: {} }, null, 2));
  return file;
}
