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

/** Writes `files` into a new temporary workspace. */
function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-scan-cache-'));
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return root;
}

/** A cached scan must find exactly what a scan without the cache finds (skipped files included). */
async function assertSameAsFresh(root: string, cacheFile: string, what: string): Promise<Awaited<ReturnType<typeof cachedScan>>> {
  const cached = await cachedScan(root, cacheFile);
  assert.deepEqual(cached.result, await scanWorkspace(root, options), what);
  return cached;
}

describe('scan cache: what a tester found reusing stale entries, fixed', () => {
  const roots: string[] = [];
  const temp = (files: Record<string, string>): string => {
    const root = workspace(files);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('a module that did not parse is a dependency: fixing it re-checks the calls that read it, and it stays reported meanwhile', async () => {
    const root = temp({
      'src/constants.ts': 'export const BASE = ;\n',
      'src/page.ts': "import axios from 'axios';\nimport { BASE } from './constants';\nexport const x = () => axios.get(BASE);\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    const first = await assertSameAsFresh(root, cacheFile, 'first run');
    assert.ok(first.result.skipped.some((s) => s.file.endsWith('constants.ts')));
    const again = await assertSameAsFresh(root, cacheFile, 'nothing changed');
    assert.ok(again.stats.cachedFiles > 0, 'page.ts came from the cache');
    write(root, 'src/constants.ts', "export const BASE = '/nope';\n");
    const fixed = await assertSameAsFresh(root, cacheFile, 'constants.ts fixed');
    assert.deepEqual(paths(fixed.result), ['page.ts GET /nope']);
  });

  it('an import the text pre-scan cannot read (a comment with a quote inside the braces) still counts: a new file it now resolves to is seen', async () => {
    const root = temp({
      'src/page.ts': "import axios from 'axios';\nimport {\n  BASE, // don't inline\n} from './config';\nexport const x = () => axios.get(BASE);\n",
      'src/config/index.ts': "export const BASE = '/users';\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    await assertSameAsFresh(root, cacheFile, 'first run');
    write(root, 'src/config.ts', "export const BASE = '/nope';\n");
    const after = await assertSameAsFresh(root, cacheFile, 'config.ts now wins over config/index.ts');
    assert.deepEqual(paths(after.result), ['page.ts GET /nope']);
  });

  it('moving a defaults.baseURL from one axios instance to another re-checks the calls of both', async () => {
    const root = temp({
      'src/api.ts': "import axios from 'axios';\nexport const a = axios.create();\nexport const b = axios.create();\n",
      'src/setup.ts': "import { a, b } from './api';\na.defaults.baseURL = '/v1';\n",
      'src/page.ts': "import { a, b } from './api';\nexport const x = () => a.get('/users');\nexport const y = () => b.get('/pets');\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    const first = await assertSameAsFresh(root, cacheFile, 'first run');
    assert.deepEqual(paths(first.result), ['page.ts GET /v1/users', 'page.ts GET /pets']);
    write(root, 'src/setup.ts', "import { a, b } from './api';\nb.defaults.baseURL = '/v1';\n");
    const moved = await assertSameAsFresh(root, cacheFile, 'the default moved to b');
    assert.deepEqual(paths(moved.result), ['page.ts GET /users', 'page.ts GET /v1/pets']);
  });

  it('two imports swapping targets (tsconfig paths) are told apart, not compared as a set of files', async () => {
    const tsconfig = (cfg: string, alt: string) => JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '#cfg/*': [cfg], '#alt/*': [alt] } } });
    const root = temp({
      'tsconfig.json': tsconfig('src/a/*', 'src/b/*'),
      'src/a/config.ts': "export const URL1 = '/users';\n",
      'src/b/config.ts': "export const URL1 = '/nope';\n",
      'src/page.ts': "import axios from 'axios';\nimport { URL1 } from '#cfg/config';\nimport { URL1 as U2 } from '#alt/config';\nexport const x = () => axios.get(URL1);\nexport const keep = U2;\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    const first = await assertSameAsFresh(root, cacheFile, 'first run');
    assert.deepEqual(paths(first.result), ['page.ts GET /users']);
    write(root, 'tsconfig.json', tsconfig('src/b/*', 'src/a/*'));
    const swapped = await assertSameAsFresh(root, cacheFile, 'targets swapped');
    assert.deepEqual(paths(swapped.result), ['page.ts GET /nope']);
  });

  it('messages naming a file of the workspace name the new checkout after a move', async () => {
    const root = temp({
      'src/config.ts': "export const OTHER = '/x';\n",
      'src/page.ts': "import axios from 'axios';\nimport { BASE } from './config';\nexport const x = () => axios.get(BASE);\n",
    });
    const cacheFile = path.join(os.tmpdir(), `zenops-cache-${process.pid}-messages.json`);
    try {
      const first = await cachedScan(root, cacheFile);
      const call = first.result.calls[0];
      assert.ok(call.url.kind === 'unresolved' && call.url.reason.includes(root), JSON.stringify(call.url));
      const moved = temp({});
      fs.cpSync(root, moved, { recursive: true });
      const again = await assertSameAsFresh(moved, cacheFile, 'in the moved checkout');
      assert.ok(again.stats.cachedFiles > 0);
      assert.ok(!JSON.stringify(again.result).includes(root + path.sep), 'a message still names the old checkout');
    } finally {
      fs.rmSync(cacheFile, { force: true });
    }
  });

  it('a re-export cycle gives every importer the same answer, whichever file is analysed first', async () => {
    const root = temp({
      'src/a.ts': "export * from './b';\n",
      'src/b.ts': "export * from './a';\nexport * from './c';\n",
      'src/c.ts': "export const Z = '/nope';\n",
      'src/p1.ts': "import axios from 'axios';\nimport { Z } from './b';\nexport const x = () => axios.get(Z);\n",
      'src/p2.ts': "import axios from 'axios';\nimport { Z } from './a';\nexport const y = () => axios.get(Z);\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    const first = await assertSameAsFresh(root, cacheFile, 'first run');
    assert.deepEqual(paths(first.result), ['p1.ts GET /nope', 'p2.ts GET /nope']);
    write(root, 'src/p2.ts', `${fs.readFileSync(path.join(root, 'src/p2.ts'), 'utf8')}// edit\n`);
    await assertSameAsFresh(root, cacheFile, 'p2 edited, p1 from the cache');
  });

  it('file names equal to localeCompare (NFC and NFD forms) keep one order', async () => {
    const nfc = 'caf\u00e9.ts';
    const nfd = 'cafe\u0301.ts';
    const root = temp({ [`src/${nfc}`]: 'import axios from "axios"; export const = ;\n', [`src/${nfd}`]: 'import axios from "axios"; export const = ;\n' });
    const cacheFile = path.join(root, '.cache.json');
    await assertSameAsFresh(root, cacheFile, 'first run');
    write(root, `src/${nfd}`, 'import axios from "axios"; export const = ; // edit\n');
    await assertSameAsFresh(root, cacheFile, 'the NFD file edited');
  });

  const aliasChain = (name: string, from: string, count: number): string =>
    Array.from({ length: count }, (_, i) => `const ${name}${i + 1} = ${name}${i};`).join('\n').replace(`${name}1 = ${name}0`, `${name}1 = ${from}`);

  it('an answer cut short by the depth limit is not remembered: each file gets the same answer whichever file went first', async () => {
    const root = temp({
      'src/c.ts': `const A0 = '/nope';\nconst A1 = A0;\n${aliasChain('A', 'A0', 25).split('\n').slice(1).join('\n')}\nexport const X = A25;\n`,
      'src/p1.ts': `import axios from 'axios';\nimport { X } from './c';\nconst B0 = X;\n${aliasChain('B', 'B0', 25)}\nexport const f = () => axios.get(B25);\n`,
      'src/p2.ts': "import axios from 'axios';\nimport { X } from './c';\nexport const g = () => axios.get(X);\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    const first = await assertSameAsFresh(root, cacheFile, 'first run');
    // p2 reads X directly: resolved, whatever p1 (too deep) got.
    assert.ok(paths(first.result).includes('p2.ts GET /nope'), paths(first.result).join(', '));
    write(root, 'src/p2.ts', `${fs.readFileSync(path.join(root, 'src/p2.ts'), 'utf8')}// edit\n`);
    await assertSameAsFresh(root, cacheFile, 'p2 edited, p1 from the cache');
  });

  it('the axios defaults are worked out the same way in every run, even from a deep constant', async () => {
    const root = temp({
      'src/c.ts': `const A0 = '/v1';\n${aliasChain('A', 'A0', 25)}\nexport const X = A25;\n`,
      'src/p1.ts': `import axios from 'axios';\nimport { X } from './c';\nconst B0 = X;\n${aliasChain('B', 'B0', 25)}\nexport const f = () => axios.get(B25);\n`,
      'src/p2.ts': "import axios from 'axios';\nexport const g = () => axios.get('/users');\n",
      'src/setup.ts': "import axios from 'axios';\nimport { X } from './c';\naxios.defaults.baseURL = X;\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    const first = await assertSameAsFresh(root, cacheFile, 'first run');
    assert.ok(paths(first.result).includes('p2.ts GET /v1/users'), paths(first.result).join(', '));
    await assertSameAsFresh(root, cacheFile, 'second run, nothing changed');
    await assertSameAsFresh(root, cacheFile, 'third run, nothing changed');
  });

  it('an instance whose defaults.baseURL is set twice does not shift which instance the other overrides belong to', async () => {
    const root = temp({
      'src/api.ts': "import axios from 'axios';\nexport const a = axios.create();\nexport const b = axios.create();\nexport const c = axios.create();\n",
      'src/setup.ts': "import { a, b, c } from './api';\na.defaults.baseURL = '/x';\na.defaults.baseURL = '/v1';\nb.defaults.baseURL = '/v2';\n",
      'src/page.ts': "import { a, b, c } from './api';\nexport const x = () => c.get('/users');\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    await assertSameAsFresh(root, cacheFile, 'first run');
    write(root, 'src/setup.ts', "import { a, b, c } from './api';\na.defaults.baseURL = '/x';\na.defaults.baseURL = '/v1';\nc.defaults.baseURL = '/v2';\n");
    const moved = await assertSameAsFresh(root, cacheFile, "b's default moved to c");
    assert.deepEqual(paths(moved.result), ['page.ts GET /v2/users']);
  });

  it('a URL literal that spells the checkout path stays as written when the checkout moves', async () => {
    const root = temp({ 'src/page.ts': '' });
    write(root, 'src/page.ts', `import axios from 'axios';\nexport const x = () => axios.get('${root}/users');\nexport const y = () => axios.get('/\\u0000zenops-root\\u0000/users');\n`);
    const cacheFile = path.join(os.tmpdir(), `zenops-cache-${process.pid}-literal.json`);
    try {
      await cachedScan(root, cacheFile);
      const moved = temp({});
      fs.cpSync(root, moved, { recursive: true });
      const again = await assertSameAsFresh(moved, cacheFile, 'in the moved checkout');
      assert.ok(again.stats.cachedFiles > 0);
    } finally {
      fs.rmSync(cacheFile, { force: true });
    }
  });

  it('a tampered entry claiming that some other file does not parse is ignored', async () => {
    const root = temp({ 'src/page.ts': "import axios from 'axios';\nexport const x = () => axios.get('/users');\n" });
    const cacheFile = path.join(root, '.cache.json');
    await cachedScan(root, cacheFile);
    const json = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { files: Record<string, { depErrors: Record<string, string> }> };
    Object.values(json.files)[0].depErrors = { '/etc/passwd': 'pwned', './src/ghost.ts': 'x' };
    fs.writeFileSync(cacheFile, JSON.stringify(json));
    const scan = await assertSameAsFresh(root, cacheFile, 'made-up skipped files');
    assert.equal(scan.stats.cachedFiles, 0);
  });

  it('a tampered entry (wrong types inside a call, a call of another file) is ignored, never trusted or crashed on', async () => {
    const root = temp({
      'src/page.ts': "import axios from 'axios';\nexport const x = () => axios.get('/users');\n",
    });
    const cacheFile = path.join(root, '.cache.json');
    await cachedScan(root, cacheFile);
    const good = fs.readFileSync(cacheFile, 'utf8');
    const tamper: ((entry: { error?: unknown; calls: Record<string, unknown>[] }) => void)[] = [
      (e) => (e.error = 5),
      (e) => (e.calls[0].url = 'x'),
      (e) => delete e.calls[0].url,
      (e) => (e.calls[0].method = 5),
      (e) => (e.calls[0].file = '/etc/passwd'),
      (e) => (e.calls[0].callSpan = { start: { line: 'a', column: 0 }, end: { line: 1, column: 1 } }),
    ];
    for (const [i, change] of tamper.entries()) {
      const json = JSON.parse(good) as { files: Record<string, { error?: unknown; calls: Record<string, unknown>[] }> };
      change(Object.values(json.files)[0]);
      fs.writeFileSync(cacheFile, JSON.stringify(json));
      const scan = await assertSameAsFresh(root, cacheFile, `tampering ${i}`);
      assert.equal(scan.stats.cachedFiles, 0, `tampering ${i} was trusted`);
    }
  });
});
