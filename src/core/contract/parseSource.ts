// Parses one frontend source file into an ESTree AST with typescript-estree.
// .vue/.svelte files keep only their <script> blocks, blanked in place so positions stay the real file's.
import { parse, TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import { callSiteStatements, callSiteText } from './callSiteStatements';

export type ParsedSource =
  | {
      ok: true;
      program: TSESTree.Program;
      comments: TSESTree.Comment[];
      code: string;
      /** Top-level statements left out of `program` (callSitesOnly). */
      leftOut: number;
    }
  | { ok: false; reason: string };

/** Options beyond the defaults (the bench's parse-only baseline goes through parseSource too). */
const PARSE_OPTIONS = { allowInvalidAST: true, suppressDeprecatedPropertyWarnings: true } as const;

const JSX_EXTENSIONS = new Set(['.js', '.jsx', '.tsx', '.mjs', '.cjs']);

function extensionOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? '' : file.slice(dot).toLowerCase();
}

/** Script blocks of a .vue/.svelte file, everything else replaced by spaces (newlines kept). */
export function extractScriptBlocks(text: string): { code: string; lang: string } {
  const out = new Array<string>(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    out[i] = ch === '\n' || ch === '\r' ? ch : ' ';
  }
  let lang = 'js';
  // Attribute values may hold `>` (Vue's `generic="T extends Record<string, unknown>"`): quoted values are skipped whole.
  const open = /<script\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  let match: RegExpExecArray | null;
  while ((match = open.exec(text))) {
    const attrs = match[1];
    const start = match.index + match[0].length;
    const end = text.indexOf('</script', start);
    const stop = end < 0 ? text.length : end;
    // A <script src="…"> block has no code of its own; JSON/templates are not scripts.
    const type = /\btype\s*=\s*["']([^"']+)["']/i.exec(attrs)?.[1];
    if (type && !/javascript|module|typescript/i.test(type)) {
      open.lastIndex = stop;
      continue;
    }
    const blockLang = /\blang\s*=\s*["']([^"']+)["']/i.exec(attrs)?.[1]?.toLowerCase();
    if (blockLang === 'ts' || blockLang === 'typescript') lang = lang === 'jsx' || lang === 'tsx' ? 'tsx' : 'ts';
    else if (blockLang === 'tsx') lang = 'tsx';
    else if (blockLang === 'jsx') lang = lang === 'ts' ? 'tsx' : 'jsx';
    for (let i = start; i < stop; i++) out[i] = text[i];
    open.lastIndex = stop;
  }
  return { code: out.join(''), lang };
}

export interface ParseOptions {
  /**
   * Convert only the top-level statements that can hold or feed an HTTP call (callSiteStatements.ts): for a
   * file read only for its own calls. Its module index then lacks the rest (exports included).
   */
  callSitesOnly?: boolean;
}

/**
 * TypeScript's parse of the whole text, made as typescript-estree makes it from a string (typescript-estree's
 * parse() takes a SourceFile as well, as its parseAndGenerateServices() declares, and converts its statements;
 * a syntax error anywhere still throws: it checks the SourceFile's parse diagnostics first). With
 * `callSitesOnly`, the statement list is cut down to what callSiteStatements() keeps.
 */
function sourceFileFor(code: string, jsx: boolean, callSitesOnly: boolean, comments: boolean): { source: ts.SourceFile; leftOut: number } {
  const fileName = jsx ? 'estree.tsx' : 'estree.ts';
  const scriptKind = jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const settings = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  if (!callSitesOnly) return { source: ts.createSourceFile(fileName, code, settings, true, scriptKind), leftOut: 0 };
  // Parent links are set below for the statements that are converted only (setting them everywhere is ~10% of the
  // parse), unless comments are collected: that walks every token of the file, and reads parents on the way.
  const source = ts.createSourceFile(fileName, code, settings, comments, scriptKind);
  const whole = source.statements;
  const kept = callSiteStatements(source) ?? [...whole];
  if (!comments) {
    for (const statement of kept) {
      (statement as { parent: ts.Node }).parent = source;
      setParents(statement);
    }
  }
  if (kept.length === whole.length) return { source, leftOut: 0 };
  // typescript-estree looks for some tokens (a type argument list's `>`) from the SourceFile down, through
  // TypeScript's getChildren(), which rescans the gaps between the listed statements and fails on the code of a
  // left-out one: the SourceFile's children are worked out from the whole list (and then kept by TypeScript).
  const ownGetChildren = source.getChildren;
  const shown = Object.assign(kept, { pos: whole.pos, end: whole.end, hasTrailingComma: false }) as unknown as ts.NodeArray<ts.Statement>;
  const mutable = source as { statements: ts.NodeArray<ts.Statement> };
  source.getChildren = function getChildren(this: ts.SourceFile, sourceFile?: ts.SourceFile): readonly ts.Node[] {
    mutable.statements = whole;
    try {
      return ownGetChildren.call(this, sourceFile);
    } finally {
      mutable.statements = shown;
    }
  };
  // Positions stay the file's own: the kept statements are the same nodes, only the list is shorter.
  mutable.statements = shown;
  return { source, leftOut: whole.length - kept.length };
}

function setParents(node: ts.Node): void {
  ts.forEachChild(node, (child) => {
    (child as { parent: ts.Node }).parent = node;
    setParents(child);
  });
}

/** Parses a file's text; never throws: a syntax error comes back as `{ ok: false, reason }`. */
export function parseSource(file: string, text: string, options: ParseOptions = {}): ParsedSource {
  const ext = extensionOf(file);
  let code = text;
  let jsx = JSX_EXTENSIONS.has(ext);
  if (ext === '.vue' || ext === '.svelte') {
    const blocks = extractScriptBlocks(text);
    code = blocks.code;
    jsx = blocks.lang === 'jsx' || blocks.lang === 'tsx';
  }
  try {
    // Comments only matter for `zenops-ignore`; collecting them costs a second pass over the text.
    const comment = code.includes('zenops-ignore');
    // JSDoc holds no calls: skipping its parse saves time on documented code. TypeScript's own syntax
    // errors still throw; the ESTree-only checks (allowInvalidAST) cost ~10% of the parse and guard no call.
    // loc and range stay on: typescript-estree computes both for every node anyway (off means an extra pass).
    const convert = (source: ts.SourceFile): TSESTree.Program => parse(source as unknown as string, { loc: true, range: true, comment, jsx, jsDocParsingMode: 'none', ...PARSE_OPTIONS });
    // The chunks that cannot matter blanked out before the parse (parsing is most of a scan). A syntax error
    // left in the blanked text is looked for in the whole text: that is the error to report, if any.
    const cut = options.callSitesOnly ? callSiteText(code, jsx) : undefined;
    if (cut) {
      try {
        const program = convert(sourceFileFor(cut.code, jsx, false, comment).source);
        return { ok: true, program, comments: program.comments ?? [], code, leftOut: cut.leftOut };
      } catch {
        // Parsed whole below.
      }
    }
    const { source, leftOut } = sourceFileFor(code, jsx, options.callSitesOnly ?? false, comment);
    const program = convert(source);
    return { ok: true, program, comments: program.comments ?? [], code, leftOut };
  } catch (error) {
    // TypeScript's parser and typescript-estree recurse once per level: ~1,000 levels exhaust the stack.
    if (error instanceof RangeError) return { ok: false, reason: `too deeply nested to parse (${error.message})` };
    const e = error as { message?: string; lineNumber?: number; column?: number };
    // typescript-estree's column is 0-based; every other position ZenOps prints is 1-based.
    const where = typeof e.lineNumber === 'number' ? ` (line ${e.lineNumber}, column ${(e.column ?? 0) + 1})` : '';
    return { ok: false, reason: `syntax error${where}: ${e.message ?? String(error)}` };
  }
}

const GENERATED_HEADER = /@generated|auto-?generated|generated by|this file (is|was) generated|do not (edit|modify)/i;

/** True when the file's leading comments say a tool generated it (openapi-generator, orval, …). */
export function isGeneratedSource(text: string): boolean {
  let i = 0;
  const header: string[] = [];
  while (i < text.length && header.join('').length < 4000) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      header.push(text.slice(i, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      header.push(text.slice(i, end < 0 ? text.length : end + 2));
      i = end < 0 ? text.length : end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      header.push(text.slice(i, end < 0 ? text.length : end + 3));
      i = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('#!', i) || text.startsWith("'use strict'", i) || text.startsWith('"use strict"', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else {
      break;
    }
  }
  return GENERATED_HEADER.test(header.join('\n'));
}
