// Runs the same integration suite in a desktop VS Code through @vscode/test-electron, for developers who have one.
// It downloads VS Code from Microsoft unless VSCODE_EXECUTABLE names a local binary (neither works on the CI machines:
// use runInCodeServer.ts there). Screenshots are skipped: there is no browser page to capture.
// Usage: npm run test:integration:desktop
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '../..');
  const code = await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out/integration/default/suite/index.js'),
    launchArgs: [path.join(repoRoot, 'examples/zenops'), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { ZENOPS_IT_EXPECT_EXTENSION_ROOT: repoRoot, ZENOPS_IT_MODE: 'dev' },
  });
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(`runInDesktopVSCode: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
