import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ScanResult } from '../../../src/core/contract/types';
import { CALL_FIXTURES, assertCall, callOn, callsIn, scanFixture, span, textAt } from './callAssertions';

const APP = 'app';
const file = (rel: string) => path.join(CALL_FIXTURES, APP, rel);

describe('findApiCalls: HTTP clients in a small app (test/fixtures/calls/app)', () => {
  let scan: ScanResult;
  const on = (rel: string, line: number) => callOn(scan, APP, `src/${rel}`, line);

  before(async () => {
    scan = await scanFixture(APP);
  });

  describe('axios', () => {
    it('joins the baseURL of an instance exported from api/client.js to calls in api/payroll.js', () => {
      const call = on('api/payroll.js', 6);
      assertCall(call, { client: 'axios', method: 'GET', path: '/api/payroll/payslips', urlSpan: span(6, 17, 6, 28) });
      assert.equal(textAt(call.file, call.urlSpan), "'/payslips'");
      assert.equal(textAt(call.file, call.methodSpan!), 'get');
      assert.deepEqual(call.callSpan, span(6, 9, 6, 29));
      assert.equal(call.suppressed, false);
    });

    it('finds calls in arrow functions and keeps template substitutions as placeholders', () => {
      const call = on('api/payroll.js', 9);
      assertCall(call, { client: 'axios', method: 'GET', path: '/api/payroll/payslips/${id}', urlSpan: span(9, 42, 9, 59) });
      assert.deepEqual(call.url.kind === 'resolved' && call.url.path, [
        { kind: 'text', text: '/api/payroll/payslips/' },
        { kind: 'placeholder', source: 'id' },
      ]);
    });

    it('reads the method of post() and the data argument does not confuse it', () => {
      const call = on('api/payroll.js', 16);
      assertCall(call, { client: 'axios', method: 'POST', path: '/api/payroll/payslips/${id}/approve' });
      assert.equal(textAt(call.file, call.urlSpan), '`/${resource}/${id}/approve`');
    });

    it('reads axios({ method, url }) with the url property as the URL span', () => {
      const call = on('api/configForms.js', 3);
      assertCall(call, { client: 'axios', method: 'PATCH', path: '/api/config/${id}' });
      assert.equal(textAt(call.file, call.urlSpan), '`/api/config/${id}`');
      assert.equal(textAt(call.file, call.methodSpan!), "'patch'");
    });

    it('reads axios.request({ url }) as GET, axios’s default method', () => {
      assertCall(on('api/configForms.js', 4), { client: 'axios', method: 'GET', path: '/api/requested', urlText: `'/api/requested'` });
    });

    it('reads axios(url) as GET', () => {
      assertCall(on('api/configForms.js', 5), { client: 'axios', method: 'GET', path: '/api/called', urlText: `'/api/called'` });
    });

    it('applies axios.defaults.baseURL to the default axios and instance.defaults.baseURL to that instance', async () => {
      const defaults = await scanFixture('axios-defaults');
      const status = callOn(defaults, 'axios-defaults', 'src/status.js', 4);
      assertCall(status, { client: 'axios', method: 'GET', path: '/api/v2/status' });
      const invoices = callOn(defaults, 'axios-defaults', 'src/status.js', 5);
      assertCall(invoices, { client: 'axios', method: 'GET', path: '/v1/invoices', origin: 'literal', originText: 'https://billing.example.com' });
    });

    it('reads the global axios of a <script> tag when nothing in the file declares axios', () => {
      assertCall(on('legacyGlobal.js', 2), { client: 'axios', method: 'GET', path: '/api/status' });
    });

    it('follows require() and module.exports in CommonJS files', () => {
      assertCall(on('api/legacy.cjs', 5), { client: 'axios', method: 'GET', path: '/api/legacy/items', urlText: `BASE + '/items'` });
    });
  });

  describe('a shared instance made on first use', () => {
    it('follows `if (!instance) instance = axios.create(…); return instance` and `instance ??= axios.create(…)` into other modules', () => {
      assertCall(on('api/usesLazyClient.js', 3), { client: 'axios', method: 'GET', path: '/api/lazy/items' });
      assertCall(on('api/usesLazyClient.js', 4), { client: 'axios', method: 'DELETE', path: '/api/other/things/${id}' });
    });

    it('follows the expression forms: `(api ??= …)`, `api ?? (api = …)`, `api = api || …`, and an instance emptied on logout', () => {
      assertCall(on('api/usesLazyClient.js', 8), { client: 'axios', method: 'GET', path: '/api/inline/items' });
      assertCall(on('api/usesLazyClient.js', 9), { client: 'axios', method: 'POST', path: '/api/or/items' });
      assertCall(on('api/usesLazyClient.js', 10), { client: 'axios', method: 'GET', path: '/api/selfor/items' });
      assertCall(on('api/usesLazyClient.js', 11), { client: 'axios', method: 'GET', path: '/api/session/items' });
    });

    it('does not pick one of two different instances assigned to the same variable', () => {
      assert.equal(callsIn(scan, APP, 'src/api/usesLazyClient.js').filter((c) => c.callSpan.start.line === 5).length, 0);
    });
  });

  describe('options objects with spreads', () => {
    it('keeps a baseURL written next to a spread of a known object without one', () => {
      assertCall(on('api/spreads.js', 10), { client: 'axios', method: 'GET', path: '/one/a' });
    });

    it('takes a method written after a spread, and none (null) when a spread of unknown options may override it', () => {
      assertCall(on('api/spreads.js', 13), { client: 'fetch', method: 'PUT', path: '/z' });
      assertCall(on('api/spreads.js', 14), { client: 'fetch', method: null, path: '/w' });
    });

    it('takes the baseURL from a known object spread into the call config, and keeps the default method', () => {
      assertCall(on('api/spreads.js', 17), { client: 'axios', method: 'GET', path: '/two/b' });
      assertCall(on('api/spreads.js', 18), { client: 'axios', method: 'GET', path: '/two/c' });
    });

    it('leaves the base alone and the method unknown when the spread object is not known', () => {
      assertCall(on('api/spreads.js', 19), { client: 'axios', method: null, path: '/d' });
    });
  });

  describe('fetch', () => {
    it('reads fetch(url) without init as GET', () => {
      const call = on('api/fetchCalls.js', 2);
      assertCall(call, { client: 'fetch', method: 'GET', path: '/api/health', urlSpan: span(2, 15, 2, 28) });
      assert.equal(call.methodSpan, undefined);
    });

    it('reads the method from the init object', () => {
      const call = on('api/fetchCalls.js', 6);
      assertCall(call, { client: 'fetch', method: 'DELETE', path: '/api/items/${id}' });
      assert.equal(textAt(call.file, call.methodSpan!), "'DELETE'");
    });

    it('reads window.fetch and upper-cases a lower-case method', () => {
      assertCall(on('api/fetchCalls.js', 10), { client: 'fetch', method: 'POST', path: '/api/audit', urlText: `'/api/audit'` });
    });

    it('reports new Request(url, init) once, not again at the fetch() that sends it', () => {
      const call = on('api/fetchCalls.js', 14);
      assertCall(call, { client: 'fetch', method: 'PUT', path: '/api/requests/1' });
      assert.equal(textAt(call.file, call.callSpan), "new Request('/api/requests/1', { method: 'PUT' })");
    });

    it('reads the method from an options object imported from another module, without a span into that file', () => {
      const call = on('api/usesOptions.js', 5);
      assertCall(call, { client: 'fetch', method: 'POST', path: '/api/things' });
      assert.equal(call.methodSpan, undefined);
    });

    it('reads the method from an options constant in the same file, with its span', () => {
      const call = on('api/usesOptions.js', 6);
      assertCall(call, { client: 'fetch', method: 'PUT', path: '/api/things/1' });
      assert.equal(textAt(call.file, call.methodSpan!), "'PUT'");
    });

    it("reads window.axios as the global axios, and window['fetch'] / globalThis['fetch'] as fetch", () => {
      assertCall(on('api/windowGlobals.js', 1), { client: 'axios', method: 'GET', path: '/api/window-axios' });
      assertCall(on('api/windowGlobals.js', 2), { client: 'fetch', method: 'GET', path: '/api/window-index' });
      assertCall(on('api/windowGlobals.js', 3), { client: 'fetch', method: 'POST', path: '/api/global-index' });
    });

    it('reads the fetch SvelteKit passes to load({ fetch })', () => {
      assertCall(on('routes/teams/+page.ts', 5), { client: 'fetch', method: 'GET', path: '/api/teams/${params.id}' });
    });

    it("reads SvelteKit's event.fetch in a route's load() and a +server handler, and nowhere else", () => {
      assertCall(on('routes/items/+page.server.js', 2), { client: 'fetch', method: 'GET', path: '/api/items/${event.params.id}' });
      assertCall(on('routes/health/+server.js', 2), { client: 'fetch', method: 'HEAD', path: '/api/health' });
      assert.deepEqual(callsIn(scan, APP, 'src/lib/notARoute.js'), []);
    });

    it('follows SvelteKit\'s fetch taken out of the event or renamed: `const { fetch } = event`, `const f = event.fetch`, `load({ fetch: f })`', () => {
      assertCall(on('routes/items/+layout.js', 4), { client: 'fetch', method: 'GET', path: '/api/items' });
      assertCall(on('routes/items/+layout.js', 5), { client: 'fetch', method: 'GET', path: '/api/teams/1' });
      assertCall(on('routes/teams/+layout.ts', 2), { client: 'fetch', method: 'GET', path: '/api/teams/${params.id}' });
    });

    it("reads event.fetch in a SvelteKit form action (`export const actions = { default: async (event) => … }`)", () => {
      assertCall(on('routes/login/+page.server.js', 3), { client: 'fetch', method: 'POST', path: '/api/auth/login' });
    });

    it('never reports WebSocket, EventSource or ws:// / wss:// URLs', () => {
      assert.deepEqual(
        callsIn(scan, APP, 'src/api/fetchCalls.js').filter((c) => c.callSpan.start.line >= 50 && c.callSpan.start.line <= 56),
        [],
      );
    });
  });

  describe('ky', () => {
    it('reads ky.get(url)', () => {
      assertCall(on('api/kyCalls.js', 5), { client: 'ky', method: 'GET', path: '/api/items', urlText: `'/api/items'` });
    });

    it('joins the prefixUrl of ky.create() to a relative path', () => {
      const call = on('api/kyCalls.js', 6);
      assertCall(call, { client: 'ky', method: 'POST', path: '/api/items' });
      assert.equal(textAt(call.file, call.urlSpan), "'items'");
    });

    it('reads ky(url, { method })', () => {
      assertCall(on('api/kyCalls.js', 7), { client: 'ky', method: 'PATCH', path: '/api/items/${id}' });
    });
  });

  describe('ofetch and Nuxt', () => {
    it('reads ofetch(url) as GET', () => {
      assertCall(on('api/ofetchCalls.js', 5), { client: 'ofetch', method: 'GET', path: '/api/jobs', urlText: `'/api/jobs'` });
    });

    it('joins the baseURL of ofetch.create()', () => {
      assertCall(on('api/ofetchCalls.js', 6), { client: 'ofetch', method: 'POST', path: '/api/jobs/${id}/start' });
    });

    it('reads useFetch and $fetch.create in a .vue <script setup lang="ts"> at the real file lines', () => {
      const teams = on('components/Nuxt.vue', 6);
      assertCall(teams, { client: 'ofetch', method: 'GET', path: '/api/teams', urlSpan: span(6, 32, 6, 44) });
      assert.equal(textAt(teams.file, teams.urlSpan), "'/api/teams'");
      const save = on('components/Nuxt.vue', 9);
      assertCall(save, { client: 'ofetch', method: 'PUT', path: '/api/teams/${team.id}' });
      assert.equal(textAt(save.file, save.urlSpan), '`/teams/${team.id}`');
    });
  });

  describe('SWR and react-query', () => {
    it('reads useSWR with a URL key as GET', () => {
      const call = on('components/Profile.jsx', 5);
      assertCall(call, { client: 'swr', method: 'GET', path: '/api/me', urlSpan: span(5, 20, 5, 29) });
    });

    it('reads the URL branch of a conditional key (`id ? url : null`)', () => {
      const call = on('components/Profile.jsx', 6);
      assertCall(call, { client: 'swr', method: 'GET', path: '/api/items/${id}' });
      assert.equal(textAt(call.file, call.urlSpan), '`/api/items/${id}`');
    });

    it('reads the first element of a tuple key', () => {
      const call = on('components/Profile.jsx', 7);
      assertCall(call, { client: 'swr', method: 'GET', path: '/api/items' });
      assert.equal(textAt(call.file, call.urlSpan), "'/api/items'");
    });

    it('ignores keys that are labels, and react-query keys, but finds the fetch in a queryFn', () => {
      const lines = callsIn(scan, APP, 'src/components/Profile.jsx').map((c) => c.callSpan.start.line);
      assert.deepEqual(lines, [5, 6, 7, 9]);
      assertCall(on('components/Profile.jsx', 9), { client: 'fetch', method: 'GET', path: '/api/items/${id}' });
    });
  });

  describe('openapi-fetch', () => {
    it('reads client.GET with a path in spec syntax and joins createClient’s baseUrl', () => {
      const call = on('api/typed.ts', 10);
      assertCall(call, { client: 'openapi-fetch', method: 'GET', path: '/api/items/{item_id}' });
      assert.equal(call.url.kind === 'resolved' && call.url.specSyntax, true);
      assert.equal(textAt(call.file, call.methodSpan!), 'GET');
    });

    it('reads client.DELETE', () => {
      assertCall(on('api/typed.ts', 14), { client: 'openapi-fetch', method: 'DELETE', path: '/api/tags/{tag_id}' });
    });
  });

  describe('Angular HttpClient', () => {
    it('reads this.http.get() on a constructor-injected HttpClient, with a base from the environment file', () => {
      assertCall(on('angular/items.service.ts', 13), {
        client: 'angular',
        method: 'GET',
        path: '/api/items',
        origin: 'literal',
        originText: 'http://localhost:8000',
        urlText: 'this.base',
      });
    });

    it('reads a client from inject(HttpClient)', () => {
      const call = on('angular/items.service.ts', 17);
      assertCall(call, { client: 'angular', method: 'PATCH', path: '/api/items/${id}', origin: 'literal' });
      assert.equal(textAt(call.file, call.methodSpan!), 'patch');
    });

    it('reads request(method, url)', () => {
      assertCall(on('angular/items.service.ts', 21), { client: 'angular', method: 'DELETE', path: '/api/items/purge', origin: 'literal' });
    });
  });

  describe('RTK Query', () => {
    it('reads a query endpoint returning a string, joined to fetchBaseQuery’s baseUrl', () => {
      assertCall(on('store/itemsApi.ts', 7), { client: 'rtk-query', method: 'GET', path: '/api/v1/items', urlText: "'items'" });
    });

    it('reads a query endpoint returning a template', () => {
      assertCall(on('store/itemsApi.ts', 8), { client: 'rtk-query', method: 'GET', path: '/api/v1/items/${id}', urlText: '`items/${id}`' });
    });

    it('reads a mutation returning { url, method }', () => {
      const call = on('store/itemsApi.ts', 9);
      assertCall(call, { client: 'rtk-query', method: 'POST', path: '/api/v1/items', urlText: "'items'" });
      assert.equal(textAt(call.file, call.methodSpan!), "'POST'");
    });

    it('reads { url } without a method as GET', () => {
      assertCall(on('store/itemsApi.ts', 10), { client: 'rtk-query', method: 'GET', path: '/api/v1/healthz', urlText: "'/healthz'" });
    });
  });

  describe('wrappers', () => {
    it('makes the callers of request(method, url, body) the call sites, with the method from the caller', () => {
      const call = on('pages/Payroll.jsx', 4);
      assertCall(call, { client: 'axios', method: 'POST', path: '/api/payroll/payslips', via: 'request' });
      assert.equal(textAt(call.file, call.urlSpan), "'/payslips'");
      assert.equal(textAt(call.file, call.methodSpan!), "'POST'");
      assertCall(on('pages/Payroll.jsx', 5), { client: 'axios', method: 'DELETE', path: '/api/payroll/payslips/${form.id}', via: 'request' });
    });

    it('follows a wrapper forwarding an axios config object, called with a config or with a plain URL', () => {
      const config = on('pages/Payroll.jsx', 9);
      assertCall(config, { client: 'axios', method: 'PUT', path: '/api/payroll/config-form', via: 'call', urlText: "'/config-form'" });
      assert.equal(textAt(config.file, config.methodSpan!), "'put'");
      assertCall(on('pages/Payroll.jsx', 10), { client: 'axios', method: 'GET', path: '/api/payroll/plain-form', via: 'call', urlText: "'/plain-form'" });
    });

    it('follows an arrow wrapper that puts its path parameter after a prefix', () => {
      assertCall(on('pages/Payroll.jsx', 6), { client: 'fetch', method: 'GET', path: '/api/teams', via: 'getJson', urlText: `'teams'` });
    });

    it('does not report the forwarding call inside a wrapper', () => {
      assert.deepEqual(callsIn(scan, APP, 'src/api/request.js'), []);
      assert.deepEqual(callsIn(scan, APP, 'src/api/HttpService.js'), []);
      assert.deepEqual(callsIn(scan, APP, 'src/api/objectApi.js'), []);
      assert.deepEqual(callsIn(scan, APP, 'src/hooks/useApi.js'), []);
    });

    it('reads the method from the init a caller passes to a fetch wrapper, GET when it passes none', () => {
      assertCall(on('api/spreads.js', 11), { client: 'fetch', method: 'POST', path: '/x', via: 'http', urlText: "'/x'" });
      assertCall(on('api/spreads.js', 12), { client: 'fetch', method: 'GET', path: '/y', via: 'http', urlText: "'/y'" });
    });

    it('follows `this.get()` into a base class whose methods wrap a private axios instance field', () => {
      assertCall(on('api/ItemsApi.ts', 16), {
        client: 'axios',
        method: 'GET',
        path: '/api/v1/items',
        origin: 'unknown',
        originText: 'import.meta.env.VITE_API_URL',
        via: 'BaseApi.get',
        urlText: "'/items'",
      });
      assertCall(on('api/ItemsApi.ts', 19), { client: 'axios', method: 'POST', path: '/api/v1/items', origin: 'unknown', via: 'BaseApi.post', urlText: '`/items`' });
    });

    it('follows an object of wrapper methods, imported through the `@/` alias', () => {
      assertCall(on('pages/Aliased.jsx', 9), { client: 'axios', method: 'GET', path: '/api/payroll/runs', via: 'get', urlText: `'/runs'` });
    });

    it('takes the method from a wrapper’s options object, or the default of its destructured parameter', () => {
      assertCall(on('pages/Aliased.jsx', 10), { client: 'axios', method: 'POST', path: '/api/payroll/runs', via: 'send', urlText: `'/runs'` });
      const patch = on('pages/Aliased.jsx', 11);
      assertCall(patch, { client: 'axios', method: 'PATCH', path: '/api/payroll/runs/${id}', via: 'send' });
      assert.equal(textAt(patch.file, patch.urlSpan), '`/runs/${id}`');
      assert.equal(textAt(patch.file, patch.methodSpan!), "'PATCH'");
    });

    it('follows a wrapper re-exported with `export * from`', () => {
      assertCall(on('pages/Aliased.jsx', 12), { client: 'axios', method: 'GET', path: '/api/payroll/barrel', via: 'request', urlText: `'/barrel'` });
    });

    it('follows a data hook wrapping useSWR', () => {
      assertCall(on('pages/Aliased.jsx', 7), { client: 'swr', method: 'GET', path: '/api/teams', via: 'useApi', urlText: `'teams'` });
    });

    it('resolves an instance imported through the `@/` alias for src/', () => {
      assertCall(on('pages/Aliased.jsx', 8), { client: 'axios', method: 'GET', path: '/api/payroll/payslips/${id}' });
    });

    it('follows class methods that pass a route (this.baseRoute) to a class wrapper around an axios instance', () => {
      assertCall(on('api/IncidentService.js', 7), { client: 'axios', method: 'GET', path: '/api/incidents', via: 'HttpService.get', urlText: 'this.baseRoute' });
      assertCall(on('api/IncidentService.js', 11), { client: 'axios', method: 'POST', path: '/api/incidents/${id}/close', via: 'HttpService.post' });
    });
  });

  describe('traps', () => {
    // test/fixtures/calls/app/src/pages/IncidentPage.jsx, one trap per line.
    const traps: [string, number][] = [
      ['Map.get', 7],
      ['Set.delete', 8],
      ['params.get on a props object', 9],
      ['URLSearchParams.get', 10],
      ['localStorage.getItem', 11],
      ['router.push', 12],
      ['IncidentApi.get(id), the app’s own module', 13],
    ];
    for (const [trap, line] of traps) {
      it(`does not report ${trap}`, () => {
        const lines = callsIn(scan, APP, 'src/pages/IncidentPage.jsx').map((c) => c.callSpan.start.line);
        assert.ok(!lines.includes(line), `a call was reported on line ${line}`);
      });
    }

    it('reports nothing at all in a page full of traps', () => {
      assert.deepEqual(callsIn(scan, APP, 'src/pages/IncidentPage.jsx'), []);
    });

    it('reports the real call inside the app’s own IncidentApi module instead', () => {
      assertCall(on('api/IncidentApi.js', 6), { client: 'axios', method: 'GET', path: '/api/incidents/${id}' });
    });

    it('does not report the fetch inside an SWR fetcher that is passed, never called', () => {
      assert.equal(callsIn(scan, APP, 'src/components/Profile.jsx').filter((c) => c.callSpan.start.line === 13).length, 0);
    });
  });

  describe('files', () => {
    it('skips files whose header says they are generated', () => {
      assert.deepEqual(callsIn(scan, APP, 'src/api/generated.ts'), []);
    });

    it('reports a file with a syntax error in skipped, and still finds the calls of the others', () => {
      assert.deepEqual(
        scan.skipped.map((s) => [path.relative(CALL_FIXTURES, s.file), s.reason.startsWith('syntax error (line 4')]),
        [[path.join('app', 'src', 'api', 'broken.js'), true]],
      );
      assert.ok(scan.calls.length > 40);
    });

    it('maps .vue <script> calls to the real file line', () => {
      const call = on('components/Payslips.vue', 10);
      assertCall(call, { client: 'axios', method: 'GET', path: '/api/payroll/payslips', urlSpan: span(10, 34, 10, 45) });
      assert.equal(textAt(call.file, call.urlSpan), "'/payslips'");
    });

    it('maps .svelte <script lang="ts"> calls to the real file line', () => {
      const call = on('components/Widget.svelte', 5);
      assertCall(call, { client: 'ky', method: 'GET', path: '/api/widgets/${id}', urlSpan: span(5, 28, 5, 48) });
    });

    it('reads classes with overload signatures and abstract methods, and a conditional whose branches are the same URL', () => {
      assertCall(on('api/overloads.ts', 8), { client: 'axios', method: 'GET', path: '/repos/${id}' });
      assertCall(on('api/overloads.ts', 11), { client: 'axios', method: 'POST', path: '/repos/${this.path()}/refresh' });
      assert.ok(!scan.skipped.some((s) => s.file.endsWith('overloads.ts')));
    });

    it('counts every source file it considered', () => {
      assert.equal(scan.files, 56);
    });
  });

  describe('suppression', () => {
    it('marks a call with `// zenops-ignore` on the line above as suppressed', () => {
      assert.equal(on('api/suppressed.js', 5).suppressed, true);
    });

    it('marks a call with `/* zenops-ignore */` on its own line as suppressed', () => {
      assert.equal(on('api/suppressed.js', 8).suppressed, true);
    });

    it('leaves other calls unsuppressed', () => {
      assert.equal(on('api/suppressed.js', 10).suppressed, false);
    });

    it('lets a comment after code speak for its own line only, not the call on the next line', () => {
      assert.equal(on('api/suppressed.js', 12).suppressed, true);
      assert.equal(on('api/suppressed.js', 13).suppressed, false);
    });

    it('marks a call that spans lines with the comment after its last line as suppressed', () => {
      assert.equal(on('api/suppressed.js', 15).suppressed, true);
    });

    it('marks a call that spans lines with the comment after code on a middle line (its options) as suppressed', () => {
      assert.equal(on('api/suppressed.js', 19).suppressed, true);
    });
  });

  it('puts absolute file paths in calls', () => {
    assert.equal(on('api/payroll.js', 6).file, file('src/api/payroll.js'));
  });
});
