import * as assert from 'node:assert/strict';
import { buildSpecIndex, matchCall, SpecIndex } from '../../../src/core/contract/matchOperation';
import type { HttpMethod, MatchResult } from '../../../src/core/contract/types';
import { parts, specOf } from './contractBuilders';

function matcher(routes: string[], extraRoutes: string[] = [], basePath = ''): (method: HttpMethod | null, url: string, specSyntax?: boolean) => MatchResult {
  const index = buildSpecIndex(specOf(routes, basePath), extraRoutes);
  return (method, url, specSyntax) => matchCall(index, method, parts(url), { specSyntax });
}

function reached(result: MatchResult): string | undefined {
  return result.operation ? `${result.operation.method} ${result.operation.path}` : undefined;
}

describe('matching a call to a spec operation', () => {
  it('matches a plain path and method', () => {
    const match = matcher(['GET /api/items', 'POST /api/items']);
    const result = match('POST', '/api/items');
    assert.equal(result.status, 'ok');
    assert.equal(reached(result), 'POST /api/items');
  });

  it('matches path parameters by position, never by name', () => {
    const match = matcher(['GET /incidents/{incident_id}/notes/{note_id}']);
    assert.equal(match('GET', '/incidents/${incidentId}/notes/${n.id}').status, 'ok');
    assert.equal(match('GET', '/incidents/${incidentId}').status, 'missing-path');
  });

  it('lets a spec parameter match a literal segment in code', () => {
    const match = matcher(['GET /payslips/{id}']);
    const result = match('GET', '/payslips/my');
    assert.equal(result.status, 'ok');
    assert.equal(reached(result), 'GET /payslips/{id}');
  });

  it('prefers the literal spec route when both a literal and a parameter route match', () => {
    const match = matcher(['GET /payslips/{id}', 'GET /payslips/my']);
    assert.equal(reached(match('GET', '/payslips/my')), 'GET /payslips/my');
    assert.equal(reached(match('GET', '/payslips/42')), 'GET /payslips/{id}');
  });

  it('falls through to the parameter route when the literal route lacks the method, as FastAPI does', () => {
    const match = matcher(['GET /payslips/my', 'DELETE /payslips/{id}']);
    assert.equal(reached(match('DELETE', '/payslips/my')), 'DELETE /payslips/{id}');
  });

  it('treats a code placeholder against spec literals as a possible match, not an error', () => {
    const match = matcher(['GET /report/tactical', 'GET /report/strategic', 'GET /other']);
    const result = match('GET', '/report/${kind}');
    assert.equal(result.status, 'ok');
    assert.match(result.message, /may reach GET \/report\/(tactical|strategic) or 1 other route, depending on the placeholder/);
    assert.deepEqual(result.reachable?.map((op) => op.path).sort(), ['/report/strategic', '/report/tactical']);
  });

  it('prefers a spec parameter over spec literals for a code placeholder', () => {
    const match = matcher(['GET /report/tactical', 'GET /report/{kind}']);
    const result = match('GET', '/report/${kind}');
    assert.equal(reached(result), 'GET /report/{kind}');
    assert.doesNotMatch(result.message, /may reach/);
  });

  it('never allows both loose directions in one path', () => {
    // `${a}` against the literal `users` and the literal `me` against `{id}` would need both directions.
    const match = matcher(['GET /users/{id}']);
    assert.equal(match('GET', '/${section}/me').status, 'missing-path');
    // Each direction alone is fine.
    assert.equal(match('GET', '/${section}/${id}').status, 'ok');
    assert.equal(match('GET', '/users/me').status, 'ok');
  });

  it('matches a segment mixing text and a placeholder against a spec parameter', () => {
    const match = matcher(['GET /files/{name}']);
    assert.equal(match('GET', '/files/${name}.pdf').status, 'ok');
    assert.equal(match('GET', '/files/report-${year}-${month}.csv').status, 'ok');
  });

  it('matches spec segments that mix text and a parameter', () => {
    const match = matcher(['GET /files/{name}.pdf', 'POST /items/{id}:archive']);
    assert.equal(match('GET', '/files/summary.pdf').status, 'ok');
    assert.equal(match('GET', '/files/${name}.pdf').status, 'ok');
    assert.equal(match('POST', '/items/${id}:archive').status, 'ok');
    assert.equal(match('GET', '/files/summary.txt').status, 'missing-path');
  });

  it('reports a slash-only difference as trailing-slash with the spec path as the fix', () => {
    const match = matcher(['GET /api/items/', 'GET /api/users']);
    const missingSlash = match('GET', '/api/items');
    assert.equal(missingSlash.status, 'trailing-slash');
    assert.equal(missingSlash.suggestion, '/api/items/');
    assert.equal(reached(missingSlash), 'GET /api/items/');
    assert.match(missingSlash.message, /307 redirect/);
    const extraSlash = match('GET', '/api/users/');
    assert.equal(extraSlash.status, 'trailing-slash');
    assert.equal(extraSlash.suggestion, '/api/users');
  });

  it('reports method-not-allowed with the methods the path has', () => {
    const match = matcher(['GET /api/items/{id}', 'PATCH /api/items/{id}', 'GET /api/items']);
    const result = match('DELETE', '/api/items/${id}');
    assert.equal(result.status, 'method-not-allowed');
    assert.deepEqual(result.allowedMethods, ['GET', 'PATCH']);
    assert.equal(result.message, 'DELETE /api/items/{}: method not allowed; /api/items/{id} accepts GET, PATCH');
  });

  it('warns at every call of a deprecated operation', () => {
    const match = matcher(['GET! /api/legacy/export', 'POST /api/legacy/export']);
    const result = match('GET', '/api/legacy/export');
    assert.equal(result.status, 'deprecated');
    assert.equal(reached(result), 'GET /api/legacy/export');
    assert.equal(match('POST', '/api/legacy/export').status, 'ok');
  });

  it('matches any method on the path when the method is unknown, reaching all of them', () => {
    const match = matcher(['GET /api/items', 'POST /api/items']);
    const result = match(null, '/api/items');
    assert.equal(result.status, 'ok');
    assert.deepEqual(result.reachable?.map((op) => op.method), ['GET', 'POST']);
    assert.equal(result.message, '/api/items: the spec has /api/items (GET, POST); the method is not known here, so only the path is checked');
  });

  it('calls an unknown-method call deprecated only when every operation on the path is', () => {
    assert.equal(matcher(['GET! /old', 'POST /old'])(null, '/old').status, 'ok');
    assert.equal(matcher(['GET! /old', 'POST! /old'])(null, '/old').status, 'deprecated');
  });

  it('suggests the closest spec path for a missing path, with nearby candidates', () => {
    const match = matcher(['GET /api/payroll/payslips', 'GET /api/payroll/payslips/{id}', 'GET /api/users', 'GET /api/payroll/employees']);
    const result = match('GET', '/api/payroll/payslip');
    assert.equal(result.status, 'missing-path');
    assert.equal(result.suggestion, '/api/payroll/payslips');
    assert.equal(result.message, 'GET /api/payroll/payslip: no such path in the spec; did you mean /api/payroll/payslips?');
    assert.equal(result.candidates?.[0]?.path, '/api/payroll/payslips');
    assert.ok((result.candidates?.length ?? 0) <= 3);
  });

  it('weighs segments, not characters: a missing prefix segment is close, an unrelated path is not suggested', () => {
    const match = matcher(['GET /api/payroll/payslips', 'GET /api/users']);
    const noPrefix = match('GET', '/payroll/payslips');
    assert.equal(noPrefix.suggestion, '/api/payroll/payslips');
    assert.match(noPrefix.message, /set zenops\.contract\.apiPrefix/);
    const otherPrefix = matcher(['GET /v2/orders/{id}'])('GET', '/api/orders/${id}');
    assert.equal(otherPrefix.suggestion, '/v2/orders/{id}');
    assert.match(otherPrefix.message, /set zenops\.contract\.apiPrefix/);
    const unrelated = match('GET', '/metrics/xyz/abc');
    assert.equal(unrelated.status, 'missing-path');
    assert.equal(unrelated.suggestion, undefined);
    assert.equal(unrelated.message, 'GET /metrics/xyz/abc: no such path in the spec');
  });

  it('carries the closest path for a different word, but words only a near miss as "did you mean"', () => {
    const match = matcher(['POST /api/payslips/{id}/generate', 'GET /api/payslips/{id}', 'GET /api/payroll/payslips']);
    const action = match('POST', '/api/payslips/${id}/send-email');
    assert.equal(action.status, 'missing-path');
    assert.equal(action.suggestion, '/api/payslips/{id}/generate');
    assert.equal(action.nearMiss, undefined);
    assert.doesNotMatch(action.message, /did you mean/);
    assert.match(action.message, /the closest spec path is \/api\/payslips\/\{id\}\/generate/);
    assert.ok(action.candidates?.some((op) => op.path === '/api/payslips/{id}/generate'));
    // A typo together with a missing prefix is near.
    const typo = match('GET', '/payroll/payslip');
    assert.equal(typo.suggestion, '/api/payroll/payslips');
    assert.equal(typo.nearMiss, true);
    assert.match(typo.message, /did you mean \/api\/payroll\/payslips\?/);
  });

  it('does not take a shared trailing placeholder for a prefix change when picking the closest path', () => {
    const result = matcher(['POST /api/auth/login', 'GET /api/documents/{document_id}'])('POST', '/api/auth/refresh');
    assert.equal(result.suggestion, '/api/auth/login');
  });

  it('names the allowed methods as the suggestion for a wrong method', () => {
    const result = matcher(['POST /api/runs/{id}/close'])('PUT', '/api/runs/${id}/close');
    assert.equal(result.status, 'method-not-allowed');
    assert.deepEqual(result.allowedMethods, ['POST']);
    assert.equal(result.suggestion, 'POST');
  });

  it('prefers a suggestion that has the call method', () => {
    const match = matcher(['GET /api/item', 'POST /api/items']);
    assert.equal(match('POST', '/api/itemz').suggestion, '/api/items');
    assert.equal(match('GET', '/api/itemz').suggestion, '/api/item');
  });

  it('counts extraRoutes as existing, with * for any method and a bare path meaning any method', () => {
    const match = matcher(['GET /api/items'], ['GET /internal/ping', '* /internal/debug', '/metrics', 'POST /api/items']);
    assert.equal(match('GET', '/internal/ping').status, 'ok');
    assert.equal(match('POST', '/internal/ping').status, 'method-not-allowed');
    assert.equal(match('DELETE', '/internal/debug').status, 'ok');
    assert.equal(reached(match('DELETE', '/internal/debug')), 'DELETE /internal/debug');
    assert.equal(match('GET', '/metrics').status, 'ok');
    assert.equal(match('POST', '/api/items').status, 'ok');
  });

  it('lists extraRoutes it cannot read instead of guessing', () => {
    const index = new SpecIndex(specOf(['GET /a']), ['FETCH /x', 'GET', 'GET x/y', 'GET /ok']);
    assert.deepEqual(index.invalidExtraRoutes, ['FETCH /x', 'GET', 'GET x/y']);
  });

  it('checks a path already in spec syntax, adding the spec base path when the call omits it', () => {
    const match = matcher(['GET /items/{id}', 'GET /items'], [], '/api/v2');
    assert.equal(match('GET', '/items/{id}', true).status, 'ok');
    assert.equal(match('GET', '/api/v2/items/{item_id}', true).status, 'ok');
    assert.equal(match('GET', '/item/{id}', true).status, 'missing-path');
  });

  it('ignores a query string or fragment left in the path', () => {
    const match = matcher(['GET /api/items']);
    assert.equal(match('GET', '/api/items?page=${n}&size=10').status, 'ok');
    assert.equal(match('GET', '/api/items#top').status, 'ok');
  });

  it('reads a path without a leading slash as rooted, and matches the root path', () => {
    const match = matcher(['GET /items', 'GET /']);
    assert.equal(match('GET', 'items').status, 'ok');
    assert.equal(match('GET', '/').status, 'ok');
  });

  it('decodes percent-escapes in literal segments', () => {
    const result = matcher(['GET /tags/{name}', 'GET /café'])('GET', '/caf%C3%A9');
    assert.equal(result.status, 'ok');
    assert.equal(result.operation?.path, '/café');
  });

  it('does not treat an empty segment (a double slash) as a parameter value', () => {
    const result = matcher(['GET /api/items/{id}'])('GET', '/api/items//');
    assert.notEqual(result.status, 'ok');
  });
});
