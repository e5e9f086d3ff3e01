// The engine's findings depend on the code only: never on which file is analysed first, and the editor's
// incremental re-checks end where a fresh scan of the same texts would. Cases a fuzzing tester found.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CallScanner, scanWorkspace } from '../../../src/core/contract/scanWorkspace';
import type { ApiCall } from '../../../src/core/contract/types';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, pathText } from './callAssertions';

const options = { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE };
const roots: string[] = [];

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-order-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return root;
}

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

const describeCall = (c: ApiCall): string => `${path.basename(c.file)} ${c.url.kind === 'resolved' ? pathText(c) : 'unresolved'}`;

async function scan(root: string): Promise<string[]> {
  return (await scanWorkspace(root, options)).calls.map(describeCall).sort();
}

const chain = (name: string, from: string, steps: number): string =>
  [`const ${name}0 = ${from};`, ...Array.from({ length: steps }, (_, i) => `const ${name}${i + 1} = ${name}${i};`)].join('\n');

describe('analysis order never changes a finding', () => {
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('a deep alias chain resolves the same whichever page is analysed first', async () => {
    const results: string[][] = [];
    for (const [deep, shallow] of [['aa', 'zz'], ['zz', 'aa']]) {
      const root = workspace({
        'src/tu.ts': `${chain('a', "'/v1'", 14)}\nexport const S0 = a14;\n`,
        'src/al.ts': `import { S0 } from './tu';\n${chain('b', 'S0', 26)}\nexport const S1 = b26;\n`,
        [`src/${deep}.ts`]: "import axios from 'axios';\nimport { S1 } from './al';\nexport const f = () => axios.get(S1);\n",
        [`src/${shallow}.ts`]: "import axios from 'axios';\nimport { S0 } from './tu';\nexport const g = () => axios.get(S0);\n",
      });
      const found = await scan(root);
      results.push(found.map((line) => line.replace(/^(aa|zz)\.ts/, (m) => (m === `${deep}.ts` ? 'deep' : 'shallow'))).sort());
    }
    assert.deepEqual(results[0], results[1]);
    assert.deepEqual(results[0], ['deep /v1', 'shallow /v1']);
  });

  it('a client re-exported through two barrels that re-export each other is found through either', async () => {
    for (const [a, b] of [['a', 'b'], ['b', 'a']]) {
      const root = workspace({
        'src/client.ts': "import axios from 'axios';\nexport const api = axios.create({ baseURL: '/v1' });\n",
        [`src/${a}.ts`]: `// no fetch here\nexport * from './${b}';\n`,
        [`src/${b}.ts`]: `// no fetch here\nexport * from './${a}';\nexport * from './client';\n`,
        'src/p.ts': `import { api } from './${a}';\nexport const f = () => api.get('/users');\n`,
        'src/q.ts': `import { api } from './${b}';\nexport const g = () => api.get('/users');\n`,
      });
      assert.deepEqual(await scan(root), ['p.ts /v1/users', 'q.ts /v1/users'], `barrels ${a} ⇄ ${b}`);
    }
  });

  it('a barrel cycle without hint words still makes its importers relevant', async () => {
    const root = workspace({
      'src/client.ts': "import axios from 'axios';\nexport const api = axios.create({ baseURL: '/v1' });\n",
      'src/a.ts': "export * from './b';\n",
      'src/b.ts': "export * from './a';\nexport * from './client';\n",
      'src/page.ts': "import { api } from './a';\nexport const f = () => api.get('/users');\n",
    });
    assert.deepEqual(await scan(root), ['page.ts /v1/users']);
  });
});

describe('editor re-checks end where a fresh scan would', () => {
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  /** Applies the edits through the incremental scanner, then compares every file's calls with a fresh scan. */
  async function assertLikeFresh(root: string, scanner: CallScanner, what: string): Promise<void> {
    const fresh = await scanWorkspace(root, options);
    const files = new Set(fresh.calls.map((c) => c.file));
    for (const file of files) {
      assert.deepEqual(scanner.callsOf(file).map(describeCall), fresh.calls.filter((c) => c.file === file).map(describeCall), `${what}: ${path.basename(file)}`);
    }
  }

  it('creating a module an import was waiting for re-checks the files that use the importer too', async () => {
    const root = workspace({
      'src/client.ts': "import axios from 'axios';\nimport { S1 } from './neu';\nexport const api = axios.create({ baseURL: S1 });\n",
      'src/page.ts': "import { api } from './client';\nexport const f = () => api.get('/users');\n",
    });
    const scanner = new CallScanner(root, options);
    await scanner.scanAll();
    write(root, 'src/neu.ts', "export const S1 = '/v1';\n");
    await scanner.updateFile(path.join(root, 'src/neu.ts'), "export const S1 = '/v1';\n");
    assert.deepEqual(scanner.callsOf(path.join(root, 'src/page.ts')).map(describeCall), ['page.ts /v1/users']);
    await assertLikeFresh(root, scanner, 'after creating neu.ts');
  });

  it('a new file taking over an import (cfg.ts beside cfg/index.ts), then removed and created again', async () => {
    const root = workspace({
      'src/cfg/index.ts': "export const BASE = '/v1';\n",
      'src/client.ts': "import axios from 'axios';\nimport { BASE } from './cfg';\nexport const api = axios.create({ baseURL: BASE });\n",
      'src/wrap.ts': "import { api } from './client';\nexport const getJson = (url: string) => api.get(url);\n",
      'src/page.ts': "import { getJson } from './wrap';\nexport const f = () => getJson('/users');\n",
    });
    const scanner = new CallScanner(root, options);
    await scanner.scanAll();
    const cfg = path.join(root, 'src/cfg.ts');
    write(root, 'src/cfg.ts', "export const BASE = '/v2';\n");
    await scanner.updateFile(cfg, "export const BASE = '/v2';\n");
    await assertLikeFresh(root, scanner, 'cfg.ts created');
    assert.deepEqual(scanner.callsOf(path.join(root, 'src/page.ts')).map(describeCall), ['page.ts /v2/users']);
    fs.rmSync(cfg);
    scanner.removeFile(cfg);
    await assertLikeFresh(root, scanner, 'cfg.ts removed');
    write(root, 'src/cfg.ts', "export const BASE = '/v3';\n");
    await scanner.updateFile(cfg, "export const BASE = '/v3';\n");
    await assertLikeFresh(root, scanner, 'cfg.ts created again');
  });

  it('two files setting axios.defaults.baseURL: a rename does not change which one wins', async () => {
    const root = workspace({
      'src/a.ts': "import axios from 'axios';\naxios.defaults.baseURL = '/v1';\n",
      'src/b.ts': "import axios from 'axios';\naxios.defaults.baseURL = '/v2';\n",
      'src/page.ts': "import axios from 'axios';\nexport const f = () => axios.get('/users');\n",
    });
    const scanner = new CallScanner(root, options);
    await scanner.scanAll();
    const text = fs.readFileSync(path.join(root, 'src/b.ts'), 'utf8');
    fs.rmSync(path.join(root, 'src/b.ts'));
    scanner.removeFile(path.join(root, 'src/b.ts'));
    write(root, 'src/0.ts', text);
    await scanner.updateFile(path.join(root, 'src/0.ts'), text);
    await assertLikeFresh(root, scanner, 'b.ts renamed to 0.ts');
  });
});
