import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileScanCache } from '../../../src/core/contract/scanCache';
import { CallScanner, scanWorkspace } from '../../../src/core/contract/scanWorkspace';
import type { ScanResult } from '../../../src/core/contract/types';
import { CALL_FIXTURES, DEFAULT_EXCLUDE, DEFAULT_INCLUDE, pathText } from './callAssertions';

const EXAMPLE = path.resolve(__dirname, '../../../examples/zenops');
const options = { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE };

function copyToTemp(from: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-scan-cache-'));
  fs.cpSync(from, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  return root;
}

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** A scan in a new scanner with the cache file, as a new CLI run or a reopened editor would do it. */
async function cachedScan(root: string, cacheFile: string): Promise<{ result: ScanResult; stats: ReturnType<CallScanner['stats']>; cache: FileScanCache }> {
  const cache = new FileScanCache(cacheFile);
  const scanner = new CallScanner(root, { ...options, cache });
  const result = await scanner.scanAll();
  return { result, stats: scanner.stats(), cache };
}

function paths(result: ScanResult): string[] {
  return result.calls.map((c) => `${path.basename(c.file)} ${c.method} ${pathText(c)}`);
}

describe('scan cache: a new scan re-parses only what changed', () => {
  const roots: string[] = [];
  const temp = (from: string): string => {
    const root = copyToTemp(from);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('finds exactly what a scan without the cache finds, taking unchanged files from the cache', async () => {
    const root = temp(EXAMPLE);
    const cacheFile = path.join(root, 'cache', 'scan.json');
    const fresh = await scanWorkspace(root, options);
    const first = await cachedScan(root, cacheFile);
    assert.deepEqual(first.result, fresh);
    assert.equal(first.stats.cachedFiles, 0);
    assert.ok(fs.existsSync(cacheFile), 'the first scan wrote the cache');
    const second = await cachedScan(root, cacheFile);
    assert.deepEqual(second.result, fresh);
    assert.ok(second.stats.cachedFiles >= 8, `only ${second.stats.cachedFiles} files came from the cache`);
    // Modules only cached files import (a route map, a wrapper's module) are not even parsed.
    assert.ok(second.stats.parsedFiles + second.stats.cachedFiles < first.stats.parsedFiles, `${second.stats.parsedFiles} parsed + ${second.stats.cachedFiles} cached`);
    assert.equal(second.cache.problem, undefined);
  });

  it('re-parses an edited file and keeps the others', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'updates'));
    const cacheFile = path.join(root, '.cache.json');
    await cachedScan(root, cacheFile);
    write(root, 'src/other.js', "export const ping = () => fetch('/pong');\n");
    const after = await cachedScan(root, cacheFile);
    assert.deepEqual(after.result, await scanWorkspace(root, options));
    assert.ok(paths(after.result).includes('other.js GET /pong'));
    assert.ok(after.stats.cachedFiles > 0, 'items.js came from the cache');
  });

  it('does not reuse a file whose imported constant changed, directly or two imports away', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'updates'));
    write(root, 'src/base.js', "export const BASE = '/v1';\n");
    write(root, 'src/routes.js', "import { BASE } from './base';\nexport const ITEMS = BASE + '/items';\n");
    const cacheFile = path.join(root, '.cache.json');
    const first = await cachedScan(root, cacheFile);
    assert.ok(paths(first.result).includes('items.js GET /api/v1/items'), paths(first.result).join(', '));
    write(root, 'src/base.js', "export const BASE = '/v2';\n");
    const second = await cachedScan(root, cacheFile);
    assert.ok(paths(second.result).includes('items.js GET /api/v2/items'), paths(second.result).join(', '));
    assert.deepEqual(second.result, await scanWorkspace(root, options));
    write(root, 'src/client.js', "import axios from 'axios';\n\nexport const api = axios.create({ baseURL: '/backend' });\n");
    const third = await cachedScan(root, cacheFile);
    assert.ok(paths(third.result).includes('items.js GET /backend/v2/items'), paths(third.result).join(', '));
  });

  it('does not reuse a file when an import of the same text now resolves to another file', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'updates'));
    fs.rmSync(path.join(root, 'src/routes.js'));
    write(root, 'src/routes/index.js', "export const ITEMS = '/old-items';\n");
    const cacheFile = path.join(root, '.cache.json');
    const first = await cachedScan(root, cacheFile);
    assert.ok(paths(first.result).includes('items.js GET /api/old-items'), paths(first.result).join(', '));
    // routes/index.js is untouched; `./routes` now means routes.js.
    write(root, 'src/routes.js', "export const ITEMS = '/new-items';\n");
    const second = await cachedScan(root, cacheFile);
    assert.ok(paths(second.result).includes('items.js GET /api/new-items'), paths(second.result).join(', '));
  });

  it('re-checks every file when the workspace-wide axios defaults change', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'axios-defaults'));
    const cacheFile = path.join(root, '.cache.json');
    const first = await cachedScan(root, cacheFile);
    const main = path.join(root, 'src/main.js');
    const text = fs.readFileSync(main, 'utf8');
    assert.match(text, /defaults\.baseURL/);
    write(root, 'src/main.js', text.replace(/defaults\.baseURL\s*=\s*(['"`])[^'"`]*\1/, "defaults.baseURL = 'https://elsewhere.example/v9'"));
    const second = await cachedScan(root, cacheFile);
    assert.notDeepEqual(second.result, first.result);
    assert.deepEqual(second.result, await scanWorkspace(root, options));
  });

  it('applies in another checkout of the same files (paths are kept relative to the root)', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'app'));
    const cacheFile = path.join(os.tmpdir(), `zenops-cache-${process.pid}-moved.json`);
    try {
      await cachedScan(root, cacheFile);
      const moved = temp(root);
      const again = await cachedScan(moved, cacheFile);
      assert.ok(again.stats.cachedFiles > 0);
      assert.deepEqual(again.result, await scanWorkspace(moved, options));
      assert.ok(again.result.calls.every((c) => c.file.startsWith(moved + path.sep)));
    } finally {
      fs.rmSync(cacheFile, { force: true });
    }
  });

  it('keeps a syntax error as a skipped file across cached scans', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'app'));
    const cacheFile = path.join(root, '.cache.json');
    const first = await cachedScan(root, cacheFile);
    assert.ok(first.result.skipped.some((s) => path.basename(s.file) === 'broken.js'));
    const second = await cachedScan(root, cacheFile);
    assert.deepEqual(second.result.skipped, first.result.skipped);
  });

  it('ignores a broken cache file, says so, and rewrites it', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'updates'));
    const cacheFile = path.join(root, '.cache.json');
    fs.writeFileSync(cacheFile, '{"format": 1, "engine": ');
    const broken = await cachedScan(root, cacheFile);
    assert.deepEqual(broken.result, await scanWorkspace(root, options));
    assert.equal(broken.stats.cachedFiles, 0);
    assert.ok(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).files, 'the scan wrote a good cache over it');
    const good = await cachedScan(root, cacheFile);
    assert.ok(good.stats.cachedFiles > 0);
  });

  it('ignores entries of the wrong shape and a cache another engine wrote', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'updates'));
    const cacheFile = path.join(root, '.cache.json');
    await cachedScan(root, cacheFile);
    const json = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    for (const key of Object.keys(json.files)) json.files[key] = { hash: 'x', calls: 'not a list' };
    fs.writeFileSync(cacheFile, JSON.stringify(json));
    assert.equal((await cachedScan(root, cacheFile)).stats.cachedFiles, 0);
    const rewritten = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    fs.writeFileSync(cacheFile, JSON.stringify({ ...rewritten, engine: 'another-engine' }));
    const other = await cachedScan(root, cacheFile);
    assert.equal(other.stats.cachedFiles, 0);
    assert.deepEqual(other.result, await scanWorkspace(root, options));
  });

  it('still scans when the cache cannot be written, and says why', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'updates'));
    write(root, 'not-a-folder', 'a file where the cache folder should be');
    const scan = await cachedScan(root, path.join(root, 'not-a-folder', 'scan.json'));
    assert.deepEqual(scan.result, await scanWorkspace(root, options));
    assert.match(scan.cache.problem ?? '', /could not write/);
  });

  it('a file edited after a cached scan is re-parsed and re-checked as usual', async () => {
    const root = temp(path.join(CALL_FIXTURES, 'updates'));
    const cacheFile = path.join(root, '.cache.json');
    await cachedScan(root, cacheFile);
    const scanner = new CallScanner(root, { ...options, cache: new FileScanCache(cacheFile) });
    await scanner.scanAll();
    assert.ok(scanner.stats().cachedFiles > 0);
    const items = path.join(root, 'src/items.js');
    const changed = await scanner.updateFile(items, "import { api } from './client';\nexport const one = () => api.delete('/items/1');\n");
    assert.deepEqual([...changed].map(([f, calls]) => [path.basename(f), calls.map((c) => `${c.method} ${pathText(c)}`)]), [['items.js', ['DELETE /api/items/1']]]);
    // An edit of the module a cached file imports reaches that file too.
    const other = await scanner.updateFile(path.join(root, 'src/client.js'), "import axios from 'axios';\nexport const api = axios.create({ baseURL: '/v3' });\n");
    assert.ok([...other.keys()].map((f) => path.basename(f)).includes('items.js'));
  });
});
