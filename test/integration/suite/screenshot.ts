// Asks the runner that drives the browser for a screenshot, through a log line it watches and an ack file it writes.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The log line prefix runInCodeServer.ts watches for; it saves test-results/screenshots/NAME.png. */
export const SCREENSHOT_REQUEST = 'ZENOPS_SCREENSHOT';

const ACK_TIMEOUT_MS = 30_000;

/**
 * Takes a screenshot of the whole workbench named `name` (letters, digits, `.`, `_`, `-`). Resolves once the PNG is
 * written; rejects if the runner reports an error or does not answer. Without a screenshot-taking runner (a desktop
 * VS Code through @vscode/test-electron) it logs that it skipped and resolves.
 */
export async function takeScreenshot(name: string): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`screenshot name ${JSON.stringify(name)} must be letters, digits, '.', '_' or '-'`);
  }
  const ackDir = process.env.ZENOPS_IT_SCREENSHOT_ACK_DIR;
  if (!ackDir) {
    console.log(`screenshot ${name} skipped: this runner does not take screenshots`);
    return;
  }
  const ackFile = path.join(ackDir, name);
  fs.rmSync(ackFile, { force: true });
  console.log(`${SCREENSHOT_REQUEST} ${name}`);
  const deadline = Date.now() + ACK_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (fs.existsSync(ackFile)) {
      const answer = fs.readFileSync(ackFile, 'utf8');
      if (answer !== 'ok') {
        throw new Error(`screenshot ${name} failed: ${answer}`);
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`screenshot ${name}: the runner did not answer within ${ACK_TIMEOUT_MS / 1000}s`);
}
