import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSpec, parseSpecText, SpecLoadError } from '../../../src/core/contract/loadSpec';
import { buildSpecIndex, matchCall } from '../../../src/core/contract/matchOperation';
import type { LoadedSpec } from '../../../src/core/contract/types';
import { parts } from './contractBuilders';

const specs = path.resolve(__dirname, '../../fixtures/specs');

function ops(spec: LoadedSpec): string[] {
  return spec.operations.map((op) => `${op.method} ${op.path}`);
}

async function loadError(source: string, options: { cwd?: string; apiPrefix?: string } = {}): Promise<SpecLoadError> {
  try {
    await loadSpec(source, { cwd: options.cwd ?? specs, apiPrefix: options.apiPrefix });
  } catch (err) {
    assert.ok(err instanceof SpecLoadError, `expected a SpecLoadError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${source} loaded, but it should not`);
}

describe('loadSpec: documents', () => {
  it('reads an OpenAPI 3.0 JSON file relative to cwd, with title, version and every operation', async () => {
    const spec = await loadSpec('openapi30.json', { cwd: specs });
    assert.equal(spec.source, 'openapi30.json');
    assert.equal(spec.title, 'Payroll API');
    assert.equal(spec.version, '1.4.0');
    assert.equal(spec.openapi, '3.0.3');
    assert.equal(spec.basePath, '');
    assert.deepEqual(ops(spec), [
      'GET /api/payroll/payslips',
      'POST /api/payroll/payslips',
      'GET /api/payroll/payslips/my',
      'GET /api/payroll/payslips/{payslip_id}',
      'DELETE /api/payroll/payslips/{payslip_id}',
      'GET /api/reports/tactical',
      'GET /api/reports/strategic',
      'GET /api/files/{name}',
      'GET /api/items/',
      'GET /api/legacy/export',
    ]);
  });

  it('keeps operationId, summary, tags, deprecated, responses and $ref parameters of each operation', async () => {
    const spec = await loadSpec('openapi30.json', { cwd: specs });
    const list = spec.operations[0];
    assert.equal(list.operationId, 'list_payslips');
    assert.equal(list.summary, 'List payslips');
    assert.deepEqual(list.tags, ['payroll']);
    assert.deepEqual(list.parameters, [{ name: 'page', in: 'query', required: false, description: 'Page number' }]);
    assert.deepEqual(spec.operations[1].responses, ['201', '422']);
    assert.equal(spec.operations.find((op) => op.path === '/api/legacy/export')?.deprecated, true);
    assert.equal(spec.operations[0].deprecated, false);
  });

  it('merges path-level parameters into each operation of the path', async () => {
    const spec = await loadSpec('openapi30.json', { cwd: specs });
    const del = spec.operations.find((op) => op.method === 'DELETE');
    assert.deepEqual(del?.parameters, [{ name: 'payslip_id', in: 'path', required: true }]);
  });

  it('records the 1-based line of each operation in a JSON file', async () => {
    const text = fs.readFileSync(path.join(specs, 'openapi30.json'), 'utf8').split('\n');
    const spec = await loadSpec('openapi30.json', { cwd: specs });
    for (const op of spec.operations) {
      assert.ok(op.line, `${op.method} ${op.path} has a line`);
      assert.match(text[op.line - 1], new RegExp(`"${op.method.toLowerCase()}"\\s*:`), `${op.method} ${op.path} at line ${op.line}`);
    }
  });

  it('reads OpenAPI 3.1 YAML, with the prefix from a server URL whose variables take their defaults', async () => {
    const spec = await loadSpec('openapi31.yaml', { cwd: specs });
    assert.equal(spec.openapi, '3.1.0');
    assert.equal(spec.title, 'Incidents API');
    assert.equal(spec.basePath, '/api/v2');
    assert.ok(ops(spec).includes('GET /api/v2/incidents/{incident_id}'));
    const read = spec.operations.find((op) => op.specPath === '/incidents/{incident_id}' && op.method === 'GET');
    assert.equal(read?.path, '/api/v2/incidents/{incident_id}');
  });

  it('records the line of each operation in a YAML file', async () => {
    const text = fs.readFileSync(path.join(specs, 'openapi31.yaml'), 'utf8').split('\n');
    const spec = await loadSpec('openapi31.yaml', { cwd: specs });
    const patch = spec.operations.find((op) => op.method === 'PATCH');
    assert.ok(patch?.line);
    assert.equal(text[patch.line - 1].trim(), 'patch:');
  });

  it('resolves path item and parameter $refs and survives reference cycles', async () => {
    const spec = await loadSpec('openapi31.yaml', { cwd: specs });
    // /incidents/{id}/timeline is a $ref to the events path item.
    const timeline = spec.operations.find((op) => op.specPath === '/incidents/{id}/timeline');
    assert.equal(timeline?.summary, 'Incident events');
    // Path-level $ref parameter reaches both operations; the PATCH's own parameter is a Loop ↔ LoopBack cycle, dropped.
    const patch = spec.operations.find((op) => op.method === 'PATCH');
    assert.deepEqual(patch?.parameters.map((p) => p.name), ['incident_id']);
    // /loops/self is a path item that refers to itself: skipped, the rest loads.
    assert.ok(!ops(spec).some((op) => op.includes('/loops/self')));
    assert.equal(spec.operations.length, 5);
  });

  it('reads Swagger 2.0 with its basePath and #/parameters references', async () => {
    const spec = await loadSpec('swagger2.json', { cwd: specs });
    assert.equal(spec.openapi, '2.0');
    assert.equal(spec.basePath, '/v1');
    assert.deepEqual(ops(spec), ['GET /v1/orders', 'POST /v1/orders', 'GET /v1/orders/{orderId}']);
    assert.deepEqual(spec.operations[2].parameters, [{ name: 'orderId', in: 'path', required: true }]);
    assert.equal(spec.operations[2].specPath, '/orders/{orderId}');
  });

  it('takes the path of a relative server URL as the prefix', async () => {
    const spec = await loadSpec('relative-server.yaml', { cwd: specs });
    assert.equal(spec.basePath, '/backend');
    assert.deepEqual(ops(spec), ['GET /backend/health']);
  });

  it('resolves a server URL without a leading slash against the URL the document came from', () => {
    const text = fs.readFileSync(path.join(specs, 'relative-server-nested.yaml'), 'utf8');
    const spec = parseSpecText(text, 'http://127.0.0.1:9/svc/openapi.yaml', { documentUrl: 'http://127.0.0.1:9/svc/openapi.yaml' });
    assert.equal(spec.basePath, '/svc/v3');
    assert.deepEqual(ops(spec), ['GET /svc/v3/status']);
  });

  it('lets a non-empty apiPrefix setting win over servers and basePath', async () => {
    assert.equal((await loadSpec('openapi31.yaml', { cwd: specs, apiPrefix: '/gateway/' })).operations[0].path, '/gateway/incidents');
    assert.equal((await loadSpec('swagger2.json', { cwd: specs, apiPrefix: 'edge' })).operations[0].path, '/edge/orders');
    assert.equal((await loadSpec('openapi31.yaml', { cwd: specs, apiPrefix: '  ' })).basePath, '/api/v2');
  });

  it('parses unsaved editor text the same way as a file', () => {
    const text = fs.readFileSync(path.join(specs, 'openapi31.yaml'), 'utf8');
    const spec = parseSpecText(text, 'openapi31.yaml (unsaved)');
    assert.equal(spec.operations.length, 5);
    assert.equal(spec.source, 'openapi31.yaml (unsaved)');
  });

  it('accepts unquoted YAML versions, which arrive as numbers', () => {
    assert.equal(parseSpecText('swagger: 2.0\ninfo: {title: T, version: 1}\npaths: {}\n', 'old.yaml').openapi, '2');
    assert.equal(parseSpecText('openapi: 3.0\ninfo: {title: T, version: 1}\npaths: {/a: {get: {}}}\n', 'new.yaml').operations.length, 1);
  });

  it('accepts a spec with no paths as a spec with no operations', () => {
    const spec = parseSpecText('{"openapi":"3.1.0","info":{"title":"Hooks","version":"1"},"webhooks":{}}', 'hooks.json');
    assert.deepEqual(spec.operations, []);
  });
});

describe('loadSpec: bad input gives a message a user can act on', () => {
  it('names the line of a JSON syntax error', async () => {
    const err = await loadError('broken.json');
    assert.equal(err.kind, 'syntax');
    assert.equal(err.line, 8);
    assert.match(err.message, /^broken\.json line 8: /);
  });

  it('names the line of a YAML syntax error', async () => {
    const err = await loadError('broken.yaml');
    assert.equal(err.kind, 'syntax');
    assert.equal(err.line, 8);
    assert.match(err.message, /^broken\.yaml line 8: \S/);
  });

  it('says an empty file is empty', async () => {
    const err = await loadError('empty.json');
    assert.equal(err.kind, 'empty');
    assert.equal(err.message, 'empty.json: empty file');
  });

  it('says JSON without openapi or swagger is not an OpenAPI document', async () => {
    const err = await loadError('not-openapi.json');
    assert.equal(err.kind, 'not-openapi');
    assert.equal(err.message, 'not-openapi.json: not an OpenAPI document: no `openapi` or `swagger` field');
  });

  it('says an HTML file is HTML and points at the /docs page confusion', async () => {
    const err = await loadError('docs.html');
    assert.equal(err.kind, 'html');
    assert.match(err.message, /HTML, not an OpenAPI document \(is this the \/docs page\?\)/);
  });

  it('says a missing file does not exist, and names it as given and where it was looked for', async () => {
    const err = await loadError('backend/openapi.json');
    assert.equal(err.kind, 'not-found');
    assert.equal(err.message, `backend/openapi.json: no such file (looked for ${path.join(specs, 'backend/openapi.json')})`);
  });

  it('says a folder is not a spec file', async () => {
    const err = await loadError('.', { cwd: specs });
    assert.equal(err.kind, 'unreadable');
  });

  it('rejects Swagger 1.2 and a YAML scalar by name', () => {
    assert.throws(() => parseSpecText('{"swagger":"1.2"}', 'old.json'), /Swagger 1\.2 is not supported/);
    assert.throws(() => parseSpecText('just a sentence', 'notes.yaml'), /not an OpenAPI document/);
  });
});

describe('loadSpec: a huge spec', () => {
  it('loads thousands of paths with their lines and matches calls against them', () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 4000; i++) {
      paths[`/api/service${i % 40}/resource${i}`] = {
        get: { summary: `List ${i}`, description: 'x'.repeat(200), responses: { '200': { description: 'OK' } } },
        post: { summary: `Create ${i}`, responses: { '201': { description: 'Created' } } },
      };
      paths[`/api/service${i % 40}/resource${i}/{item_id}`] = {
        delete: { summary: `Delete ${i}`, parameters: [{ name: 'item_id', in: 'path', required: true }], responses: { '204': { description: '' } } },
      };
    }
    const text = JSON.stringify({ openapi: '3.0.3', info: { title: 'Huge', version: '1' }, paths }, null, 2);
    const spec = parseSpecText(text, 'huge.json');
    assert.equal(spec.operations.length, 12000);
    const lines = text.split('\n');
    const last = spec.operations[spec.operations.length - 1];
    assert.equal(last.path, '/api/service39/resource3999/{item_id}');
    assert.match(lines[(last.line ?? 0) - 1], /"delete":/);

    const index = buildSpecIndex(spec);
    assert.equal(matchCall(index, 'DELETE', parts('/api/service7/resource3207/${id}')).status, 'ok');
    assert.equal(matchCall(index, 'PUT', parts('/api/service7/resource3207')).status, 'method-not-allowed');
    const missing = matchCall(index, 'GET', parts('/api/service7/resourse3207'));
    assert.equal(missing.status, 'missing-path');
    assert.equal(missing.suggestion, '/api/service7/resource3207');
  });
});
