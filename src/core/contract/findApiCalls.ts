// Finds the HTTP call sites of one indexed module: calls whose receiver resolves to an HTTP client,
// and calls to wrapper functions that forward a parameter as the URL (their callers are the sites).
import { TSESTree } from '@typescript-eslint/typescript-estree';
import { HTTP_METHODS, type ApiCall, type HttpMethod, type Span } from './types';
import { CallCandidate, FunctionLike, ModuleIndex, Scope, propertyKeyName, unwrapExpression } from './moduleIndex';
import { BaseUrl, ClientRef, Evaluator, ParamBinding, Part, Value, finishUrl, isPathLikeName, mergeText } from './resolveUrl';

type Node = TSESTree.Node;
type Arg = TSESTree.CallExpressionArgument;

/** How a call chooses its method: known, unknown, or forwarded from a wrapper's parameter. */
type MethodSpec =
  /** `elsewhere`: the method was written in another module (an imported options object): no span for it. */
  | { kind: 'static'; method: HttpMethod | null; node?: Node; elsewhere?: boolean }
  | { kind: 'param'; binding: ParamBinding; path: string[] };

/** An HTTP call recognised at one site, before its URL is finished. */
interface RecognisedCall {
  clientName: string;
  /** The base the URL joins (client instance base, config `baseURL`). */
  base: BaseUrl | undefined;
  method: MethodSpec;
  /** The URL's value parts, and the node they came from (for the span). */
  url: { parts: Part[] } | { unresolved: string };
  urlNode: Node;
  specSyntax: boolean;
  /** SWR keys count only when they look like URLs. */
  requireUrlLike: boolean;
  via?: string;
}

/** A function that forwards one of its parameters as the URL of an HTTP call. */
export interface WrapperInfo {
  fn: FunctionLike;
  name: string;
  urlParam: { index: number; path: string[] };
  prefix: Part[];
  suffix: Part[];
  /** For a forwarded method, the parameter's default (`{ method = 'POST' }`) when a caller leaves it out. */
  method: { kind: 'static'; method: HttpMethod | null } | { kind: 'param'; index: number; path: string[]; whenMissing: HttpMethod | null };
  clientName: string;
  base: BaseUrl | undefined;
  specSyntax: boolean;
  requireUrlLike: boolean;
}

const AXIOS_METHODS: Record<string, HttpMethod> = {
  get: 'GET',
  delete: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  postForm: 'POST',
  putForm: 'PUT',
  patchForm: 'PATCH',
};
const KY_METHODS: Record<string, HttpMethod> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD' };

export function toSpan(node: Node): Span {
  return { start: { line: node.loc.start.line, column: node.loc.start.column }, end: { line: node.loc.end.line, column: node.loc.end.column } };
}

function argument(args: Arg[], index: number): TSESTree.Expression | undefined {
  const arg = args[index];
  return arg && arg.type !== 'SpreadElement' ? arg : undefined;
}

function asMethod(value: string): HttpMethod | null {
  const upper = value.toUpperCase();
  return (HTTP_METHODS as readonly string[]).includes(upper) ? (upper as HttpMethod) : null;
}

/** Finds HTTP calls in modules; one instance per scan pass (it memoises wrapper analysis). */
export class ApiCallFinder {
  private readonly wrappers = new WeakMap<FunctionLike, { info: WrapperInfo | null; deps: Set<string> }>();
  private readonly wrappersInProgress = new Set<FunctionLike>();
  private readonly recognised = new WeakMap<Node, { call: RecognisedCall | undefined; deps: Set<string> }>();

  constructor(readonly evaluator: Evaluator) {}

  /** The module's calls, and the other modules they were worked out from. */
  findCalls(mod: ModuleIndex): { calls: ApiCall[]; deps: Set<string> } {
    const { result, deps } = this.evaluator.track(() => {
      const calls: ApiCall[] = [];
      for (const candidate of mod.candidates) {
        const call = this.callAt(candidate);
        if (call) calls.push(call);
      }
      return calls;
    });
    deps.delete(mod.file);
    return { calls: result, deps };
  }

  /** The reported call at a candidate site, or undefined (not HTTP, a forwarding call inside a wrapper, a websocket…). */
  private callAt(candidate: CallCandidate): ApiCall | undefined {
    const recognised = this.recognise(candidate);
    if (!recognised) return undefined;
    if ('parts' in recognised.url && this.forwardedParam(recognised.url.parts)) return undefined;
    // A method chosen by a parameter of a function that is not a wrapper cannot be known here.
    const method: Extract<MethodSpec, { kind: 'static' }> = recognised.method.kind === 'param' ? { kind: 'static', method: null } : recognised.method;
    const mod = candidate.scope.module;
    let url: ApiCall['url'];
    if ('unresolved' in recognised.url) {
      if (recognised.requireUrlLike) return undefined;
      url = { kind: 'unresolved', reason: recognised.url.unresolved };
    } else {
      const finished = finishUrl(recognised.url.parts, recognised.base, recognised.specSyntax);
      if (finished.kind === 'websocket') return undefined;
      url = finished.resolution;
      if (recognised.requireUrlLike && !looksLikeUrl(recognised.url.parts)) return undefined;
    }
    const callSpan = toSpan(candidate.node);
    const urlSpan = toSpan(recognised.urlNode);
    // A `zenops-ignore` on any line of the call (or alone on the line above it) speaks for it.
    let suppressed = false;
    for (let line = callSpan.start.line; line <= callSpan.end.line && !suppressed; line++) suppressed = mod.ignoreLines.has(line);
    const call: ApiCall = {
      file: mod.file,
      client: recognised.clientName,
      method: method.method,
      url,
      callSpan,
      urlSpan,
      suppressed,
    };
    if (method.node && !method.elsewhere) call.methodSpan = toSpan(method.node);
    if (recognised.via) call.via = recognised.via;
    return call;
  }

  /**
   * A parameter of an enclosing function that this URL forwards: the whole URL, its start, the rest of a segment
   * it is glued to (`/api${url}`), or a path-named parameter after literal text (`/api/${path}`); `/items/${id}`
   * is an ordinary call with a placeholder.
   */
  private forwardedParam(parts: Part[]): Extract<Part, { kind: 'param' }> | undefined {
    const merged = mergeText(parts);
    const index = merged.findIndex((p) => p.kind === 'param');
    if (index < 0) return undefined;
    const param = merged[index] as Extract<Part, { kind: 'param' }>;
    // `api.get(link.href)`: a property of an argument is a run-time value, not a forwarded URL.
    if (param.viaMember) return undefined;
    // An anonymous callback (`urls.map((u) => fetch(u))`) has no callers to report instead.
    if (!param.binding.scope.module.functionNames.has(param.binding.fn)) return undefined;
    const before = merged.slice(0, index);
    const previous = before[before.length - 1];
    // `http://${host}:${port}/…`: a parameter in the host is not a forwarded URL.
    if (previous?.kind === 'text' && /:\/\/[^/]*$/.test(previous.text)) return undefined;
    const literalBefore = before.some((p) => p.kind === 'text' && p.text.replace(/\//g, '') !== '' && !/^[a-z][a-z\d+\-.]*:\/\/[^/]*\/?$/i.test(p.text));
    if (!literalBefore) return param;
    // `/api${url}`, `'/api' + path`, `API_BASE + url`: a parameter glued to text inside a segment is the rest of the URL,
    // unless the path goes on after it (`/v${version}/items`) or the text ends like part of a name (`/files/u-${id}`).
    const after = merged
      .slice(index + 1)
      .map((p) => (p.kind === 'text' ? p.text : '\0'))
      .join('');
    const pathGoesOn = /^[^?#]*\//.test(after);
    if (
      previous?.kind === 'text' &&
      !previous.text.endsWith('/') &&
      !/[-_.=~:@]$/.test(previous.text) &&
      !pathGoesOn &&
      !/[?#]/.test(before.map((p) => (p.kind === 'text' ? p.text : '')).join(''))
    ) {
      return param;
    }
    const name = param.path.length > 0 ? param.path[param.path.length - 1] : param.binding.name;
    if (isPathLikeName(name) && previous?.kind === 'text' && previous.text.endsWith('/')) return param;
    return undefined;
  }

  // ---- recognising client calls ----------------------------------------------------------------

  /** Recognition is the same wherever it is asked for in a pass (a module's calls, a wrapper's body): memoised. */
  private recognise(candidate: CallCandidate): RecognisedCall | undefined {
    const known = this.recognised.get(candidate.node);
    if (known) {
      this.evaluator.touchAll(known.deps);
      return known.call;
    }
    const hits = this.evaluator.limitHits;
    const { result, deps } = this.evaluator.track(() => this.evaluator.fresh(() => this.recogniseUncached(candidate), undefined));
    // While a wrapper is being worked out, a recursive call sees it as "not a wrapper yet": do not keep that,
    // nor an answer cut short by a limit (see Evaluator.limitHits).
    if (this.wrappersInProgress.size === 0 && this.evaluator.limitHits === hits) this.recognised.set(candidate.node, { call: result, deps });
    return result;
  }

  private recogniseUncached(candidate: CallCandidate): RecognisedCall | undefined {
    const { node, scope } = candidate;
    const ev = this.evaluator;
    if (node.type === 'NewExpression') {
      const callee = unwrapExpression(node.callee as TSESTree.Expression);
      if (callee.type === 'Identifier' && callee.name === 'Request' && !ev.lookup('Request', scope)) {
        return this.fetchLike('fetch', node.arguments, scope, undefined);
      }
      return undefined;
    }
    const callee = unwrapExpression(node.callee as TSESTree.Expression);
    let target: Value;
    let memberNode: Node | undefined;
    if (callee.type === 'MemberExpression') {
      const object = ev.evaluate(callee.object, scope);
      // `window['fetch']`: a computed key that is a literal names the member like `.fetch` does.
      const name = propertyKeyName(callee.property, callee.computed);
      memberNode = callee.property;
      if (callee.computed && object.kind === 'client') {
        // `api[method](url)`: the method is whatever the key evaluates to.
        const key = ev.evaluate(callee.property, scope);
        return this.clientMemberCall(object.client, key, node.arguments, scope, callee.property);
      }
      if (name === undefined) return undefined;
      if (object.kind === 'param' && (name === 'query' || name === 'mutation')) return this.rtkEndpoint(object, node.arguments);
      target = ev.member(object, name, callee);
    } else {
      target = ev.evaluate(callee, scope);
    }
    if (target.kind === 'clientMember') {
      return this.clientMemberCall(target.client, { kind: 'string', parts: [{ kind: 'text', text: target.name }] }, node.arguments, scope, memberNode);
    }
    if (target.kind === 'client') return this.clientCall(target.client, node.arguments, scope);
    if (target.kind === 'function') {
      const wrapper = this.wrapperInfo(target.fn, target.module);
      if (wrapper) return this.wrapperCall(wrapper, node.arguments, scope);
    }
    return undefined;
  }

  /** `client(url, options)` or `client(config)`. */
  private clientCall(client: ClientRef, args: Arg[], scope: Scope): RecognisedCall | undefined {
    if (client.factory) return undefined;
    switch (client.lib) {
      case 'axios': {
        const first = argument(args, 0);
        if (!first) return undefined;
        const firstValue = this.evaluator.evaluate(first, scope);
        if (firstValue.kind === 'object' || (firstValue.kind === 'param' && first.type === 'Identifier' && !looksLikeUrlName(firstValue))) {
          return this.configCall(client, firstValue, first, scope);
        }
        return this.withOptions('axios', client, first, argument(args, 1), scope, 'GET', 'baseURL');
      }
      case 'fetch':
        return this.fetchLike('fetch', args, scope, client);
      case 'ky':
        return this.withOptions('ky', client, argument(args, 0), argument(args, 1), scope, 'GET', 'prefixUrl');
      case 'ofetch': {
        const first = argument(args, 0);
        // useFetch(() => `/items/${id}`): the getter's result is the URL.
        const urlNode = first && (first.type === 'ArrowFunctionExpression' && first.body.type !== 'BlockStatement' ? first.body : first);
        return this.withOptions('ofetch', client, urlNode, argument(args, 1), scope, 'GET', 'baseURL');
      }
      case 'swr':
        return this.swrCall(args, scope);
      default:
        return undefined;
    }
  }

  /** `client.get(url)`, `client.request(config)`, `client.GET('/spec/{path}')`, `$fetch.raw(url)`. */
  private clientMemberCall(client: ClientRef, key: Value, args: Arg[], scope: Scope, memberNode: Node | undefined): RecognisedCall | undefined {
    const name = key.kind === 'string' && key.parts.every((p) => p.kind === 'text') ? key.parts.map((p) => (p as { text: string }).text).join('') : undefined;
    const first = argument(args, 0);
    if (client.factory) return undefined;
    if (key.kind === 'param') {
      // A wrapper picking the method: `api[method](url)`.
      if (client.lib !== 'axios' && client.lib !== 'ky') return undefined;
      if (!first) return undefined;
      const recognised = this.withOptions(client.lib, client, first, undefined, scope, null, 'baseURL');
      if (recognised) recognised.method = { kind: 'param', binding: key.binding, path: key.path };
      return recognised;
    }
    if (name === undefined) return undefined;
    switch (client.lib) {
      case 'axios': {
        if (name === 'request') {
          if (!first) return undefined;
          return this.configCall(client, this.evaluator.evaluate(first, scope), first, scope);
        }
        const method = AXIOS_METHODS[name];
        if (!method || !first) return undefined;
        const configIndex = method === 'POST' || method === 'PUT' || method === 'PATCH' ? 2 : 1;
        const recognised = this.withOptions('axios', client, first, argument(args, configIndex), scope, method, 'baseURL');
        if (recognised) recognised.method = { kind: 'static', method, node: memberNode };
        return recognised;
      }
      case 'ky': {
        const method = KY_METHODS[name];
        if (!method || !first) return undefined;
        const recognised = this.withOptions('ky', client, first, argument(args, 1), scope, method, 'prefixUrl');
        if (recognised) recognised.method = { kind: 'static', method, node: memberNode };
        return recognised;
      }
      case 'ofetch':
        if (name !== 'raw' && name !== 'native') return undefined;
        return this.withOptions('ofetch', client, first, argument(args, 1), scope, 'GET', 'baseURL');
      case 'openapi-fetch': {
        const method = asMethod(name);
        if (!method || name !== method || !first) return undefined;
        const url = this.urlParts(first, scope);
        return {
          clientName: 'openapi-fetch',
          base: client.base,
          method: { kind: 'static', method, node: memberNode },
          url,
          urlNode: first,
          specSyntax: true,
          requireUrlLike: false,
        };
      }
      case 'angular': {
        // HttpClient: get/post/…(url, …) and request(method, url, …).
        if (name === 'request') {
          const url = argument(args, 1);
          if (!first || !url) return undefined;
          const methodValue = this.evaluator.evaluate(first, scope);
          const parts = this.evaluator.toParts(methodValue);
          const method: MethodSpec =
            methodValue.kind === 'param'
              ? { kind: 'param', binding: methodValue.binding, path: methodValue.path }
              : { kind: 'static', method: parts?.every((p) => p.kind === 'text') ? asMethod(parts.map((p) => (p as { text: string }).text).join('')) : null, node: first };
          return { clientName: 'angular', base: undefined, method, url: this.urlParts(url, scope), urlNode: url, specSyntax: false, requireUrlLike: false };
        }
        const method = AXIOS_METHODS[name];
        if (!method || name.endsWith('Form') || !first) return undefined;
        return {
          clientName: 'angular',
          base: undefined,
          method: { kind: 'static', method, node: memberNode },
          url: this.urlParts(first, scope),
          urlNode: first,
          specSyntax: false,
          requireUrlLike: false,
        };
      }
      case 'fetch':
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * RTK Query: `createApi({ baseQuery: fetchBaseQuery({ baseUrl }), endpoints: (build) => ({ x: build.query({ query }) }) })`.
   * The site is the URL the endpoint's `query` returns (a string, or `{ url, method }`).
   */
  private rtkEndpoint(build: Extract<Value, { kind: 'param' }>, args: Arg[]): RecognisedCall | undefined {
    if (build.path.length > 0 || build.binding.index !== 0) return undefined;
    const mod = build.binding.scope.module;
    const owner = mod.propertyOwners.get(build.binding.fn);
    const call = owner?.key === 'endpoints' ? mod.argumentOf.get(owner.object) : undefined;
    if (!owner || !call) return undefined;
    const factory = this.evaluator.evaluate(call.call.callee, call.scope);
    if (factory.kind !== 'global' || factory.name !== 'rtk#createApi') return undefined;
    const baseQuery = this.property({ kind: 'object', node: owner.object, scope: call.scope }, 'baseQuery', true)?.value;
    const base: BaseUrl | undefined =
      baseQuery?.kind === 'client' ? baseQuery.client.base : baseQuery ? { kind: 'unresolved', reason: 'the baseQuery is not fetchBaseQuery({ baseUrl })' } : undefined;
    const optionsNode = argument(args, 0);
    const options = optionsNode ? this.evaluator.evaluate(optionsNode, build.binding.scope) : undefined;
    if (options?.kind !== 'object') return undefined;
    const query = this.property(options, 'query', true);
    if (!query) return undefined;
    let result: Value = query.value;
    let urlNode: Node | undefined = query.node;
    let scope = options.scope;
    if (result.kind === 'function') {
      const returned = this.evaluator.returnedExpression(result.fn);
      const fnScope = result.module.functionScopes.get(result.fn);
      if (!returned || !fnScope) return undefined;
      urlNode = unwrapExpression(returned);
      scope = fnScope;
      result = this.evaluator.evaluate(returned, fnScope);
    }
    let method: MethodSpec = { kind: 'static', method: 'GET' };
    if (result.kind === 'object') {
      const url = this.property(result, 'url', true);
      if (!url?.node) return undefined;
      method = this.methodProperty(result, 'GET', scope);
      urlNode = url.node;
      result = url.value;
    }
    if (!urlNode) return undefined;
    const parts = this.evaluator.toParts(result);
    return {
      clientName: 'rtk-query',
      base,
      method,
      url: parts ? { parts } : { unresolved: result.kind === 'unknown' ? result.reason : 'the query does not return a URL' },
      urlNode,
      specSyntax: false,
      requireUrlLike: false,
    };
  }

  private urlParts(node: Node, scope: Scope): RecognisedCall['url'] {
    const value = this.evaluator.evaluate(node, scope);
    if (value.kind === 'request') return { unresolved: 'a Request object' };
    const parts = this.evaluator.toParts(value);
    if (parts) return { parts };
    return { unresolved: value.kind === 'unknown' ? value.reason : `the URL is a ${value.kind}` };
  }

  /** The base a client call uses: the instance's, or the global axios default. */
  private clientBase(client: ClientRef): BaseUrl | undefined {
    if (client.createdBy) {
      const override = this.evaluator.host.instanceBaseOverride(client.createdBy);
      if (override) return override;
    }
    if (client.globalAxios) return this.evaluator.host.axiosDefaultBase();
    return client.base;
  }

  /** `client(url, { method, baseURL })` shapes: fetch, ky, ofetch, axios(url, config), axios.get(url, config). */
  private withOptions(
    clientName: string,
    client: ClientRef,
    urlNode: Node | undefined,
    optionsNode: Node | undefined,
    scope: Scope,
    defaultMethod: HttpMethod | null,
    baseKey: string | undefined,
  ): RecognisedCall | undefined {
    if (!urlNode) return undefined;
    const url = this.urlParts(urlNode, scope);
    if ('unresolved' in url && url.unresolved === 'a Request object') return undefined;
    let method: MethodSpec = { kind: 'static', method: defaultMethod };
    let base = this.clientBase(client);
    if (optionsNode) {
      const options = this.evaluator.evaluate(optionsNode, scope);
      if (options.kind === 'object') {
        method = this.methodProperty(options, defaultMethod, scope);
        // A base written in the call, or in an object spread into it that is known (`{ ...defaults }`).
        const override = baseKey ? this.knownProperty(options, baseKey) : undefined;
        if (override) {
          const parts = this.evaluator.toParts(override.value);
          base = parts ? { kind: 'parts', parts } : { kind: 'unresolved', reason: `the call's ${baseKey} is not known` };
        }
      } else if (options.kind === 'param') {
        method = { kind: 'param', binding: options.binding, path: [...options.path, 'method'] };
      } else if (defaultMethod !== null && clientName !== 'axios') {
        method = { kind: 'static', method: null };
      }
    }
    return { clientName, base, method, url, urlNode, specSyntax: false, requireUrlLike: false };
  }

  private fetchLike(clientName: string, args: Arg[], scope: Scope, client: ClientRef | undefined): RecognisedCall | undefined {
    return this.withOptions(clientName, client ?? { lib: 'fetch' }, argument(args, 0), argument(args, 1), scope, 'GET', undefined);
  }

  /** axios(config) / axios.request(config): `url`, `method` (GET by default) and `baseURL` from the object. */
  private configCall(client: ClientRef, config: Value, configNode: Node, scope: Scope): RecognisedCall | undefined {
    let base = this.clientBase(client);
    if (config.kind === 'param') {
      const url: Part[] = [{ kind: 'param', binding: config.binding, path: [...config.path, 'url'], source: `${config.source}.url` }];
      return {
        clientName: 'axios',
        base,
        method: { kind: 'param', binding: config.binding, path: [...config.path, 'method'] },
        url: { parts: url },
        urlNode: configNode,
        specSyntax: false,
        requireUrlLike: false,
      };
    }
    if (config.kind !== 'object') return undefined;
    const urlProp = this.property(config, 'url');
    if (!urlProp) return undefined;
    const parts = this.evaluator.toParts(urlProp.value);
    const baseProp = this.knownProperty(config, 'baseURL');
    if (baseProp) {
      const baseParts = this.evaluator.toParts(baseProp.value);
      base = baseParts ? { kind: 'parts', parts: baseParts } : { kind: 'unresolved', reason: 'the call\'s baseURL is not known' };
    }
    const sameFile = config.scope.module === scope.module;
    return {
      clientName: 'axios',
      base,
      method: this.methodProperty(config, 'GET', scope),
      url: parts ? { parts } : { unresolved: urlProp.value.kind === 'unknown' ? urlProp.value.reason : 'the url is not a string' },
      urlNode: sameFile && urlProp.node ? urlProp.node : configNode,
      specSyntax: false,
      requireUrlLike: false,
    };
  }

  /** A property of an object value with the node it was written at (if written in that object literal). */
  private property(object: Extract<Value, { kind: 'object' }>, name: string, writtenOnly = false): { value: Value; node?: Node } | undefined {
    const has = object.node.properties.some(
      (p) => (p.type === 'SpreadElement' && !writtenOnly) || (p.type === 'Property' && propertyKeyName(p.key, p.computed) === name),
    );
    if (!has) return undefined;
    const value = this.evaluator.member(object, name);
    const written = [...object.node.properties]
      .reverse()
      .find((p) => p.type === 'Property' && propertyKeyName(p.key, p.computed) === name) as TSESTree.Property | undefined;
    if (!written && value.kind === 'unknown') return undefined;
    return { value, node: written?.value };
  }

  /**
   * A property written in the object literal or found in an object spread into it; a spread whose value is not
   * known (a parameter, a call's result) gives nothing, so it never replaces what the client already has.
   */
  private knownProperty(object: Extract<Value, { kind: 'object' }>, name: string): { value: Value; node?: Node } | undefined {
    const prop = this.property(object, name);
    if (prop && !prop.node && (prop.value.kind === 'param' || prop.value.kind === 'nullish')) return undefined;
    return prop;
  }

  /** True when every object spread into this one (`{ ...a, ...b }`), and into those, is an object literal we can read. */
  private spreadsKnown(object: Extract<Value, { kind: 'object' }>, depth = 0): boolean {
    if (depth > 5) return false;
    return object.node.properties.every((p) => {
      if (p.type !== 'SpreadElement') return true;
      const value = this.evaluator.evaluate(p.argument, object.scope);
      return value.kind === 'object' && this.spreadsKnown(value, depth + 1);
    });
  }

  private methodProperty(object: Extract<Value, { kind: 'object' }>, fallback: HttpMethod | null, scope: Scope): MethodSpec {
    const prop = this.property(object, 'method');
    if (!prop) {
      // A spread we cannot read may hold the method; spreads we can read and that have none leave the default.
      return { kind: 'static', method: this.spreadsKnown(object) ? fallback : null };
    }
    const value = prop.value;
    const elsewhere = object.scope.module !== scope.module;
    if (value.kind === 'param') return { kind: 'param', binding: value.binding, path: value.path };
    const parts = this.evaluator.toParts(value);
    if (parts && parts.every((p) => p.kind === 'text')) {
      return { kind: 'static', method: asMethod(parts.map((p) => (p as { text: string }).text).join('')), node: prop.node, elsewhere };
    }
    return { kind: 'static', method: null, node: prop.node, elsewhere };
  }

  /** useSWR(key): a URL key, a conditional key (`id ? url : null`), a tuple key, or a key getter. */
  private swrCall(args: Arg[], scope: Scope): RecognisedCall | undefined {
    let keyNode: Node | undefined = argument(args, 0);
    for (let hops = 0; keyNode && hops < 5; hops++) {
      const node: Node = unwrapExpression(keyNode as TSESTree.Expression);
      if (node.type === 'ArrowFunctionExpression' && node.body.type !== 'BlockStatement') keyNode = node.body;
      else if (node.type === 'ArrayExpression') keyNode = node.elements[0] && node.elements[0].type !== 'SpreadElement' ? node.elements[0] : undefined;
      else if (node.type === 'ConditionalExpression') keyNode = isNullish(node.alternate) ? node.consequent : isNullish(node.consequent) ? node.alternate : node;
      else if (node.type === 'LogicalExpression' && node.operator === '&&') keyNode = node.right;
      else break;
      if (keyNode === node) break;
    }
    if (!keyNode) return undefined;
    const url = this.urlParts(keyNode, scope);
    return { clientName: 'swr', base: undefined, method: { kind: 'static', method: 'GET' }, url, urlNode: keyNode, specSyntax: false, requireUrlLike: true };
  }

  // ---- wrappers ------------------------------------------------------------------------------------

  /** The wrapper a function is, if it forwards one of its parameters as the URL of an HTTP call. */
  wrapperInfo(fn: FunctionLike, module: ModuleIndex): WrapperInfo | null {
    const known = this.wrappers.get(fn);
    if (known !== undefined) {
      this.evaluator.touchAll(known.deps);
      return known.info;
    }
    if (this.wrappersInProgress.has(fn)) return null;
    this.wrappersInProgress.add(fn);
    try {
      const hits = this.evaluator.limitHits;
      const { result, deps } = this.evaluator.track(() => this.evaluator.fresh(() => this.computeWrapperInfo(fn, module), null));
      if (this.evaluator.limitHits === hits) this.wrappers.set(fn, { info: result, deps });
      return result;
    } finally {
      this.wrappersInProgress.delete(fn);
    }
  }

  /** The first call inside `fn` whose URL forwards one of `fn`'s parameters makes `fn` a wrapper. */
  private computeWrapperInfo(fn: FunctionLike, module: ModuleIndex): WrapperInfo | null {
    for (const candidate of module.candidates) {
      if (candidate.node.range[0] < fn.range[0] || candidate.node.range[1] > fn.range[1]) continue;
      const recognised = this.recognise(candidate);
      if (!recognised || !('parts' in recognised.url)) continue;
      const param = this.forwardedParam(recognised.url.parts);
      if (!param || param.binding.fn !== fn) continue;
      const merged = mergeText(recognised.url.parts);
      const at = merged.indexOf(param);
      const method: WrapperInfo['method'] =
        recognised.method.kind === 'static'
          ? { kind: 'static', method: recognised.method.method }
          : recognised.method.binding.fn === fn
            ? { kind: 'param', index: recognised.method.binding.index, path: recognised.method.path, whenMissing: this.parameterDefault(recognised.method.binding) }
            : { kind: 'static', method: null };
      return {
        fn,
        name: module.functionNames.get(fn) ?? 'anonymous function',
        urlParam: { index: param.binding.index, path: param.path },
        prefix: merged.slice(0, at),
        suffix: merged.slice(at + 1),
        method,
        clientName: recognised.clientName,
        base: recognised.base,
        specSyntax: recognised.specSyntax,
        requireUrlLike: recognised.requireUrlLike,
      };
    }
    return null;
  }

  /** The method a forwarded method parameter defaults to: its own default value, else GET (axios and fetch default). */
  private parameterDefault(binding: ParamBinding): HttpMethod | null {
    if (!binding.defaultValue) return 'GET';
    const parts = this.evaluator.toParts(this.evaluator.evaluate(binding.defaultValue, binding.scope));
    if (!parts || !parts.every((p) => p.kind === 'text')) return null;
    return asMethod(parts.map((p) => (p as { text: string }).text).join(''));
  }

  /** A call to a wrapper: the caller's argument is the URL (and maybe the method). */
  private wrapperCall(wrapper: WrapperInfo, args: Arg[], scope: Scope): RecognisedCall | undefined {
    let urlNode = argumentAt(args, wrapper.urlParam.index, wrapper.urlParam.path);
    // `function call(config) { return axios(config) }` also takes a plain URL: `call('/items')`.
    const whole = argument(args, wrapper.urlParam.index);
    if (!urlNode && wrapper.urlParam.path.join('.') === 'url' && whole && unwrapExpression(whole).type !== 'ObjectExpression') urlNode = whole;
    if (!urlNode) return undefined;
    const urlValue = this.evaluator.evaluate(urlNode, scope);
    const parts = this.evaluator.toParts(urlValue);
    let method: MethodSpec;
    if (wrapper.method.kind === 'static') {
      method = { kind: 'static', method: wrapper.method.method };
    } else {
      const methodNode = argumentAt(args, wrapper.method.index, wrapper.method.path);
      const value = methodNode ? this.evaluator.evaluate(methodNode, scope) : undefined;
      if (value?.kind === 'param') method = { kind: 'param', binding: value.binding, path: value.path };
      else {
        const methodParts = value ? this.evaluator.toParts(value) : undefined;
        const name = methodParts?.every((p) => p.kind === 'text') ? methodParts.map((p) => (p as { text: string }).text).join('') : undefined;
        method = { kind: 'static', method: name ? asMethod(name) : methodNode ? null : wrapper.method.whenMissing, node: methodNode };
      }
    }
    return {
      clientName: wrapper.clientName,
      base: wrapper.base,
      method,
      url: parts ? { parts: [...wrapper.prefix, ...parts, ...wrapper.suffix] } : { unresolved: urlValue.kind === 'unknown' ? urlValue.reason : 'the URL is not a string' },
      urlNode,
      specSyntax: wrapper.specSyntax,
      requireUrlLike: wrapper.requireUrlLike,
      via: wrapper.name,
    };
  }
}

/** The node of argument `index`, or of `path` inside an object literal argument. */
function argumentAt(args: Arg[], index: number, path: string[]): TSESTree.Expression | undefined {
  let node: TSESTree.Expression | undefined = argument(args, index);
  for (const key of path) {
    if (!node) return undefined;
    const object: TSESTree.Expression = unwrapExpression(node);
    if (object.type !== 'ObjectExpression') return undefined;
    const prop = [...object.properties].reverse().find((p) => p.type === 'Property' && propertyKeyName(p.key, p.computed) === key) as TSESTree.Property | undefined;
    node = prop?.value as TSESTree.Expression | undefined;
  }
  return node;
}

function isNullish(node: Node): boolean {
  return (node.type === 'Literal' && (node.value === null || node.value === false)) || (node.type === 'Identifier' && node.name === 'undefined');
}

function looksLikeUrl(parts: Part[]): boolean {
  const first = mergeText(parts)[0];
  if (!first) return false;
  if (first.kind === 'env') return true;
  return first.kind === 'text' && (/^\//.test(first.text) || /^https?:\/\//i.test(first.text));
}

function looksLikeUrlName(value: Extract<Value, { kind: 'param' }>): boolean {
  const name = value.path.length > 0 ? value.path[value.path.length - 1] : value.binding.name;
  return isPathLikeName(name);
}

