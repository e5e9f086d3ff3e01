// Maps a traceback frame's path (as the container saw it) to a file in the workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PathMapping {
  /** Path prefix in the process (`/app`). */
  from: string;
  /** Folder it is in the workspace: relative to each workspace folder (`backend`) or absolute. */
  to: string;
}

export type FrameLocation =
  | {
      mapped: true;
      /** Absolute path of the workspace file. */
      file: string;
      /** The workspace folder it is in. */
      folder: string;
      /** Path relative to that folder, with `/` separators. */
      relativePath: string;
      via: 'mapping' | 'workspace' | 'suffix';
    }
  | { mapped: false; reason: 'library' | 'not-found' | 'ambiguous'; candidates?: string[] };

export interface MapFrameOptions {
  /** Files that exist (absolute paths), for suffix matching; see listWorkspaceFiles. Without it, no suffix matching. */
  files?: readonly string[];
  fileExists?: (file: string) => boolean;
}

// Frames in installed libraries and runtimes are not the team's code.
const LIBRARY_PATH = /(?:^|[\\/])(?:site-packages|dist-packages|node_modules|lib\/python\d[\d.]*)(?:[\\/]|$)|^node:|^internal\/|^<[^>]*>$/;

/** `{"/app": "backend"}` or `[{from, to}]` (or garbage) → mappings, longest `from` first. */
export function normalizePathMappings(setting: unknown): PathMapping[] {
  const out: PathMapping[] = [];
  if (Array.isArray(setting)) {
    for (const item of setting) {
      if (item && typeof item === 'object' && typeof item.from === 'string' && typeof item.to === 'string' && item.from) {
        out.push({ from: item.from, to: item.to });
      }
    }
  } else if (setting && typeof setting === 'object') {
    for (const [from, to] of Object.entries(setting as Record<string, unknown>)) {
      if (typeof to === 'string' && from) out.push({ from, to });
    }
  }
  return out.sort((a, b) => b.from.length - a.from.length);
}

function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

function stripPrefix(framePath: string, prefix: string): string | undefined {
  const f = toPosix(framePath);
  const p = toPosix(prefix).replace(/\/+$/, '');
  if (p === '') return f.replace(/^\/+/, '');
  if (f === p) return '';
  return f.startsWith(`${p}/`) ? f.slice(p.length + 1) : undefined;
}

function located(file: string, folders: readonly string[], via: 'mapping' | 'workspace' | 'suffix'): FrameLocation {
  const folder = folders.find((f) => !path.relative(f, file).startsWith('..') && !path.isAbsolute(path.relative(f, file))) ?? path.dirname(file);
  return { mapped: true, file, folder, relativePath: toPosix(path.relative(folder, file)), via };
}

/**
 * Maps `/app/app/routers/payroll.py` to a workspace file: through the path mappings first, then as a
 * path already inside a workspace folder, then by the longest path suffix (at least folder + file name)
 * shared with exactly one existing file. Library frames and frames that match nothing stay unmapped.
 */
export function mapFrameToWorkspace(
  framePath: string,
  mappings: readonly PathMapping[],
  workspaceFolders: readonly string[],
  options: MapFrameOptions = {},
): FrameLocation {
  const exists = options.fileExists ?? ((f: string) => fs.existsSync(f) && fs.statSync(f).isFile());
  const cleanPath = framePath.replace(/^file:\/\//, '');

  for (const mapping of [...mappings].sort((a, b) => b.from.length - a.from.length)) {
    const rest = stripPrefix(cleanPath, mapping.from);
    if (rest === undefined) continue;
    const targets = path.isAbsolute(mapping.to) ? [path.join(mapping.to, rest)] : workspaceFolders.map((f) => path.join(f, mapping.to, rest));
    const hit = targets.find(exists);
    if (hit) return located(hit, workspaceFolders, 'mapping');
  }

  if (LIBRARY_PATH.test(toPosix(cleanPath))) return { mapped: false, reason: 'library' };

  for (const folder of workspaceFolders) {
    const rel = path.relative(folder, cleanPath);
    if (path.isAbsolute(cleanPath) && !rel.startsWith('..') && !path.isAbsolute(rel) && exists(cleanPath)) {
      return located(cleanPath, workspaceFolders, 'workspace');
    }
  }

  const segments = toPosix(cleanPath).split('/').filter(Boolean);
  if (!options.files || segments.length < 2) return { mapped: false, reason: 'not-found' };
  // A bare file name (`main.py`) matches too much; require the folder it is in as well.
  for (let take = segments.length; take >= 2; take--) {
    const suffix = `/${segments.slice(-take).join('/')}`;
    const hits = options.files.filter((f) => toPosix(f).endsWith(suffix));
    if (hits.length === 1) return located(hits[0], workspaceFolders, 'suffix');
    if (hits.length > 1) return { mapped: false, reason: 'ambiguous', candidates: hits.slice(0, 10) };
  }
  return { mapped: false, reason: 'not-found' };
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', '.mypy_cache', '.pytest_cache', 'coverage', '.next', '.nuxt']);
const SOURCE_EXTENSIONS = new Set(['.py', '.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.vue', '.svelte', '.go', '.rb', '.java', '.kt']);

/** Source files under the folders (absolute paths), skipping dependency and build folders; at most maxFiles. */
export function listWorkspaceFiles(folders: readonly string[], maxFiles = 20000): string[] {
  const out: string[] = [];
  const stack = [...folders];
  while (stack.length > 0 && out.length < maxFiles) {
    const dir = stack.pop()!;
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const d of dirents) {
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name) && !d.name.startsWith('.')) stack.push(path.join(dir, d.name));
      } else if (d.isFile() && SOURCE_EXTENSIONS.has(path.extname(d.name))) {
        out.push(path.join(dir, d.name));
        if (out.length >= maxFiles) break;
      }
    }
  }
  return out;
}
