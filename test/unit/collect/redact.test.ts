import * as assert from 'node:assert/strict';
import { compileRedactPatterns, isSecretKey, redact, redactJson, RedactPatternError } from '../../../src/core/collect/redact';

describe('redact', () => {
  const hidden: [string, string, string][] = [
    ['a bearer token in a header line', 'GET /x Authorization: Bearer abc.def.ghi 200', 'GET /x Authorization: Bearer [REDACTED] 200'],
    ['a bearer token anywhere', 'calling upstream with Bearer eyJabc-123_x.y', 'calling upstream with Bearer [REDACTED]'],
    ['basic credentials in a JSON header', '{"Authorization": "Basic dXNlcjpwYXNz"}', '{"Authorization": "Basic [REDACTED]"}'],
    ['a token in a Python dict repr', "{'authorization': 'token ghp_123'}", "{'authorization': 'token [REDACTED]'}"],
    ['password=', 'login failed password=hunter2 user=bob', 'login failed password=[REDACTED] user=bob'],
    ['a quoted password= value', 'password="hunter 2" next', 'password="[REDACTED]" next'],
    ['an upper-case env password', 'PGPASSWORD=pw psql -h db', 'PGPASSWORD=[REDACTED] psql -h db'],
    ['a JSON password with an escaped quote', '{"password": "hun\\"ter2", "user": "x"}', '{"password": "[REDACTED]", "user": "x"}'],
    ['an API key after a colon', 'api_key: abcd1234; next', 'api_key: [REDACTED]; next'],
    ['a camel-case apiKey', 'apiKey=AKIA12345', 'apiKey=[REDACTED]'],
    ['a client secret in a query string', '?client_secret=zzz&x=1', '?client_secret=[REDACTED]&x=1'],
    ['an access token in a URL', 'https://h/cb?access_token=tok123&state=s', 'https://h/cb?access_token=[REDACTED]&state=s'],
    ['a secret in escaped JSON inside a log line', 'msg="{\\"api_key\\": \\"k-123\\"}"', 'msg="{\\"api_key\\": \\"[REDACTED]\\"}"'],
    ['credentials in a DSN', 'db=postgres://u:p@db/x next', 'db=postgres://[REDACTED]@db/x next'],
    ['a DSN password holding @', 'DATABASE_URL=postgres://app:s3cr@t@db:5432/zenops', 'DATABASE_URL=postgres://[REDACTED]@db:5432/zenops'],
    ['credentials in an http URL', 'proxy http://admin:admin123@grafana:3000/api', 'proxy http://[REDACTED]@grafana:3000/api'],
    ['a DSN with a password and no user', 'REDIS_URL=redis://:onlypw@redis:6379/0', 'REDIS_URL=redis://[REDACTED]@redis:6379/0'],
    ['a cookie header', 'Cookie: session=abc; other=1', 'Cookie: [REDACTED]'],
    ['a JSON Web Token', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig123 ok', 'jwt [REDACTED] ok'],
  ];
  for (const [what, input, expected] of hidden) {
    it(`hides ${what}`, () => assert.equal(redact(input), expected));
  }

  const kept: [string, string][] = [
    ['ids whose names merely contain a secret word', 'token_id=5 GET /api/support/tokens/5/revoke'],
    ['metric names', 'http_requests_total{status="500"} 3 tokens_total 5'],
    ['a URL with a user but no password', 'git clone ssh://git@github.com/x/y'],
    ['request ids and tracebacks', '2026-12-03 16:31:32,580 ERROR [app] request_id=req-1 unhandled error on GET /api/payroll/runs/0'],
  ];
  for (const [what, input] of kept) {
    it(`keeps ${what}`, () => assert.equal(redact(input), input));
  }

  it('keeps JSON text valid: objects, lists, booleans and null after secret-named keys stay as they are', () => {
    const text = '{"Credentials": {"type": "object"}, "tokens": [1], "token": null, "secret": true, "password": "x"}';
    const out = redact(text);
    assert.deepEqual(JSON.parse(out), { Credentials: { type: 'object' }, tokens: [1], token: null, secret: true, password: '[REDACTED]' });
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    const once = redact('token=abc Authorization: Bearer x.y postgres://u:p@h/d password="p w"');
    assert.equal(redact(once), once);
  });

  it('replaces the whole match of extra patterns from the setting', () => {
    const patterns = compileRedactPatterns(['EMP-\\d{6}', '/ssn=\\S+/i']);
    assert.equal(redact('employee EMP-123456 SSN=078-05-1120 ok', patterns), 'employee [REDACTED] [REDACTED] ok');
    // Global regexps keep state between calls; the second call must redact too.
    assert.equal(redact('EMP-999999', patterns), '[REDACTED]');
  });

  it('refuses an invalid or empty-matching extra pattern instead of skipping it', () => {
    assert.throws(() => compileRedactPatterns(['(unclosed']), RedactPatternError);
    assert.throws(() => compileRedactPatterns(['x*']), /matches the empty string/);
    assert.deepEqual(compileRedactPatterns(['', '  ']), []);
  });

  it('hides JSON values by key name and keeps schema objects and ids', () => {
    const value = redactJson({
      password: 'x',
      token: 5,
      nested: { dsn: 'mysql://a:b@h/d', accessToken: 't', token_id: 'keep', auth_header: 'Bearer abc.def' },
      schema: { password: { type: 'string' } },
      list: ['password=hunter2'],
      token_list: { token: ['abc123', 7], api_key: { value: 'k-999', rotated: true, previous: null } },
    });
    assert.deepEqual(value, {
      password: '[REDACTED]',
      token: '[REDACTED]',
      nested: { dsn: 'mysql://[REDACTED]@h/d', accessToken: '[REDACTED]', token_id: 'keep', auth_header: 'Bearer [REDACTED]' },
      schema: { password: { type: 'string' } },
      list: ['password=[REDACTED]'],
      token_list: { token: ['[REDACTED]', '[REDACTED]'], api_key: { value: '[REDACTED]', rotated: true, previous: null } },
    });
  });

  it('knows secret key names by their last word', () => {
    for (const key of ['password', 'db_password', 'X-API-Key', 'apiKey', 'client_secret', 'Authorization', 'refresh_token', 'set-cookie']) {
      assert.ok(isSecretKey(key), key);
    }
    for (const key of ['token_id', 'tokens', 'passwordPolicy', 'author', 'status']) assert.ok(!isSecretKey(key), key);
  });
});
