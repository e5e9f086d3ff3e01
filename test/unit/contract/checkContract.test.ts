import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkContract, compileCallPattern, type CheckSettings } from '../../../src/core/contract/checkContract';
import { loadSpec, parseSpecText } from '../../../src/core/contract/loadSpec';
import type { CallStatus } from '../../../src/core/contract/types';
import { apiCall, scan, specOf } from './contractBuilders';

const settings: CheckSettings = { extraRoutes: [], ignoreCalls: [], apiOrigins: [], apiUrl: 'http://localhost:8000' };

function statuses(report: ReturnType<typeof checkContract>): [string | null, CallStatus][] {
  return report.calls.map((c) => [c.path, c.result.status]);
}

describe('checking a scan against a spec', () => {
  const spec = specOf(['GET /api/items', 'POST /api/items', 'GET /api/items/{id}', 'DELETE /api/items/{id}', 'GET! /api/old', 'GET /api/slash/']);

  it('gives each call exactly one status: ok, missing-path, method-not-allowed, trailing-slash, deprecated, unresolved, external', () => {
    const report = checkContract(
      scan([
        apiCall({ url: '/api/items', line: 1 }),
        apiCall({ url: '/api/itemz', line: 2 }),
        apiCall({ method: 'PUT', url: '/api/items/${id}', line: 3 }),
        apiCall({ url: '/api/slash', line: 4 }),
        apiCall({ url: '/api/old', line: 5 }),
        apiCall({ unresolved: 'the URL comes from a function parameter', line: 6 }),
        apiCall({ url: '/repos/x/y', origin: { kind: 'literal', origin: 'https://api.github.com' }, line: 7 }),
      ]),
      spec,
      settings,
    );
    assert.deepEqual(statuses(report), [
      ['/api/items', 'ok'],
      ['/api/itemz', 'missing-path'],
      ['/api/items/{}', 'method-not-allowed'],
      ['/api/slash', 'trailing-slash'],
      ['/api/old', 'deprecated'],
      [null, 'unresolved'],
      ['/repos/x/y', 'external'],
    ]);
    assert.equal(report.calls[5].result.message, 'URL not known without running the code: the URL comes from a function parameter');
    assert.equal(report.calls[6].result.message, "https://api.github.com/repos/x/y is another host's API: not checked");
  });

  it('reports the spec summary, the file count and the skipped files', () => {
    const report = checkContract({ calls: [], files: 7, skipped: [{ file: '/w/a.js', reason: 'syntax error' }] }, spec, settings);
    assert.deepEqual(report.spec, { source: 'openapi.json', title: 'Test API', operations: 6 });
    assert.equal(report.files, 7);
    assert.deepEqual(report.skipped, [{ file: '/w/a.js', reason: 'syntax error' }]);
  });

  it('lists operations no call reaches, sorted by path then method', () => {
    const report = checkContract(scan([apiCall({ url: '/api/items/${id}' }), apiCall({ method: 'POST', url: '/api/items' })]), spec, settings);
    assert.deepEqual(report.unused, ['GET /api/items', 'DELETE /api/items/{id}', 'GET /api/old', 'GET /api/slash/']);
  });

  it('counts a trailing-slash or deprecated call as reaching its operation, and an unknown method as reaching every method', () => {
    const report = checkContract(
      scan([apiCall({ url: '/api/slash' }), apiCall({ url: '/api/old' }), apiCall({ method: null, url: '/api/items/42' })]),
      spec,
      settings,
    );
    assert.deepEqual(report.unused, ['GET /api/items', 'POST /api/items']);
  });

  it('leaves out calls suppressed with a comment, while they still reach their operation', () => {
    const report = checkContract(scan([apiCall({ url: '/api/nope', suppressed: true }), apiCall({ url: '/api/items', suppressed: true })]), spec, settings);
    assert.deepEqual(report.calls, []);
    assert.ok(!report.unused.includes('GET /api/items'));
  });

  it('leaves out calls matching ignoreCalls patterns', () => {
    const report = checkContract(
      scan([
        apiCall({ url: '/api/legacy/a/b' }),
        apiCall({ method: 'POST', url: '/api/beta/${id}' }),
        apiCall({ method: 'GET', url: '/api/beta/${id}' }),
        apiCall({ url: '/api/nope' }),
      ]),
      spec,
      { ...settings, ignoreCalls: ['GET /api/legacy/**', 'POST /api/beta/*'] },
    );
    assert.deepEqual(statuses(report), [
      ['/api/beta/{}', 'missing-path'],
      ['/api/nope', 'missing-path'],
    ]);
  });

  it('passes extraRoutes to the matcher', () => {
    const report = checkContract(scan([apiCall({ url: '/internal/ping' })]), spec, { ...settings, extraRoutes: ['GET /internal/ping'] });
    assert.deepEqual(statuses(report), [['/internal/ping', 'ok']]);
  });

  it('accepts any method on a path whose item is in another file ($ref not followed), and says so', () => {
    const split = parseSpecText(
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: { '/items/{id}': { $ref: './paths/items.yaml' }, '/orders': { get: { responses: { '200': { description: 'ok' } } } } },
      }),
      'openapi.json',
    );
    assert.deepEqual(split.unreadPaths, ['/items/{id}']);
    assert.match(split.warnings?.[0] ?? '', /1 path \(\/items\/\{id\}\) points to other files with \$ref, which are not followed/);
    const report = checkContract(
      scan([apiCall({ url: '/items/${id}' }), apiCall({ method: 'DELETE', url: '/items/1' }), apiCall({ url: '/nope' })]),
      split,
      settings,
    );
    assert.deepEqual(report.calls.map((c) => c.result.status), ['ok', 'ok', 'missing-path']);
  });

  it("checks calls to the origins the spec's servers name, as the app's own API", () => {
    const served = parseSpecText(
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        servers: [{ url: 'https://api.example.com/{ver}', variables: { ver: { default: 'v2' } } }],
        paths: { '/items': { get: { responses: { '200': { description: 'ok' } } } } },
      }),
      'openapi.json',
    );
    assert.deepEqual(served.serverOrigins, ['https://api.example.com']);
    const report = checkContract(
      scan([
        apiCall({ url: '/v2/items', origin: { kind: 'literal', origin: 'https://api.example.com' } }),
        apiCall({ url: '/v2/nope', origin: { kind: 'literal', origin: 'https://api.example.com' } }),
        apiCall({ url: '/v2/nope', origin: { kind: 'literal', origin: 'https://cdn.example.org' } }),
      ]),
      served,
      settings,
    );
    assert.deepEqual(report.calls.map((c) => c.result.status), ['ok', 'missing-path', 'external']);
  });

  it('checks calls to localhost, 127.0.0.1, the api.url origin, apiOrigins and unknown origins; other hosts are external', () => {
    const origins = ['http://localhost:3000', 'http://127.0.0.1:8000', 'https://api.acme.test', 'https://edge.acme.test:8443', 'https://cdn.example.com', 'http://api.acme.test'];
    const report = checkContract(
      scan([
        ...origins.map((origin, i) => apiCall({ url: '/api/items', origin: { kind: 'literal', origin }, line: i + 1 })),
        apiCall({ url: '/api/items', origin: { kind: 'unknown', source: 'import.meta.env.VITE_API_URL' }, line: 10 }),
      ]),
      spec,
      { ...settings, apiUrl: 'https://api.acme.test', apiOrigins: ['edge.acme.test:8443'] },
    );
    assert.deepEqual(
      report.calls.map((c) => c.result.status),
      ['ok', 'ok', 'ok', 'ok', 'external', 'external', 'ok'],
    );
  });

  it('sorts calls by file, line and column', () => {
    const report = checkContract(
      scan([apiCall({ file: '/w/b.js', url: '/api/items', line: 1 }), apiCall({ file: '/w/a.js', url: '/api/items', line: 9 }), apiCall({ file: '/w/a.js', url: '/api/items', line: 2 })]),
      spec,
      settings,
    );
    assert.deepEqual(report.calls.map((c) => `${c.file}:${c.urlSpan.start.line}`), ['/w/a.js:2', '/w/a.js:9', '/w/b.js:1']);
  });

  it('works on a spec loaded with a prefix setting', async () => {
    const loaded = await loadSpec('swagger2.json', { cwd: path.resolve(__dirname, '../../fixtures/specs'), apiPrefix: '/shop' });
    const report = checkContract(scan([apiCall({ url: '/shop/orders/${id}' }), apiCall({ url: '/v1/orders' })]), loaded, settings);
    assert.deepEqual(statuses(report), [
      ['/shop/orders/{}', 'ok'],
      ['/v1/orders', 'missing-path'],
    ]);
  });
});

describe('ignoreCalls patterns', () => {
  it('match * to one segment, ** to any number, {…} to one segment, and * inside a segment', () => {
    const one = compileCallPattern('GET /api/*/export');
    assert.ok(one?.('GET', '/api/items/export'));
    assert.ok(!one?.('GET', '/api/a/b/export'));
    assert.ok(!one?.('POST', '/api/items/export'));
    const any = compileCallPattern('* /api/**');
    assert.ok(any?.('DELETE', '/api/a/b/c'));
    assert.ok(any?.(null, '/api'));
    const param = compileCallPattern('/users/{id}');
    assert.ok(param?.('PATCH', '/users/{}'));
    const infix = compileCallPattern('GET /report-*.csv');
    assert.ok(infix?.('GET', '/report-2024.csv'));
    assert.ok(!infix?.('GET', '/report-2024.pdf'));
  });

  it('need a specific method to match that method only, and ignore a trailing slash', () => {
    const p = compileCallPattern('post /x');
    assert.ok(p?.('POST', '/x/'));
    assert.ok(!p?.(null, '/x'));
  });

  it('reject a pattern that is not METHOD /path', () => {
    assert.equal(compileCallPattern('GET items'), undefined);
    assert.equal(compileCallPattern(''), undefined);
  });
});
