// The one way files get into a diagnostics bundle: every text and JSON document passes through redact()
// on its way to disk, so nothing unredacted is ever written.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { redact, redactJson } from './redact';

/** `2026-12-03T17-02-47Z`: UTC, sortable, and without `:` so it is a valid folder name on every OS. */
export function bundleFolderName(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** Creates `<outDir>/<timestamp>/` (with `-2`, `-3`… when a bundle of the same second exists). */
export async function createBundleFolder(outDir: string, date: Date): Promise<string> {
  await fs.mkdir(outDir, { recursive: true });
  const base = bundleFolderName(date);
  for (let n = 1; ; n++) {
    const dir = path.join(outDir, n === 1 ? base : `${base}-${n}`);
    try {
      await fs.mkdir(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw err;
    }
  }
}

const RESERVED_WINDOWS_NAMES = /^(?:con|prn|aux|nul|com\d|lpt\d)$/i;

/** A file-name-safe form of a service or label value: `zenops-api-1`, never `../x` or `nul`. */
export function safeFileName(name: string): string {
  let safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '').slice(0, 100);
  if (safe === '' || safe === '_') safe = 'unknown';
  if (RESERVED_WINDOWS_NAMES.test(safe)) safe = `_${safe}`;
  return safe;
}

export class BundleWriter {
  /** Paths written so far, relative to the bundle folder, with `/` separators. */
  readonly written: string[] = [];

  constructor(
    readonly dir: string,
    private readonly patterns: readonly RegExp[],
  ) {}

  /** `text` as it would be written: for what is derived from text before it is written (error signatures). */
  redact(text: string): string {
    return redact(text, this.patterns);
  }

  /** Redacts and writes a text file; `relativePath` uses `/` and stays inside the bundle. */
  async text(relativePath: string, text: string): Promise<string> {
    const file = this.resolve(relativePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, redact(text, this.patterns), 'utf8');
    this.written.push(relativePath);
    return relativePath;
  }

  /** Redacts secret-named values and every string (keys too), then writes pretty JSON; the result stays valid JSON. */
  async json(relativePath: string, value: unknown): Promise<string> {
    const file = this.resolve(relativePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${JSON.stringify(redactJson(value, this.patterns), null, 2)}\n`, 'utf8');
    this.written.push(relativePath);
    return relativePath;
  }

  private resolve(relativePath: string): string {
    const file = path.resolve(this.dir, ...relativePath.split('/'));
    const rel = path.relative(this.dir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`refusing to write ${relativePath} outside the bundle`);
    return file;
  }
}
