// Spec load + index benchmark: a generated ~10 MB OpenAPI document with ~1,000 paths must be
// parsed, located and indexed in under 400 ms, since the extension redoes this on every spec change.
import { performance } from 'node:perf_hooks';
import { parseSpecText } from '../src/core/contract/loadSpec';
import { buildSpecIndex, matchCall } from '../src/core/contract/matchOperation';
import type { UrlPart } from '../src/core/contract/types';

export interface SpecBenchResult {
  bytes: number;
  paths: number;
  operations: number;
  /** First (cold) parse + index, ms. */
  coldMs: number;
  /** Median of the following runs, ms. */
  medianMs: number;
  /** Mean time to match one call, µs. */
  matchUs: number;
  targetMs: number;
  withinTarget: boolean;
}

const TARGET_MS = 400;

/** A FastAPI-like document: `paths` routes, each with GET/PUT/DELETE on an item and GET/POST on the list, padded with schemas to ~`bytes`. */
export function generateSpecText(paths = 1000, bytes = 10 * 1024 * 1024): string {
  const resources = Math.ceil(paths / 2);
  // Two padded schemas per resource carry most of the bytes; the routes themselves take ~2 KB per resource.
  const padding = Math.max(0, Math.floor((bytes - resources * 2600) / (resources * 2)) - 400);
  // Many small property objects, like a real generated spec (one long string would flatter JSON.parse).
  const schema = (name: string) => {
    const properties: Record<string, object> = { id: { type: 'integer' }, name: { type: 'string' } };
    for (let k = 0; k * 165 < padding; k++) {
      properties[`field_${k}`] = { title: `Field ${k}`, type: k % 3 ? 'string' : 'integer', description: `Field ${k} of ${name}, shown in the UI.` };
    }
    return { type: 'object', title: name, required: ['id'], properties };
  };
  const doc: { openapi: string; info: object; paths: Record<string, object>; components: { schemas: Record<string, object> } } = {
    openapi: '3.1.0',
    info: { title: 'Bench API', version: '1.0.0' },
    paths: {},
    components: { schemas: {} },
  };
  for (let i = 0; i < resources; i++) {
    const base = `/api/v1/area${i % 25}/resource${i}`;
    const ref = { $ref: `#/components/schemas/Resource${i}` };
    const ok = { '200': { description: 'Successful Response', content: { 'application/json': { schema: ref } } }, '422': { description: 'Validation Error' } };
    doc.paths[base] = {
      get: { tags: [`area${i % 25}`], summary: `List resource ${i}`, operationId: `list_${i}`, parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }], responses: ok },
      post: { tags: [`area${i % 25}`], summary: `Create resource ${i}`, operationId: `create_${i}`, requestBody: { content: { 'application/json': { schema: ref } } }, responses: ok },
    };
    doc.paths[`${base}/{item_id}`] = {
      parameters: [{ name: 'item_id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { summary: `Read resource ${i}`, operationId: `read_${i}`, responses: ok },
      put: { summary: `Replace resource ${i}`, operationId: `replace_${i}`, responses: ok },
      delete: { summary: `Delete resource ${i}`, operationId: `delete_${i}`, deprecated: i % 50 === 0, responses: ok },
    };
    doc.components.schemas[`Resource${i}`] = schema(`Resource${i}`);
    doc.components.schemas[`Resource${i}Create`] = schema(`Resource${i}Create`);
  }
  return JSON.stringify(doc, null, 2);
}

function loadAndIndex(text: string): { ms: number; operations: number; index: ReturnType<typeof buildSpecIndex> } {
  const start = performance.now();
  const spec = parseSpecText(text, 'bench-openapi.json');
  const index = buildSpecIndex(spec, ['GET /internal/ping']);
  return { ms: performance.now() - start, operations: spec.operations.length, index };
}

export async function benchSpec(): Promise<SpecBenchResult> {
  const text = generateSpecText();
  const cold = loadAndIndex(text);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(loadAndIndex(text).ms);
  runs.sort((a, b) => a - b);
  const medianMs = runs[Math.floor(runs.length / 2)];

  const calls: UrlPart[][] = [];
  for (let i = 0; i < 2000; i++) {
    const base = `/api/v1/area${i % 25}/resource${i % 500}`;
    calls.push(i % 3 === 0 ? [{ kind: 'text', text: `${base}/` }, { kind: 'placeholder', source: 'id' }] : [{ kind: 'text', text: i % 7 === 0 ? `${base}x` : base }]);
  }
  const matchStart = performance.now();
  for (const call of calls) matchCall(cold.index, 'GET', call);
  const matchUs = ((performance.now() - matchStart) * 1000) / calls.length;

  const result: SpecBenchResult = {
    bytes: Buffer.byteLength(text),
    paths: Object.keys(JSON.parse(text).paths as object).length,
    operations: cold.operations,
    coldMs: round(cold.ms),
    medianMs: round(medianMs),
    matchUs: round(matchUs),
    targetMs: TARGET_MS,
    withinTarget: cold.ms < TARGET_MS,
  };
  console.log(
    `spec load+index: ${(result.bytes / 1024 / 1024).toFixed(1)} MB, ${result.paths} paths, ${result.operations} operations: ` +
      `cold ${result.coldMs} ms, median ${result.medianMs} ms (target < ${TARGET_MS} ms: ${result.withinTarget ? 'met' : 'MISSED'}); ` +
      `match ${result.matchUs} µs/call`,
  );
  return result;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

if (require.main === module) {
  benchSpec().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
