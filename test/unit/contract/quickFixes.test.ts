import * as assert from 'node:assert/strict';
import { fixMethodText, fixPathText, ignoreCommentLine, parseUrlLiteral, setTrailingSlashText } from '../../../src/core/contract/quickFixes';
import type { CheckedCall, UrlOrigin } from '../../../src/core/contract/types';

/** The parts of a checked call the fixes read: its resolved path and where its origin came from. */
function call(path: string, origin: UrlOrigin = { kind: 'relative' }, specSyntax = false): Pick<CheckedCall, 'path' | 'url'> {
  return { path, url: { kind: 'resolved', origin, path: [{ kind: 'text', text: path }], specSyntax } };
}

const envOrigin: UrlOrigin = { kind: 'unknown', source: 'import.meta.env.VITE_API_URL' };

describe('quick-fix text for a path the spec does not have', () => {
  it('replaces only the differing segment and keeps the code expression for the parameter', () => {
    assert.equal(
      fixPathText('`/payroll/payslips/${id}/send-email`', call('/api/payroll/payslips/{}/send-email', envOrigin), '/api/payroll/payslips/{payslip_id}/generate'),
      '`/payroll/payslips/${id}/generate`',
    );
  });

  it('leaves the base URL the client adds alone, even when the suggestion changes a segment near it', () => {
    assert.equal(
      fixPathText("'/payroll/history'", call('/api/payroll/history', envOrigin), '/api/payroll/payslips'),
      "'/payroll/payslips'",
    );
  });

  it('refuses to edit a prefix the literal did not write', () => {
    assert.equal(fixPathText("'/payslips'", call('/api/payroll/payslips', envOrigin), '/api/billing/payslips'), undefined);
  });

  it('keeps an origin expression at the front and a query string at the end', () => {
    assert.equal(
      fixPathText('`${API}/api/documents/${documentId}/comments/${commentId}?x=1`', call('/api/documents/{}/comments/{}', envOrigin), '/api/documents/{document_id}/comments'),
      '`${API}/api/documents/${documentId}/comments?x=1`',
    );
  });

  it('keeps a written origin with substitutions', () => {
    assert.equal(
      fixPathText('`http://${host}:${port}/api/auth/refresh`', call('/api/auth/refresh', { kind: 'unknown', source: 'host' }), '/api/auth/me'),
      '`http://${host}:${port}/api/auth/me`',
    );
  });

  it('moves the code values into the new positions of the parameters', () => {
    assert.equal(
      fixPathText('`/items/${itemId}/old/${tagId}`', call('/items/{}/old/{}'), '/items/{item_id}/tags/{tag_id}'),
      '`/items/${itemId}/tags/${tagId}`',
    );
  });

  it('offers nothing when the suggestion needs a value the code does not have', () => {
    assert.equal(fixPathText("'/items/latest'", call('/items/latest'), '/items/{item_id}/tags'), undefined);
  });

  it('keeps spec syntax for a typed client', () => {
    assert.equal(
      fixPathText("'/api/payroll/run/{run_id}'", call('/api/payroll/run/{run_id}', { kind: 'unknown', source: 'env' }, true), '/api/payroll/runs/{run_id}'),
      "'/api/payroll/runs/{run_id}'",
    );
  });

  it('leaves a segment that came from a constant alone', () => {
    // `/${resource}/${threadId}/resolve` with resource = 'support/threads'.
    assert.equal(
      fixPathText('`/${resource}/${threadId}/resolve`', call('/api/support/threads/{}/resolve', envOrigin), '/api/support/threads/{thread_id}/close'),
      '`/${resource}/${threadId}/close`',
    );
    assert.equal(fixPathText('`/${resource}/${threadId}`', call('/api/support/threads/{}', envOrigin), '/api/support/topics/{thread_id}'), undefined);
  });

  it('takes the trailing slash from the suggestion', () => {
    assert.equal(fixPathText("'/api/documentz'", call('/api/documentz'), '/api/documents/'), "'/api/documents/'");
  });

  it('offers nothing for a URL that is not a literal', () => {
    assert.equal(fixPathText('routes.closeRun(runId)', call('/payroll/runs/{}/close'), '/payroll/runs/{run_id}'), undefined);
    assert.equal(fixPathText("'/items/' + id", call('/items/{}'), '/items/{id}/x'), undefined);
    assert.equal(fixPathText('resource', call('/support/threads'), '/support/topics'), undefined);
  });
});

describe('quick-fix text for a trailing slash', () => {
  it('removes the slash before the query string', () => {
    assert.equal(setTrailingSlashText("'/support/threads/?open=1'", call('/support/threads/'), false), "'/support/threads?open=1'");
  });

  it('adds the slash after a substitution at the end', () => {
    assert.equal(setTrailingSlashText('`${API}/api/documents`', call('/api/documents', envOrigin), true), '`${API}/api/documents/`');
  });

  it('does nothing when the slash is already as wanted or the URL is not a literal', () => {
    assert.equal(setTrailingSlashText("'/a/'", call('/a/'), true), undefined);
    assert.equal(setTrailingSlashText('resource', call('/a'), true), undefined);
  });
});

describe('quick-fix text for a method', () => {
  it('keeps the style of the method name or string', () => {
    assert.equal(fixMethodText('put', 'POST'), 'post');
    assert.equal(fixMethodText('.put', 'POST'), '.post');
    assert.equal(fixMethodText('PATCH', 'GET'), 'GET');
    assert.equal(fixMethodText("'put'", 'POST'), "'post'");
    assert.equal(fixMethodText('"DELETE"', 'POST'), '"POST"');
  });

  it('refuses an expression', () => {
    assert.equal(fixMethodText('opts.method', 'POST'), undefined);
    assert.equal(fixMethodText('`${m}`', 'POST'), undefined);
  });
});

describe('reading URL literals', () => {
  it('splits a template into text and substitutions, nested braces and strings included', () => {
    assert.deepEqual(parseUrlLiteral('`/a/${x ? `b${y}` : "}"}/c`')?.pieces, [
      { kind: 'text', raw: '/a/' },
      { kind: 'expr', raw: '${x ? `b${y}` : "}"}' },
      { kind: 'text', raw: '/c' },
    ]);
  });

  it('does not take a concatenation of two strings for one literal', () => {
    assert.equal(parseUrlLiteral("'/a' + '/b'"), undefined);
  });
});

describe('the ignore comment', () => {
  it('is indented like the line it goes above', () => {
    assert.equal(ignoreCommentLine('    api.get(x)'), '    // zenops-ignore\n');
    assert.equal(ignoreCommentLine('\tfetch(u)'), '\t// zenops-ignore\n');
  });
});
