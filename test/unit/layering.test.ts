import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const coreDir = path.resolve(__dirname, '../../src/core');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

describe('layering', () => {
  it('src/core never imports vscode, so the engine runs in plain Node and in the CLI', () => {
    const offenders = sourceFiles(coreDir).filter((file) =>
      /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(fs.readFileSync(file, 'utf8')),
    );
    assert.deepEqual(offenders.map((f) => path.relative(coreDir, f)), []);
  });

  it('finds the core sources it guards', () => {
    assert.ok(sourceFiles(coreDir).length > 0);
  });
});
