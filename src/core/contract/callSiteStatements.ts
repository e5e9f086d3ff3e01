// Picks the top-level statements of a module that can hold an HTTP call site or feed one, so that only those
// are parsed and converted to ESTree. Used for files nothing imports, whose module is read only for its own calls.
// callSiteText() chooses on the text, before any parse, among the chunks a lexer finds (topLevelChunks.ts), and
// blanks the rest; callSiteStatements() chooses among a parsed file's statements, for the files the lexer
// gives up on or that hold `zenops-ignore` comments (TypeScript parses those whole, only the kept statements are
// converted).
//
// Every client value the analysis can see starts at a known global (`fetch`, `axios`, `window`, …) or at an
// import, and reaches a call site only through module-level names (what a function, class or object literal
// does inside itself stays inside its statement). So a statement is kept when it mentions a module-level name
// or known global that a kept statement mentions; imports and re-exports are always kept. Mentions are read
// from the text (for statements, strings and comments count too), so the choice can only keep too much.
// Reassignments do not cross statements either: the analysis counts one only for the binding it assigns
// (moduleIndex.ts).
import * as ts from 'typescript';
import { isLineBreak, topLevelChunks } from './topLevelChunks';

/** Global names the analysis treats as clients, or as holders of them (`window.fetch`, `require('axios')`). */
const CLIENT_GLOBALS = ['fetch', 'axios', '$fetch', 'useFetch', 'useLazyFetch', 'Request', 'require', 'import', 'window', 'globalThis', 'self', 'module', 'exports'];

/** ASCII characters that may be part of an identifier (letters, digits, `_`, `$`). */
const ASCII_NAME_PART = Array.from({ length: 128 }, (_, code) => /[\w$]/.test(String.fromCharCode(code)));

/**
 * The statements of `source` to convert, in order; undefined when all of them are kept (or the choice cannot
 * be made safely: an identifier may be written with `\u` escapes, which a text search would not see).
 */
export function callSiteStatements(source: ts.SourceFile): ts.Statement[] | undefined {
  const text = source.text;
  const statements = source.statements;
  if (statements.length < 2 || text.includes('\\u')) return undefined;
  // Names the analysis binds at module level (exactly what moduleIndex hoists to the Program scope).
  const moduleNames = new Set<string>(CLIENT_GLOBALS);
  for (const statement of statements) declaredNames(statement, (name) => moduleNames.add(name));

  const mentions = mentionsOf(text, statements, moduleNames);
  const kept = keptUnits(mentions, statements.map(alwaysKept));
  if (kept.every(Boolean)) return undefined;
  return statements.filter((_, i) => kept[i]);
}

/**
 * The same choice made on the text alone, before any parse: the text with the top-level chunks (topLevelChunks.ts)
 * that cannot matter blanked out (a `;` and spaces, newlines kept, so every position is the file's own; those
 * after the last chunk kept are cut off), and how many chunks were left out; undefined when every chunk is kept or
 * the lexer is unsure of the chunks. A file holding `zenops-ignore` keeps its text (a comment blanked with a
 * left-out chunk could be the one on a kept call's line).
 */
export function callSiteText(text: string, jsx: boolean): { code: string; leftOut: number } | undefined {
  if (text.includes('\\u') || text.includes('zenops-ignore')) return undefined;
  const chunks = topLevelChunks(text, jsx, CLIENT_GLOBALS);
  if (!chunks || chunks.length < 2) return undefined;
  const kept = keptUnits(
    chunks.map((chunk) => chunk.mentions),
    chunks.map((chunk) => chunk.alwaysKept),
  );
  let leftOut = 0;
  const parts: string[] = [];
  const onlyLf = !OTHER_LINE_BREAKS.test(text);
  let from = 0;
  // The text ends with the last kept chunk: what follows it is left out without blanks (no position moves).
  const last = kept.lastIndexOf(true);
  chunks.forEach((chunk, i) => {
    if (kept[i]) return;
    leftOut++;
    if (i > last) return;
    parts.push(text.slice(from, chunk.start));
    // A `;` stands in for the chunk: the statements before and after it stay apart, as they were (without it,
    // `const api = x` and a kept `;(async () => …)()` after a left-out chunk would read as one call).
    let at = chunk.start;
    while (at < chunk.end && isLineBreak(text.charCodeAt(at))) parts.push(text[at++]);
    if (at < chunk.end) {
      parts.push(';');
      blank(text, at + 1, chunk.end, parts, onlyLf);
    }
    from = chunk.end;
  });
  if (leftOut === 0) return undefined;
  parts.push(text.slice(from, last < 0 ? from : chunks[last].end));
  return { code: parts.join(''), leftOut };
}

/** Spaces for the text between `start` and `end`, its line breaks kept (pushed to `out`). */
function blank(text: string, start: number, end: number, out: string[], onlyLf: boolean): void {
  let from = start;
  if (onlyLf) {
    for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
      out.push(spaces(i - from), '\n');
      from = i + 1;
    }
  } else {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (isLineBreak(c)) {
        out.push(spaces(i - from), text[i]);
        from = i + 1;
      }
    }
  }
  out.push(spaces(end - from));
}

const OTHER_LINE_BREAKS = /[\r\u2028\u2029]/;

let SPACES = ' '.repeat(4096);

function spaces(n: number): string {
  while (SPACES.length < n) SPACES += SPACES;
  return SPACES.slice(0, n);
}

/** Each statement's mentions of module-level names. */
function mentionsOf(text: string, statements: readonly ts.Statement[], moduleNames: Set<string>): string[][] {
  let longest = 0;
  for (const name of moduleNames) longest = Math.max(longest, name.length);
  return statements.map((statement) => namesIn(text, statement.pos, statement.end, moduleNames, longest));
}

/** Which units to keep: the always-kept ones, and every unit mentioning a name a kept unit mentions, to a fixed point. */
function keptUnits(mentions: string[][], alwaysKept: boolean[]): boolean[] {
  const kept = [...alwaysKept];
  const live = new Set<string>(CLIENT_GLOBALS);
  kept.forEach((isKept, i) => {
    if (isKept) for (const name of mentions[i]) live.add(name);
  });
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < mentions.length; i++) {
      if (kept[i] || !mentions[i].some((name) => live.has(name))) continue;
      kept[i] = true;
      changed = true;
      for (const name of mentions[i]) live.add(name);
    }
  }
  return kept;
}

/** Imports, re-exports and directives: cheap, and what every other statement's names resolve through. */
function alwaysKept(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) return true;
  if (ts.isExportDeclaration(statement)) return true;
  return ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression);
}

/**
 * The names of `names` that the text between `start` and `end` mentions (each once or more). A word is a run of
 * the characters TypeScript lets an identifier continue with, so every identifier written without escapes is a
 * whole word (one in a string or a comment may be found too, which only keeps more).
 */
function namesIn(text: string, start: number, end: number, names: Set<string>, longest: number): string[] {
  const found: string[] = [];
  let wordStart = -1;
  for (let i = start; i <= end; ) {
    const code = i < end ? text.codePointAt(i)! : 32;
    const inWord = code < 128 ? ASCII_NAME_PART[code] : ts.isIdentifierPart(code, ts.ScriptTarget.Latest);
    if (inWord) {
      if (wordStart < 0) wordStart = i;
    } else if (wordStart >= 0) {
      if (i - wordStart <= longest) {
        const word = text.slice(wordStart, i);
        if (names.has(word)) found.push(word);
      }
      wordStart = -1;
    }
    i += code > 0xffff ? 2 : 1;
  }
  return found;
}

/**
 * Names a top-level statement declares at module level (what the chunks' `declared` must hold). Interfaces and type
 * aliases declare none: they hold no value a call could use, and a kept call's type annotations naming them must
 * not keep them.
 */
export function declaredNames(statement: ts.Statement, add: (name: string) => void): void {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, add);
  } else if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement)
  ) {
    if (statement.name && ts.isIdentifier(statement.name)) add(statement.name.text);
  } else if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause?.name) add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text);
    else if (bindings) for (const element of bindings.elements) add(element.name.text);
  }
}

function bindingNames(name: ts.BindingName, add: (name: string) => void): void {
  if (ts.isIdentifier(name)) {
    add(name.text);
    return;
  }
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, add);
}
