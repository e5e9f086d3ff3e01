// Indexes one parsed module once per content: its scopes and bindings, classes, exports,
// and the call/new expressions that may be HTTP calls. Evaluation (resolveUrl.ts) walks this index.
import { TSESTree } from '@typescript-eslint/typescript-estree';

type Node = TSESTree.Node;
export type FunctionLike = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

export type ThisRef =
  | { kind: 'class'; cls: ClassInfo }
  | { kind: 'object'; node: TSESTree.ObjectExpression; scope: Scope };

export interface Scope {
  parent: Scope | null;
  bindings: Map<string, Binding>;
  module: ModuleIndex;
  /** Set on non-arrow function scopes (null: `this` means nothing we know); arrows and blocks inherit. */
  thisRef?: ThisRef | null;
  fn?: FunctionLike;
}

export type Binding =
  | {
      kind: 'variable';
      declKind: string;
      /** The initialiser (null for `let x;`, for-of targets, catch parameters). */
      init: TSESTree.Expression | null;
      /** Destructuring keys from the initialiser to this name (`const { a: { b } } = x` → ['a', 'b']). */
      path: string[];
      scope: Scope;
      id: TSESTree.Identifier;
    }
  | { kind: 'param'; fn: FunctionLike; index: number; path: string[]; name: string; scope: Scope; defaultValue?: TSESTree.Expression }
  | { kind: 'function'; node: FunctionLike; scope: Scope }
  | { kind: 'class'; cls: ClassInfo; scope: Scope }
  | { kind: 'enum'; node: TSESTree.TSEnumDeclaration; scope: Scope }
  | { kind: 'import'; source: string; imported: string; scope: Scope };

export interface ClassInfo {
  node: TSESTree.ClassDeclaration | TSESTree.ClassExpression;
  name: string;
  /** The scope the class is declared in (for `extends`). */
  scope: Scope;
  methods: Map<string, FunctionLike>;
  staticMethods: Map<string, FunctionLike>;
  /** Instance fields: class properties, `this.x = …` in the constructor, and typed constructor parameter properties. */
  fields: Map<string, { expr: TSESTree.Expression; scope: Scope } | { typeName: string; scope: Scope }>;
  staticFields: Map<string, { expr: TSESTree.Expression; scope: Scope }>;
}

export type ExportEntry =
  | { kind: 'local'; name: string }
  | { kind: 'expr'; node: TSESTree.Expression; scope: Scope }
  | { kind: 'reexport'; source: string; imported: string };

export interface CallCandidate {
  node: TSESTree.CallExpression | TSESTree.NewExpression;
  scope: Scope;
}

export interface Assignment {
  node: TSESTree.AssignmentExpression | TSESTree.UpdateExpression | TSESTree.ForInStatement | TSESTree.ForOfStatement;
  scope: Scope;
}

export interface DefaultsAssignment {
  /** `X` in `X.defaults.baseURL = value`. */
  target: TSESTree.Expression;
  value: TSESTree.Expression;
  scope: Scope;
  node: TSESTree.AssignmentExpression;
}

export interface ModuleIndex {
  file: string;
  /** The parsed code (for .vue/.svelte: the blanked text, same offsets as the file). */
  code: string;
  program: TSESTree.Program;
  scope: Scope;
  exports: Map<string, ExportEntry>;
  starExports: string[];
  candidates: CallCandidate[];
  defaultsAssignments: DefaultsAssignment[];
  /**
   * Lines (1-based) whose calls a `zenops-ignore` comment suppresses: the comment's own lines, and the line
   * after a comment that starts a line (not one that follows code: `call(); // zenops-ignore`).
   */
  ignoreLines: Set<number>;
  functionNames: WeakMap<FunctionLike, string>;
  /** The scope holding a function's parameters, for evaluating its body. */
  functionScopes: WeakMap<FunctionLike, Scope>;
  classes: WeakMap<Node, ClassInfo>;
  /** A function written as a property value (`endpoints: (build) => …`): its object and key. */
  propertyOwners: WeakMap<FunctionLike, { object: TSESTree.ObjectExpression; key: string }>;
  /** An object literal passed straight to a call (`createApi({ … })`): that call. */
  argumentOf: WeakMap<TSESTree.ObjectExpression, { call: TSESTree.CallExpression | TSESTree.NewExpression; scope: Scope }>;
  /**
   * Bindings assigned somewhere after their declaration (a `let`/`var` so assigned is not a constant). Each
   * assignment counts for the binding its name resolves to there, not for every binding of that name.
   */
  reassigned: WeakSet<Binding>;
  /** Those assignments, per binding, with the scope each is written in (`instance = axios.create(…)` in a getter). */
  assignments: WeakMap<Binding, Assignment[]>;
  /** `module.exports = …` is present: `require()` of this module returns that value. */
  commonJs: boolean;
}

const SKIP_KEYS = new Set(['parent', 'loc', 'range', 'type', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'decorators']);

/** Calls `visit` for every direct child node (type annotations skipped: they hold no calls). */
export function forEachChild(node: Node, visit: (child: Node) => void): void {
  const record = node as unknown as Record<string, unknown>;
  for (const key in record) {
    if (SKIP_KEYS.has(key)) continue;
    const value = record[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && typeof (item as Node).type === 'string') visit(item as Node);
    } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') {
      visit(value as Node);
    }
  }
}

export function isFunctionLike(node: Node): node is FunctionLike {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

export function propertyKeyName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0].value.cooked ?? undefined;
  if (!computed && key.type === 'PrivateIdentifier') return `#${key.name}`;
  return undefined;
}

/** `a.defaults.baseURL` → `a`. */
function defaultsBaseTarget(left: Node): TSESTree.Expression | undefined {
  if (left.type !== 'MemberExpression' || propertyKeyName(left.property, left.computed) !== 'baseURL') return undefined;
  const defaults = left.object;
  if (defaults.type !== 'MemberExpression' || propertyKeyName(defaults.property, defaults.computed) !== 'defaults') return undefined;
  return defaults.object;
}

export function indexModule(file: string, code: string, program: TSESTree.Program, comments: TSESTree.Comment[]): ModuleIndex {
  const mod: ModuleIndex = {
    file,
    code,
    program,
    scope: undefined as unknown as Scope,
    exports: new Map(),
    starExports: [],
    candidates: [],
    defaultsAssignments: [],
    ignoreLines: new Set(),
    functionNames: new WeakMap(),
    functionScopes: new WeakMap(),
    propertyOwners: new WeakMap(),
    argumentOf: new WeakMap(),
    classes: new WeakMap(),
    reassigned: new WeakSet(),
    assignments: new WeakMap(),
    commonJs: false,
  };
  for (const comment of comments) {
    if (/zenops-ignore\b/.test(comment.value)) {
      for (let line = comment.loc.start.line; line <= comment.loc.end.line; line++) mod.ignoreLines.add(line);
      // A comment on a line of its own speaks for the next line; one after code only for its own line.
      const lineStart = code.lastIndexOf('\n', comment.range[0] - 1) + 1;
      if (code.slice(lineStart, comment.range[0]).trim() === '') mod.ignoreLines.add(comment.loc.end.line + 1);
    }
  }
  const top: Scope = { parent: null, bindings: new Map(), module: mod, thisRef: null };
  mod.scope = top;

  const bindPattern = (
    pattern: Node,
    scope: Scope,
    make: (id: TSESTree.Identifier, path: string[], defaultValue?: TSESTree.Expression) => Binding,
    path: string[] = [],
    defaultValue?: TSESTree.Expression,
  ): void => {
    switch (pattern.type) {
      case 'Identifier':
        scope.bindings.set(pattern.name, make(pattern, path, defaultValue));
        break;
      case 'AssignmentPattern':
        bindPattern(pattern.left, scope, make, path, pattern.right);
        break;
      case 'ObjectPattern':
        for (const prop of pattern.properties) {
          if (prop.type === 'RestElement') continue;
          const key = propertyKeyName(prop.key, prop.computed);
          if (key !== undefined) bindPattern(prop.value, scope, make, [...path, key]);
        }
        break;
      case 'ArrayPattern':
        pattern.elements.forEach((element, i) => {
          if (element && element.type !== 'RestElement') bindPattern(element, scope, make, [...path, String(i)]);
        });
        break;
      case 'TSParameterProperty':
        bindPattern(pattern.parameter, scope, make, path);
        break;
      default:
        break;
    }
  };

  const classInfo = (node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, scope: Scope, name: string): ClassInfo => {
    let info = mod.classes.get(node);
    if (!info) {
      info = { node, name, scope, methods: new Map(), staticMethods: new Map(), fields: new Map(), staticFields: new Map() };
      mod.classes.set(node, info);
    }
    return info;
  };

  const hoistDeclaration = (statement: Node, scope: Scope): void => {
    switch (statement.type) {
      case 'VariableDeclaration':
        for (const declarator of statement.declarations) {
          const init = declarator.init;
          bindPattern(declarator.id, scope, (id, path) => ({ kind: 'variable', declKind: statement.kind, init, path, scope, id }));
          if (declarator.id.type === 'Identifier' && init) {
            const fn = unwrapExpression(init);
            if (isFunctionLike(fn)) mod.functionNames.set(fn, declarator.id.name);
            if (fn.type === 'ClassExpression') classInfo(fn, scope, declarator.id.name);
          }
        }
        break;
      case 'FunctionDeclaration':
        if (statement.id) {
          scope.bindings.set(statement.id.name, { kind: 'function', node: statement, scope });
          mod.functionNames.set(statement, statement.id.name);
        }
        break;
      case 'ClassDeclaration':
        if (statement.id) scope.bindings.set(statement.id.name, { kind: 'class', cls: classInfo(statement, scope, statement.id.name), scope });
        break;
      case 'TSEnumDeclaration':
        scope.bindings.set(statement.id.name, { kind: 'enum', node: statement, scope });
        break;
      case 'ImportDeclaration':
        if (statement.importKind === 'type') break;
        for (const spec of statement.specifiers) {
          const imported =
            spec.type === 'ImportDefaultSpecifier'
              ? 'default'
              : spec.type === 'ImportNamespaceSpecifier'
                ? '*'
                : spec.imported.type === 'Identifier'
                  ? spec.imported.name
                  : String(spec.imported.value);
          scope.bindings.set(spec.local.name, { kind: 'import', source: String(statement.source.value), imported, scope });
        }
        break;
      case 'ExportNamedDeclaration':
        if (statement.declaration) hoistDeclaration(statement.declaration, scope);
        break;
      case 'ExportDefaultDeclaration':
        if (statement.declaration.type === 'FunctionDeclaration' || statement.declaration.type === 'ClassDeclaration') {
          hoistDeclaration(statement.declaration, scope);
        }
        break;
      default:
        break;
    }
  };

  const collectExports = (): void => {
    for (const statement of program.body) {
      if (statement.type === 'ExportNamedDeclaration') {
        if (statement.exportKind === 'type') continue;
        const decl = statement.declaration;
        if (decl) {
          if (decl.type === 'VariableDeclaration') {
            for (const d of decl.declarations) {
              const names: string[] = [];
              collectPatternNames(d.id, names);
              for (const name of names) mod.exports.set(name, { kind: 'local', name });
            }
          } else if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration' || decl.type === 'TSEnumDeclaration') && decl.id) {
            mod.exports.set(decl.id.name, { kind: 'local', name: decl.id.name });
          }
        }
        for (const spec of statement.specifiers) {
          const exported = spec.exported.type === 'Identifier' ? spec.exported.name : String(spec.exported.value);
          const local = spec.local.type === 'Identifier' ? spec.local.name : String((spec.local as TSESTree.StringLiteral).value);
          if (statement.source) mod.exports.set(exported, { kind: 'reexport', source: String(statement.source.value), imported: local });
          else mod.exports.set(exported, { kind: 'local', name: local });
        }
      } else if (statement.type === 'ExportDefaultDeclaration') {
        const decl = statement.declaration;
        if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) {
          mod.exports.set('default', { kind: 'local', name: decl.id.name });
        } else if (decl.type === 'FunctionDeclaration') {
          mod.exports.set('default', { kind: 'expr', node: decl as unknown as TSESTree.FunctionExpression, scope: top });
        } else if (decl.type === 'ClassDeclaration') {
          classInfo(decl, top, 'default');
          mod.exports.set('default', { kind: 'expr', node: decl as unknown as TSESTree.ClassExpression, scope: top });
        } else if (decl.type !== 'TSInterfaceDeclaration' && decl.type !== 'TSDeclareFunction' && decl.type !== 'TSEnumDeclaration' && decl.type !== 'TSModuleDeclaration' && decl.type !== 'TSTypeAliasDeclaration' && decl.type !== 'VariableDeclaration') {
          mod.exports.set('default', { kind: 'expr', node: decl as TSESTree.Expression, scope: top });
        }
      } else if (statement.type === 'ExportAllDeclaration') {
        if (statement.exportKind === 'type') continue;
        if (statement.exported) {
          const exported = statement.exported as TSESTree.Identifier | TSESTree.StringLiteral;
          const name = exported.type === 'Identifier' ? exported.name : String(exported.value);
          mod.exports.set(name, { kind: 'reexport', source: String(statement.source.value), imported: '*' });
        } else {
          mod.starExports.push(String(statement.source.value));
        }
      } else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
        // CommonJS: module.exports = …, module.exports.x = …, exports.x = …
        const { left, right } = statement.expression;
        if (left.type !== 'MemberExpression') continue;
        const prop = propertyKeyName(left.property, left.computed);
        if (left.object.type === 'Identifier' && left.object.name === 'module' && prop === 'exports') {
          mod.commonJs = true;
          mod.exports.set('default', { kind: 'expr', node: right, scope: top });
          if (right.type === 'ObjectExpression') {
            for (const p of right.properties) {
              if (p.type !== 'Property') continue;
              const key = propertyKeyName(p.key, p.computed);
              if (key && !mod.exports.has(key)) mod.exports.set(key, { kind: 'expr', node: p.value as TSESTree.Expression, scope: top });
            }
          }
        } else if (
          prop &&
          ((left.object.type === 'Identifier' && left.object.name === 'exports') ||
            (left.object.type === 'MemberExpression' &&
              left.object.object.type === 'Identifier' &&
              left.object.object.name === 'module' &&
              propertyKeyName(left.object.property, left.object.computed) === 'exports'))
        ) {
          mod.exports.set(prop, { kind: 'expr', node: right, scope: top });
        }
      }
    }
  };

  /** `name = …` / `name++` and the scope they are written in. */
  const assignments: { name: string; scope: Scope; node: Assignment['node'] }[] = [];

  const functionThis = (fn: FunctionLike, context: ThisRef | null | undefined): ThisRef | null | undefined =>
    fn.type === 'ArrowFunctionExpression' ? undefined : (context ?? null);

  const walk = (node: Node, scope: Scope, thisForFunction?: ThisRef | null): void => {
    switch (node.type) {
      case 'Program':
      case 'BlockStatement':
      case 'StaticBlock': {
        const inner: Scope = node.type === 'Program' ? scope : { parent: scope, bindings: new Map(), module: mod };
        for (const statement of node.body) hoistDeclaration(statement, inner);
        for (const statement of node.body) walk(statement, inner);
        return;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const fnScope: Scope = { parent: scope, bindings: new Map(), module: mod, fn: node, thisRef: functionThis(node, thisForFunction) };
        mod.functionScopes.set(node, fnScope);
        if (node.type === 'FunctionExpression' && node.id) fnScope.bindings.set(node.id.name, { kind: 'function', node, scope });
        node.params.forEach((param, index) => {
          const p = param.type === 'TSParameterProperty' ? param.parameter : param;
          bindPattern(p, fnScope, (id, path, defaultValue) => ({ kind: 'param', fn: node, index, path, name: id.name, scope: fnScope, defaultValue }));
          if (p.type === 'AssignmentPattern') walk(p.right, fnScope);
        });
        if (node.body.type === 'BlockStatement') {
          for (const statement of node.body.body) hoistDeclaration(statement, fnScope);
          for (const statement of node.body.body) walk(statement, fnScope);
        } else {
          walk(node.body, fnScope);
        }
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const cls = classInfo(node, scope, node.id?.name ?? mod.classes.get(node)?.name ?? 'class');
        if (node.superClass) walk(node.superClass, scope);
        const classScope: Scope = { parent: scope, bindings: new Map(), module: mod };
        if (node.id) classScope.bindings.set(node.id.name, { kind: 'class', cls, scope });
        const thisRef: ThisRef = { kind: 'class', cls };
        for (const member of node.body.body) {
          if (member.type === 'MethodDefinition' || member.type === 'TSAbstractMethodDefinition') {
            const name = propertyKeyName(member.key, member.computed);
            const fn = member.value as TSESTree.FunctionExpression;
            if (name !== undefined && member.kind !== 'set' && fn.type === 'FunctionExpression') {
              if (name === 'constructor' && !member.static) {
                // `this.x = …` in the constructor are fields; constructor parameter properties too.
                collectConstructorFields(fn, cls, mod);
              } else if (member.static) cls.staticMethods.set(name, fn);
              else cls.methods.set(name, fn);
              mod.functionNames.set(fn, `${cls.name}.${name}`);
            }
            walk(fn, classScope, member.static ? { kind: 'class', cls } : thisRef);
          } else if (member.type === 'PropertyDefinition' || member.type === 'AccessorProperty') {
            const name = propertyKeyName(member.key, member.computed);
            if (member.value) {
              if (name !== undefined) (member.static ? cls.staticFields : cls.fields).set(name, { expr: member.value, scope: classScope });
              const value = unwrapExpression(member.value);
              if (isFunctionLike(value) && name !== undefined) {
                mod.functionNames.set(value, `${cls.name}.${name}`);
                (member.static ? cls.staticMethods : cls.methods).set(name, value);
                walk(value, fieldThisScope(classScope, thisRef, mod), thisRef);
              } else {
                walk(member.value, fieldThisScope(classScope, thisRef, mod));
              }
            }
          } else if (member.type === 'StaticBlock') {
            walk(member, classScope);
          }
        }
        return;
      }
      case 'ObjectExpression': {
        const objectThis: ThisRef = { kind: 'object', node, scope };
        for (const prop of node.properties) {
          if (prop.type === 'Property') {
            const name = propertyKeyName(prop.key, prop.computed);
            if (prop.computed) walk(prop.key, scope);
            const value = prop.value;
            if (isFunctionLike(value)) {
              if (name !== undefined && !mod.functionNames.has(value)) mod.functionNames.set(value, name);
              if (name !== undefined) mod.propertyOwners.set(value, { object: node, key: name });
              walk(value, scope, objectThis);
            } else {
              walk(value, scope);
            }
          } else {
            walk(prop, scope);
          }
        }
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const inner: Scope = { parent: scope, bindings: new Map(), module: mod };
        const init = node.type === 'ForStatement' ? node.init : node.left;
        if (init && init.type !== 'VariableDeclaration' && node.type !== 'ForStatement') {
          // `for (u of list)`: each turn assigns `u`.
          const names: string[] = [];
          collectPatternNames(init, names);
          for (const name of names) assignments.push({ name, scope, node });
        }
        if (init && init.type === 'VariableDeclaration') {
          for (const d of init.declarations) {
            bindPattern(d.id, inner, (id, path) => ({
              kind: 'variable',
              declKind: init.kind,
              init: node.type === 'ForStatement' ? d.init : null,
              path,
              scope: inner,
              id,
            }));
          }
        }
        forEachChild(node, (child) => walk(child, inner));
        return;
      }
      case 'CatchClause': {
        const inner: Scope = { parent: scope, bindings: new Map(), module: mod };
        if (node.param) bindPattern(node.param, inner, (id, path) => ({ kind: 'variable', declKind: 'let', init: null, path, scope: inner, id }));
        walk(node.body, inner);
        return;
      }
      case 'CallExpression':
      case 'NewExpression':
        mod.candidates.push({ node, scope });
        for (const arg of node.arguments) if (arg.type === 'ObjectExpression') mod.argumentOf.set(arg, { call: node, scope });
        break;
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') assignments.push({ name: node.argument.name, scope, node });
        break;
      case 'AssignmentExpression': {
        if (node.left.type === 'Identifier') assignments.push({ name: node.left.name, scope, node });
        else {
          // `[u] = …`, `({ u } = …)`: destructuring assigns each name in the pattern.
          const names: string[] = [];
          collectPatternNames(node.left, names);
          for (const name of names) assignments.push({ name, scope, node });
        }
        const target = defaultsBaseTarget(node.left);
        if (target && node.operator === '=') mod.defaultsAssignments.push({ target, value: node.right, scope, node });
        break;
      }
      default:
        break;
    }
    forEachChild(node, (child) => walk(child, scope));
  };

  walk(program, top);
  // Resolved once every scope is complete (a later declaration of the same name replaces the binding).
  for (const { name, scope, node } of assignments) {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const binding = s.bindings.get(name);
      if (binding) {
        mod.reassigned.add(binding);
        const list = mod.assignments.get(binding);
        if (list) list.push({ node, scope });
        else mod.assignments.set(binding, [{ node, scope }]);
        break;
      }
    }
  }
  collectExports();
  return mod;
}

/** Field initialisers see `this` as the instance. */
function fieldThisScope(classScope: Scope, thisRef: ThisRef, mod: ModuleIndex): Scope {
  return { parent: classScope, bindings: new Map(), module: mod, thisRef };
}

function collectConstructorFields(fn: TSESTree.FunctionExpression, cls: ClassInfo, mod: ModuleIndex): void {
  // Fields are evaluated later, in a scope of their own that binds the constructor's parameters and locals.
  const ctorScope: Scope = { parent: cls.scope, bindings: new Map(), module: mod, fn, thisRef: { kind: 'class', cls } };
  fn.params.forEach((param, index) => {
    const p = param.type === 'TSParameterProperty' ? param.parameter : param;
    const id = p.type === 'AssignmentPattern' ? p.left : p;
    if (id.type === 'Identifier') ctorScope.bindings.set(id.name, { kind: 'param', fn, index, path: [], name: id.name, scope: ctorScope });
    // `constructor(private http: HttpClient)`: an injected field known by its type.
    const type = id.type === 'Identifier' ? id.typeAnnotation?.typeAnnotation : undefined;
    if (param.type === 'TSParameterProperty' && id.type === 'Identifier' && type?.type === 'TSTypeReference' && type.typeName.type === 'Identifier') {
      cls.fields.set(id.name, { typeName: type.typeName.name, scope: cls.scope });
    }
  });
  for (const statement of fn.body?.body ?? []) {
    if (statement.type === 'VariableDeclaration') {
      for (const d of statement.declarations) {
        if (d.id.type === 'Identifier') ctorScope.bindings.set(d.id.name, { kind: 'variable', declKind: statement.kind, init: d.init, path: [], scope: ctorScope, id: d.id });
      }
    }
    if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression') continue;
    const { left, right, operator } = statement.expression;
    if (operator !== '=' || left.type !== 'MemberExpression' || left.object.type !== 'ThisExpression') continue;
    const name = propertyKeyName(left.property, left.computed);
    if (name !== undefined && !cls.fields.has(name)) cls.fields.set(name, { expr: right, scope: ctorScope });
  }
}

export function collectPatternNames(pattern: Node, names: string[]): void {
  switch (pattern.type) {
    case 'Identifier':
      names.push(pattern.name);
      break;
    case 'AssignmentPattern':
      collectPatternNames(pattern.left, names);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) collectPatternNames(p.type === 'RestElement' ? p.argument : p.value, names);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) if (e) collectPatternNames(e, names);
      break;
    case 'RestElement':
      collectPatternNames(pattern.argument, names);
      break;
    default:
      break;
  }
}

/** Strips TypeScript-only wrappers: `x as T`, `x!`, `<T>x`, `x satisfies T`, `Object.freeze(x)`. */
export function unwrapExpression(node: TSESTree.Expression): TSESTree.Expression {
  let current: TSESTree.Expression = node;
  for (;;) {
    switch (current.type) {
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'TSSatisfiesExpression':
      case 'TSInstantiationExpression':
        current = current.expression;
        continue;
      case 'ChainExpression':
        current = current.expression;
        continue;
      case 'CallExpression':
        if (
          current.callee.type === 'MemberExpression' &&
          current.callee.object.type === 'Identifier' &&
          current.callee.object.name === 'Object' &&
          propertyKeyName(current.callee.property, current.callee.computed) === 'freeze' &&
          current.arguments.length === 1 &&
          current.arguments[0].type !== 'SpreadElement'
        ) {
          current = current.arguments[0];
          continue;
        }
        return current;
      default:
        return current;
    }
  }
}
