import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { callSiteText, declaredNames } from '../../../src/core/contract/callSiteStatements';
import { parseSource } from '../../../src/core/contract/parseSource';
import { topLevelChunks, type TopLevelChunk } from '../../../src/core/contract/topLevelChunks';

const REPO = path.resolve(__dirname, '../../..');

/** Each chunk's text (trimmed) and declared names. */
function chunksOf(code: string, jsx = true): { text: string; declared: string[] }[] | undefined {
  return topLevelChunks(code, jsx)?.map((c) => ({ text: code.slice(c.start, c.end).trim(), declared: c.declared }));
}

/** What is wrong with `chunks` as a split of `code`, judged against TypeScript's own parse (empty: nothing). */
function disagreements(code: string, jsx: boolean, chunks: TopLevelChunk[]): string[] {
  const source = ts.createSourceFile(jsx ? 'x.tsx' : 'x.ts', code, ts.ScriptTarget.Latest, true, jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const problems: string[] = [];
  const ends = new Set(source.statements.map((s) => s.end));
  chunks.forEach((chunk, i) => {
    if (chunk.start !== (i === 0 ? 0 : chunks[i - 1].end)) problems.push(`chunk ${i} does not start where the one before ends`);
    if (i < chunks.length - 1 && !ends.has(chunk.end)) problems.push(`chunk ${i} ends inside a statement: ${JSON.stringify(code.slice(chunk.end - 30, chunk.end + 30))}`);
  });
  if (chunks.length > 0 && chunks[chunks.length - 1].end !== code.length) problems.push('the chunks do not cover the text');
  for (const statement of source.statements) {
    const chunk = chunks.find((c) => c.start <= statement.pos && statement.end <= c.end);
    declaredNames(statement, (name) => {
      if (!chunk?.declared.includes(name)) problems.push(`${name} is not among the names its chunk declares`);
    });
  }
  return problems;
}

describe('topLevelChunks: top-level statements found by a lexer alone', () => {
  it('splits at semicolons, and where a line break ends a statement before a declaration keyword', () => {
    const code = [
      "import api from './api'",
      "const base = '/api' + `/v${1}`",
      'let { a, b: [c, d = base] } = api, e',
      'export function list() { return api.get(base) }',
      "foo(); bar()",
      'export default class Store {}',
      '',
    ].join('\n');
    assert.deepEqual(chunksOf(code), [
      { text: "import api from './api'", declared: ['api'] },
      { text: "const base = '/api' + `/v${1}`", declared: ['base'] },
      { text: 'let { a, b: [c, d = base] } = api, e', declared: ['a', 'b', 'c', 'd', 'base', 'e'] },
      // A statement not starting with a declaration keyword joins the chunk before it.
      { text: 'export function list() { return api.get(base) }\nfoo();', declared: ['list'] },
      { text: 'bar()', declared: [] },
      { text: 'export default class Store {}', declared: ['Store'] },
    ]);
  });

  it('gives leading comments to the statement after them, and keeps the last chunk to the end of the text', () => {
    const code = "const a = 1; // trailing\n/** doc */\nexport const b = 2\n\n// end\n";
    const chunks = topLevelChunks(code, false)!;
    assert.deepEqual(
      chunks.map((c) => code.slice(c.start, c.end)),
      ['const a = 1;', ' // trailing\n/** doc */\nexport const b = 2\n\n// end\n'],
    );
  });

  it('keeps a statement whole where a lexer cannot tell it ended: operators, `export default` and decorators before a keyword', () => {
    const code = [
      'const f = a ||',
      'function g() {}',
      'export default',
      'function h() {}',
      '@Injectable()',
      '@Other',
      'export class Service {}',
      '',
    ].join('\n');
    assert.deepEqual(chunksOf(code, false), [
      { text: 'const f = a ||\nfunction g() {}', declared: ['f', 'g'] },
      { text: 'export default\nfunction h() {}', declared: ['h'] },
      { text: '@Injectable()\n@Other\nexport class Service {}', declared: ['Service'] },
    ]);
  });

  it('reads the names of declarations that join the chunk before them (a type ending a line); type aliases declare none', () => {
    const code = "declare function f(): Promise<void>\ndeclare function g(): void\ntype T = Map<string, number>\nconst enum E { A }\nimport type Settings from './settings'\n";
    const chunks = topLevelChunks(code, false)!;
    assert.deepEqual(disagreements(code, false, chunks), []);
    assert.deepEqual(chunks.flatMap((c) => c.declared).filter((n) => ['f', 'g', 'T', 'E', 'Settings'].includes(n)), ['f', 'g', 'E', 'Settings']);
  });

  it('tells regular expressions from division, and skips strings, templates and comments holding brackets', () => {
    const code = [
      'const r = /[/\'"{]/g, q = a / b / c',
      "const s = '}' + \"{\" + `${`${'{'}`}}` // }",
      '/* { */ export const t = x++ / 2',
      'if (r) /{/.test(s)',
      'export const u = 1',
      '',
    ].join('\n');
    const chunks = topLevelChunks(code, false);
    assert.ok(chunks);
    assert.deepEqual(disagreements(code, false, chunks), []);
    assert.deepEqual(
      chunks.map((c) => c.declared),
      [['r', 'q'], ['s'], ['t'], ['u']],
    );
  });

  it('reads JSX: text with quotes and braces-free punctuation, attributes, nested elements and expressions', () => {
    const code = [
      "import api from './api'",
      'export function Card({ id }) {',
      "  return <div className='a//b' data-x=\"{\" onClick={() => api.post(`/cards/${id}`)}>",
      "    Don't <b>panic</b> > 1 {/* } */} {id > 2 ? <i>it's</i> : <></>}",
      '  </div>',
      '}',
      'const el = <Api.Form value={1} />',
      '',
    ].join('\n');
    const chunks = topLevelChunks(code, true, ['Api']);
    assert.ok(chunks);
    assert.deepEqual(disagreements(code, true, chunks), []);
    assert.equal(chunks.length, 3);
    assert.ok(chunks[1].mentions.includes('api'));
    assert.ok(chunks[2].mentions.includes('Api'));
  });

  it('counts names in code as mentions, not names in strings or comments', () => {
    const code = "import api from './api'\nconst a = 'api' // api\nconst b = x.api\n";
    const chunks = topLevelChunks(code, false)!;
    assert.deepEqual(
      chunks.map((c) => c.mentions),
      [['api'], ['a'], ['b', 'api']],
    );
  });

  for (const [what, code, jsx] of [
    ['an unterminated string', "const a = 'x\nconst b = 1\n", false],
    ['an unterminated comment', 'const a = 1 /* x\n', false],
    ['an unterminated template', 'const a = `x${1}\n', false],
    ['a brace left open', 'function f() {\nconst b = 1\n', false],
    ['a closing bracket of the wrong kind', 'const a = (1]\n', false],
    ['an identifier written with an escape', 'const \\u0061 = 1\n', false],
    ['a TSX generic arrow function (not JSX)', 'const f = <T,>(x: T) => x\n', true],
  ] as const) {
    it(`gives up on ${what}`, () => {
      assert.equal(topLevelChunks(code, jsx), undefined);
    });
  }

  it('agrees with TypeScript on the statements of real code (semicolon-free CommonJS, compiled ES modules, type declarations)', function () {
    this.timeout(120000);
    const roots = ['undici/lib', '@typescript-eslint/typescript-estree/dist', 'yaml/dist', 'openapi3-ts/dist'].map((dir) => path.join(REPO, 'node_modules', dir));
    let files = 0;
    let gaveUp = 0;
    const problems: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(c|m)?(j|t)s$/.test(entry.name)) {
          const code = fs.readFileSync(file, 'utf8');
          const jsx = !/\.(c|m)?ts$/.test(entry.name);
          files++;
          const chunks = topLevelChunks(code, jsx);
          if (!chunks) gaveUp++;
          else for (const problem of disagreements(code, jsx, chunks)) problems.push(`${path.relative(REPO, file)}: ${problem}`);
        }
      }
    };
    for (const root of roots) walk(root);
    assert.ok(files > 300, `only ${files} files`);
    assert.deepEqual(problems.slice(0, 10), []);
    // Giving up is safe (the file is parsed whole) but should be rare.
    assert.ok(gaveUp <= files * 0.02, `gave up on ${gaveUp} of ${files} files`);
  });
});

describe('callSiteText: code that cannot matter blanked before the parse', () => {
  it('blanks left-out chunks to a `;` and spaces, line breaks kept, so every position is the file\u2019s own', () => {
    const code = "import api from './api';\r\nexport const total = (rows) => rows.length;\r\nexport const list = () => api.get('/items');\n";
    const cut = callSiteText(code, false);
    assert.ok(cut);
    assert.equal(cut.leftOut, 1);
    assert.equal(cut.code.length, code.length);
    // The left-out chunk starts after the `;` ending the line before: its line break, then a `;` and spaces.
    const left = 'export const total = (rows) => rows.length;';
    assert.equal(cut.code, code.replace(left, ';' + ' '.repeat(left.length - 1)));
  });

  it('leaves out interfaces and type aliases, even those a kept call\u2019s annotations name', () => {
    const code = "import axios from 'axios';\ninterface User { id: Id }\ntype Id = string;\nexport const getUser = (id: Id): Promise<User> => axios.get<User>(`/users/${id}`);\n";
    const cut = callSiteText(code, false);
    assert.ok(cut);
    assert.equal(cut.leftOut, 2);
    assert.ok(!cut.code.includes('interface') && !cut.code.includes('type Id'));
  });

  it('cuts the text off after the last chunk kept', () => {
    const code = "import api from './api';\nexport const list = () => api.get('/items');\nexport const total = (rows) => rows.length;\n// end\n";
    const cut = callSiteText(code, false);
    assert.deepEqual(cut, { code: "import api from './api';\nexport const list = () => api.get('/items');", leftOut: 1 });
  });

  it('leaves a file holding zenops-ignore as it is (its comments are read)', () => {
    assert.equal(callSiteText("import api from './api';\nconst x = 1;\n// zenops-ignore\napi.get('/a');\n", false), undefined);
  });

  it('a syntax error in code left out is not read: the file is checked; one in kept code is reported at its line', () => {
    const elsewhere = parseSource('/w/a.js', "import api from './api';\nexport const a = () => api.get('/a');\nexport function b() { return 1 + ; }\n", { callSitesOnly: true });
    assert.ok(elsewhere.ok, elsewhere.ok ? '' : elsewhere.reason);
    assert.equal(elsewhere.leftOut, 1);
    const kept = parseSource('/w/a.js', "import api from './api';\nexport const a = () => api.get('/a', );\nexport const c = () => api.get('/c' + );\n", { callSitesOnly: true });
    assert.equal(kept.ok, false);
    assert.match(kept.ok ? '' : kept.reason, /^syntax error \(line 3, /);
  });
});
