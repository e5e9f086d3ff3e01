// Lets a test see what the user sees: it asks the runner that drives the browser (runInCodeServer.ts) for a screenshot
// or a count of rendered elements. The request travels as a log line; the answer comes back as a file the test waits for.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WORKBENCH_REQUEST } from './protocol';


export type WorkbenchRequest =
  | { kind: 'screenshot'; name: string }
  | { kind: 'count'; selector: string }
  | { kind: 'click'; selector: string }
  | { kind: 'fill'; selector: string; value: string };

export type WorkbenchAnswer = { ok: true; value: number | string } | { ok: false; error: string };

const ANSWER_TIMEOUT_MS = 30_000;
let nextId = 1;

/** True when a runner answers workbench requests (runInCodeServer.ts does; a desktop VS Code run does not). */
export function canInspectWorkbench(): boolean {
  return Boolean(process.env.ZENOPS_IT_ANSWER_DIR);
}

/**
 * Saves a screenshot of the whole browser page to test-results/screenshots/NAME.png (`name`: letters, digits, `.`, `_`,
 * `-`). Resolves once the file is written; rejects if the runner fails or does not answer. Without a runner that takes
 * screenshots it logs that it skipped and resolves.
 */
export async function takeScreenshot(name: string): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`screenshot name ${JSON.stringify(name)} must be letters, digits, '.', '_' or '-'`);
  }
  if (!canInspectWorkbench()) {
    console.log(`screenshot ${name} skipped: this runner does not take screenshots`);
    return;
  }
  await ask({ kind: 'screenshot', name });
}

/**
 * How many elements matching a CSS/playwright selector are visible in the workbench right now, e.g.
 * `.monaco-editor .squiggly-error` or `.statusbar-item:has-text("ZenOps")`. Throws when no runner can answer
 * (check canInspectWorkbench() first to skip such assertions on a desktop run).
 */
export async function countElements(selector: string): Promise<number> {
  const value = await ask({ kind: 'count', selector });
  if (typeof value !== 'number') throw new Error(`count of ${selector}: the runner answered ${JSON.stringify(value)}`);
  return value;
}

/**
 * Waits until at least `min` (default 1) visible elements match `selector`, polling, and returns how many there are.
 * Rejects with the last count after `timeoutMs` (default 15 s): the UI never showed what the test expected.
 */
export async function waitForElements(selector: string, options: { min?: number; timeoutMs?: number } = {}): Promise<number> {
  const min = options.min ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const count = await countElements(selector);
    if (count >= min) return count;
    if (Date.now() >= deadline) throw new Error(`expected at least ${min} visible ${selector}, found ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Clicks the first visible element matching a playwright selector, as a user would (e.g. a link inside a webview:
 * `iframe.webview >> internal:control=enter-frame >> …`). Rejects when nothing matches within 10 s or no runner answers.
 */
export async function clickElement(selector: string): Promise<void> {
  await ask({ kind: 'click', selector });
}

/** Types `value` into the first visible input matching `selector` (replacing its text), or picks that option of a <select>. */
export async function fillElement(selector: string, value: string): Promise<void> {
  await ask({ kind: 'fill', selector, value });
}

async function ask(request: WorkbenchRequest): Promise<number | string> {
  const answerDir = process.env.ZENOPS_IT_ANSWER_DIR;
  if (!answerDir) throw new Error('no runner answers workbench requests here (ZENOPS_IT_ANSWER_DIR is not set)');
  // Every test file is its own bundle with its own copy of this module: a counter alone would repeat ids across files.
  const id = `${randomUUID()}-${nextId++}`;
  const answerFile = path.join(answerDir, id);
  console.log(`${WORKBENCH_REQUEST} ${id} ${Buffer.from(JSON.stringify(request)).toString('base64url')}`);
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (fs.existsSync(answerFile)) {
      const answer = JSON.parse(fs.readFileSync(answerFile, 'utf8')) as WorkbenchAnswer;
      if (!answer.ok) throw new Error(`${request.kind} failed: ${answer.error}`);
      return answer.value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${request.kind}: the runner did not answer within ${ANSWER_TIMEOUT_MS / 1000}s`);
}
