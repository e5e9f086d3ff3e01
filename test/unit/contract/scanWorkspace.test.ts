import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CallScanner, scanWorkspace } from '../../../src/core/contract/scanWorkspace';
import type { ApiCall } from '../../../src/core/contract/types';
import { CALL_FIXTURES, DEFAULT_EXCLUDE, DEFAULT_INCLUDE, pathText } from './callAssertions';

const UPDATES = path.join(CALL_FIXTURES, 'updates');
const src = (name: string) => path.join(UPDATES, 'src', name);
const summary = (calls: ApiCall[]) => calls.map((c) => `${c.method} ${pathText(c)}`);
const files = (changed: Map<string, ApiCall[]>) => [...changed.keys()].map((f) => path.basename(f)).sort();

describe('CallScanner: re-checking files as they change (test/fixtures/calls/updates)', () => {
  let scanner: CallScanner;

  beforeEach(async () => {
    scanner = new CallScanner(UPDATES, { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });
    await scanner.scanAll();
  });

  it('finds the calls of the first scan', () => {
    assert.deepEqual(summary(scanner.callsOf(src('items.js'))), ['GET /api/items']);
    assert.deepEqual(summary(scanner.callsOf(src('other.js'))), ['GET /ping']);
    assert.deepEqual(scanner.callsOf(src('plain.js')), []);
  });

  it('re-checks the files that import a changed route constant', async () => {
    const changed = await scanner.updateFile(src('routes.js'), "export const ITEMS = '/things';\n");
    assert.deepEqual(files(changed), ['items.js']);
    assert.deepEqual(summary(changed.get(src('items.js'))!), ['GET /api/things']);
    assert.deepEqual(summary(scanner.callsOf(src('items.js'))), ['GET /api/things']);
  });

  it('re-checks the files that use an instance whose baseURL changed', async () => {
    const text = "import axios from 'axios';\n\nexport const api = axios.create({ baseURL: '/api/v2' });\n";
    const changed = await scanner.updateFile(src('client.js'), text);
    assert.deepEqual(files(changed), ['items.js']);
    assert.deepEqual(summary(changed.get(src('items.js'))!), ['GET /api/v2/items']);
  });

  it('returns the file itself when its own calls change, and leaves unrelated files alone', async () => {
    const changed = await scanner.updateFile(src('other.js'), "export const ping = () => fetch('/ping', { method: 'HEAD' });\n");
    assert.deepEqual(files(changed), ['other.js']);
    assert.deepEqual(summary(changed.get(src('other.js'))!), ['HEAD /ping']);
  });

  it('starts checking a file that gains its first call (unsaved text)', async () => {
    const changed = await scanner.updateFile(src('plain.js'), "export const sum = (a, b) => a + b;\nexport const load = () => fetch('/sums');\n");
    assert.deepEqual(files(changed), ['plain.js']);
    assert.deepEqual(summary(scanner.callsOf(src('plain.js'))), ['GET /sums']);
  });

  it('starts checking a file that newly imports the api instance', async () => {
    const text = "import { api } from './client';\nexport const sum = () => api.post('/sums');\n";
    const changed = await scanner.updateFile(src('plain.js'), text);
    assert.deepEqual(summary(changed.get(src('plain.js'))!), ['POST /api/sums']);
  });

  it('starts checking a file that newly imports a wrapper nobody imported before', async () => {
    const text = "import { getJson } from './wrap';\nexport const load = () => getJson('/wrapped');\n";
    const changed = await scanner.updateFile(src('plain.js'), text);
    assert.deepEqual(summary(changed.get(src('plain.js'))!), ['GET /api/wrapped']);
    assert.equal(changed.get(src('plain.js'))![0].via, 'getJson');
  });

  it('returns nothing when the text did not change', async () => {
    const text = fs.readFileSync(src('other.js'), 'utf8');
    assert.equal((await scanner.updateFile(src('other.js'), text)).size, 0);
  });

  it('drops the calls of a file that no longer parses', async () => {
    const changed = await scanner.updateFile(src('other.js'), 'export const ping = () => fetch(\n');
    assert.deepEqual(changed.get(src('other.js')), []);
    assert.match(scanner.skippedReason(src('other.js')) ?? '', /^syntax error \(line 2/);
    assert.equal(scanner.skippedReason(src('items.js')), undefined);
  });

  it('makes the dependents’ URLs unresolved when an imported module is removed', () => {
    const changed = scanner.removeFile(src('routes.js'));
    assert.deepEqual(files(changed), ['items.js']);
    const [call] = changed.get(src('items.js'))!;
    assert.equal(call.url.kind, 'unresolved');
  });

  it('keeps an edit that arrives while a full scan is still reading files', async () => {
    const fresh = new CallScanner(UPDATES, { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });
    const scanning = fresh.scanAll();
    await fresh.updateFile(src('other.js'), "export const ping = () => fetch('/pong');\n");
    const result = await scanning;
    assert.deepEqual(summary(fresh.callsOf(src('other.js'))), ['GET /pong']);
    assert.ok(result.calls.some((c) => pathText(c) === '/pong'));
  });

  it('resolves an import again when the missing file comes back (a new file in the editor)', async () => {
    scanner.removeFile(src('routes.js'));
    const changed = await scanner.updateFile(src('routes.js'), "export const ITEMS = '/back';\n");
    assert.deepEqual(summary(changed.get(src('items.js'))!), ['GET /api/back']);
  });

  it('returns the file itself with no calls when a file with calls is removed', () => {
    const changed = scanner.removeFile(src('other.js'));
    assert.deepEqual([...changed.entries()], [[src('other.js'), []]]);
    assert.deepEqual(scanner.callsOf(src('other.js')), []);
  });

  it('ignores files outside the include globs', async () => {
    const changed = await scanner.updateFile(path.join(UPDATES, 'notes.md'), "fetch('/x')");
    assert.equal(changed.size, 0);
  });
});

describe('scanWorkspace: frontends in subfolders of the workspace (test/fixtures/calls/monorepo)', () => {
  it('resolves tsconfig `paths` (through `extends`) of the nearest tsconfig above the file', async () => {
    const scan = await scanWorkspace(path.join(CALL_FIXTURES, 'monorepo'), { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });
    const teams = scan.calls.find((c) => c.file.endsWith('Teams.tsx'));
    assert.deepEqual(teams && [teams.method, pathText(teams)], ['GET', '/api/teams']);
  });

  it('resolves `@/` to the nearest src/ folder above the file when no config says otherwise', async () => {
    const scan = await scanWorkspace(path.join(CALL_FIXTURES, 'monorepo'), { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });
    const users = scan.calls.find((c) => c.file.endsWith('Users.vue'));
    assert.deepEqual(users && [users.method, pathText(users)], ['GET', '/admin-api/users']);
  });
});

describe('scanWorkspace: which files are read', () => {
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-scan-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('src/app.js', "fetch('/api/app');\n");
    write('src/dist/bundle.js', "fetch('/api/bundle');\n");
    write('src/app.min.js', "fetch('/api/min');\n");
    write('node_modules/lib/index.js', "fetch('/api/lib');\n");
    write('scripts/tool.js', "fetch('/api/tool');\n");
    write('.git/hooks/x.js', "fetch('/api/git');\n");
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('honours include and exclude globs and never reads node_modules or .git', async () => {
    const scan = await scanWorkspace(root, { include: ['src/**/*.js'], exclude: ['**/dist/**', '**/*.min.js'] });
    assert.deepEqual(scan.calls.map(pathText), ['/api/app']);
    assert.equal(scan.files, 1);
  });

  it('never descends into node_modules or .git, even with no exclude globs', async () => {
    const scan = await scanWorkspace(root, { include: ['**/*.js'], exclude: [] });
    assert.deepEqual(scan.calls.map(pathText).sort(), ['/api/app', '/api/bundle', '/api/min', '/api/tool']);
  });

  it('answers an empty result for a folder that does not exist', async () => {
    const scan = await scanWorkspace(path.join(root, 'missing'), { include: ['**/*.js'], exclude: [] });
    assert.deepEqual(scan, { calls: [], files: 0, skipped: [] });
  });
});
