import * as assert from 'node:assert/strict';
import { combineUrls, finishUrl, type Part } from '../../../src/core/contract/resolveUrl';
import type { ScanResult, UrlResolution } from '../../../src/core/contract/types';
import { assertCall, callOn, scanFixture, textAt } from './callAssertions';

const APP = 'app';
const t = (text: string): Part => ({ kind: 'text', text });
const joined = (parts: Part[]) => parts.map((p) => (p.kind === 'text' ? p.text : `\${${p.source}}`)).join('');

describe('resolveUrl: how a URL expression becomes a path', () => {
  let scan: ScanResult;
  const on = (rel: string, line: number) => callOn(scan, APP, `src/${rel}`, line);

  before(async () => {
    scan = await scanFixture(APP);
  });

  describe('strings', () => {
    it('reads a plain string', () => {
      assertCall(on('api/fetchCalls.js', 2), { client: 'fetch', method: 'GET', path: '/api/health', urlText: `'/api/health'` });
    });

    it('turns template substitutions into placeholders carrying their source text', () => {
      const call = on('api/fetchCalls.js', 6);
      assert.deepEqual((call.url as Extract<UrlResolution, { kind: 'resolved' }>).path, [
        { kind: 'text', text: '/api/items/' },
        { kind: 'placeholder', source: 'id' },
      ]);
    });

    it('reads a backtick string with no substitution', () => {
      assertCall(on('api/fetchCalls.js', 38), { client: 'fetch', method: 'GET', path: '/api/plain', urlText: '`/api/plain`' });
    });

    it('reads string concatenation with run-time parts as placeholders', () => {
      assertCall(on('api/fetchCalls.js', 42), { client: 'fetch', method: 'GET', path: '/api/items/${id}/tags' });
    });

    it('keeps a placeholder mixed with text in one segment (`${kind}.pdf`)', () => {
      assertCall(on('api/reports.ts', 6), { client: 'axios', method: 'GET', path: '/reports/${kind}.pdf' });
    });
  });

  describe('constants and route maps', () => {
    it('inlines a per-file constant written without a leading slash', () => {
      assertCall(on('api/payroll.js', 12), { client: 'axios', method: 'GET', path: '/api/payroll/payslips/my', urlText: '`${resource}/my`' });
    });

    it('inlines a per-file constant written after a slash', () => {
      assertCall(on('api/payroll.js', 16), { client: 'axios', method: 'POST', path: '/api/payroll/payslips/${id}/approve' });
    });

    it('reads a string entry of a route map imported through an index file re-export', () => {
      assertCall(on('api/incidents.js', 7), { client: 'axios', method: 'GET', path: '/incidents', urlText: 'routes.incidents' });
    });

    it('turns the parameter of a route-map arrow function into a placeholder with the caller’s argument', () => {
      const call = on('api/incidents.js', 11);
      assertCall(call, { client: 'axios', method: 'GET', path: '/incidents/${incidentId}' });
      assert.equal(textAt(call.file, call.urlSpan), 'routes.incident(incidentId)');
    });

    it('reads a nested route map entry', () => {
      assertCall(on('api/incidents.js', 15), { client: 'axios', method: 'GET', path: '/tags', urlText: 'routes.tags.list' });
    });

    it('joins an instance re-exported as `export { default as http }` and a constant without slash', () => {
      assertCall(on('api/incidents.js', 19), { client: 'axios', method: 'DELETE', path: '/api/incidents/${id}' });
    });

    it('concatenates an imported constant and joins it to a base ending in a slash', () => {
      assertCall(on('api/incidents.js', 23), { client: 'axios', method: 'GET', path: '/api/v2/status', urlText: `API_VERSION + '/status'` });
    });

    it('turns the `:name` markers of a route template filled with .replace() into placeholders', () => {
      assertCall(on('api/endpointTemplates.js', 5), { client: 'axios', method: 'GET', path: '/api/payroll/payslips/${id}' });
      assertCall(on('api/endpointTemplates.js', 6), { client: 'axios', method: 'DELETE', path: '/api/payroll/runs/${run}/items/${item}' });
    });

    it('reads an `export default` object and a TypeScript enum member', () => {
      assertCall(on('api/reports.ts', 4), { client: 'axios', method: 'GET', path: '/reports', urlText: 'endpoints.reports' });
      assertCall(on('api/reports.ts', 5), { client: 'axios', method: 'GET', path: '/audit-log', urlText: 'Paths.Audit' });
    });

    it('reads a destructured require() of a CommonJS constants module', () => {
      assertCall(on('api/legacy.cjs', 5), { client: 'axios', method: 'GET', path: '/api/legacy/items', urlText: `BASE + '/items'` });
    });

    it('leaves a URL read from a property of an argument unresolved instead of guessing a wrapper', () => {
      const call = on('api/links.js', 4);
      assert.deepEqual(call.url, { kind: 'unresolved', reason: 'the URL starts with the run-time value `link.href`' });
      assert.equal(call.method, 'GET');
    });

    it('leaves the parameter of an anonymous callback unresolved (it has no callers to report instead)', () => {
      const call = on('api/links.js', 5);
      assert.deepEqual(call.url, { kind: 'unresolved', reason: 'the URL starts with the run-time value `u`' });
      assert.equal(call.client, 'fetch');
    });

    it('does not treat a reassigned `let` as a constant: the URL is unresolved, with the reason', () => {
      const call = on('api/fetchCalls.js', 48);
      assert.deepEqual(call.url, { kind: 'unresolved', reason: '`target` is reassigned' });
    });

    it('counts destructuring and for…of as reassignments', () => {
      for (const line of [4, 9, 14]) {
        assert.equal(on('api/reassignPatterns.js', line).url.kind, 'unresolved', `line ${line}`);
      }
    });

    it('counts a reassignment only for the variable it assigns, not for another of the same name', () => {
      assertCall(on('api/fetchCalls.js', 64), { client: 'fetch', method: 'GET', path: '/api/list', urlText: 'source' });
    });
  });

  describe('query strings, URL objects, origins', () => {
    it('strips an inline query string and fragment', () => {
      assertCall(on('api/fetchCalls.js', 18), { client: 'fetch', method: 'GET', path: '/api/search', urlText: '`/api/search?page=${n}&q=${q}#top`' });
    });

    it('strips a query string that is there or not at run time (`${q ? `?q=${q}` : \'\'}`)', () => {
      assertCall(on('api/fetchCalls.js', 58), { client: 'fetch', method: 'GET', path: '/api/search' });
      assertCall(on('api/fetchCalls.js', 59), { client: 'fetch', method: 'GET', path: '/api/list' });
    });

    it('leaves a run-time choice between two paths unresolved', () => {
      assert.equal(on('api/fetchCalls.js', 60).url.kind, 'unresolved');
    });

    it('strips a query built with URLSearchParams', () => {
      assertCall(on('api/fetchCalls.js', 22), { client: 'fetch', method: 'GET', path: '/api/list', urlText: `'/api/list?' + new URLSearchParams(params)` });
    });

    it('resolves new URL(path, base): an absolute path keeps the base’s origin', () => {
      assertCall(on('api/fetchCalls.js', 34), {
        client: 'fetch',
        method: 'GET',
        path: '/api/built',
        origin: 'unknown',
        originText: 'window.location.origin',
        urlText: `new URL('/api/built', window.location.origin)`,
      });
    });

    it('gives an absolute URL to another host a literal origin', () => {
      assertCall(on('api/fetchCalls.js', 26), {
        client: 'fetch',
        method: 'GET',
        path: '/config.json',
        origin: 'literal',
        originText: 'https://cdn.example.com',
        urlText: `'https://cdn.example.com/config.json'`,
      });
    });

    it('gives `http://${host}:${port}/…` an unknown origin and keeps the known path', () => {
      assertCall(on('api/fetchCalls.js', 30), {
        client: 'fetch',
        method: 'GET',
        path: '/api/v1/auth/me',
        origin: 'unknown',
        originText: 'http://${host}:${port}',
      });
    });
  });

  describe('environment bases', () => {
    it('reads import.meta.env.VITE_API_URL through a constant as an unknown origin', () => {
      assertCall(on('api/env.js', 5), { client: 'axios', method: 'GET', path: '/api/items', origin: 'unknown', originText: 'import.meta.env.VITE_API_URL', urlText: '`${API}/api/items`' });
    });

    it('reads process.env.REACT_APP_API + a path', () => {
      assertCall(on('api/env.js', 6), { client: 'fetch', method: 'GET', path: '/users/${id}', origin: 'unknown', originText: 'process.env.REACT_APP_API' });
    });

    it('reads process.env.NEXT_PUBLIC_API_URL in a template', () => {
      assertCall(on('api/env.js', 7), { client: 'fetch', method: 'GET', path: '/reports', origin: 'unknown', originText: 'process.env.NEXT_PUBLIC_API_URL', urlText: '`${process.env.NEXT_PUBLIC_API_URL}/reports`' });
    });

    it('reads window.API_URL', () => {
      assertCall(on('api/env.js', 8), { client: 'fetch', method: 'GET', path: '/healthz', origin: 'unknown', originText: 'window.API_URL', urlText: `window.API_URL + '/healthz'` });
    });
  });
});

describe('combineUrls: relative paths join the base the way axios does', () => {
  const cases: [string, string, string][] = [
    ['/api', 'events', '/api/events'],
    ['/api/', 'events', '/api/events'],
    ['/api', '/events', '/api/events'],
    ['/api/', '/events', '/api/events'],
    ['https://x.example.com/v1//', '//events', 'https://x.example.com/v1/events'],
  ];
  for (const [base, relative, expected] of cases) {
    it(`joins '${base}' and '${relative}' into '${expected}'`, () => {
      assert.equal(joined(combineUrls([t(base)], [t(relative)])), expected);
    });
  }

  it('leaves the base alone for an empty relative URL', () => {
    assert.equal(joined(combineUrls([t('/api/')], [])), '/api/');
  });
});

describe('finishUrl', () => {
  it('does not join a base to an absolute URL', () => {
    const finished = finishUrl([t('https://cdn.example.com/a.js')], { kind: 'parts', parts: [t('/api')] });
    assert.deepEqual(finished, {
      kind: 'url',
      resolution: { kind: 'resolved', origin: { kind: 'literal', origin: 'https://cdn.example.com' }, path: [{ kind: 'text', text: '/a.js' }] },
    });
  });

  it('is unresolved when the client’s base is not known', () => {
    assert.deepEqual(finishUrl([t('/items')], { kind: 'unresolved', reason: 'the baseURL is unknown' }), {
      kind: 'url',
      resolution: { kind: 'unresolved', reason: 'the baseURL is unknown' },
    });
  });

  it('is unresolved when the path starts with a run-time value', () => {
    const finished = finishUrl([{ kind: 'placeholder', source: 'prefix' }, t('/items')], undefined);
    assert.equal(finished.kind === 'url' && finished.resolution.kind, 'unresolved');
  });

  it('drops websocket URLs', () => {
    assert.deepEqual(finishUrl([t('ws://localhost:8000/ws')], undefined), { kind: 'websocket' });
    assert.deepEqual(finishUrl([t('wss://example.com/ws')], undefined), { kind: 'websocket' });
  });

  it('keeps the literal part after an environment origin', () => {
    const finished = finishUrl([{ kind: 'env', source: 'import.meta.env.VITE_API' }, t('/v1/items?x=1')], undefined);
    assert.deepEqual(finished, {
      kind: 'url',
      resolution: { kind: 'resolved', origin: { kind: 'unknown', source: 'import.meta.env.VITE_API' }, path: [{ kind: 'text', text: '/v1/items' }] },
    });
  });

  it('removes dot segments the way a browser does, run-time values included', () => {
    const pathOf = (parts: Part[], base?: Part[]) => {
      const finished = finishUrl(parts, base ? { kind: 'parts', parts: base } : undefined);
      assert.ok(finished.kind === 'url' && finished.resolution.kind === 'resolved');
      return joined(finished.resolution.path as Part[]);
    };
    assert.equal(pathOf([t('/api/./users')]), '/api/users');
    assert.equal(pathOf([t('/api/x/../users')]), '/api/users');
    assert.equal(pathOf([t('./api/users')]), 'api/users');
    assert.equal(pathOf([t('/api/users/.')]), '/api/users/');
    assert.equal(pathOf([t('/api/items/'), { kind: 'placeholder', source: 'id' }, t('/../tags')]), '/api/items/tags');
    assert.equal(pathOf([t('/api/items/'), { kind: 'placeholder', source: 'id' }, t('/./tags')]), '/api/items/${id}/tags');
    assert.equal(pathOf([t('../users')], [t('/api/v1/')]), '/api/users');
    assert.equal(pathOf([t('/../../users')]), '/users');
    assert.equal(pathOf([t('/api/v1.2/..data/users')]), '/api/v1.2/..data/users');
  });

  it('marks spec-syntax paths', () => {
    const finished = finishUrl([t('/items/{id}')], undefined, true);
    assert.equal(finished.kind === 'url' && finished.resolution.kind === 'resolved' && finished.resolution.specSyntax, true);
  });
});
