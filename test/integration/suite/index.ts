// Entry point the extension host loads (extensionTestsPath): runs every bundled *.test.js next to it with mocha.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { SUITE_DONE, type SuiteCounts } from './protocol';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000 });
  const grep = process.env.ZENOPS_IT_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  // suite/multiRoot/ needs the multi-root workspace the runner opens with ZENOPS_IT_WORKSPACE; the rest needs examples/zenops.
  const multiRoot = Boolean(process.env.ZENOPS_IT_WORKSPACE);
  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js') && file.split(path.sep)[0] === 'multiRoot' === multiRoot)
    .sort();
  if (files.length === 0) {
    throw new Error(`no *.test.js files in ${__dirname}: build the suite with node test/integration/esbuild.mjs`);
  }
  for (const file of files) {
    mocha.addFile(path.join(__dirname, file));
  }
  await mocha.loadFilesAsync();
  const runner = mocha.run();
  const failures = await new Promise<number>((resolve) => runner.once('end', () => resolve(runner.failures)));
  const { tests = 0, passes = 0, pending = 0 } = runner.stats ?? {};
  const counts: SuiteCounts = { tests, passes, failures, pending };
  console.log(`${SUITE_DONE} ${JSON.stringify(counts)}`);
  if (failures > 0) {
    throw new Error(`${failures} integration test(s) failed`);
  }
  if (tests === 0) {
    throw new Error(grep ? `no integration test matches ${JSON.stringify(grep)}` : 'no integration tests ran');
  }
}
