// Random workspaces for comparing scans (test/unit/contract/callSiteStatements.test.ts): files built from snippets
// that reach clients in many ways (imports, globals, require, classes, CommonJS, wrappers, JSX, Vue/Svelte blocks,
// zenops-ignore comments), next to code that does not. Deterministic for a seed.

export function randomWorkspace(seed: number): Record<string, string> {
  let state = seed;
  const rnd = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const NAMES = ['api', 'http', 'BASE', 'PATH', 'cfg', 'opts', 'svc', 'Svc', 'req', 'get', 'send', 'client', 'R', 'u', 'm', 'junk', 'helper', 'dflt', 'wrap', 'Store', 'útil', 'ñame'];
  const CLIENT = ["axios", "fetch", "$fetch", "ky", "lib.api", "libClient", "window.fetch", "globalThis.fetch", "useFetch", "self.$fetch"];
  const URLX = (): string => pick([() => "'/a'", () => "`/b/${" + n() + "}`", () => n() + " + '/c'", () => "'/d/' + " + n(), () => "`${" + n() + "}/e`", () => n(), () => n() + ".x", () => "'/f'.replace('f', " + n() + ")", () => "[" + n() + ", 'g'].join('/')", () => "new URL('/h', " + n() + ").href", () => "String(" + n() + ")", () => "'http://h.com/api/' + " + n(), () => "R.A"])();
  const n = () => pick(NAMES);
  const kw = (ts: boolean) => ts ? pick(['const', 'let', 'var', 'export const', 'export let', 'declare const']) : pick(['const', 'let', 'var', 'export const']);
  function stmt(ts: boolean, jsx: boolean): string {
    const name = n();
    const t = Math.floor(rnd() * 38);
    switch (t) {
      case 0: return `${kw(ts)} ${name} = ${URLX()};`;
      case 1: return `${kw(ts).replace('declare ', '')} ${name} = ${pick(['axios', 'ky'])}.create({ baseURL: ${URLX()}, prefixUrl: ${URLX()} });`;
      case 2: return `${kw(ts).replace('declare ', '')} ${name} = { baseURL: ${URLX()}, method: '${pick(['POST', 'PUT', 'GET'])}', url: ${URLX()}, ...${n()} };`;
      case 3: return `export function ${name}(${pick(['url', 'path', 'p', 'x'])}${ts ? ': string' : ''}, method = 'PATCH') { return ${pick(CLIENT)}(${pick(['url', 'path', 'p', 'x'])}, { method }); }`;
      case 4: return `function ${name}() { return ${pick(CLIENT)}.${pick(['get', 'post', 'delete', 'raw'])}(${URLX()}); }`;
      case 5: return `${pick(CLIENT)}(${URLX()}, ${n()});`;
      case 6: return `${n()}(${URLX()});`;
      case 7: return `${n()}.${pick(['get', 'post', 'put', 'request'])}(${URLX()});`;
      case 8: return `${name} = ${pick([URLX(), n(), pick(CLIENT)])};`;
      case 9: return `class ${name.replace(/^./, (c) => c.toUpperCase())}${pick(['', ' extends ' + n()])} { ${pick(['static ', ''])}h = ${pick(CLIENT.concat(NAMES))}; constructor(${ts ? 'private c: HttpClient' : 'c'}) { this.b = ${URLX()}; } load() { return this.h.get(this.b + ${URLX()}); } ${pick(['', 'static { ' + n() + ' = 1 }'])} }`;
      case 10: return `const { ${n()}, ${n()}: ${name} } = ${pick(CLIENT.concat(NAMES))};`;
      case 11: return `export default { ${n()}: ${URLX()}, load() { return ${pick(CLIENT)}(this.${n()}); } };`;
      case 12: return `module.exports.${name} = ${pick(['() => ' + pick(CLIENT) + '(' + URLX() + ')', n(), URLX()])};`;
      case 13: return `exports.${name} = ${n()};`;
      case 14: return `${kw(false)} ${name} = require('${pick(['axios', 'ky', './lib', 'ofetch'])}');`;
      case 15: return ts ? `enum ${name.replace(/^./, (c) => c.toUpperCase())}E { A = ${pick(["'/en'", "'/em'"])} }` : `;`;
      case 16: return ts ? `namespace ${name}NS { export const x = ${URLX()}; ${pick(CLIENT)}(x); }` : `{ let ${name} = ${URLX()}; ${pick(CLIENT)}(${name}); }`;
      case 17: return `if (${n()}) { var ${name} = ${pick(CLIENT.concat(NAMES))}; }`;
      case 18: return `// zenops-ignore\n${pick(CLIENT)}(${URLX()});`;
      case 19: return `${pick(CLIENT)}(${URLX()}); // zenops-ignore`;
      case 20: return `lbl${name.length}: for (const ${name} of [${URLX()}]) { ${pick(CLIENT)}(${name}); }`;
      case 21: return `export async function load({ fetch${pick(['', ': f'])} }) { return ${pick(['fetch', 'f', n()])}(${URLX()}); }`;
      case 22: return jsx ? `export const V${name.length} = () => <div title={${n()}}>{${n()}}<br/></div>;` : `'use strict';`;
      case 23: return ts ? `function ${name}(u: string): Promise<unknown>;\nfunction ${name}(u: any) { return ${pick(CLIENT)}(u); }` : `function* ${name}() { yield ${n()}; }`;
      case 24: return `const ${name} = await ${pick(CLIENT)}(${URLX()});`;
      case 25: return `${name}++;`;
      case 26: return `Object.assign(${n()}, { baseURL: ${URLX()} });`;
      case 27: return `${n()}.defaults.baseURL = ${URLX()};`;
      case 28: return `export { ${n()} as ${name}X };`;
      case 29: return `const ${name} = new Request(${URLX()});`;
      case 30: return `${kw(false)} ${name} = (${pick(['a', 'url', 'path'])}) => ${n()}(${pick(['a', 'url', 'path'])});`;
      case 31: return `${kw(false)} ${name} = ${n()} ? ${URLX()} : null;`;
      case 32: return `useSWR(${pick([URLX(), '() => ' + URLX(), '[' + URLX() + ', 1]'])});`;
      case 33: return jsx ? `export function C${name.length}({ id }) { return <p title="{//" onClick={() => ${pick(CLIENT)}(${URLX()})}>Don't {id > 1 ? <b>it's</b> : <></>} {/* } */}</p>; }` : `const ${name} = /[/'"{]/g.test(${n()}) ? ${n()} / 2 / 3 : ${URLX()};`;
      case 34: return `const ${name} = \`}\${'{'}\${\`\${${n()}}\`}\` + '}' + "{"; // }`;
      case 35: return ts ? `@${n()}()\nexport class D${name.length} { load() { return ${pick(CLIENT)}(${URLX()}); } }` : `/* { */ export const ${name}2 = ${n()}++ / 2;`;
      case 36: return `export default\nfunction ${name}D() { return ${pick(CLIENT)}(${URLX()}); }`;
      default: return `function ${name}(x) { const ${n()} = x; return ${n()}; }`;
    }
  }
  const EXT = ['.ts', '.js', '.tsx', '.jsx', '.vue', '.svelte', '.mjs', '.cjs'];
  function file(ext: string, count: number): string {
    const ts = ext === '.ts' || ext === '.tsx' || ext === '.vue';
    const jsx = ext === '.tsx' || ext === '.jsx' || ext === '.js';
    const imports = [];
    if (rnd() < 0.6) imports.push(`import ${pick(['axios', 'api'])} from '${pick(['axios', './lib'])}';`);
    if (rnd() < 0.5) imports.push(`import { libClient, ${pick(['wrapA', 'BASE_L'])} as ${n()} } from './lib';`);
    if (rnd() < 0.3) imports.push(`import * as lib from './lib';`);
    if (rnd() < 0.2) imports.push(`import useSWR from 'swr';`);
    const body = [...imports];
    // Some files are written without semicolons (the statement's own last one is left off).
    const asi = rnd() < 0.35;
    for (let i = 0; i < count; i++) {
      const statement = stmt(ts, jsx);
      body.push(asi ? statement.replace(/;$/, '') : statement);
    }
    const code = body.join('\n') + '\n';
    if (ext === '.vue') return `<template><div>{{ x }}</div></template>\n<script setup lang="ts">\n${code}</script>\n`;
    if (ext === '.svelte') return `<script>\n${code}</script>\n<p>hi</p>\n`;
    return code;
  }
  const files: Record<string, string> = { 'lib.ts': LIB };
  const count = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < count; i++) {
    const ext = pick(EXT);
    files[`f${i}${ext}`] = file(ext, 3 + Math.floor(rnd() * 12));
  }
  return files;
}

const LIB = `import axios from 'axios';\nexport const libClient = axios.create({ baseURL: '/lib' });\nexport const BASE_L = '/libbase';\nexport function wrapA(url) { return libClient.get(url); }\nexport const api = libClient;\n`;
