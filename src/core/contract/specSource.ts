// Where a folder's OpenAPI document comes from: the setting, else a spec file in the folder,
// else the running API's /openapi.json. Pure and light (the extension imports it eagerly): the caller
// lists the candidate files.
import * as path from 'node:path';

export type SpecSource =
  /** `file` is absolute; `display` is how the user wrote it or how it sits in the folder. */
  | { kind: 'file'; file: string; display: string; origin: 'setting' | 'found' }
  | { kind: 'url'; url: string; origin: 'setting' | 'default' };

/** Glob (relative to a folder) of the files taken for a spec when the setting is empty. */
export const SPEC_FILE_GLOB = '**/{openapi,swagger}.{json,yaml,yml}';
export const SPEC_FILE_EXCLUDE = '**/{node_modules,dist,build,out,.git,.venv,venv,coverage}/**';

/** The spec source for a folder. `found` are spec files found in it (absolute paths, any order). */
export function chooseSpecSource(root: string, setting: string, found: string[], apiUrl: string): SpecSource {
  const value = setting.trim();
  if (value !== '') {
    if (/^https?:\/\//i.test(value)) return { kind: 'url', url: value, origin: 'setting' };
    return { kind: 'file', file: path.resolve(root, value), display: value, origin: 'setting' };
  }
  const best = rankSpecFiles(root, found)[0];
  if (best) return { kind: 'file', file: best, display: path.relative(root, best).split(path.sep).join('/'), origin: 'found' };
  return { kind: 'url', url: `${apiUrl.trim().replace(/\/+$/, '')}/openapi.json`, origin: 'default' };
}

/** Shallowest first, then openapi before swagger, JSON before YAML, then by path. */
export function rankSpecFiles(root: string, found: string[]): string[] {
  const key = (file: string): [number, number, number, string] => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const name = path.basename(file).toLowerCase();
    return [rel.split('/').length, name.startsWith('openapi') ? 0 : 1, name.endsWith('.json') ? 0 : 1, rel];
  };
  return [...found].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

/** How the source reads in a message or tooltip. */
export function describeSpecSource(source: SpecSource): string {
  return source.kind === 'file' ? source.display : source.url;
}

/** A link to an operation in the API's interactive docs (FastAPI's Swagger UI deep-links as `#/tag/operationId`). */
export function docsLink(apiUrl: string, operation: { operationId?: string; tags: string[] }): string {
  const base = `${apiUrl.trim().replace(/\/+$/, '')}/docs`;
  if (!operation.operationId) return base;
  const tag = operation.tags[0] ?? 'default';
  return `${base}#/${encodeURIComponent(tag)}/${encodeURIComponent(operation.operationId)}`;
}
