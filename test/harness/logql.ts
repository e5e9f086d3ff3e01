// The part of LogQL the Loki stand-in understands: a stream selector and chained line filters.
// Written from Loki's LogQL documentation; label regexes are fully anchored, line regexes are not.

export type MatchOp = '=' | '!=' | '=~' | '!~';
export type FilterOp = '|=' | '!=' | '|~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
  test(labelValue: string): boolean;
}

export interface LineFilter {
  op: FilterOp;
  value: string;
  test(line: string): boolean;
}

export interface LogQuery {
  matchers: LabelMatcher[];
  filters: LineFilter[];
  matchesStream(labels: Record<string, string>): boolean;
  matchesLine(line: string): boolean;
}

export class LogQLParseError extends Error {}

// Go's RE2 allows a leading (?i); JavaScript wants it as a flag.
function compileRegex(source: string, anchored: boolean): RegExp {
  let flags = '';
  let body = source;
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    body = body.slice(inline[0].length);
  }
  return new RegExp(anchored ? `^(?:${body})$` : body, flags);
}

function errorAt(query: string, pos: number, what: string): LogQLParseError {
  const before = query.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return new LogQLParseError(`parse error at line ${line}, col ${col}: ${what}`);
}

/** Parses `{a="b", c=~"d.*"} |= "x" != "y" |~ "z"`; throws LogQLParseError with Loki's message shape. */
export function parseLogQuery(query: string): LogQuery {
  let pos = 0;
  const skip = () => {
    while (pos < query.length && /\s/.test(query[pos])) pos++;
  };
  const readString = (): string => {
    skip();
    const quote = query[pos];
    if (quote === '`') {
      const end = query.indexOf('`', pos + 1);
      if (end < 0) throw errorAt(query, pos, 'literal not terminated');
      const value = query.slice(pos + 1, end);
      pos = end + 1;
      return value;
    }
    if (quote !== '"') throw errorAt(query, pos, `syntax error: unexpected ${query[pos] ?? 'end of input'}, expecting STRING`);
    let value = '';
    pos++;
    while (pos < query.length && query[pos] !== '"') {
      if (query[pos] === '\\') {
        const next = query[pos + 1];
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
        pos += 2;
      } else {
        value += query[pos++];
      }
    }
    if (query[pos] !== '"') throw errorAt(query, pos, 'literal not terminated');
    pos++;
    return value;
  };

  skip();
  if (query[pos] !== '{') throw errorAt(query, pos, `syntax error: unexpected ${query.slice(pos).split(/\s/)[0] || 'end of input'}, expecting {`);
  pos++;
  const matchers: LabelMatcher[] = [];
  for (;;) {
    skip();
    if (query[pos] === '}' && matchers.length > 0) break;
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(query.slice(pos));
    if (!name) throw errorAt(query, pos, `syntax error: unexpected ${query[pos] ?? 'end of input'}, expecting IDENTIFIER`);
    pos += name[0].length;
    skip();
    const op = (['=~', '!~', '!=', '='] as MatchOp[]).find((o) => query.startsWith(o, pos));
    if (!op) throw errorAt(query, pos, `syntax error: unexpected ${query[pos] ?? 'end of input'}, expecting = or != or =~ or !~`);
    pos += op.length;
    const value = readString();
    let test: (v: string) => boolean;
    try {
      const re = op === '=~' || op === '!~' ? compileRegex(value, true) : undefined;
      test =
        op === '=' ? (v) => v === value : op === '!=' ? (v) => v !== value : op === '=~' ? (v) => re!.test(v) : (v) => !re!.test(v);
    } catch (err) {
      throw errorAt(query, pos, `error parsing regexp: ${(err as Error).message}`);
    }
    matchers.push({ name: name[0], op, value, test });
    skip();
    if (query[pos] === ',') {
      pos++;
      continue;
    }
    if (query[pos] === '}') break;
    throw errorAt(query, pos, `syntax error: unexpected ${query[pos] ?? 'end of input'}, expecting , or }`);
  }
  pos++;

  const filters: LineFilter[] = [];
  for (;;) {
    skip();
    if (pos >= query.length) break;
    const op = (['|=', '!=', '|~', '!~'] as FilterOp[]).find((o) => query.startsWith(o, pos));
    if (!op) {
      throw errorAt(query, pos, `the Loki stand-in implements stream selectors and line filters only (|= != |~ !~), not '${query.slice(pos).trim()}'`);
    }
    pos += op.length;
    const value = readString();
    let test: (line: string) => boolean;
    try {
      const re = op === '|~' || op === '!~' ? compileRegex(value, false) : undefined;
      test =
        op === '|=' ? (l) => l.includes(value) : op === '!=' ? (l) => !l.includes(value) : op === '|~' ? (l) => re!.test(l) : (l) => !re!.test(l);
    } catch (err) {
      throw errorAt(query, pos, `error parsing regexp: ${(err as Error).message}`);
    }
    filters.push({ op, value, test });
  }

  // Loki refuses selectors that would match every stream.
  if (!matchers.some((m) => !m.test(''))) {
    throw new LogQLParseError(
      'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will',
    );
  }

  return {
    matchers,
    filters,
    matchesStream: (labels) => matchers.every((m) => m.test(labels[m.name] ?? '')),
    matchesLine: (line) => filters.every((f) => f.test(line)),
  };
}
