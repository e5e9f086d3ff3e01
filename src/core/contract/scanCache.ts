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
import { HTTP_METHODS, type ApiCall } from './types';

declare const ZENOPS_ENGINE_ID: string | undefined;

/** Bumped by hand when the file's layout changes (the engine id covers changes to what is found). */
const FORMAT = 2;
/** A cache file larger than this is not read (it is rewritten by the next scan). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** One file's findings, with what they were worked out from. Paths are absolute in memory. */
export interface CachedFile {
  hash: string;
  calls: ApiCall[];
  /** Other workspace files the calls were worked out from (also ones that did not parse), with the content hash each had. */
  deps: Record<string, string>;
  /** Every import the work followed: [from file, specifier, the file it led to or null]. Resolution can change without any text changing. */
  resolutions: [string, string, string | null][];
  /** Deps that did not parse, with why: reported as skipped files when the entry is reused. */
  depErrors: Record<string, string>;
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

/**
 * The same entry with its paths converted (absolute ⇄ relative to the root). Why a URL is unresolved may name a
 * file ("'/repo/src/config.ts' does not export BASE"): the root in those messages is replaced too, and nowhere
 * else (a URL literal is the code's own text).
 */
function convertEntry(entry: CachedFile, convert: (p: string) => string, fromRoot: string, toRoot: string): CachedFile {
  const message = (text: string): string => text.split(fromRoot).join(toRoot);
  return {
    ...entry,
    calls: entry.calls.map((call) => ({
      ...call,
      file: convert(call.file),
      url: call.url.kind === 'unresolved' ? { ...call.url, reason: message(call.url.reason) } : call.url,
    })),
    deps: Object.fromEntries(Object.entries(entry.deps).map(([file, hash]) => [convert(file), hash])),
    resolutions: entry.resolutions.map(([from, specifier, target]) => [convert(from), specifier, target === null ? null : convert(target)]),
    depErrors: Object.fromEntries(Object.entries(entry.depErrors).map(([file, reason]) => [convert(file), message(reason)])),
  };
}

/** Stands for the root inside message text. */
const ROOT_MARK = '\u0000zenops-root\u0000/';

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
        if (!isCachedFile(entry, rel)) continue;
        const absolute = convertEntry(entry, toAbsolute, ROOT_MARK, base + path.sep);
        // A reused entry must describe the file it is stored under, inside this root.
        if (absolute.calls.every((call) => call.file === toAbsolute(rel))) files.set(toAbsolute(rel), absolute);
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
    for (const [file, entry] of data.files) files[toRelative(file)] = convertEntry(entry, toRelative, base + path.sep, ROOT_MARK);
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

// A cache file is input like any other: every field is checked before an entry can reach the report.
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isPosition = (v: unknown): boolean => isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.column);
const isSpan = (v: unknown): boolean => isObject(v) && isPosition(v.start) && isPosition(v.end);
const isStringRecord = (v: unknown): boolean => isObject(v) && Object.values(v).every(isString);

function isUrlPart(v: unknown): boolean {
  return isObject(v) && ((v.kind === 'text' && isString(v.text)) || (v.kind === 'placeholder' && isString(v.source)));
}

function isUrl(v: unknown): boolean {
  if (!isObject(v)) return false;
  if (v.kind === 'unresolved') return isString(v.reason);
  if (v.kind !== 'resolved' || !Array.isArray(v.path) || !v.path.every(isUrlPart) || (v.specSyntax !== undefined && typeof v.specSyntax !== 'boolean')) return false;
  const o = v.origin;
  return isObject(o) && (o.kind === 'relative' || (o.kind === 'literal' && isString(o.origin)) || (o.kind === 'unknown' && isString(o.source)));
}

function isCall(v: unknown): boolean {
  return (
    isObject(v) &&
    isString(v.file) &&
    isString(v.client) &&
    (v.method === null || (HTTP_METHODS as readonly unknown[]).includes(v.method)) &&
    isUrl(v.url) &&
    isSpan(v.callSpan) &&
    isSpan(v.urlSpan) &&
    (v.methodSpan === undefined || isSpan(v.methodSpan)) &&
    typeof v.suppressed === 'boolean' &&
    (v.via === undefined || isString(v.via))
  );
}

function isCachedFile(value: unknown, key: string): value is CachedFile {
  const v = value as Record<string, unknown>;
  return (
    isObject(v) &&
    isString(key) &&
    isString(v.hash) &&
    Array.isArray(v.calls) &&
    v.calls.every(isCall) &&
    isStringRecord(v.deps) &&
    Array.isArray(v.resolutions) &&
    v.resolutions.every((r) => Array.isArray(r) && r.length === 3 && isString(r[0]) && isString(r[1]) && (r[2] === null || isString(r[2]))) &&
    isStringRecord(v.depErrors) &&
    // Only a dependency of the entry can be reported as not parsing.
    Object.keys(v.depErrors as object).every((file) => Object.hasOwn(v.deps as object, file)) &&
    isString(v.globals) &&
    typeof v.generated === 'boolean' &&
    (v.error === undefined || isString(v.error))
  );
}
