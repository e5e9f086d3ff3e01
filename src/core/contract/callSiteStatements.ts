// Picks the top-level statements of a module that can hold an HTTP call site or feed one, so that only
// those are converted to ESTree (typescript-estree's conversion is two thirds of a parse). Used for files
// nothing imports, whose module is read only for its own calls.
//
// Every client value the analysis can see starts at a known global (`fetch`, `axios`, `window`, …) or at an
// import, and reaches a call site only through module-level names (what a function, class or object literal
// does inside itself stays inside its statement). So a statement is kept when it mentions a module-level name
// or known global that a kept statement mentions; imports and re-exports are always kept. Mentions are read
// from the text (strings and comments count too), so the choice can only keep too much. Reassignments do not
// cross statements either: the analysis counts one only for the binding it assigns (moduleIndex.ts).
import * as ts from 'typescript';

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

  let longest = 0;
  for (const name of moduleNames) longest = Math.max(longest, name.length);
  const mentions = statements.map((statement) => namesIn(text, statement.pos, statement.end, moduleNames, longest));
  const kept = statements.map(alwaysKept);
  const live = new Set<string>(CLIENT_GLOBALS);
  kept.forEach((isKept, i) => {
    if (isKept) for (const name of mentions[i]) live.add(name);
  });
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < statements.length; i++) {
      if (kept[i] || !mentions[i].some((name) => live.has(name))) continue;
      kept[i] = true;
      changed = true;
      for (const name of mentions[i]) live.add(name);
    }
  }
  if (kept.every(Boolean)) return undefined;
  return statements.filter((_, i) => kept[i]);
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

/** Names a top-level statement declares at module level. */
function declaredNames(statement: ts.Statement, add: (name: string) => void): void {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, add);
  } else if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
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
