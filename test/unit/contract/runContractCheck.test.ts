import * as assert from 'node:assert/strict';
import { tempWorkspace as tempFolder } from './callAssertions';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpecLoadError } from '../../../src/core/contract/loadSpec';
import { CheckRunError, runContractCheck } from '../../../src/core/contract/runContractCheck';

const repo = path.resolve(__dirname, '../../..');
const shop = path.join(repo, 'test/fixtures/cli/shop');

const tempWorkspace = (files: Record<string, string>): string => tempFolder(files, 'zenops-run-');

describe('one headless contract check of a folder', () => {
  const temps: string[] = [];
  after(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the folder settings, finds the spec, scans and checks', async () => {
    const run = await runContractCheck({ root: shop, cwd: repo });
    assert.equal(run.root, shop);
    assert.equal(run.spec.source, 'backend/openapi.json');
    assert.equal(run.spec.basePath, '/api');
    assert.equal(run.settings.contract.apiPrefix, '/api');
    assert.equal(run.report.calls.length, 8);
    assert.deepEqual(run.notices, []);
  });

  it('tells about extraRoutes entries it cannot read and still checks', async () => {
    const dir = tempWorkspace({
      '.vscode/settings.json': JSON.stringify({ 'zenops.contract.extraRoutes': ['PING /x', 'GET /internal/ping'] }),
      'openapi.json': fs.readFileSync(path.join(shop, 'backend/openapi.json'), 'utf8'),
      'src/ping.js': "export const ping = () => fetch('/internal/ping');\n",
    });
    temps.push(dir);
    const run = await runContractCheck({ root: dir, cwd: repo });
    assert.deepEqual(run.notices, ['ignoring zenops.contract.extraRoutes entry "PING /x": write it as METHOD /path']);
    assert.deepEqual(run.report.calls.map((c) => c.result.status), ['ok']);
  });

  it('tells when no source file matched, so an empty report is not mistaken for a clean one', async () => {
    const dir = tempWorkspace({ 'openapi.json': fs.readFileSync(path.join(shop, 'backend/openapi.json'), 'utf8'), 'README.md': '# nothing here\n' });
    temps.push(dir);
    const run = await runContractCheck({ root: dir, cwd: repo });
    assert.equal(run.report.files, 0);
    assert.deepEqual(run.notices, [`no source files under ${dir} match zenops.contract.include`]);
  });

  it('refuses a spec without operations: it would flag every call, so nothing is checked (exit 2 in the CLI)', async () => {
    const dir = tempWorkspace({ 'openapi.json': '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}', 'src/a.js': "fetch('/api/a');\n" });
    temps.push(dir);
    await assert.rejects(runContractCheck({ root: dir, cwd: repo }), (err: unknown) => {
      assert.ok(err instanceof SpecLoadError);
      assert.equal(err.kind, 'empty');
      assert.match(err.message, /^openapi\.json has no operations \("paths" is empty\): nothing is checked/);
      return true;
    });
  });

  it('says when a path is a $ref that leads nowhere, and which of several spec files it took', async () => {
    const spec = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/a': { $ref: '#/nope' }, '/b': { get: { responses: { '200': { description: 'ok' } } } } } };
    const dir = tempWorkspace({
      'backend/openapi.json': JSON.stringify(spec),
      'old/v1/openapi.json': JSON.stringify(spec),
      'src/a.js': "fetch('/a');\nfetch('/b');\n",
    });
    temps.push(dir);
    const run = await runContractCheck({ root: dir, cwd: repo });
    assert.deepEqual(run.notices, [
      '2 OpenAPI files in the folder: checking against backend/openapi.json (the shallowest; 1 other ignored); set zenops.contract.spec or --spec to choose',
      'backend/openapi.json: 1 path (/a) is a $ref that leads nowhere in the document (a missing target, or a cycle): left out, so calls to them are flagged as missing.',
    ]);
    assert.deepEqual(run.report.calls.map((c) => c.result.status), ['missing-path', 'ok']);
  });

  it("leaves the frameworks' build output alone by default (Nuxt .output, SvelteKit, Vite, Angular, Parcel, Storybook)", async () => {
    const built = ['.output', '.svelte-kit', '.vite', '.angular/cache', '.parcel-cache', 'storybook-static', 'dist', '.next'];
    const dir = tempWorkspace({
      'openapi.json': fs.readFileSync(path.join(shop, 'backend/openapi.json'), 'utf8'),
      'src/a.js': "fetch('/api/bad-source');\n",
      ...Object.fromEntries(built.map((folder) => [`${folder}/chunk.js`, "fetch('/api/bad-built');\n"])),
    });
    temps.push(dir);
    const run = await runContractCheck({ root: dir, cwd: repo });
    assert.deepEqual(run.report.calls.map((c) => path.relative(dir, c.file)), [path.join('src', 'a.js')]);
  });

  it('refuses a root that is a file', async () => {
    await assert.rejects(runContractCheck({ root: path.join(shop, 'backend/openapi.json'), cwd: repo }), (err: unknown) => {
      assert.ok(err instanceof CheckRunError);
      assert.match(err.message, /is not a folder$/);
      return true;
    });
  });

  it('gives up on a spec URL setting whose server never answers, with a timeout error', async () => {
    const server = http.createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`;
    const dir = tempWorkspace({ '.vscode/settings.json': JSON.stringify({ 'zenops.contract.spec': url }) });
    temps.push(dir);
    try {
      await assert.rejects(runContractCheck({ root: dir, cwd: repo, timeoutMs: 250 }), (err: unknown) => {
        assert.ok(err instanceof SpecLoadError);
        assert.equal(err.message, `${url} did not answer within 250 ms`);
        return true;
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
