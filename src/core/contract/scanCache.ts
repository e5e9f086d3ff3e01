// The scanner's content-hash cache: what a full scan found in each file nothing imports, kept on disk so
// the next scan (a new CLI run, the editor reopening the folder) parses only what changed.
//
// An entry is reused only when the file's text, the text of every module its calls were worked out from,
// the imports each of those resolves to, the workspace-wide axios defaults and the engine itself are all
// the same as when it was written. Anything else, or a file that cannot be read, means "not cached": the
// cache can make a scan faster, never different.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiCall } from './types';

declare const ZENOPS_ENGINE_ID: string | undefined;

/** Bumped by hand when the file's layout changes (the engine id covers changes to what is found). */
const FORMAT = 1;
/** A cache file larger than this is not read (it is rewritten by the next scan). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** One file's findings, with what they were worked out from. Paths are absolute in memory. */
export interface CachedFile {
  hash: string;
  calls: ApiCall[];
  /** Other workspace files the calls were worked out from, with the content hash each had. */
  deps: Record<string, string>;
  /** The workspace files each of the file and its deps imported (resolution can change without their text changing). */
  imports: Record<string, string[]>;
  /** The workspace-wide axios defaults the calls were worked out with. */
  globals: string;
  generated: boolean;
  error?: string;
}

export interface ScanCacheData {
  files: Map<string, CachedFile>;
}

/** Where a scanner keeps its cache between runs. `load` and `save` never throw. */
export interface ScanCacheStore {
  load(root: string): Promise<ScanCacheData | undefined>;
  save(root: string, data: ScanCacheData): Promise<void>;
  /** Why the last load or save did not work (for logs), or undefined. */
  readonly problem?: string;
}

interface CacheFileJson {
  format: number;
  engine: string;
  /** Paths below are relative to the root, with forward slashes. */
  files: Record<string, CachedFile>;
}

let devEngineId: string | undefined;

/** Identifies the engine's code: a cache written by another version of the scanner is ignored. */
export function engineId(): string {
  // The bundles get a hash of src/core from esbuild.mjs.
  if (typeof ZENOPS_ENGINE_ID === 'string') return ZENOPS_ENGINE_ID;
  if (devEngineId === undefined) {
    const hash = crypto.createHash('sha1');
    try {
      if (__filename.endsWith('.ts')) {
        // Running from the sources (tests, bench): an edited engine never reads an old cache.
        const walk = (dir: string): void => {
          for (const name of fs.readdirSync(dir).sort()) {
            const full = path.join(dir, name);
            if (fs.statSync(full).isDirectory()) walk(full);
            else if (name.endsWith('.ts')) hash.update(name).update(fs.readFileSync(full));
          }
        };
        walk(path.resolve(__dirname, '..'));
      } else {
        // Bundled by someone else's build: the bundle itself.
        hash.update(fs.readFileSync(__filename));
      }
      devEngineId = `dev-${hash.digest('hex')}`;
    } catch {
      devEngineId = `unknown-${process.pid}-${Date.now()}`;
    }
  }
  return devEngineId;
}

const REL_PREFIX = './';

/** The same entry with its paths converted (absolute ⇄ relative to the root); other text is left alone. */
function convertEntry(entry: CachedFile, convert: (p: string) => string): CachedFile {
  return {
    ...entry,
    calls: entry.calls.map((call) => ({ ...call, file: convert(call.file) })),
    deps: Object.fromEntries(Object.entries(entry.deps).map(([file, hash]) => [convert(file), hash])),
    imports: Object.fromEntries(Object.entries(entry.imports).map(([file, targets]) => [convert(file), targets.map(convert)])),
  };
}

/** A JSON file (written atomically: a temporary file renamed into place). */
export class FileScanCache implements ScanCacheStore {
  problem: string | undefined;

  constructor(readonly file: string) {}

  async load(root: string): Promise<ScanCacheData | undefined> {
    this.problem = undefined;
    let text: string;
    try {
      const stat = await fs.promises.stat(this.file);
      if (stat.size > MAX_CACHE_BYTES) {
        this.problem = `${this.file} is larger than ${MAX_CACHE_BYTES / 1024 / 1024} MB; not read`;
        return undefined;
      }
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.problem = `could not read ${this.file}: ${(error as Error).message}`;
      return undefined;
    }
    try {
      const json = JSON.parse(text) as CacheFileJson;
      if (json?.format !== FORMAT || json.engine !== engineId() || typeof json.files !== 'object' || json.files === null) return undefined;
      const base = path.resolve(root);
      const toAbsolute = (p: string): string => (p.startsWith(REL_PREFIX) ? path.join(base, ...p.slice(REL_PREFIX.length).split('/')) : p);
      const files = new Map<string, CachedFile>();
      for (const [rel, entry] of Object.entries(json.files)) {
        if (isCachedFile(entry)) files.set(toAbsolute(rel), convertEntry(entry, toAbsolute));
      }
      return { files };
    } catch (error) {
      this.problem = `${this.file} is not a ZenOps scan cache (${(error as Error).message}); it will be rewritten`;
      return undefined;
    }
  }

  async save(root: string, data: ScanCacheData): Promise<void> {
    const base = path.resolve(root);
    // Relative paths: a cache restored into another checkout of the same repository (CI) still applies.
    const toRelative = (p: string): string => {
      const rel = path.relative(base, p);
      return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? p : REL_PREFIX + rel.split(path.sep).join('/');
    };
    const files: Record<string, CachedFile> = {};
    for (const [file, entry] of data.files) files[toRelative(file)] = convertEntry(entry, toRelative);
    const json: CacheFileJson = { format: FORMAT, engine: engineId(), files };
    const temporary = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
      await fs.promises.writeFile(temporary, JSON.stringify(json));
      await fs.promises.rename(temporary, this.file);
      this.problem = undefined;
    } catch (error) {
      this.problem = `could not write ${this.file}: ${(error as Error).message}`;
      await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}

function isCachedFile(value: unknown): value is CachedFile {
  const v = value as CachedFile;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.hash === 'string' &&
    Array.isArray(v.calls) &&
    typeof v.deps === 'object' &&
    v.deps !== null &&
    typeof v.imports === 'object' &&
    v.imports !== null &&
    typeof v.globals === 'string' &&
    typeof v.generated === 'boolean'
  );
}
