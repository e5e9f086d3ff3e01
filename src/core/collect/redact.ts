// Redaction of secrets from text and JSON before a diagnostics bundle is written: the bundle is meant to
// be attached to an issue, so bearer tokens, Authorization headers, password/secret/token/API-key values
// and credentials in URLs and DSNs become `[REDACTED]`, plus whatever extra patterns the user configures.
export const REDACTED = '[REDACTED]';

/** Words that make a key's value a secret when the key ends in one (`db_password`, `accessToken`, `X-API-Key`). */
const SECRET_WORD = String.raw`(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|session[_-]?id)`;
/** A whole JSON property name whose value is a secret. */
const SECRET_KEY = new RegExp(String.raw`^[\w.-]*?(?:${SECRET_WORD}|authorization|cookie)$`, 'i');

// `Authorization: Bearer x`, `"authorization": "Basic x"`, `{'Authorization': 'token x'}`: keep the scheme word, hide the rest.
const AUTHORIZATION = /(\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?)(?:(Bearer|Basic|Token|Digest|Negotiate|NTLM|ApiKey)\s+)?([^\s"'\\,;]+)/gi;
const COOKIE = /(\b(?:set-)?cookie\\?["']?\s*[:=]\s*\\?["']?)[^"'\\\r\n]+/gi;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/g;
// A JSON Web Token anywhere (three base64url parts, the first two starting with `{"`).
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// scheme://user:password@host (the user may be empty: redis://:pw@host) — greedy up to the last `@` before the
// path, so a password holding `@` is hidden whole.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/"'@<>]*:[^\s/"'<>]*@/gi;
// key=value, key: value, "key": "value", and the same escaped inside a JSON string; quoted values are hidden whole.
const KEY_VALUE = new RegExp(
  String.raw`((?:^|[^\w.-])\\?["']?[\w.-]*?${SECRET_WORD}\\?["']?\s*[=:]\s*)(\\"(?:[^"\\\r\n]|\\[^"])*\\"|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|(?!(?:true|false|null)\b)[^\s"'\\&,;(){}[\]]+)`,
  'gi',
);

export class RedactPatternError extends Error {}

/** Compiles `zenops.collect.redactPatterns`: a regular expression, or `/pattern/flags`. An invalid one is an error, never skipped. */
export function compileRedactPatterns(patterns: readonly string[]): RegExp[] {
  return patterns
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const literal = /^\/(.+)\/([a-z]*)$/s.exec(p);
      const [source, flags] = literal ? [literal[1], literal[2]] : [p, ''];
      try {
        const re = new RegExp(source, flags.includes('g') ? flags : `${flags}g`);
        if (re.test('')) throw new Error('it matches the empty string');
        return re;
      } catch (err) {
        throw new RedactPatternError(`zenops.collect.redactPatterns entry ${JSON.stringify(p)} is not a usable regular expression (${(err as Error).message})`);
      }
    });
}

/** True for a JSON property or `key=` name whose value is a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** `text` with every secret replaced by [REDACTED]; `extraPatterns` (global regexps) have their whole match replaced. */
export function redact(text: string, extraPatterns: readonly RegExp[] = []): string {
  let out = text;
  for (const pattern of extraPatterns) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, REDACTED);
  }
  out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  out = out.replace(AUTHORIZATION, (_m, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`);
  out = out.replace(COOKIE, `$1${REDACTED}`);
  out = out.replace(BEARER, `$1 ${REDACTED}`);
  out = out.replace(JWT, REDACTED);
  out = out.replace(KEY_VALUE, (_m, head: string, value: string) => {
    if (/^(?:\\?["'])?\[REDACTED/.test(value)) return `${head}${value}`;
    if (value.startsWith('\\"')) return `${head}\\"${REDACTED}\\"`;
    if (value.startsWith('"')) return `${head}"${REDACTED}"`;
    if (value.startsWith("'")) return `${head}'${REDACTED}'`;
    return `${head}${REDACTED}`;
  });
  return out;
}

/**
 * A JSON value with secrets hidden: everything under a secret-named key (strings and numbers, also inside
 * lists and objects: `{"token": ["abc"]}`, `{"api_key": {"value": "k"}}`) becomes [REDACTED], except a
 * JSON-schema object (`"password": {"type": "string"}` in an OpenAPI document); every other string (keys
 * too) goes through `redact`.
 */
export function redactJson(value: unknown, extraPatterns: readonly RegExp[] = []): unknown {
  if (typeof value === 'string') return redact(value, extraPatterns);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, extraPatterns));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      out[redact(key, extraPatterns)] = isSecretKey(key) ? redactSecret(v, extraPatterns) : redactJson(v, extraPatterns);
    }
    return out;
  }
  return value;
}

const SCHEMA_KEYWORDS = new Set(['type', '$ref', 'properties', 'items', 'anyOf', 'oneOf', 'allOf', 'format', 'enum']);

/** The value of a secret-named key: every string and number in it hidden; booleans, null and "" say nothing. */
function redactSecret(value: unknown, extraPatterns: readonly RegExp[]): unknown {
  if (typeof value === 'number' || (typeof value === 'string' && value !== '')) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactSecret(v, extraPatterns));
  if (value && typeof value === 'object') {
    if (Object.keys(value).some((k) => SCHEMA_KEYWORDS.has(k))) return redactJson(value, extraPatterns);
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [redact(k, extraPatterns), redactSecret(v, extraPatterns)]));
  }
  return value;
}
