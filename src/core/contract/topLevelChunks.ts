// Splits a module's text into top-level chunks (runs of whole top-level statements) with a lexer alone, so that a
// file read only for its own calls can have the code that cannot matter to them blanked out before TypeScript
// parses it (parsing is most of a first scan; most of a typical file is code no call depends on).
//
// The lexer knows JavaScript's and TypeScript's tokens well enough to keep its place: comments, strings, template
// literals with their substitutions, regular expressions (told from division by the token before), brackets, and
// JSX elements (in JSX files). A chunk ends after a `;` at the top level (not one followed by `else`, nor one
// inside `do … while`), or before a declaration keyword (`import`, `export`, `const`, `function`, `class`, a
// decorator, …) where automatic semicolon insertion ends the statement before it. Doubts about tokens give up:
// unbalanced brackets, unterminated strings, comments, templates or JSX, a `\` escape in a name, a TSX generic
// arrow function: the caller then parses everything. A chunk may hold more than one statement (statements without
// semicolons that do not start with a declaration keyword, and declarations where a lexer cannot tell the
// statement before ended, join the chunk before them; their names are read too): that only keeps more code.
//
// Leading trivia (comments, blank lines) belong to the chunk after them, as TypeScript gives a statement's
// leading trivia to the statement.
import * as ts from 'typescript';

export interface TopLevelChunk {
  /** Offset of the chunk's first character (its leading trivia included). */
  start: number;
  /** Offset just past its last token. */
  end: number;
  /** Names the chunk may declare at module level: every name a top-level declaration in it binds, and maybe more. */
  declared: string[];
  /** Imports, re-exports and directives: what every other statement's names resolve through. */
  alwaysKept: boolean;
  /**
   * The names of `names` (topLevelChunks' argument) and of every chunk's `declared` that the chunk's code mentions
   * (as identifiers, member names or JSX tag names; strings and comments do not count), with repeats.
   */
  mentions: string[];
}

/** Where the words of the text being lexed start and end (shared: one text is lexed at a time, synchronously). */
let wordStarts = new Int32Array(8192);
let wordEnds = new Int32Array(8192);

/** What the token before the current one was: decides regex-or-division, JSX-or-less-than, and chunk ends. */
const enum Prev {
  /** Start of the text or of a bracketed/substituted expression: an expression may begin. */
  Start,
  /** A `;` (a statement ended). */
  Semi,
  /** A punctuator after which an expression begins (`=`, `(`, `,`, `=>`, `+`, …). */
  Op,
  /** A name (identifier or keyword; whether it can end an expression is NON_ENDING_WORDS' to say). */
  Name,
  /** A keyword after which an expression begins (`return`, `typeof`, …): a `/` there starts a regular expression. */
  Keyword,
  /** A number, string, template, regular expression or JSX element. */
  Literal,
  /** A `)` closing a call or group. */
  CloseParen,
  /** A `)` closing the head of `if`/`for`/`while`/`with`: a statement follows. */
  CloseControl,
  /** A `]`. */
  CloseBracket,
  /** A `}` closing an object literal (or a brace the lexer takes for one): a `/` after it divides. */
  CloseBrace,
  /** A `}` closing a block (a body, a block statement): a `/` after it starts a regular expression. */
  CloseBlock,
}

/** Keywords that cannot end an expression: what follows them belongs to the same statement. */
const NON_ENDING_WORDS = new Set([
  'abstract', 'as', 'async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'declare',
  'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'finally', 'for', 'from', 'function', 'get', 'if',
  'implements', 'import', 'in', 'infer', 'instanceof', 'interface', 'is', 'keyof', 'let', 'module', 'namespace', 'new',
  'of', 'package', 'private', 'protected', 'public', 'readonly', 'return', 'satisfies', 'set', 'static', 'switch',
  'throw', 'try', 'type', 'typeof', 'unique', 'using', 'var', 'while', 'with', 'yield', 'accessor', 'override',
  'out', 'asserts',
]);

/** Keywords an expression follows (where `/` starts a regular expression and `<` a JSX element). */
const EXPRESSION_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'extends']);

/** Heads of control statements whose parenthesised part a statement follows. */
const CONTROL_WORDS = new Set(['if', 'for', 'while', 'with']);

/** Modifiers a top-level declaration may start with. */
const MODIFIERS = new Set(['export', 'default', 'declare', 'async', 'abstract', 'await']);

/** Keywords whose next name is the one name they declare. */
const NAMED_DECLARATIONS = new Set(['function', 'class', 'enum', 'interface', 'type', 'namespace', 'module']);

const CH_TAB = 9;
const CH_LF = 10;
const CH_VT = 11;
const CH_FF = 12;
const CH_CR = 13;
const CH_SPACE = 32;

/** ASCII characters that may start / continue a name. */
const ASCII_START = Uint8Array.from({ length: 128 }, (_, c) => (/[A-Za-z_$]/.test(String.fromCharCode(c)) ? 1 : 0));
const ASCII_PART = Uint8Array.from({ length: 128 }, (_, c) => (/[\w$]/.test(String.fromCharCode(c)) ? 1 : 0));

export function isLineBreak(c: number): boolean {
  return c === CH_LF || c === CH_CR || c === 0x2028 || c === 0x2029;
}

function isNameStart(c: number): boolean {
  return c < 128 ? ASCII_START[c] === 1 : ts.isIdentifierStart(c, ts.ScriptTarget.Latest);
}

function isNamePart(c: number): boolean {
  return c < 128 ? ASCII_PART[c] === 1 : ts.isIdentifierPart(c, ts.ScriptTarget.Latest);
}

/** Where the declaration-name reader is within the chunk's first statement. */
const enum Head {
  /** Before the first keyword: modifiers and decorators may come. */
  Start,
  /** After `@`: the decorator's name and member accesses, then maybe its arguments. */
  Decorator,
  /** After the decorator's name: `.`, `(` or the next modifier/keyword. */
  DecoratorName,
  /** After `function`, `class`, …: the next name is declared (`*` of a generator may come first). */
  WantName,
  /** In the binding part of a `const`/`let`/`var` declarator: every name is (or may be) declared. */
  Binding,
  /** In a declarator's type annotation. */
  BindingType,
  /** In a declarator's initializer: a `,` at the top starts the next declarator. */
  Initializer,
  /** In an import clause: every name until `from` (or `=`) is declared. */
  Import,
  /** Nothing more is declared by this chunk. */
  Done,
}

class GiveUp extends Error {}

class Lexer {
  private i = 0;
  private readonly n: number;
  readonly chunks: TopLevelChunk[] = [];
  // The chunk being read (top level only).
  private chunkStart = 0;
  private chunkTokens = 0;
  private declared: string[] = [];
  private wordCount = 0;
  private chunkWords = 0;
  /** For each chunk, the index of its first word and one past its last. */
  private readonly chunkWordRanges: number[] = [];
  private alwaysKept = false;
  private head = Head.Start;
  /** End of the last top-level token, and whether a line break came after it. */
  private lastEnd = 0;
  private newline = false;
  private nesting = 0;
  /** Decorators opened the chunk: the declaration they decorate belongs to it. */
  private decorating = false;
  /** The next name at the top level is declared (a `function`/`class` met among declarators). */
  private extraName = false;
  /** Top-level `do` statements whose `while` is still to come. */
  private doing = 0;

  constructor(
    private readonly text: string,
    private readonly jsx: boolean,
  ) {
    this.n = text.length;
  }

  run(): TopLevelChunk[] {
    if (this.text.startsWith('#!')) this.skipLine();
    this.code(true);
    this.closeChunk(this.lastEnd);
    // Trailing trivia joins the last chunk (or is the only one).
    if (this.chunks.length > 0) this.chunks[this.chunks.length - 1].end = this.n;
    return this.chunks;
  }

  private addWord(start: number, end: number): void {
    if (this.wordCount === wordStarts.length) {
      const starts = new Int32Array(wordStarts.length * 2);
      const ends = new Int32Array(wordStarts.length * 2);
      starts.set(wordStarts);
      ends.set(wordEnds);
      wordStarts = starts;
      wordEnds = ends;
    }
    wordStarts[this.wordCount] = start;
    wordEnds[this.wordCount++] = end;
  }

  /** Fills each chunk's `mentions`: the words that are `names` or names some chunk declares. */
  fillMentions(names: readonly string[]): void {
    const known = new Set(names);
    for (const chunk of this.chunks) for (const name of chunk.declared) known.add(name);
    this.chunks.forEach((chunk, c) => {
      for (let w = this.chunkWordRanges[2 * c]; w < this.chunkWordRanges[2 * c + 1]; w++) {
        const word = this.text.slice(wordStarts[w], wordEnds[w]);
        if (known.has(word)) chunk.mentions.push(word);
      }
    });
  }

  private fail(): never {
    throw new GiveUp();
  }

  private code(top: boolean): void {
    // Brackets opened in this stretch of code; for `(`, whether it holds a control statement's head.
    const brackets: number[] = [];
    /** For each open bracket: a `(` holding a control statement's head, or a `{` opening a block. */
    const controls: boolean[] = [];
    let prev = Prev.Start;
    let prevWord = '';
    let afterDot = false;
    let afterArrow = false;
    /** `if`/`for`/`while`/`with` (and `for await`) was read: the next `(` holds a control statement's head. */
    let controlNext = false;
    const text = this.text;
    if (++this.nesting > 400) this.fail();
    for (;;) {
      const newline = this.trivia();
      if (top && brackets.length === 0) this.newline ||= newline;
      if (this.i >= this.n) {
        if (!top || brackets.length > 0) this.fail();
        this.nesting--;
        return;
      }
      const start = this.i;
      const c = text.charCodeAt(start);
      const atTop = top && brackets.length === 0;
      const dotted = afterDot;
      afterDot = false;
      const arrowed = afterArrow;
      afterArrow = false;
      const control: boolean = controlNext;
      controlNext = false;
      if (isNameStart(c) || c === 0x5c /* \ */ || c === 0x23 /* # */) {
        if (c === 0x5c) this.fail();
        if (c === 0x23) this.i++;
        const word = this.readName();
        if (dotted || c === 0x23) {
          // A member name (`a.default`, `this.#x`) is no keyword.
          if (atTop) this.topToken();
          if (top && this.head === Head.Decorator) this.head = Head.DecoratorName;
          prevWord = '';
          prev = Prev.Name;
        } else {
          controlNext = CONTROL_WORDS.has(word) || (control && word === 'await');
          if (atTop) this.topWord(word, prev, prevWord);
          else if (top && this.head !== Head.Done && this.head !== Head.Initializer) this.headWord(word, brackets.length);
          prevWord = word;
          prev = EXPRESSION_KEYWORDS.has(word) ? Prev.Keyword : Prev.Name;
        }
        // After topWord: a chunk it closes ends before this word.
        this.addWord(start + (c === 0x23 ? 1 : 0), this.i);
      } else if (c >= 0x30 && c <= 0x39) {
        this.readNumber();
        if (atTop) this.topToken();
        prev = Prev.Literal;
      } else {
        this.i++;
        switch (c) {
          case 0x22 /* " */:
          case 0x27 /* ' */:
            this.readString(c);
            if (atTop) this.topToken();
            if (atTop && this.chunkTokens === 1) this.alwaysKept = true;
            prev = Prev.Literal;
            break;
          case 0x60 /* ` */:
            this.readTemplate();
            if (atTop) this.topToken();
            prev = Prev.Literal;
            break;
          case 0x28 /* ( */:
          case 0x5b /* [ */:
          case 0x7b /* { */:
            if (atTop) this.topToken();
            if (top) this.headPunct(c, brackets.length);
            brackets.push(c);
            // A `{` where an expression cannot start (after `)`, a name like `else`, `=>`, a block) opens a block.
            controls.push(c === 0x28 ? control : c === 0x7b && (arrowed || !(prev === Prev.Op || (prev === Prev.Keyword && prevWord !== 'do' && prevWord !== 'else') || (prev === Prev.Start && !atTop))));
            prev = Prev.Start;
            break;
          case 0x29 /* ) */:
          case 0x5d /* ] */:
          case 0x7d /* } */: {
            const open = brackets.pop();
            if (open === undefined) {
              // The `}` ending a template substitution or a JSX expression container.
              if (c === 0x7d && !top) {
                this.nesting--;
                return;
              }
              this.fail();
            }
            const opened = controls.pop();
            if ((open === 0x28 && c !== 0x29) || (open === 0x5b && c !== 0x5d) || (open === 0x7b && c !== 0x7d)) this.fail();
            if (top && brackets.length === 0) this.topToken();
            if (top) this.headPunct(c, brackets.length);
            prev = c === 0x29 ? (opened ? Prev.CloseControl : Prev.CloseParen) : c === 0x5d ? Prev.CloseBracket : opened ? Prev.CloseBlock : Prev.CloseBrace;
            break;
          }
          case 0x3b /* ; */:
            if (atTop) {
              this.topToken();
              // `if (x) a(); else b()` and `do a(); while (x)` are one statement.
              if (this.doing === 0 && this.wordAt(this.nextTokenAt(this.i)) !== 'else') this.closeChunk(this.i);
            } else if (top) this.headPunct(c, brackets.length);
            prev = Prev.Semi;
            break;
          case 0x2f /* / */:
            if (regexMayStart(prev)) {
              this.readRegex();
              prev = Prev.Literal;
            } else {
              if (text.charCodeAt(this.i) === 0x3d) this.i++;
              prev = Prev.Op;
            }
            if (atTop) this.topToken();
            break;
          case 0x3c /* < */:
            if (this.jsx && regexMayStart(prev) && this.jsxMayStart()) {
              this.i = start;
              this.readJsxElement();
              prev = Prev.Literal;
            } else {
              prev = Prev.Op;
            }
            if (atTop) this.topToken();
            break;
          case 0x2e /* . */: {
            const next = text.charCodeAt(this.i);
            if (next >= 0x30 && next <= 0x39) {
              this.readNumber();
              prev = Prev.Literal;
            } else if (next === 0x2e && text.charCodeAt(this.i + 1) === 0x2e) {
              // A spread or rest: the name after it is a name, not a member.
              this.i += 2;
              prev = Prev.Op;
            } else {
              prev = Prev.Op;
              afterDot = true;
            }
            if (atTop) this.topToken();
            if (top) this.headPunct(c, brackets.length);
            break;
          }
          case 0x3d /* = */: {
            const next = text.charCodeAt(this.i);
            const plain = next !== 0x3d && next !== 0x3e;
            afterArrow = next === 0x3e;
            while (this.i < this.n && (text.charCodeAt(this.i) === 0x3d || text.charCodeAt(this.i) === 0x3e)) this.i++;
            if (atTop) this.topToken();
            if (top && plain) this.headPunct(c, brackets.length);
            prev = Prev.Op;
            break;
          }
          case 0x2b /* + */:
          case 0x2d /* - */: {
            // `a++` and `a--` end an expression: a `/` after them divides.
            if (text.charCodeAt(this.i) === c && (prev === Prev.Name || prev === Prev.Literal || prev === Prev.CloseParen || prev === Prev.CloseBracket)) {
              this.i++;
              if (atTop) this.topToken();
              break;
            }
            if (atTop) this.topToken();
            prev = Prev.Op;
            break;
          }
          case 0x40 /* @ */:
            if (atTop) this.topDecorator(prev, prevWord);
            prev = Prev.Op;
            break;
          case 0x21 /* ! */:
            // A non-null assertion (`x!`) ends an expression as its operand did.
            if (!(prev === Prev.Name || prev === Prev.CloseParen || prev === Prev.CloseBracket || prev === Prev.Literal)) prev = Prev.Op;
            if (atTop) this.topToken();
            break;
          default:
            if (c === 0x2c /* , */ || c === 0x3a /* : */ || c === 0x2a /* * */) {
              if (top) this.headPunct(c, brackets.length);
            } else if (c > 127 || c < 33) {
              this.fail();
            }
            if (atTop) this.topToken();
            prev = Prev.Op;
        }
      }
      if (top && brackets.length === 0) this.lastEnd = this.i;
    }
  }

  /** Skips whitespace and comments; true when a line break was among them. */
  private trivia(): boolean {
    const text = this.text;
    let newline = false;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c === CH_SPACE || c === CH_TAB || c === CH_VT || c === CH_FF || c === 0xa0 || c === 0xfeff) {
        this.i++;
      } else if (isLineBreak(c)) {
        newline = true;
        this.i++;
      } else if (c === 0x2f && text.charCodeAt(this.i + 1) === 0x2f) {
        this.skipLine();
      } else if (c === 0x2f && text.charCodeAt(this.i + 1) === 0x2a) {
        const end = text.indexOf('*/', this.i + 2);
        if (end < 0) this.fail();
        for (let k = this.i + 2; k < end && !newline; k++) newline = isLineBreak(text.charCodeAt(k));
        this.i = end + 2;
      } else if (c > 127 && ts.isWhiteSpaceSingleLine(c)) {
        this.i++;
      } else {
        break;
      }
    }
    return newline;
  }

  private skipLine(): void {
    const text = this.text;
    while (this.i < this.n && !isLineBreak(text.charCodeAt(this.i))) this.i++;
  }

  private readName(): string {
    const text = this.text;
    const start = this.i;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c < 128) {
        if (ASCII_PART[c] === 0) {
          if (c === 0x5c) this.fail();
          break;
        }
        this.i++;
        continue;
      }
      const code = text.codePointAt(this.i)!;
      if (!isNamePart(code)) break;
      this.i += code > 0xffff ? 2 : 1;
    }
    if (this.i === start) this.fail();
    return text.slice(start, this.i);
  }

  private readNumber(): void {
    const text = this.text;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c < 128 && (ASCII_PART[c] === 1 || c === 0x2e)) {
        // An exponent's sign: `1e-7`.
        if ((c === 0x65 || c === 0x45) && (text.charCodeAt(this.i + 1) === 0x2b || text.charCodeAt(this.i + 1) === 0x2d)) this.i++;
        this.i++;
      } else {
        break;
      }
    }
  }

  private readString(quote: number): void {
    const text = this.text;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i++);
      if (c === quote) return;
      if (c === 0x5c) {
        // An escaped line break continues the string (`\` CR LF included).
        if (text.charCodeAt(this.i) === CH_CR && text.charCodeAt(this.i + 1) === CH_LF) this.i++;
        this.i++;
      } else if (c === CH_LF || c === CH_CR) {
        this.fail();
      }
    }
    this.fail();
  }

  private readTemplate(): void {
    const text = this.text;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i++);
      if (c === 0x60) return;
      if (c === 0x5c) this.i++;
      else if (c === 0x24 /* $ */ && text.charCodeAt(this.i) === 0x7b) {
        this.i++;
        this.code(false);
      }
    }
    this.fail();
  }

  private readRegex(): void {
    const text = this.text;
    let inClass = false;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i++);
      if (isLineBreak(c)) this.fail();
      if (c === 0x5c) this.i++;
      else if (c === 0x5b) inClass = true;
      else if (c === 0x5d) inClass = false;
      else if (c === 0x2f && !inClass) {
        while (this.i < this.n && isNamePart(text.charCodeAt(this.i))) this.i++;
        return;
      }
    }
    this.fail();
  }

  /** After `<`: a JSX element follows (a tag name or a fragment's `>`). */
  private jsxMayStart(): boolean {
    const c = this.text.charCodeAt(this.i);
    return c === 0x3e || isNameStart(c);
  }

  /** A JSX element from its `<` through its closing tag. */
  private readJsxElement(): void {
    const text = this.text;
    this.i++;
    if (++this.nesting > 400) this.fail();
    this.jsxTrivia();
    if (text.charCodeAt(this.i) === 0x3e) {
      this.i++;
      this.readJsxChildren();
      this.nesting--;
      return;
    }
    this.readJsxName();
    // `<T extends U>(x: T) => …` in a .tsx file is a generic arrow function, not an element.
    this.jsxTrivia();
    if (this.text.startsWith('extends', this.i)) this.fail();
    for (;;) {
      this.jsxTrivia();
      const c = text.charCodeAt(this.i);
      if (c === 0x2f && text.charCodeAt(this.i + 1) === 0x3e) {
        this.i += 2;
        this.nesting--;
        return;
      }
      if (c === 0x3e) {
        this.i++;
        this.readJsxChildren();
        this.nesting--;
        return;
      }
      if (c === 0x7b) {
        this.i++;
        this.code(false);
      } else if (c === 0x3c) {
        // Type arguments of a component: `<Select<Option> …>`.
        this.fail();
      } else if (isNameStart(c)) {
        this.readJsxName();
        this.jsxTrivia();
        if (text.charCodeAt(this.i) === 0x3d) {
          this.i++;
          this.jsxTrivia();
          const v = text.charCodeAt(this.i);
          if (v === 0x22 || v === 0x27) {
            const end = text.indexOf(String.fromCharCode(v), this.i + 1);
            if (end < 0) this.fail();
            this.i = end + 1;
          } else if (v === 0x7b) {
            this.i++;
            this.code(false);
          } else if (v === 0x3c) {
            this.readJsxElement();
          } else {
            this.fail();
          }
        }
      } else {
        this.fail();
      }
    }
  }

  /** Text, expression containers and child elements, through the closing tag. */
  private readJsxChildren(): void {
    const text = this.text;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c === 0x7b) {
        this.i++;
        this.code(false);
      } else if (c === 0x3c) {
        if (text.charCodeAt(this.i + 1) === 0x2f) {
          const end = text.indexOf('>', this.i + 2);
          if (end < 0) this.fail();
          this.i = end + 1;
          return;
        }
        this.readJsxElement();
      } else {
        this.i++;
      }
    }
    this.fail();
  }

  private readJsxName(): void {
    const text = this.text;
    const start = this.i;
    let first = -1;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (isNamePart(c)) this.i++;
      else if (c === 0x2d /* - */ || c === 0x2e /* . */ || c === 0x3a /* : */) {
        if (first < 0) first = this.i;
        this.i++;
      } else break;
    }
    if (this.i === start) this.fail();
    // `<Api.Form>` mentions `Api`.
    this.addWord(start, first < 0 ? this.i : first);
  }

  private jsxTrivia(): void {
    const text = this.text;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c === CH_SPACE || c === CH_TAB || isLineBreak(c) || c === CH_VT || c === CH_FF || c === 0xa0) this.i++;
      else if (c === 0x2f && text.charCodeAt(this.i + 1) === 0x2a) {
        const end = text.indexOf('*/', this.i + 2);
        if (end < 0) this.fail();
        this.i = end + 2;
      } else if (c === 0x2f && text.charCodeAt(this.i + 1) === 0x2f) this.skipLine();
      else break;
    }
  }

  // ---- chunks (top level) ----

  /** A token other than a name at the top level: it joins the current chunk. */
  private topToken(): void {
    if (this.chunkTokens === 0) this.head = Head.Done;
    this.chunkTokens++;
    this.newline = false;
  }

  /** A `@` at the top level: decorators start a chunk as the declaration they decorate would. */
  private topDecorator(prev: Prev, prevWord: string): void {
    if (!this.decorating && this.chunkTokens > 0 && this.statementMayEnd(prev, prevWord)) this.closeChunk(this.lastEnd);
    // A decorator only ever starts a declaration (the statement before it has ended, chunk or not).
    this.head = Head.Decorator;
    this.decorating = true;
    this.chunkTokens++;
    this.newline = false;
  }

  /** Whether a statement may end before a token that follows `prev` (a `;` inserted at a line break, or none needed). */
  private statementMayEnd(prev: Prev, prevWord: string): boolean {
    if (prev === Prev.Start || prev === Prev.Semi || prev === Prev.CloseBrace || prev === Prev.CloseBlock) return true;
    if (!this.newline) return false;
    // `void` ends a type (`function f(): void` then a line break).
    return prev === Prev.Literal || prev === Prev.CloseParen || prev === Prev.CloseBracket || ((prev === Prev.Name || prev === Prev.Keyword) && !NON_ENDING_WORDS.has(prevWord));
  }

  /** A name at the top level: it may start a new chunk, and may be declared. */
  private topWord(word: string, prev: Prev, prevWord: string): void {
    let declaration = false;
    if (this.startsDeclaration(word)) {
      declaration = true;
      if (this.chunkTokens > 0 && !this.decorating && this.statementMayEnd(prev, prevWord)) this.closeChunk(this.lastEnd);
    }
    if (word === 'do') this.doing++;
    else if (word === 'while' && this.doing > 0) this.doing--;
    const first = this.chunkTokens === 0;
    this.chunkTokens++;
    this.newline = false;
    if (first) this.head = Head.Start;
    const decorated = this.decorating;
    if (word === 'class') this.decorating = false;
    // Modifiers read so far (head Start) or decorators lead to this keyword: it continues their declaration.
    // In an import clause, `type` is part of the clause (`import type X from`).
    if (declaration && !first && this.head !== Head.Start && this.head !== Head.Import && !decorated && this.head !== Head.Decorator && this.head !== Head.DecoratorName) {
      // A declaration that joins the chunk before it (no line break or `;` ended that one where a lexer can
      // tell): its names are read as well. Names only ever add to what is kept. In a variable declaration, a
      // `function` or `class` may be an expression, and more declarators may follow: its name is read besides.
      const inDeclarators = this.head === Head.Binding || this.head === Head.BindingType || this.head === Head.Initializer;
      if (inDeclarators && (word === 'function' || word === 'class' || word === 'async')) this.extraName = true;
      else this.head = Head.Start;
    }
    if (declaration && this.head === Head.Start) {
      if (word === 'import') this.alwaysKept = true;
      if (word === 'export') {
        const at = this.nextTokenAt(this.i);
        const next = this.text.charCodeAt(at);
        // `export {…}`, `export * from`, `export type {…}`.
        if (next === 0x7b || next === 0x2a || (this.wordAt(at) === 'type' && this.text.charCodeAt(this.nextTokenAt(at + 4)) === 0x7b)) this.alwaysKept = true;
      }
    }
    this.headWord(word, 0);
  }

  /** Whether `word` at `start` begins a declaration (or import/export) rather than being a name in an expression. */
  private startsDeclaration(word: string): boolean {
    switch (word) {
      case 'export':
      case 'const':
      case 'var':
      case 'function':
      case 'class':
      case 'enum':
      case 'interface':
        return true;
      case 'import': {
        const next = this.text.charCodeAt(this.nextTokenAt(this.i));
        return next !== 0x28 && next !== 0x2e;
      }
      case 'let': {
        const next = this.text.charCodeAt(this.nextTokenAt(this.i));
        return next === 0x5b || next === 0x7b || isNameStart(next);
      }
      case 'async':
        return this.wordAt(this.nextTokenAt(this.i)) === 'function';
      case 'await':
        return this.wordAt(this.nextTokenAt(this.i)) === 'using';
      case 'abstract':
        return this.wordAt(this.nextTokenAt(this.i)) === 'class';
      case 'type':
      case 'using':
      case 'declare':
      case 'namespace':
      case 'module': {
        const at = this.nextTokenAt(this.i);
        if (this.newlineBetween(this.i, at)) return false;
        const next = this.text.charCodeAt(at);
        return isNameStart(next) || (word === 'module' && (next === 0x22 || next === 0x27));
      }
      default:
        return false;
    }
  }

  /** Feeds a name to the declaration-name reader. */
  private headWord(word: string, depth: number): void {
    if (this.extraName && depth === 0 && word !== 'function' && word !== 'class' && word !== 'async') {
      this.extraName = false;
      this.declared.push(word);
    }
    switch (this.head) {
      case Head.Start:
        if (MODIFIERS.has(word)) return;
        // `declare global { … }` declares `global`.
        if (word === 'global') this.declared.push(word);
        if (word === 'const' || word === 'let' || word === 'var' || word === 'using') this.head = Head.Binding;
        // Interfaces and type aliases hold no value: their names are not module-level names (callSiteStatements.ts).
        else if (word === 'interface' || word === 'type') this.head = Head.Done;
        else if (NAMED_DECLARATIONS.has(word)) this.head = Head.WantName;
        else if (word === 'import') this.head = Head.Import;
        else this.head = Head.Done;
        return;
      case Head.Decorator:
        this.head = Head.DecoratorName;
        return;
      case Head.DecoratorName:
        if (depth > 0) return;
        this.head = Head.Start;
        this.headWord(word, depth);
        return;
      case Head.WantName:
        this.declared.push(word);
        this.head = Head.Done;
        return;
      case Head.Binding:
        if (depth === 0 && word === 'enum') {
          this.head = Head.WantName;
          return;
        }
        this.declared.push(word);
        return;
      case Head.Import:
        if (depth === 0 && word === 'from') this.head = Head.Done;
        else this.declared.push(word);
        return;
      default:
    }
  }

  /** Feeds a punctuator (at `depth` brackets, after it was read) to the declaration-name reader. */
  private headPunct(c: number, depth: number): void {
    switch (this.head) {
      case Head.Start:
        this.head = Head.Done;
        return;
      case Head.Decorator:
      case Head.DecoratorName:
        // `@a.b(…)`: after the arguments close, modifiers or the class follow.
        if (c === 0x29 && depth === 0) this.head = Head.Start;
        else if (c === 0x2e) this.head = Head.Decorator;
        return;
      case Head.WantName:
        if (c !== 0x2a) this.head = Head.Done;
        return;
      case Head.Binding:
        if (depth !== 0) return;
        if (c === 0x3d) this.head = Head.Initializer;
        else if (c === 0x3a) this.head = Head.BindingType;
        else if (c === 0x3b) this.head = Head.Done;
        return;
      case Head.BindingType:
        if (depth !== 0) return;
        if (c === 0x3d) this.head = Head.Initializer;
        else if (c === 0x2c) this.head = Head.Binding;
        return;
      case Head.Initializer:
        if (depth === 0 && c === 0x2c) this.head = Head.Binding;
        return;
      case Head.Import:
        if (depth === 0 && c === 0x3d) this.head = Head.Done;
        return;
      default:
    }
  }

  private closeChunk(end: number): void {
    if (this.chunkTokens === 0) return;
    this.chunks.push({ start: this.chunkStart, end, declared: this.declared, alwaysKept: this.alwaysKept, mentions: [] });
    this.chunkWordRanges.push(this.chunkWords, this.wordCount);
    this.chunkWords = this.wordCount;
    this.chunkStart = end;
    this.chunkTokens = 0;
    this.declared = [];
    this.alwaysKept = false;
    this.head = Head.Start;
    this.decorating = false;
    this.extraName = false;
  }

  /** Offset of the next token after `from` (past whitespace and comments). */
  private nextTokenAt(from: number): number {
    const saved = this.i;
    this.i = from;
    try {
      this.trivia();
      return this.i;
    } finally {
      this.i = saved;
    }
  }

  private wordAt(at: number): string {
    let end = at;
    while (end < this.n && isNamePart(this.text.charCodeAt(end))) end++;
    return this.text.slice(at, end);
  }

  private newlineBetween(from: number, to: number): boolean {
    for (let k = from; k < to; k++) if (isLineBreak(this.text.charCodeAt(k))) return true;
    return false;
  }
}

/** After this token a `/` starts a regular expression (and a `<` may start JSX) rather than dividing. */
function regexMayStart(prev: Prev): boolean {
  return prev === Prev.Start || prev === Prev.Semi || prev === Prev.Op || prev === Prev.Keyword || prev === Prev.CloseControl || prev === Prev.CloseBlock;
}

/**
 * The top-level chunks of `text` (JSX read as JSX when `jsx`), or undefined when the lexer is unsure of them.
 * Chunks are contiguous and cover the whole text.
 */
export function topLevelChunks(text: string, jsx: boolean, names: readonly string[] = []): TopLevelChunk[] | undefined {
  try {
    const lexer = new Lexer(text, jsx);
    const chunks = lexer.run();
    lexer.fillMentions(names);
    return chunks;
  } catch (error) {
    if (error instanceof GiveUp || error instanceof RangeError) return undefined;
    throw error;
  }
}
