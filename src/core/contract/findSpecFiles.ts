// Lists spec files in a folder for the CLI (the extension asks VS Code's file search instead),
// using the same glob and exclusions as specSource.ts.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { SPEC_FILE_EXCLUDE, SPEC_FILE_GLOB } from './specSource';

const MAX_DEPTH = 6;

/** Absolute paths of `openapi|swagger.json|yaml|yml` files under `root`, skipping excluded and hidden folders. */
export async function findSpecFiles(root: string): Promise<string[]> {
  const isSpec = picomatch(SPEC_FILE_GLOB, { dot: false });
  const isExcluded = picomatch(SPEC_FILE_EXCLUDE, { dot: true });
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        // A folder is excluded when anything inside it would be.
        if (depth < MAX_DEPTH && !entry.name.startsWith('.') && !isExcluded(`${rel}/x`)) await walk(full, depth + 1);
      } else if (entry.isFile() && isSpec(rel) && !isExcluded(rel)) {
        found.push(full);
      }
    }
  };
  await walk(root, 0);
  return found;
}
