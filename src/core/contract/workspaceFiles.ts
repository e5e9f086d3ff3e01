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
  private readonly aliases: { prefix: string; targets: string[] }[] = [];

  constructor(
    readonly root: string,
    filter: FileFilter,
  ) {
    this.included = filter.include.length > 0 ? picomatch(filter.include, { dot: true }) : () => true;
    this.excluded = filter.exclude.length > 0 ? picomatch(filter.exclude, { dot: true }) : () => false;
    this.loadAliases();
  }

  /** Whether a file (absolute) is one the settings ask to check. */
  matches(file: string): boolean {
    const rel = this.relative(file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
    if (rel.split('/').some((segment) => NEVER_DESCEND.has(segment))) return false;
    return SOURCE_EXTENSIONS.includes(path.extname(file).toLowerCase()) && this.included(rel) && !this.excluded(rel);
  }

  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  /** Walks the root (never into node_modules/.git or excluded folders) and returns the matching files. */
  async discover(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      const subdirs: Promise<void>[] = [];
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (NEVER_DESCEND.has(entry.name)) continue;
          // A folder is skipped when any file inside it would be excluded (`**/dist/**`).
          if (this.excluded(`${this.relative(full)}/__zenops_probe__`)) continue;
          subdirs.push(walk(full));
        } else if (entry.isFile() && this.matches(full)) {
          found.push(full);
        }
      }
      await Promise.all(subdirs);
    };
    await walk(this.root);
    found.sort();
    this.known.clear();
    for (const file of found) this.known.add(file);
    return found;
  }

  add(file: string): void {
    this.known.add(file);
  }

  remove(file: string): void {
    this.known.delete(file);
  }

  has(file: string): boolean {
    return this.known.has(file);
  }

  /** The workspace file an import specifier points to, or undefined (a package, or not a scanned file). */
  resolveImport(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.resolvePath(path.resolve(path.dirname(fromFile), specifier));
    if (specifier.startsWith('/')) return this.resolvePath(specifier);
    for (const alias of this.aliases) {
      if (specifier === alias.prefix.replace(/\/$/, '') || specifier.startsWith(alias.prefix)) {
        const rest = specifier.slice(alias.prefix.length);
        for (const target of alias.targets) {
          const found = this.resolvePath(path.join(target, rest));
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  private resolvePath(base: string): string | undefined {
    const candidates = [base];
    const ext = path.extname(base);
    if (ext === '.js' || ext === '.jsx' || ext === '.mjs' || ext === '.cjs') {
      const stem = base.slice(0, -ext.length);
      candidates.push(stem + '.ts', stem + '.tsx', stem + (ext === '.mjs' ? '.mts' : '.cts'));
    }
    for (const e of SOURCE_EXTENSIONS) candidates.push(base + e);
    for (const e of SOURCE_EXTENSIONS) candidates.push(path.join(base, 'index' + e));
    return candidates.find((candidate) => this.known.has(candidate));
  }

  /** tsconfig/jsconfig `compilerOptions.paths`; `@/` and `~/` point at `src/` when nothing says otherwise. */
  private loadAliases(): void {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(this.root, name), 'utf8');
      } catch {
        continue;
      }
      const config = parseJsonc(text) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
      const options = config?.compilerOptions;
      if (!options?.paths) continue;
      const baseUrl = path.resolve(this.root, options.baseUrl ?? '.');
      for (const [pattern, targets] of Object.entries(options.paths)) {
        if (!Array.isArray(targets)) continue;
        const prefix = pattern.replace(/\*$/, '');
        this.aliases.push({ prefix, targets: targets.map((t) => path.resolve(baseUrl, t.replace(/\*$/, ''))) });
      }
    }
    for (const prefix of ['@/', '~/']) {
      if (!this.aliases.some((a) => a.prefix === prefix)) this.aliases.push({ prefix, targets: [path.join(this.root, 'src'), this.root] });
    }
    // Longest prefix first, as TypeScript picks the most specific pattern.
    this.aliases.sort((a, b) => b.prefix.length - a.prefix.length);
  }
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
