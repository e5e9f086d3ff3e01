// Statically evaluates the expressions around an HTTP call: URL strings (literals, templates,
// constants across modules, route maps and route functions, env bases) and HTTP client values.
// It never guesses: what it cannot know becomes a placeholder inside a URL, or `unresolved`.
import { TSESTree } from '@typescript-eslint/typescript-estree';
import type { UrlOrigin, UrlPart, UrlResolution } from './types';
import {
  Assignment,
  Binding,
  ClassInfo,
  FunctionLike,
  ModuleIndex,
  Scope,
  isFunctionLike,
  propertyKeyName,
  unwrapExpression,
} from './moduleIndex';

type Node = TSESTree.Node;
type Expr = TSESTree.Expression;

export type ParamBinding = Extract<Binding, { kind: 'param' }>;

/** A piece of a string value. `env` is a value from the environment; `param` an enclosing function's parameter. */
export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'placeholder'; source: string }
  | { kind: 'env'; source: string }
  | { kind: 'param'; binding: ParamBinding; path: string[]; source: string; viaMember?: boolean };

export type ClientLib = 'axios' | 'ky' | 'ofetch' | 'fetch' | 'openapi-fetch' | 'swr' | 'angular' | 'rtk-query';

export type BaseUrl = { kind: 'parts'; parts: Part[] } | { kind: 'unresolved'; reason: string };

export interface ClientRef {
  lib: ClientLib;
  /** The instance's base (`baseURL`, `prefixUrl`, `baseUrl`), if it has one. */
  base?: BaseUrl;
  /** The factory call that made the instance (identity for `instance.defaults.baseURL = …`). */
  createdBy?: Node;
  /** The file of `createdBy` (with its range, an identity that survives a new parse). */
  createdIn?: string;
  /** The default `axios` export, whose base is `axios.defaults.baseURL`. */
  globalAxios?: boolean;
  /** openapi-fetch's `createClient` itself. */
  factory?: boolean;
}

export type Value =
  | { kind: 'string'; parts: Part[] }
  | { kind: 'client'; client: ClientRef }
  | { kind: 'clientMember'; client: ClientRef; name: string }
  | { kind: 'function'; fn: FunctionLike; module: ModuleIndex; thisValue?: Value }
  | { kind: 'class'; cls: ClassInfo; module: ModuleIndex }
  | { kind: 'instance'; cls: ClassInfo; module: ModuleIndex; args?: { nodes: TSESTree.CallExpressionArgument[]; scope: Scope } }
  | { kind: 'object'; node: TSESTree.ObjectExpression; scope: Scope }
  | { kind: 'array'; node: TSESTree.ArrayExpression; scope: Scope }
  | { kind: 'namespace'; module: ModuleIndex }
  | { kind: 'enum'; node: TSESTree.TSEnumDeclaration; scope: Scope }
  | { kind: 'env'; source: string }
  /** `viaMember`: read as a property in the body (`link.href`), not declared by the parameter list. */
  | { kind: 'param'; binding: ParamBinding; path: string[]; source: string; viaMember?: boolean }
  | { kind: 'request'; node: TSESTree.NewExpression }
  | { kind: 'nullish' }
  | { kind: 'global'; name: string }
  | { kind: 'unknown'; reason: string };

/** What the evaluator needs from the workspace: other modules, and the global axios defaults. */
export interface ModuleHost {
  /** The indexed workspace module `specifier` points to from `fromFile`; undefined for packages and unknown files. */
  importModule(fromFile: string, specifier: string): ModuleIndex | undefined;
  /** `axios.defaults.baseURL = …` found in the workspace, if any. */
  axiosDefaultBase(): BaseUrl | undefined;
  /** `instance.defaults.baseURL = …` for the instance a factory call made. */
  instanceBaseOverride(createdBy: Node): BaseUrl | undefined;
}

interface Frame {
  /** Arguments a call passed to the function being evaluated, and the caller's scope. */
  args?: { nodes: TSESTree.CallExpressionArgument[]; scope: Scope };
  thisValue?: Value;
}

const MAX_DEPTH = 40;
/** Memoised answers worked out inside one another (import chains, wrappers of wrappers). */
const MAX_NESTING = 20;
const ENV_GLOBALS = new Set(['window', 'globalThis', 'self', 'process', 'location', 'document']);

/** Packages whose exports are HTTP clients. */
function packageValue(source: string, imported: string): Value | undefined {
  const any = imported === 'default' || imported === '*';
  switch (source) {
    case 'axios':
      return any ? { kind: 'client', client: { lib: 'axios', globalAxios: true } } : undefined;
    case 'ky':
    case 'ky-universal':
      return any || imported === 'ky' ? { kind: 'client', client: { lib: 'ky' } } : undefined;
    case 'ofetch':
    case 'ohmyfetch':
      return any || imported === 'ofetch' || imported === '$fetch' ? { kind: 'client', client: { lib: 'ofetch' } } : undefined;
    case '#app':
    case '#imports':
    case 'nuxt/app':
      return imported === 'useFetch' || imported === 'useLazyFetch' || imported === '$fetch' ? { kind: 'client', client: { lib: 'ofetch' } } : undefined;
    case 'openapi-fetch':
      return imported === 'default' || imported === 'createClient' ? { kind: 'client', client: { lib: 'openapi-fetch', factory: true } } : undefined;
    case 'swr':
    case 'swr/immutable':
      return imported === 'default' || imported === 'useSWR' || imported === 'useSWRImmutable' ? { kind: 'client', client: { lib: 'swr' } } : undefined;
    case '@reduxjs/toolkit/query':
    case '@reduxjs/toolkit/query/react':
      return imported === 'createApi' || imported === 'fetchBaseQuery' ? { kind: 'global', name: `rtk#${imported}` } : undefined;
    case '@angular/common/http':
      return imported === 'HttpClient' ? { kind: 'client', client: { lib: 'angular' } } : undefined;
    case '@angular/core':
      return imported === 'inject' ? { kind: 'global', name: '@angular/core#inject' } : undefined;
    case 'node-fetch':
    case 'cross-fetch':
    case 'isomorphic-fetch':
    case 'isomorphic-unfetch':
    case 'unfetch':
    case 'undici':
      return imported === 'default' || imported === 'fetch' ? { kind: 'client', client: { lib: 'fetch' } } : undefined;
    default:
      return undefined;
  }
}

/** Globals that are HTTP clients when nothing in the file shadows them (Nuxt auto-imports included). */
function globalValue(name: string): Value {
  switch (name) {
    case 'fetch':
      return { kind: 'client', client: { lib: 'fetch' } };
    case 'axios':
      // Loaded with a <script> tag: the global axios.
      return { kind: 'client', client: { lib: 'axios', globalAxios: true } };
    case '$fetch':
    case 'useFetch':
    case 'useLazyFetch':
      return { kind: 'client', client: { lib: 'ofetch' } };
    case 'undefined':
      return { kind: 'nullish' };
    default:
      return ENV_GLOBALS.has(name) ? { kind: 'env', source: name } : { kind: 'global', name };
  }
}

export function sourceText(module: ModuleIndex, node: Node): string {
  return module.code.slice(node.range[0], node.range[1]);
}

function text(value: string): Part {
  return { kind: 'text', text: value };
}

/** SvelteKit's route functions: a page's or layout's `load`, a `+server` file's request handlers. */
const SVELTEKIT_HANDLERS = new Set(['load', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback']);

/** A function SvelteKit calls with its event (`load(event)`, `GET(event)`) in a `+page`/`+layout`/`+server` file. */
export function isSvelteKitRouteFunction(fn: FunctionLike, mod: ModuleIndex): boolean {
  const base = mod.file.slice(Math.max(mod.file.lastIndexOf('/'), mod.file.lastIndexOf('\\')) + 1);
  if (!/^\+(page|layout|server)\b/.test(base)) return false;
  if (SVELTEKIT_HANDLERS.has(mod.functionNames.get(fn) ?? '')) return true;
  // A form action: `export const actions = { default: async (event) => … }`.
  const owner = mod.propertyOwners.get(fn);
  const actions = mod.scope.bindings.get('actions');
  return !!owner && actions?.kind === 'variable' && !!actions.init && unwrapExpression(actions.init) === owner.object;
}

/** `null` or `undefined` written out. */
function isEmptyValue(node: Node): boolean {
  return (node.type === 'Literal' && node.value === null) || (node.type === 'Identifier' && node.name === 'undefined');
}

function isPathLikeName(name: string): boolean {
  return /^(url|uri|path|pathname|endpoint|route|resource|href|input|link|target)$/i.test(name) || /(Url|URL|Uri|Path|Endpoint|Route)$/.test(name);
}

export class Evaluator {
  private readonly exportCache = new Map<string, { value: Value; deps: Set<string> }>();
  private readonly depStack: Set<string>[] = [];
  private readonly exportsInProgress = new Set<string>();
  /**
   * Bumped whenever an answer depends on where the evaluation started rather than on the code alone: a
   * re-export cycle cut short, the depth limit, a value met again while being worked out. Memoised answers
   * (exports, recognised calls, wrappers) are kept only when no such cut happened while they were worked out,
   * so a file's findings never depend on which file was analysed first.
   */
  limitHits = 0;
  private readonly active = new Set<Node>();
  private readonly frames = new Map<FunctionLike, Frame>();
  /** Variables whose lazily made client is being worked out (`api = api || axios.create()` reads itself). */
  private readonly lazyInProgress = new Set<Binding>();
  private depth = 0;
  /** Memoised answers being worked out inside one another (each starts from depth 0; see `fresh`). */
  private nesting = 0;

  constructor(readonly host: ModuleHost) {}

  // ---- dependencies (which modules a result was read from, for incremental re-checks) ----------

  /** Records that the current result read `file`. */
  touch(file: string): void {
    this.depStack[this.depStack.length - 1]?.add(file);
  }

  /** Merges files read by a memoised result into the current result's dependencies. */
  touchAll(files: Iterable<string>): void {
    const top = this.depStack[this.depStack.length - 1];
    if (top) for (const file of files) top.add(file);
  }

  /**
   * Runs `run` from depth 0: a memoised answer (an export, a recognised call, a wrapper) is worked out the same
   * way whoever asks first and however deep they are, so reusing it never changes a result. Nested memoised
   * work is bounded separately (`fallback` when too deep, counted as a limit hit).
   */
  fresh<T>(run: () => T, fallback: T): T {
    if (this.nesting >= MAX_NESTING) {
      this.limitHits++;
      return fallback;
    }
    const depth = this.depth;
    this.depth = 0;
    this.nesting++;
    try {
      return run();
    } finally {
      this.depth = depth;
      this.nesting--;
    }
  }

  /** Runs `run`, collecting the modules it reads (they also count for any enclosing tracking). */
  track<T>(run: () => T): { result: T; deps: Set<string> } {
    const deps = new Set<string>();
    this.depStack.push(deps);
    let result: T;
    try {
      result = run();
    } finally {
      this.depStack.pop();
    }
    this.touchAll(deps);
    return { result, deps };
  }

  // ---- values ---------------------------------------------------------------------------------

  evaluate(node: Node, scope: Scope): Value {
    if (this.depth > MAX_DEPTH) {
      this.limitHits++;
      return { kind: 'unknown', reason: 'expression nests too deeply' };
    }
    if (this.active.has(node)) {
      this.limitHits++;
      return { kind: 'unknown', reason: 'the value refers to itself' };
    }
    this.depth++;
    this.active.add(node);
    try {
      return this.evaluateNode(node, scope);
    } finally {
      this.active.delete(node);
      this.depth--;
    }
  }

  private evaluateNode(raw: Node, scope: Scope): Value {
    const node = unwrapExpression(raw as Expr);
    const mod = scope.module;
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string') return { kind: 'string', parts: [text(node.value)] };
        if (node.value === null) return { kind: 'nullish' };
        if (typeof node.value === 'number' || typeof node.value === 'boolean') return { kind: 'string', parts: [text(String(node.value))] };
        return { kind: 'unknown', reason: 'not a string' };
      case 'TemplateLiteral': {
        const parts: Part[] = [];
        node.quasis.forEach((quasi, i) => {
          if (quasi.value.cooked) parts.push(text(quasi.value.cooked));
          if (i < node.expressions.length) parts.push(...this.partsOrPlaceholder(node.expressions[i], scope));
        });
        return { kind: 'string', parts };
      }
      case 'BinaryExpression': {
        if (node.operator !== '+') return { kind: 'unknown', reason: `\`${node.operator}\` does not build a string` };
        const left = this.evaluate(node.left, scope);
        const right = this.evaluate(node.right, scope);
        const leftParts = this.toParts(left);
        const rightParts = this.toParts(right);
        if (!leftParts && !rightParts) return { kind: 'unknown', reason: 'neither side of `+` is a known string' };
        return {
          kind: 'string',
          parts: [...(leftParts ?? [{ kind: 'placeholder', source: sourceText(mod, node.left) }]), ...(rightParts ?? [{ kind: 'placeholder', source: sourceText(mod, node.right) }])],
        };
      }
      case 'LogicalExpression': {
        // `import.meta.env.VITE_API ?? 'http://localhost'`: the environment decides, so the origin is unknown.
        const left = this.evaluate(node.left, scope);
        if (left.kind === 'env') return left;
        // `api ?? (api = axios.create(…))`: a client is never empty.
        if (left.kind === 'client' && node.operator !== '&&') return left;
        if (left.kind === 'string' && left.parts.length > 0 && left.parts[0].kind === 'env') return left;
        if (node.operator === '&&') return this.evaluate(node.right, scope);
        return { kind: 'unknown', reason: 'a run-time choice between values' };
      }
      case 'AssignmentExpression': {
        // `return (api ??= axios.create(…))`: the variable's value afterwards.
        if (node.operator === '=') return this.evaluate(node.right, scope);
        if ((node.operator === '??=' || node.operator === '||=') && node.left.type === 'Identifier') {
          const left = this.evaluate(node.left, scope);
          if (left.kind === 'client') return left;
        }
        return { kind: 'unknown', reason: 'an assignment' };
      }
      case 'ConditionalExpression': {
        const consequent = this.evaluate(node.consequent, scope);
        const alternate = this.evaluate(node.alternate, scope);
        if (consequent.kind === 'nullish') return alternate;
        if (alternate.kind === 'nullish') return consequent;
        const a = this.toParts(consequent);
        const b = this.toParts(alternate);
        if (a && b && partsEqual(a, b)) return consequent;
        // `${q ? `?${q}` : ''}`: either way only a query string (or nothing) follows, and the query is not checked.
        if (a && b && isQueryOrEmpty(a) && isQueryOrEmpty(b)) return { kind: 'string', parts: a.length > 0 || b.length > 0 ? [text('?')] : [] };
        return { kind: 'unknown', reason: 'a run-time choice between two URLs' };
      }
      case 'Identifier':
        return this.evaluateIdentifier(node.name, scope, node);
      case 'ThisExpression':
        return this.thisValue(scope);
      case 'MetaProperty':
        return { kind: 'env', source: sourceText(mod, node) };
      case 'MemberExpression': {
        const name = this.memberName(node, scope);
        const object = this.evaluate(node.object, scope);
        if (name === undefined) {
          if (object.kind === 'env') return { kind: 'env', source: sourceText(mod, node) };
          return { kind: 'unknown', reason: 'a computed property' };
        }
        return this.member(object, name, node);
      }
      case 'CallExpression':
        return this.evaluateCall(node, scope);
      case 'NewExpression':
        return this.evaluateNew(node, scope);
      case 'ObjectExpression':
        return { kind: 'object', node, scope };
      case 'ArrayExpression':
        return { kind: 'array', node, scope };
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return { kind: 'function', fn: node, module: mod, thisValue: node.type === 'FunctionExpression' ? undefined : this.thisValueOrUndefined(scope) };
      case 'ClassExpression': {
        const cls = mod.classes.get(node);
        return cls ? { kind: 'class', cls, module: mod } : { kind: 'unknown', reason: 'a class' };
      }
      case 'AwaitExpression':
        return { kind: 'unknown', reason: 'an awaited value' };
      case 'SequenceExpression':
        return this.evaluate(node.expressions[node.expressions.length - 1], scope);
      default:
        // typescript-estree puts `export default function () {}` declarations here too.
        if ((node as Node).type === 'FunctionDeclaration') return { kind: 'function', fn: node as unknown as FunctionLike, module: mod };
        if ((node as Node).type === 'ClassDeclaration') {
          const cls = mod.classes.get(node);
          return cls ? { kind: 'class', cls, module: mod } : { kind: 'unknown', reason: 'a class' };
        }
        return { kind: 'unknown', reason: `${node.type} is not evaluated` };
    }
  }

  private memberName(node: TSESTree.MemberExpression, scope: Scope): string | undefined {
    if (!node.computed) return propertyKeyName(node.property, false);
    const key = this.evaluate(node.property, scope);
    if (key.kind === 'string' && key.parts.every((p) => p.kind === 'text')) return key.parts.map((p) => (p as { text: string }).text).join('');
    return undefined;
  }

  lookup(name: string, scope: Scope): Binding | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const binding = s.bindings.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  private evaluateIdentifier(name: string, scope: Scope, node: Node): Value {
    const binding = this.lookup(name, scope);
    if (!binding) return globalValue(name);
    return this.bindingValue(binding, name, node);
  }

  /**
   * A variable that starts empty and is only ever given one client: the lazily created shared instance
   * (`let api; export function getApi() { if (!api) api = axios.create(…); return api; }`, `api ??= …`).
   */
  private lazyClient(binding: Extract<Binding, { kind: 'variable' }>): Value | undefined {
    if (binding.path.length > 0 || this.lazyInProgress.has(binding)) return undefined;
    if (binding.init && !isEmptyValue(unwrapExpression(binding.init))) return undefined;
    const assignments = binding.scope.module.assignments.get(binding) ?? [];
    this.lazyInProgress.add(binding);
    try {
      return this.lazyClientOf(binding, assignments);
    } finally {
      this.lazyInProgress.delete(binding);
    }
  }

  private lazyClientOf(binding: Extract<Binding, { kind: 'variable' }>, assignments: Assignment[]): Value | undefined {
    let client: Extract<Value, { kind: 'client' }> | undefined;
    for (const { node, scope } of assignments) {
      if (node.type !== 'AssignmentExpression' || !['=', '??=', '||='].includes(node.operator)) return undefined;
      let right = unwrapExpression(node.right);
      // Emptied again (`api = null` on logout): made anew on the next use.
      if (node.operator === '=' && isEmptyValue(right)) continue;
      // `api = api || axios.create(…)`: the other side is what it is given.
      if (right.type === 'LogicalExpression' && right.operator !== '&&' && right.left.type === 'Identifier' && right.left.name === binding.id.name) right = unwrapExpression(right.right);
      const value = this.evaluate(right, scope);
      if (value.kind !== 'client') return undefined;
      // Two different clients (another instance, another library) leave it unknown.
      if (client && (client.client.lib !== value.client.lib || client.client.createdBy !== value.client.createdBy || client.client.globalAxios !== value.client.globalAxios)) return undefined;
      client ??= value;
    }
    return client;
  }

  bindingValue(binding: Binding, name: string, node?: Node): Value {
    switch (binding.kind) {
      case 'variable': {
        if (binding.declKind !== 'const' && binding.scope.module.reassigned.has(binding)) {
          return this.lazyClient(binding) ?? { kind: 'unknown', reason: `\`${name}\` is reassigned` };
        }
        if (!binding.init) return { kind: 'unknown', reason: `\`${name}\` has no initial value` };
        let value = this.evaluate(binding.init, binding.scope);
        for (const key of binding.path) value = this.member(value, key);
        return value;
      }
      case 'param': {
        const frame = this.frames.get(binding.fn);
        if (frame?.args) {
          const arg = frame.args.nodes[binding.index];
          if (arg && arg.type !== 'SpreadElement') {
            // Evaluate the argument in the caller, outside this frame (the caller may be the same function).
            this.frames.delete(binding.fn);
            try {
              let value = this.evaluate(arg, frame.args.scope);
              for (const key of binding.path) value = this.member(value, key);
              if (value.kind === 'unknown') return { kind: 'string', parts: [{ kind: 'placeholder', source: sourceText(frame.args.scope.module, arg) }] };
              return value;
            } finally {
              this.frames.set(binding.fn, frame);
            }
          }
          return { kind: 'string', parts: [{ kind: 'placeholder', source: binding.name }] };
        }
        // SvelteKit's `load({ fetch })` (and similar loaders) hand the page a fetch: it is fetch; renamed
        // (`load({ fetch: f })`) in a SvelteKit route function.
        if (binding.path[binding.path.length - 1] === 'fetch' && (name === 'fetch' || (binding.path.length === 1 && binding.index === 0 && isSvelteKitRouteFunction(binding.fn, binding.scope.module)))) {
          return { kind: 'client', client: { lib: 'fetch' } };
        }
        return { kind: 'param', binding, path: [...binding.path], source: node ? sourceText(binding.scope.module, node) : binding.name };
      }
      case 'function':
        return { kind: 'function', fn: binding.node, module: binding.scope.module };
      case 'class':
        return { kind: 'class', cls: binding.cls, module: binding.scope.module };
      case 'enum':
        return { kind: 'enum', node: binding.node, scope: binding.scope };
      case 'import':
        return this.importValue(binding.scope.module, binding.source, binding.imported);
      default:
        return { kind: 'unknown', reason: 'unknown binding' };
    }
  }

  importValue(from: ModuleIndex, source: string, imported: string): Value {
    const pkg = packageValue(source, imported);
    if (pkg) return pkg;
    const target = this.host.importModule(from.file, source);
    if (!target) return { kind: 'unknown', reason: `\`${imported}\` comes from '${source}', outside the scanned files` };
    this.touch(target.file);
    if (imported === '*') return { kind: 'namespace', module: target };
    return this.moduleExport(target, imported);
  }

  moduleExport(mod: ModuleIndex, name: string): Value {
    const key = `${mod.file}\0${name}`;
    const cached = this.exportCache.get(key);
    if (cached) {
      this.touchAll(cached.deps);
      return cached.value;
    }
    if (this.exportsInProgress.has(key)) {
      this.limitHits++;
      return { kind: 'unknown', reason: `\`${name}\` is re-exported in a cycle` };
    }
    this.exportsInProgress.add(key);
    try {
      const hits = this.limitHits;
      const { result, deps } = this.track(() => this.fresh(() => this.computeExport(mod, name), { kind: 'unknown', reason: 'imports nest too deeply' }));
      if (this.limitHits === hits) this.exportCache.set(key, { value: result, deps });
      return result;
    } finally {
      this.exportsInProgress.delete(key);
    }
  }

  private computeExport(mod: ModuleIndex, name: string): Value {
    const entry = mod.exports.get(name);
    if (entry) {
      switch (entry.kind) {
        case 'local': {
          const binding = mod.scope.bindings.get(entry.name);
          return binding ? this.bindingValue(binding, entry.name) : { kind: 'unknown', reason: `\`${entry.name}\` is not declared` };
        }
        case 'expr':
          return this.evaluate(entry.node, entry.scope);
        case 'reexport':
          return this.importValue(mod, entry.source, entry.imported);
      }
    }
    if (name !== 'default') {
      for (const source of mod.starExports) {
        const value = this.importValue(mod, source, name);
        if (value.kind !== 'unknown') return value;
      }
    }
    return { kind: 'unknown', reason: `'${mod.file}' does not export \`${name}\`` };
  }

  private thisValueOrUndefined(scope: Scope): Value | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.fn) {
        const frame = this.frames.get(s.fn);
        if (frame?.thisValue && s.thisRef !== undefined) return frame.thisValue;
      }
      if (s.thisRef === undefined) continue;
      if (s.thisRef === null) return undefined;
      if (s.thisRef.kind === 'class') return { kind: 'instance', cls: s.thisRef.cls, module: s.module };
      return { kind: 'object', node: s.thisRef.node, scope: s.thisRef.scope };
    }
    return undefined;
  }

  private thisValue(scope: Scope): Value {
    return this.thisValueOrUndefined(scope) ?? { kind: 'unknown', reason: '`this` is not known here' };
  }

  /** `value.name`. */
  member(value: Value, name: string, node?: TSESTree.MemberExpression): Value {
    switch (value.kind) {
      case 'client':
        return { kind: 'clientMember', client: value.client, name };
      case 'namespace':
        return this.moduleExport(value.module, name);
      case 'object':
        return this.objectProperty(value.node, value.scope, name);
      case 'array': {
        const index = Number(name);
        const element = Number.isInteger(index) ? value.node.elements[index] : undefined;
        if (!element || element.type === 'SpreadElement') return { kind: 'unknown', reason: 'an array element' };
        return this.evaluate(element, value.scope);
      }
      case 'class': {
        const method = value.cls.staticMethods.get(name);
        if (method) return { kind: 'function', fn: method, module: value.module, thisValue: value };
        const field = value.cls.staticFields.get(name);
        if (field) return this.evaluate(field.expr, field.scope);
        return { kind: 'unknown', reason: `\`${value.cls.name}.${name}\` is not known` };
      }
      case 'instance':
        return this.instanceMember(value, name);
      case 'enum': {
        const entry = value.node.body.members.find((m) => propertyKeyName(m.id, m.computed ?? false) === name);
        if (entry?.initializer) return this.evaluate(entry.initializer, value.scope);
        return { kind: 'unknown', reason: `enum member \`${name}\` has no string value` };
      }
      case 'env':
        if (value.source === 'window' || value.source === 'globalThis' || value.source === 'self') {
          if (name === 'fetch') return { kind: 'client', client: { lib: 'fetch' } };
          if (name === '$fetch') return { kind: 'client', client: { lib: 'ofetch' } };
          // `window.axios = axios` (Laravel's bootstrap) or a <script> tag: the global axios.
          if (name === 'axios') return { kind: 'client', client: { lib: 'axios', globalAxios: true } };
        }
        return { kind: 'env', source: `${value.source}.${name}` };
      case 'param':
        // SvelteKit's `load(event)`: `event.fetch` (also `const { fetch } = event`) is fetch.
        if (name === 'fetch' && value.path.length === 0 && value.binding.index === 0 && isSvelteKitRouteFunction(value.binding.fn, value.binding.scope.module)) {
          return { kind: 'client', client: { lib: 'fetch' } };
        }
        return { kind: 'param', binding: value.binding, path: [...value.path, name], source: `${value.source}.${name}`, viaMember: true };
      case 'string':
        if (name === 'href') return value;
        return { kind: 'unknown', reason: `\`.${name}\` of a string` };
      case 'global':
        if (node) return { kind: 'unknown', reason: `\`${value.name}.${name}\` is not known` };
        return { kind: 'unknown', reason: `a property of \`${value.name}\`` };
      default:
        return { kind: 'unknown', reason: `\`.${name}\` of ${value.kind === 'unknown' ? 'an unknown value' : `a ${value.kind}`}` };
    }
  }

  private objectProperty(object: TSESTree.ObjectExpression, scope: Scope, name: string): Value {
    for (let i = object.properties.length - 1; i >= 0; i--) {
      const prop = object.properties[i];
      if (prop.type === 'SpreadElement') {
        const spread = this.evaluate(prop.argument, scope);
        // A spread of a known object without the key lets earlier properties through.
        if (spread.kind === 'object' && !this.objectHas(spread.node, spread.scope, name, 0)) continue;
        const inner = this.member(spread, name);
        if (inner.kind !== 'unknown') return inner;
        return { kind: 'unknown', reason: `\`${name}\` may come from a spread` };
      }
      if (propertyKeyName(prop.key, prop.computed) !== name) continue;
      const valueNode = prop.value;
      if (isFunctionLike(valueNode)) {
        return {
          kind: 'function',
          fn: valueNode,
          module: scope.module,
          thisValue: valueNode.type === 'ArrowFunctionExpression' ? this.thisValueOrUndefined(scope) : { kind: 'object', node: object, scope },
        };
      }
      if (prop.kind !== 'init') return { kind: 'unknown', reason: `\`${name}\` is a getter` };
      return this.evaluate(valueNode, scope);
    }
    return { kind: 'unknown', reason: `the object has no \`${name}\`` };
  }

  /** Whether an object literal (or a known object it spreads) may have the key; unknown spreads may. */
  private objectHas(object: TSESTree.ObjectExpression, scope: Scope, name: string, depth: number): boolean {
    return object.properties.some((prop) => {
      if (prop.type === 'Property') return propertyKeyName(prop.key, prop.computed) === name;
      if (depth > 5) return true;
      const spread = this.evaluate(prop.argument, scope);
      return spread.kind !== 'object' || this.objectHas(spread.node, spread.scope, name, depth + 1);
    });
  }

  private instanceMember(instance: Extract<Value, { kind: 'instance' }>, name: string): Value {
    let cls: ClassInfo | undefined = instance.cls;
    let module = instance.module;
    for (let hops = 0; cls && hops < 10; hops++) {
      const method = cls.methods.get(name);
      if (method) return { kind: 'function', fn: method, module, thisValue: instance };
      const field = cls.fields.get(name);
      if (field && 'typeName' in field) {
        const binding = this.lookup(field.typeName, field.scope);
        return binding ? this.bindingValue(binding, field.typeName) : { kind: 'unknown', reason: `\`${field.typeName}\` is not known` };
      }
      if (field) {
        const ctor = field.scope.fn;
        // Constructor fields see the `new` arguments when the instance was made where we can see it.
        if (ctor && instance.args && instance.cls === cls) {
          return this.withFrame(ctor, { args: instance.args, thisValue: instance }, () => this.evaluate(field.expr, field.scope));
        }
        return this.withFrame(ctor, { thisValue: instance }, () => this.evaluate(field.expr, field.scope));
      }
      const superClass = cls.node.superClass;
      if (!superClass) break;
      const parent = this.evaluate(superClass, cls.scope);
      if (parent.kind !== 'class') break;
      cls = parent.cls;
      module = parent.module;
    }
    return { kind: 'unknown', reason: `\`${instance.cls.name}\` has no known \`${name}\`` };
  }

  withFrame<T>(fn: FunctionLike | undefined, frame: Frame, run: () => T): T {
    if (!fn) return run();
    const previous = this.frames.get(fn);
    this.frames.set(fn, frame);
    try {
      return run();
    } finally {
      if (previous) this.frames.set(fn, previous);
      else this.frames.delete(fn);
    }
  }

  /** The single expression a function returns (arrow body or one `return`), if it has one. */
  returnedExpression(fn: FunctionLike): Expr | undefined {
    // Overload signatures and abstract methods have no body.
    if (!fn.body) return undefined;
    if (fn.body.type !== 'BlockStatement') return fn.body;
    const returns = fn.body.body.filter((s): s is TSESTree.ReturnStatement => s.type === 'ReturnStatement');
    if (returns.length !== 1 || !returns[0].argument) return undefined;
    return returns[0].argument;
  }

  /** Calls a known function: its single returned expression, with parameters bound to the arguments. */
  callFunction(fnValue: Extract<Value, { kind: 'function' }>, args: TSESTree.CallExpressionArgument[], scope: Scope): Value {
    const expr = this.returnedExpression(fnValue.fn);
    const fnScope = fnValue.module.functionScopes.get(fnValue.fn);
    if (!expr || !fnScope) return { kind: 'unknown', reason: 'the function does more than return a value' };
    if (fnValue.fn.async) return { kind: 'unknown', reason: 'an async function' };
    return this.withFrame(fnValue.fn, { args: { nodes: args, scope }, thisValue: fnValue.thisValue }, () => this.evaluate(expr, fnScope));
  }

  private evaluateCall(node: TSESTree.CallExpression, scope: Scope): Value {
    const callee = unwrapExpression(node.callee as Expr);
    const args = node.arguments;
    const firstArg = args[0] && args[0].type !== 'SpreadElement' ? args[0] : undefined;
    if (callee.type === 'Identifier' && !this.lookup(callee.name, scope)) {
      switch (callee.name) {
        case 'require':
          if (firstArg?.type === 'Literal' && typeof firstArg.value === 'string') {
            const pkg = packageValue(firstArg.value, 'default');
            if (pkg) return pkg;
            const target = this.host.importModule(scope.module.file, firstArg.value);
            if (!target) return { kind: 'unknown', reason: `'${firstArg.value}' is outside the scanned files` };
            this.touch(target.file);
            return target.commonJs ? this.moduleExport(target, 'default') : { kind: 'namespace', module: target };
          }
          return { kind: 'unknown', reason: 'a dynamic require' };
        case 'String':
        case 'encodeURI':
          return firstArg ? this.evaluate(firstArg, scope) : { kind: 'unknown', reason: 'no argument' };
        default:
          break;
      }
    }
    if (callee.type === 'MemberExpression') {
      const name = this.memberName(callee, scope);
      if (name !== undefined) {
        const object = this.evaluate(callee.object, scope);
        const builtin = this.stringMethod(object, name, args, scope);
        if (builtin) return builtin;
        if (object.kind === 'client' && (name === 'create' || name === 'extend')) return this.createClient(object.client, firstArg, scope, node);
        const method = this.member(object, name, callee);
        return this.applyCallee(method, node, scope);
      }
    }
    return this.applyCallee(this.evaluate(callee, scope), node, scope);
  }

  private applyCallee(callee: Value, node: TSESTree.CallExpression, scope: Scope): Value {
    if (callee.kind === 'client' && callee.client.factory) {
      const arg = node.arguments[0] && node.arguments[0].type !== 'SpreadElement' ? node.arguments[0] : undefined;
      return this.createClient({ lib: 'openapi-fetch' }, arg, scope, node);
    }
    if (callee.kind === 'function') return this.callFunction(callee, node.arguments, scope);
    if (callee.kind === 'global' && callee.name === 'rtk#fetchBaseQuery') {
      // RTK Query's fetchBaseQuery({ baseUrl }) is the base every endpoint's query joins.
      const arg = node.arguments[0] && node.arguments[0].type !== 'SpreadElement' ? node.arguments[0] : undefined;
      return this.createClient({ lib: 'rtk-query' }, arg, scope, node);
    }
    if (callee.kind === 'global' && callee.name === '@angular/core#inject') {
      // inject(HttpClient) is the HttpClient.
      const token = node.arguments[0] && node.arguments[0].type !== 'SpreadElement' ? this.evaluate(node.arguments[0], scope) : undefined;
      if (token?.kind === 'client' && token.client.lib === 'angular') return token;
    }
    if (callee.kind === 'unknown') return callee;
    return { kind: 'unknown', reason: 'the result of a call' };
  }

  /** `.toString()`, `.toLowerCase()`, `.concat()`, `[…].join()` on known values. */
  private stringMethod(object: Value, name: string, args: TSESTree.CallExpressionArgument[], scope: Scope): Value | undefined {
    if (object.kind === 'param' && (name === 'toUpperCase' || name === 'toLowerCase' || name === 'toString')) return object;
    if (object.kind === 'string') {
      if (name === 'toString' || name === 'valueOf' || name === 'trim') return object;
      if ((name === 'toUpperCase' || name === 'toLowerCase') && object.parts.every((p) => p.kind === 'text')) {
        return {
          kind: 'string',
          parts: object.parts.map((p) => text(name === 'toUpperCase' ? (p as { text: string }).text.toUpperCase() : (p as { text: string }).text.toLowerCase())),
        };
      }
      if ((name === 'replace' || name === 'replaceAll') && args.length === 2 && args[0].type !== 'SpreadElement' && args[1].type !== 'SpreadElement') {
        // `'/items/:id'.replace(':id', id)`: the route template's marker becomes the value.
        const pattern = this.evaluate(args[0], scope);
        if (pattern.kind !== 'string' || !pattern.parts.every((p) => p.kind === 'text')) return { kind: 'unknown', reason: 'a replace() with a pattern that is not a plain string' };
        const needle = pattern.parts.map((p) => (p as { text: string }).text).join('');
        const replacement = this.partsOrPlaceholder(args[1], scope);
        const out: Part[] = [];
        let done = false;
        for (const part of mergeText(object.parts)) {
          if (part.kind !== 'text' || needle === '' || (done && name === 'replace')) {
            out.push(part);
            continue;
          }
          const pieces = name === 'replace' ? splitOnce(part.text, needle) : part.text.split(needle);
          pieces.forEach((piece, i) => {
            if (i > 0) out.push(...replacement);
            if (piece) out.push(text(piece));
          });
          if (pieces.length > 1) done = true;
        }
        return { kind: 'string', parts: out };
      }
      if (name === 'concat') {
        const parts = [...object.parts];
        for (const arg of args) parts.push(...(arg.type === 'SpreadElement' ? [{ kind: 'placeholder' as const, source: '…' }] : this.partsOrPlaceholder(arg, scope)));
        return { kind: 'string', parts };
      }
    }
    if (object.kind === 'array' && name === 'join') {
      const sepArg = args[0];
      let separator = ',';
      if (sepArg) {
        const sep = sepArg.type === 'SpreadElement' ? undefined : this.evaluate(sepArg, scope);
        if (!sep || sep.kind !== 'string' || !sep.parts.every((p) => p.kind === 'text')) return { kind: 'unknown', reason: 'an unknown separator' };
        separator = sep.parts.map((p) => (p as { text: string }).text).join('');
      }
      const parts: Part[] = [];
      object.node.elements.forEach((element, i) => {
        if (i > 0) parts.push(text(separator));
        if (!element || element.type === 'SpreadElement') parts.push({ kind: 'placeholder', source: '…' });
        else parts.push(...this.partsOrPlaceholder(element, object.scope));
      });
      return { kind: 'string', parts };
    }
    return undefined;
  }

  /** A client made by `axios.create`, `ky.create/extend`, `$fetch.create`, `createClient` (openapi-fetch). */
  createClient(parent: ClientRef, configNode: Node | undefined, scope: Scope, createdBy: Node): Value {
    if (parent.lib === 'fetch' || parent.lib === 'swr') return { kind: 'unknown', reason: 'not a client factory' };
    const key = parent.lib === 'ky' ? 'prefixUrl' : parent.lib === 'openapi-fetch' || parent.lib === 'rtk-query' ? 'baseUrl' : 'baseURL';
    let base: BaseUrl | undefined;
    if (configNode) {
      const config = this.evaluate(configNode, scope);
      if (config.kind === 'object') {
        const baseValue = this.objectProperty(config.node, config.scope, key);
        const hasKey = this.objectHas(config.node, config.scope, key, 0);
        if (hasKey) {
          const parts = this.toParts(baseValue);
          base = parts ? { kind: 'parts', parts } : { kind: 'unresolved', reason: `the ${key} ${baseValue.kind === 'unknown' ? `is unknown (${baseValue.reason})` : 'is not a string'}` };
        }
      } else {
        base = { kind: 'unresolved', reason: `the ${key} comes from a config that is not known` };
      }
    }
    // ky.extend / $fetch.create keep the parent's base unless they set one.
    if (!base && !parent.globalAxios) base = parent.base;
    return { kind: 'client', client: { lib: parent.lib, base, createdBy, createdIn: scope.module.file } };
  }

  private evaluateNew(node: TSESTree.NewExpression, scope: Scope): Value {
    const callee = unwrapExpression(node.callee as Expr);
    const args = node.arguments;
    if (callee.type === 'Identifier' && !this.lookup(callee.name, scope)) {
      if (callee.name === 'Request') return { kind: 'request', node };
      if (callee.name === 'URL') return this.newUrl(args, scope);
      if (callee.name === 'URLSearchParams') return { kind: 'unknown', reason: 'query parameters' };
      if (callee.name === 'String') return args[0] && args[0].type !== 'SpreadElement' ? this.evaluate(args[0], scope) : { kind: 'unknown', reason: 'no argument' };
    }
    const cls = this.evaluate(callee, scope);
    if (cls.kind === 'class') return { kind: 'instance', cls: cls.cls, module: cls.module, args: { nodes: args, scope } };
    return { kind: 'unknown', reason: 'a constructed object' };
  }

  /** `new URL(path, base)`: WHATWG resolution of a path against a base. */
  private newUrl(args: TSESTree.CallExpressionArgument[], scope: Scope): Value {
    const [pathArg, baseArg] = args;
    if (!pathArg || pathArg.type === 'SpreadElement') return { kind: 'unknown', reason: 'new URL without a path' };
    const path = this.toParts(this.evaluate(pathArg, scope));
    if (!path) return { kind: 'unknown', reason: 'new URL of an unknown value' };
    if (!baseArg || baseArg.type === 'SpreadElement' || isAbsoluteParts(path)) return { kind: 'string', parts: path };
    const base = this.toParts(this.evaluate(baseArg, scope));
    if (!base) return { kind: 'unknown', reason: 'new URL with an unknown base' };
    const first = path[0];
    if (first?.kind === 'text' && first.text.startsWith('/')) {
      // An absolute path keeps only the base's origin.
      const split = splitOrigin(base);
      if (split.origin.kind === 'relative') return { kind: 'string', parts: path };
      return { kind: 'string', parts: [...split.originParts, ...path] };
    }
    // A relative path replaces the base's last segment.
    const merged = mergeText(base);
    const last = merged[merged.length - 1];
    if (last?.kind === 'text') {
      const cut = last.text.lastIndexOf('/');
      const head = merged.slice(0, -1);
      if (cut >= 0) return { kind: 'string', parts: [...head, text(last.text.slice(0, cut + 1)), ...path] };
    }
    return { kind: 'string', parts: [...merged, text('/'), ...path] };
  }

  // ---- strings ---------------------------------------------------------------------------------

  /** The string parts of a value, or undefined when it is not a string we can describe. */
  toParts(value: Value): Part[] | undefined {
    switch (value.kind) {
      case 'string':
        return value.parts;
      case 'env':
        return [{ kind: 'env', source: value.source }];
      case 'param':
        return [{ kind: 'param', binding: value.binding, path: value.path, source: value.source, viaMember: value.viaMember }];
      default:
        return undefined;
    }
  }

  partsOrPlaceholder(node: Node, scope: Scope): Part[] {
    const value = this.evaluate(node, scope);
    return this.toParts(value) ?? [{ kind: 'placeholder', source: sourceText(scope.module, node) }];
  }
}

// ---- URL finishing ------------------------------------------------------------------------------

function splitOnce(value: string, needle: string): string[] {
  const at = value.indexOf(needle);
  return at < 0 ? [value] : [value.slice(0, at), value.slice(at + needle.length)];
}

function partsEqual(a: Part[], b: Part[]): boolean {
  const x = mergeText(a);
  const y = mergeText(b);
  return x.length === y.length && x.every((p, i) => p.kind === y[i].kind && (p.kind === 'text' ? p.text === (y[i] as { text: string }).text : p.source === (y[i] as { source: string }).source));
}

export function mergeText(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text') {
      if (part.text === '') continue;
      if (last?.kind === 'text') out[out.length - 1] = text(last.text + part.text);
      else out.push(part);
    } else {
      out.push(part);
    }
  }
  return out;
}

const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i;

export function isAbsoluteParts(parts: Part[]): boolean {
  const first = parts[0];
  return first?.kind === 'env' || (first?.kind === 'text' && ABSOLUTE.test(first.text));
}

/** True for parts that are nothing (`''`) or start a query string or a fragment (`?q=${q}`, `#top`). */
function isQueryOrEmpty(parts: Part[]): boolean {
  const first = parts.find((p) => p.kind !== 'text' || p.text !== '');
  return first === undefined || (first.kind === 'text' && (first.text.startsWith('?') || first.text.startsWith('#')));
}

/** Drops `?query` and `#fragment`, and everything after them. */
export function stripQuery(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of mergeText(parts)) {
    if (part.kind === 'text') {
      const cut = part.text.search(/[?#]/);
      if (cut >= 0) {
        if (cut > 0) out.push(text(part.text.slice(0, cut)));
        return out;
      }
    }
    out.push(part);
  }
  return out;
}

/** Splits `scheme://host:port` (or an env value) from the path. */
export function splitOrigin(parts: Part[]): { origin: UrlOrigin; originParts: Part[]; path: Part[]; scheme?: string } {
  const merged = mergeText(parts);
  const first = merged[0];
  if (first?.kind === 'env') {
    return { origin: { kind: 'unknown', source: first.source }, originParts: [first], path: merged.slice(1) };
  }
  if (first?.kind !== 'text' || !ABSOLUTE.test(first.text)) return { origin: { kind: 'relative' }, originParts: [], path: merged };
  const scheme = /^([a-z][a-z\d+\-.]*):/i.exec(first.text)?.[1]?.toLowerCase();
  const originParts: Part[] = [];
  const afterSlashes = first.text.indexOf('//') + 2;
  for (let i = 0; i < merged.length; i++) {
    const part = merged[i];
    if (part.kind !== 'text') {
      originParts.push(part);
      continue;
    }
    const from = i === 0 ? afterSlashes : 0;
    const slash = part.text.indexOf('/', from);
    if (slash < 0) {
      originParts.push(part);
      continue;
    }
    originParts.push(text(part.text.slice(0, slash)));
    const path = [text(part.text.slice(slash)), ...merged.slice(i + 1)];
    return { origin: originOf(originParts), originParts, path, scheme };
  }
  return { origin: originOf(originParts), originParts, path: [text('/')], scheme };
}

function originOf(parts: Part[]): UrlOrigin {
  if (parts.every((p) => p.kind === 'text')) return { kind: 'literal', origin: parts.map((p) => (p as { text: string }).text).join('') };
  return { kind: 'unknown', source: parts.map((p) => (p.kind === 'text' ? p.text : `\${${p.source}}`)).join('') };
}

/** axios's combineURLs: `base` without its trailing slash + '/' + `relative` without its leading slashes. */
export function combineUrls(base: Part[], relative: Part[]): Part[] {
  const b = mergeText(base);
  const r = mergeText(relative);
  if (r.length === 0) return b;
  const last = b[b.length - 1];
  const head = last?.kind === 'text' ? [...b.slice(0, -1), text(last.text.replace(/\/?\/$/, ''))] : b;
  const first = r[0];
  const tail = first.kind === 'text' ? [text(first.text.replace(/^\/+/, '')), ...r.slice(1)] : r;
  return mergeText([...head, text('/'), ...tail]);
}

export type FinishedUrl = { kind: 'url'; resolution: UrlResolution } | { kind: 'websocket' };

/**
 * Turns the parts of a call's URL into a UrlResolution: joins the client's base (unless the URL is
 * absolute), strips query and fragment, splits the origin. A leading run-time value is unresolved.
 */
export function finishUrl(parts: Part[], base: BaseUrl | undefined, specSyntax = false): FinishedUrl {
  let full = mergeText(parts);
  const start = full[0];
  if (start && (start.kind === 'placeholder' || start.kind === 'param')) {
    return { kind: 'url', resolution: { kind: 'unresolved', reason: `the URL starts with the run-time value \`${start.source}\`` } };
  }
  if (!isAbsoluteParts(full) && base) {
    if (base.kind === 'unresolved') return { kind: 'url', resolution: { kind: 'unresolved', reason: base.reason } };
    full = combineUrls(base.parts, full);
  }
  full = stripQuery(full);
  const split = splitOrigin(full);
  if (split.scheme === 'ws' || split.scheme === 'wss') return { kind: 'websocket' };
  const path = mergeText(split.path);
  const lead = path[0];
  if (lead && lead.kind !== 'text') {
    return { kind: 'url', resolution: { kind: 'unresolved', reason: `the path starts with the run-time value \`${lead.source}\`` } };
  }
  // `/api${url}` left over (no callers to follow): the parameter is the rest of a segment, so the path is not known.
  const glued = path.find((p, i) => {
    const previous = path[i - 1];
    return p.kind === 'param' && previous?.kind === 'text' && !previous.text.endsWith('/');
  });
  if (glued && glued.kind === 'param') {
    return { kind: 'url', resolution: { kind: 'unresolved', reason: `the path is glued to the run-time value \`${glued.source}\`` } };
  }
  const urlParts = removeDotSegments(path.map((p): UrlPart => (p.kind === 'text' ? { kind: 'text', text: p.text } : { kind: 'placeholder', source: p.source })));
  if (urlParts.length === 0) urlParts.push({ kind: 'text', text: '/' });
  const resolution: UrlResolution = { kind: 'resolved', origin: split.origin, path: urlParts };
  if (specSyntax) resolution.specSyntax = true;
  return { kind: 'url', resolution };
}

/**
 * `/api/./users`, `/api/x/../users` → `/api/users`, as a browser resolves them (RFC 3986 §5.2.4); a `..` may drop
 * a segment holding a run-time value too. Parts without dot segments come back as they are.
 */
function removeDotSegments(parts: UrlPart[]): UrlPart[] {
  const values: string[] = [];
  const joined = parts.map((p) => (p.kind === 'text' ? p.text : `\u0000${values.push(p.source) - 1}\u0000`)).join('');
  if (!/(^|\/)\.\.?(\/|$)/.test(joined)) return parts;
  const segments = joined.split('/');
  // A relative path's leading `./` and `../` (`./api/users`): nothing to climb out of, so they go.
  while (segments.length > 1 && (segments[0] === '.' || segments[0] === '..')) segments.shift();
  const out: string[] = [segments[0]];
  segments.slice(1).forEach((segment, i, rest) => {
    const last = i === rest.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..' && out.length > 1) out.pop();
      if (last) out.push('');
      return;
    }
    out.push(segment);
  });
  const result: UrlPart[] = [];
  out.join('/').split(/\u0000(\d+)\u0000/).forEach((piece, i) => {
    if (i % 2 === 1) result.push({ kind: 'placeholder', source: values[Number(piece)] });
    else if (piece !== '') result.push({ kind: 'text', text: piece });
  });
  return result;
}

export { isPathLikeName };
