// Finds the frontend source files of a folder (include/exclude globs) and resolves import specifiers
// between them: relative paths, index files, `.js` written for `.ts`, and tsconfig/jsconfig `paths`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseJsonc } from 'jsonc-parser';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte'];
const NEVER_DESCEND = new Set(['node_modules', '.git']);
/** Larger files are bundles or data, not hand-written call sites. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface FileFilter {
  include: string[];
  exclude: string[];
}

export class WorkspaceFiles {
  private readonly included: (rel: string) => boolean;
  private readonly excluded: (rel: string) => boolean;
  private readonly known = new Set<string>();
  private readonly aliasCache = new Map<string, Alias[]>();
  private readonly configCache = new Map<string, Alias[] | undefined>();
  /** resolveImport's answers by folder and specifier (null: not a scanned file), forgotten when the files change. */
  private readonly resolved = new Map<string, string | null>();

  constructor(
    readonly root: string,
    filter: FileFilter,
  ) {
    this.included = filter.include.length > 0 ? picomatch(filter.include, { dot: true }) : () => true;
    this.excluded = filter.exclude.length > 0 ? picomatch(filter.exclude, { dot: true }) : () => false;
  }

  /** Whether a file (absolute) is one the settings ask to check. */
  matches(file: string): boolean {
    const rel = this.relative(file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
    if (rel.split('/').some((segment) => NEVER_DESCEND.has(segment))) return false;
    return this.matchesRelative(rel);
  }

  /** A file's path from the root (forward slashes) has a source extension and passes the include/exclude globs. */
  private matchesRelative(rel: string): boolean {
    return SOURCE_EXTENSIONS.includes(path.extname(rel).toLowerCase()) && this.included(rel) && !this.excluded(rel);
  }

  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  /** Walks the root (never into node_modules/.git or excluded folders) and returns the matching files. */
  async discover(): Promise<string[]> {
    const found: string[] = [];
    // `rel` is the folder's path from the root with forward slashes ('' for the root itself), built while walking
    // (path.relative for each of hundreds of files was most of the walk).
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      const subdirs: Promise<void>[] = [];
      for (const entry of entries) {
        const name = entry.name;
        const relName = rel === '' ? name : `${rel}/${name}`;
        if (entry.isDirectory()) {
          if (NEVER_DESCEND.has(name)) continue;
          // A folder is skipped when any file inside it would be excluded (`**/dist/**`).
          if (this.excluded(`${relName}/__zenops_probe__`)) continue;
          subdirs.push(walk(path.join(dir, name), relName));
        } else if (entry.isFile() && this.matchesRelative(relName)) {
          found.push(path.join(dir, name));
        }
      }
      await Promise.all(subdirs);
    };
    await walk(this.root, '');
    found.sort();
    this.known.clear();
    this.resolved.clear();
    for (const file of found) this.known.add(file);
    return found;
  }

  add(file: string): void {
    if (this.known.has(file)) return;
    this.known.add(file);
    this.resolved.clear();
  }

  remove(file: string): void {
    if (this.known.delete(file)) this.resolved.clear();
  }

  has(file: string): boolean {
    return this.known.has(file);
  }

  /** The workspace file an import specifier points to, or undefined (a package, or not a scanned file). */
  resolveImport(fromFile: string, specifier: string): string | undefined {
    const key = `${path.dirname(fromFile)}\0${specifier}`;
    let target = this.resolved.get(key);
    if (target === undefined) {
      target = this.resolveUncached(fromFile, specifier) ?? null;
      this.resolved.set(key, target);
    }
    return target ?? undefined;
  }

  private resolveUncached(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.resolvePath(path.resolve(path.dirname(fromFile), specifier));
    if (specifier.startsWith('/')) return this.resolvePath(specifier);
    for (const alias of this.aliasesFor(fromFile)) {
      if (alias.exact ? specifier === alias.prefix : specifier === alias.prefix.replace(/\/$/, '') || specifier.startsWith(alias.prefix)) {
        const rest = specifier.slice(alias.prefix.length);
        for (const target of alias.targets) {
          const found = this.resolvePath(path.join(target, rest));
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  /** `base` (absolute and normalised) as written, with a TypeScript extension for a .js one, with an extension, or as a folder's index. */
  private resolvePath(base: string): string | undefined {
    if (this.known.has(base)) return base;
    const ext = path.extname(base);
    if (ext === '.js' || ext === '.jsx' || ext === '.mjs' || ext === '.cjs') {
      const stem = base.slice(0, -ext.length);
      for (const candidate of [stem + '.ts', stem + '.tsx', stem + (ext === '.mjs' ? '.mts' : '.cts')]) if (this.known.has(candidate)) return candidate;
    }
    for (const e of SOURCE_EXTENSIONS) if (this.known.has(base + e)) return base + e;
    const index = path.join(base, 'index');
    for (const e of SOURCE_EXTENSIONS) if (this.known.has(index + e)) return index + e;
    return undefined;
  }

  /**
   * Path aliases for a file: `compilerOptions.paths` of the nearest tsconfig/jsconfig above it (the
   * frontend may sit in a subfolder of the workspace), then `@/` and `~/` for the nearest `src/` above it.
   */
  private aliasesFor(fromFile: string): Alias[] {
    const dir = path.dirname(fromFile);
    const cached = this.aliasCache.get(dir);
    if (cached) return cached;
    let configured: Alias[] = [];
    for (let current = dir; ; current = path.dirname(current)) {
      const found = this.configAliases(current);
      if (found) {
        configured = found;
        break;
      }
      if (current === this.root || !current.startsWith(this.root) || path.dirname(current) === current) break;
    }
    const aliases = [...configured];
    const srcAt = fromFile.lastIndexOf(`${path.sep}src${path.sep}`);
    const srcDir = srcAt >= 0 ? fromFile.slice(0, srcAt + 4) : path.join(this.root, 'src');
    for (const prefix of ['@/', '~/']) {
      if (!aliases.some((a) => a.prefix === prefix)) aliases.push({ prefix, targets: [srcDir, path.dirname(srcDir)] });
    }
    // Longest prefix first, as TypeScript picks the most specific pattern.
    aliases.sort((a, b) => b.prefix.length - a.prefix.length);
    this.aliasCache.set(dir, aliases);
    return aliases;
  }

  /** The `paths` of the tsconfig/jsconfig files in `dir` (following `extends` and Vite's tsconfig.app.json), or undefined when there are none. */
  private configAliases(dir: string): Alias[] | undefined {
    if (this.configCache.has(dir)) return this.configCache.get(dir);
    const found = this.readConfigAliases(dir);
    this.configCache.set(dir, found);
    return found;
  }

  private readConfigAliases(dir: string): Alias[] | undefined {
    const names = ['tsconfig.json', 'jsconfig.json', 'tsconfig.app.json'];
    let any = false;
    const aliases: Alias[] = [];
    for (const name of names) {
      const paths = readPaths(path.join(dir, name), 0);
      if (paths === undefined) continue;
      any = true;
      for (const alias of paths) if (!aliases.some((a) => a.prefix === alias.prefix)) aliases.push(alias);
    }
    return any ? aliases : undefined;
  }
}

interface Alias {
  prefix: string;
  targets: string[];
  /** A pattern without `*` names one module. */
  exact?: boolean;
}

/** `compilerOptions.paths` of one config file as aliases ([] when it has none, undefined when it does not exist). */
function readPaths(file: string, depth: number): Alias[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const config = parseJsonc(text) as { extends?: unknown; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
  const options = config?.compilerOptions;
  if (options?.paths && typeof options.paths === 'object') {
    const baseUrl = path.resolve(path.dirname(file), options.baseUrl ?? '.');
    return Object.entries(options.paths)
      .filter(([, targets]) => Array.isArray(targets))
      .map(([pattern, targets]) => ({
        prefix: pattern.replace(/\*$/, ''),
        targets: targets.map((t) => path.resolve(baseUrl, t.replace(/\*$/, ''))),
        exact: !pattern.endsWith('*'),
      }));
  }
  // A relative `extends` may hold the paths (packages such as @tsconfig/… hold none we need).
  if (typeof config?.extends === 'string' && config.extends.startsWith('.') && depth < 5) {
    const parent = path.resolve(path.dirname(file), config.extends.endsWith('.json') ? config.extends : `${config.extends}.json`);
    return readPaths(parent, depth + 1) ?? [];
  }
  return [];
}

const IMPORT_SPECIFIER =
  /(?:\bimport|\bexport)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g;

/** Import specifiers found by a text scan (cheap: no parse), used to decide which files to parse. */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  IMPORT_SPECIFIER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = IMPORT_SPECIFIER.exec(text))) {
    const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (spec) out.push(spec);
  }
  return out;
}
