// The extension bundle must stay cheap to load: the contract parser (TypeScript, ~9 MB of JavaScript) is
// evaluated only when a folder with frontend code needs it, never when VS Code loads dist/extension.js.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');

/** Loads a copy of the bundle with a stand-in `vscode` module in a fresh Node process; says whether TypeScript ran. */
const PROBE = String.raw`
const Module = require('module');
const fs = require('fs');
const [file, copy] = process.argv.slice(1);
let text = fs.readFileSync(file, 'utf8');
const wrapper = text.match(/"node_modules\/typescript\/lib\/typescript\.js"\(exports\d*, module\d*\) \{/);
if (!wrapper) { console.log(JSON.stringify({ bundled: false })); process.exit(0); }
text = text.replace(wrapper[0], wrapper[0] + 'globalThis.__zenopsTypescriptEvaluated = true;');
fs.writeFileSync(copy, text);
const names = [...new Set([...text.matchAll(/\bvscode\d*\.(\w+)/g)].map((m) => m[1]))];
const deep = () => new Proxy(function () { return deep(); }, { get: (_t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => 1 : deep()), construct: () => deep() });
const api = Object.fromEntries(names.map((n) => [n, deep()]));
const load = Module._load;
Module._load = function (request) { return request === 'vscode' ? api : load.apply(this, arguments); };
require(copy);
console.log(JSON.stringify({ bundled: true, evaluated: Boolean(globalThis.__zenopsTypescriptEvaluated) }));
`;

describe('the extension bundle', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, ['esbuild.mjs'], { cwd: repo }, (err, _out, stderr) => (err ? reject(new Error(`build failed: ${stderr}`)) : resolve())),
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-bundle-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('does not contain the TypeScript parser: parsing happens in the scan worker, Collect Logs uses the editor\'s live result', () => {
    const out = execFileSync(process.execPath, ['-e', PROBE, path.join(repo, 'dist/extension.js'), path.join(dir, 'extension.js')], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { bundled: boolean; evaluated?: boolean };
    // The editor never parses in the extension host (the scan worker does): the parser is not even bundled.
    assert.equal(result.bundled, false, 'dist/extension.js contains typescript.js');
  });

  it('the scan worker bundle is where the parser lives, and its probe does see TypeScript run', () => {
    // The same probe on a bundle that needs TypeScript at once proves the probe can tell.
    const out = execFileSync(process.execPath, ['-e', PROBE, path.join(repo, 'dist/scanWorker.js'), path.join(dir, 'scanWorker.js')], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { bundled: boolean; evaluated?: boolean };
    assert.deepEqual(result, { bundled: true, evaluated: true });
  });
});
