import * as assert from 'node:assert/strict';
import type { ScanResult } from '../../../src/core/contract/types';
import { assertCall, callOn, callsIn, pathText, scanFixture } from './callAssertions';

const ROOT = 'text-wrappers';

describe('findApiCalls: wrappers that glue a parameter to known text (test/fixtures/calls/text-wrappers)', () => {
  let scan: ScanResult;
  const on = (line: number) => callOn(scan, ROOT, 'src/pages.js', line);

  before(async () => {
    scan = await scanFixture(ROOT);
  });

  it('reports no call at the wrapper definitions', () => {
    const atDefinitions = callsIn(scan, ROOT, 'src/api.js').filter((c) => c.callSpan.start.line < 14);
    assert.deepEqual(atDefinitions.map((c) => `${c.callSpan.start.line}: ${pathText(c)}`), []);
  });

  it('substitutes the caller’s argument into a template wrapper (`/api${url}`), GET by default', () => {
    assertCall(on(4), { client: 'fetch', method: 'GET', path: '/api/items', via: 'api', urlText: "'/items'" });
  });

  it('keeps the caller’s own placeholders and reads the method from the init it passes', () => {
    assertCall(on(5), { client: 'fetch', method: 'DELETE', path: '/api/items/${id}', via: 'api', urlText: '`/items/${id}`' });
  });

  it('substitutes the caller’s argument into a concatenation in an arrow wrapper (`\'/api\' + path`)', () => {
    assertCall(on(6), { client: 'fetch', method: 'POST', path: '/api/x', via: 'prefixed', urlText: "'/x'" });
  });

  it('joins a base constant to the argument and takes the method the caller forwards', () => {
    assertCall(on(7), { client: 'fetch', method: 'PUT', path: '/api/items', via: 'request', urlText: "'/items'" });
  });

  it('substitutes a path parameter after a prefix in an axios wrapper (`/api/${path}`)', () => {
    assertCall(on(8), { client: 'axios', method: 'GET', path: '/api/items', via: 'call', urlText: "'items'" });
  });

  it('reports a caller whose argument cannot be resolved as unresolved', () => {
    const call = on(9);
    assert.equal(call.via, 'api');
    assert.equal(call.url.kind, 'unresolved');
  });

  it('reports a parameter glued inside a segment it cannot follow to callers as unresolved, never as a path', () => {
    const calls = callsIn(scan, ROOT, 'src/api.js').filter((c) => c.callSpan.start.line < 18);
    assert.equal(calls.length, 1, calls.map((c) => `${c.callSpan.start.line}: ${pathText(c)}`).join(', '));
    assert.equal(calls[0].callSpan.start.line, 16);
    assert.equal(calls[0].url.kind, 'unresolved');
  });

  it('keeps a call whose parameter is only part of a segment (`/v${version}/items`, `/u-${id}`): unresolved, never lost', () => {
    for (const line of [21, 22]) {
      const call = callOn(scan, ROOT, 'src/api.js', line);
      assert.equal(call.url.kind, 'unresolved', `line ${line}`);
      assert.equal(call.via, undefined, `line ${line} is a call site of its own`);
    }
  });
});
