import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { generateWorkspace } from '../../../bench/calls';
import { callSiteStatements } from '../../../src/core/contract/callSiteStatements';
import { parseSource } from '../../../src/core/contract/parseSource';
import { CallScanner } from '../../../src/core/contract/scanWorkspace';
import { CALL_FIXTURES, DEFAULT_EXCLUDE, DEFAULT_INCLUDE, tempWorkspace } from './callAssertions';
import { randomWorkspace } from './randomWorkspaces';

const REPO = path.resolve(__dirname, '../../..');

/** The first line of each statement callSiteStatements keeps (all of them when it keeps everything). */
function keptLines(code: string, file = 'estree.tsx'): string[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.TSX);
  const kept = callSiteStatements(source) ?? source.statements;
  return kept.map((s) => code.slice(s.getStart(source), s.end).split('\n')[0]);
}

/** What a scan finds (calls and skipped files), with the statement choice on or off. */
async function scan(root: string, callSitesOnly: boolean): Promise<{ found: string; leftOutFiles: number }> {
  const scanner = new CallScanner(root, { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE, callSitesOnly });
  const result = await scanner.scanAll();
  return { found: JSON.stringify(result, null, 1), leftOutFiles: scanner.stats().callSitesOnlyFiles };
}

/** Scans a workspace of `files` both ways, then removes it. */
async function scanBothWays(files: Record<string, string>): Promise<{ whole: { found: string; leftOutFiles: number }; cut: { found: string; leftOutFiles: number } }> {
  const root = tempWorkspace(files, 'zenops-slice-');
  try {
    return { whole: await scan(root, false), cut: await scan(root, true) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('callSiteStatements: which top-level statements a file read for its own calls needs', () => {
  it('keeps imports, calls and the module-level names they use, and leaves out code that cannot reach a client', () => {
    const code = [
      "import api from './client';",
      "const resource = 'items';",
      'export const list = () => api.get(`/${resource}`);',
      'export function total(rows) { return rows.reduce((a, b) => a + b.amount, 0); }',
      'export class Store { get(id) { return this.items.get(id); } }',
      "const LABELS = { open: 'Open' };",
      'export const label = (s) => LABELS[s] ?? s;',
      '',
    ].join('\n');
    assert.deepEqual(keptLines(code), ["import api from './client';", "const resource = 'items';", 'export const list = () => api.get(`/${resource}`);']);
  });

  it('keeps a local wrapper with its callers, and a constant declared after its use', () => {
    const code = [
      'function request(url) { return fetch(BASE + url); }',
      "export const one = () => request('/one');",
      'export const unrelated = (x) => x * 2;',
      "const BASE = '/api';",
      '',
    ].join('\n');
    assert.deepEqual(keptLines(code), ['function request(url) { return fetch(BASE + url); }', "export const one = () => request('/one');", "const BASE = '/api';"]);
  });

  it('keeps statements reaching a client through globals: window, globalThis, require, import()', () => {
    const code = [
      'window.api = makeClient();',
      "export const a = () => window.api.get('/a');",
      "const ky = require('ky');",
      "export const b = () => ky.get('b');",
      "export const c = async () => (await import('ky')).default.get('c');",
      'export const d = (n) => n + 1;',
      '',
    ].join('\n');
    assert.deepEqual(keptLines(code).length, 5);
  });

  it('keeps a statement that reassigns a module-level name a kept statement reads', () => {
    const code = ["let base = '/api';", "export const load = () => fetch(base + '/x');", 'export function configure(b) { base = b; }', 'export const other = () => 1;', ''].join('\n');
    assert.deepEqual(keptLines(code), ["let base = '/api';", "export const load = () => fetch(base + '/x');", 'export function configure(b) { base = b; }']);
  });

  it('finds names written with non-ASCII letters, and leaves a file alone when an identifier may be escaped', () => {
    const code = ["const método = 'GET';", "export const a = () => fetch('/a', { method: método });", 'export const b = (n) => n;', ''].join('\n');
    assert.deepEqual(keptLines(code), ["const método = 'GET';", "export const a = () => fetch('/a', { method: método });"]);
    const escaped = ["const \\u0061pi = '/api';", 'export const a = () => fetch(api);', 'export const b = (n) => n;', ''].join('\n');
    assert.equal(keptLines(escaped).length, 3);
  });

  it('parses a file of left-out statements with TypeScript generics, JSX and zenops-ignore comments like the whole file', () => {
    const code = [
      "import axios from 'axios';",
      'export function pick<T>(rows: Array<T>): T | undefined { return rows[0]; }',
      'export const typed = () => axios.get<Array<string>>(`/api/typed`); // zenops-ignore',
      'const widget = new Map<string, number>();',
      'export class Box<T> { constructor(private readonly value: T) {} }',
      '',
    ].join('\n');
    const whole = parseSource('/w/a.ts', code);
    const cut = parseSource('/w/a.ts', code, { callSitesOnly: true });
    assert.ok(whole.ok && cut.ok);
    assert.equal(cut.leftOut, 3);
    assert.equal(cut.program.body.length, 2);
    // The kept statements are converted exactly as in the whole file's parse, positions included.
    assert.deepEqual(JSON.parse(JSON.stringify(cut.program.body)), JSON.parse(JSON.stringify([whole.program.body[0], whole.program.body[2]])));
    assert.deepEqual(cut.comments, whole.comments);
    const jsx = ["import api from './api';", 'export const View = () => <List<string> items={[]} />;', 'export const load = () => api.get(`/x`);', ''].join('\n');
    const jsxCut = parseSource('/w/a.tsx', jsx, { callSitesOnly: true });
    assert.ok(jsxCut.ok && jsxCut.leftOut === 1, jsxCut.ok ? '' : jsxCut.reason);
  });

  it('splits words where TypeScript does: white space it accepts (U+200B, U+0085) does not hide a name', () => {
    const hidden = ["import axios from 'axios';", 'const junk = 1;', "export const load = () => {\n  \u200bapi.get('/items');\n};", "const api = axios.create({ baseURL: '/v1' });", ''].join('\n');
    assert.equal(keptLines(hidden).length, 3);
    const nel = ["const BASE\u0085= '/api';", "fetch(BASE + '/users');", 'const junk = 1;', ''].join('\n');
    assert.deepEqual(keptLines(nel), ["const BASE\u0085= '/api';", "fetch(BASE + '/users');"]);
  });

  it('collects the zenops-ignore comments of a JSX file whose left-out statements hold JSX', () => {
    const code = [
      'export default function Home() {',
      '  useEffect(() => {',
      "    fetch('/api/items');",
      '    // zenops-ignore',
      "    fetch('/api/debug');",
      '  }, []);',
      '  return null;',
      '}',
      '',
      'export function Footer() {',
      '  return <footer>{new Date().getFullYear()}<br/></footer>;',
      '}',
      '',
    ].join('\n');
    const whole = parseSource('/w/index.jsx', code);
    const cut = parseSource('/w/index.jsx', code, { callSitesOnly: true });
    assert.ok(cut.ok, cut.ok ? '' : cut.reason);
    assert.ok(whole.ok);
    assert.equal(cut.leftOut, 1);
    assert.deepEqual(cut.comments, whole.comments);
  });

  it('still reports a syntax error anywhere in the file, left-out statements included', () => {
    const parsed = parseSource('/w/a.js', "import api from './api';\nexport const a = () => api.get('/a');\nexport function b( {\n", { callSitesOnly: true });
    assert.equal(parsed.ok, false);
  });
});

describe('scanning with only the call-site statements converted finds exactly what converting everything finds', () => {
  const roots = [
    ...fs.readdirSync(CALL_FIXTURES).map((name) => path.join(CALL_FIXTURES, name)),
    path.join(REPO, 'test/fixtures/cli/clean'),
    path.join(REPO, 'test/fixtures/cli/shop'),
    path.join(REPO, 'test/fixtures/multi-root/inventory'),
    path.join(REPO, 'examples/zenops'),
  ];
  for (const root of roots) {
    it(path.relative(REPO, root), async () => {
      const whole = await scan(root, false);
      const cut = await scan(root, true);
      assert.equal(whole.leftOutFiles, 0);
      assert.equal(cut.found, whole.found);
    });
  }

  it('the benchmark workspace (800 files; statements are left out of every service file)', async function () {
    this.timeout(120000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-slice-bench-'));
    try {
      generateWorkspace(root);
      const whole = await scan(root, false);
      const cut = await scan(root, true);
      assert.ok(cut.leftOutFiles >= 250, `statements were left out of ${cut.leftOutFiles} files`);
      assert.equal(cut.found, whole.found);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('120 random workspaces mixing the ways a call reaches a client with code that does not', async function () {
    this.timeout(120000);
    let leftOutFiles = 0;
    let calls = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const { whole, cut } = await scanBothWays(randomWorkspace(seed));
      assert.equal(cut.found, whole.found, `seed ${seed}`);
      leftOutFiles += cut.leftOutFiles;
      calls += (JSON.parse(cut.found) as { calls: unknown[] }).calls.length;
    }
    // Not vacuous: statements were left out, and calls were found.
    assert.ok(leftOutFiles > 100 && calls > 300, `${leftOutFiles} files cut, ${calls} calls`);
  });

  it('a file mixing every way a call reaches a client with code that does not', async () => {
    const { whole, cut } = await scanBothWays({
      'src/client.js': "import axios from 'axios';\nexport const api = axios.create({ baseURL: '/api' });\n",
      'src/page.js': [
        "import { api } from './client';",
        "import useSWR from 'swr';",
        'const fmt = (n) => String(n).padStart(2, "0");',
        "let version = 'v1';",
        'function bump() { version = `v${Number(version.slice(1)) + 1}`; }',
        'export const items = () => api.get(`/${version}/items`);',
        "const http = { get: (u) => fetch('/api' + u) };",
        "export const viaObject = () => http.get('/things');",
        'export class Service { constructor() { this.client = api; } load(id) { return this.client.get(`/items/${id}`); } }',
        "export const swr = (id) => useSWR(id ? `/api/items/${id}` : null);",
        "export const globalFetch = () => globalThis.fetch('/api/global');",
        'export function plain(rows) { const cache = new Map(); return rows.map((r) => cache.get(r) ?? fmt(r)); }',
        "export const req = () => new Request('/api/req', { method: 'POST' });",
        "export const later = () => api.post(LATE + '/x');",
        "const LATE = '/late';",
        '',
      ].join('\n'),
    });
    assert.equal(cut.leftOutFiles, 1);
    assert.equal(cut.found, whole.found);
    // Every call but the forwarding one inside `http.get` (its caller is the call site).
    const lines = (JSON.parse(cut.found) as { calls: { callSpan: { start: { line: number } } }[] }).calls.map((c) => c.callSpan.start.line);
    assert.deepEqual(lines, [6, 8, 9, 10, 11, 13, 14]);
  });

  // Inputs a review found where leaving code out once changed what the rest means, or lost a declared name.
  const edgeCases: [string, string, string][] = [
    ['a left-out statement between a kept one and a `;(` line (semicolon-free style)', 'main.js', "import axios from 'axios'\nconst api = axios.create({ baseURL: '/api' })\nfunction logError (err) { console.error(err) }\n;(async () => { await api.get('/session') })()\n"],
    ['a left-out statement before a `;[` line', 'a.js', "const BASE = '/api'\nconst unused = 1\nfunction f () {}\n;['users', 'posts'].forEach((r) => fetch(`${BASE}/${r}`))\n"],
    ['do … while, then a declaration', 'a.js', "do tick(); while (busy())\nvar BASE = '/api'\nexport const load = () => fetch(BASE + '/users')\n"],
    ['for await with its body on the next line', 'a.js', "for await (const u of ['/a'])\n  var r = fetch(u)\nexport const x = 1\n"],
    ['a dotted decorator without arguments', 'a.ts', "@meta.sealed\nclass Endpoints { static users = '/api/users' }\nexport const n = 1\nexport const load = () => fetch(Endpoints.users)\n"],
    ['using and await using declarations', 'a.ts', "const a = 1\nusing BASE = { url: '/api', [Symbol.dispose]() {} }\nawait using B2 = { url: '/b', async [Symbol.asyncDispose]() {} }\nexport const load = () => fetch(BASE.url + B2.url)\n"],
    ['a variable named like a modifier ending a line', 'a.js', "let async = false\nexport const mode = async\nconst BASE = '/api'\nexport const load = () => fetch(BASE)\n"],
    ['a regular expression after a block', 'a.js', "function f() {}\n/'/.test(s); const BASE = '/api' // don't\nexport const load = () => fetch(BASE + '/items')\n"],
    ['if … else on one line', 'a.js', "if (dev()) log(1); else fetch('/else')\nexport const y = 2\nfetch('/x')\n"],
    ['a decorator after a line ending in `>`', 'a.ts', "export const routes = { users: '/u' } satisfies Record<string, string>\n@Injectable({ providedIn: 'root' })\nexport class UserService { list() { return fetch(routes.users) } }\nexport const z = 3\n"],
    ['interfaces and type aliases named in a kept call\'s annotations', 'a.ts', "import axios from 'axios'\nexport interface User { id: string; name: string }\ntype Id = string\nexport const getUser = (id: Id): Promise<User> => axios.get<User>(`/api/users/${id}`)\n"],
    ['rest elements', 'a.ts', "const { a, ...paths } = { a: 1, users: '/api/users' }\nconst [first, ...rest] = ['/api/x']\nexport const q = 1\nexport const load = () => fetch(paths.users + rest[0])\n"],
  ];
  for (const [what, file, code] of edgeCases) {
    it(what, async () => {
      const { whole, cut } = await scanBothWays({ [file]: code });
      assert.equal(cut.found, whole.found);
      assert.ok((JSON.parse(cut.found) as { calls: unknown[] }).calls.length > 0);
    });
  }
});
