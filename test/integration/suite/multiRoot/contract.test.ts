// The contract checker in a multi-root workspace (built by ../../multiRootWorkspace.ts): each folder is checked
// against its own spec from its own settings, and the folder with no frontend code gets no checker at all.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXAMPLE_FINDINGS } from '../exampleFindings';
import { canInspectWorkbench, takeScreenshot } from '../workbench';

const EXTENSION_ID = process.env.ZENOPS_IT_EXTENSION_ID || 'zenops.zenops';

/** The payroll example (examples/zenops) against backend/openapi.json: the README's table. */
const ZENOPS_FINDINGS = EXAMPLE_FINDINGS.map((key) => `zenops/frontend/src/${key}`);
/** The inventory frontend against contracts/inventory-api.yaml: what that spec lacks, nothing it has. */
const INVENTORY_FINDINGS = [
  'inventory/web/inventory.js:4 method-not-allowed',
  'inventory/web/inventory.js:5 missing-path',
  // A payroll path: fine for the zenops folder, flagged here because this folder has its own spec.
  'inventory/web/inventory.js:7 missing-path',
];
const EXPECTED = [...ZENOPS_FINDINGS, ...INVENTORY_FINDINGS].sort();

interface ContractStats {
  announcements: string[];
  folders: { folder: string; spec: string }[];
}

function folderNamed(name: string): vscode.WorkspaceFolder {
  const folder = (vscode.workspace.workspaceFolders ?? []).find((f) => f.name === name);
  assert.ok(folder, `no workspace folder named ${name}`);
  return folder;
}

/** Every ZenOps diagnostic in the window, as `FOLDER/REL:LINE code` (1-based lines). */
function keys(): string[] {
  const out: string[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const rel = folder ? `${folder.name}/${path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/')}` : uri.toString();
    for (const d of diagnostics) if (d.source === 'ZenOps') out.push(`${rel}:${d.range.start.line + 1} ${String(d.code)}`);
  }
  return out.sort();
}

async function stats(): Promise<ContractStats> {
  return vscode.commands.executeCommand<ContractStats>('zenops.contract.stats');
}

async function waitFor(what: () => string, probe: () => boolean | Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

suite('API contract in a multi-root workspace', function () {
  this.timeout(90_000);

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await waitFor(() => 'the extension to activate', () => extension.isActive);
    await waitFor(() => `the ${EXPECTED.length} findings of both frontends; last seen: ${keys().join(', ')}`, () => JSON.stringify(keys()) === JSON.stringify(EXPECTED));
    await waitFor(
      () => 'both frontends to have their spec loaded',
      async () => (await stats()).folders.filter((f) => f.spec === 'loaded').length === 2,
    );
  });

  test('the window has the three folders of the workspace file open, each with its own spec setting', () => {
    assert.equal(vscode.workspace.workspaceFile?.fsPath, process.env.ZENOPS_IT_WORKSPACE);
    assert.deepEqual((vscode.workspace.workspaceFolders ?? []).map((f) => f.name), ['zenops', 'inventory', 'scripts-only']);
    const spec = (name: string) => vscode.workspace.getConfiguration('zenops.contract', folderNamed(name).uri).get<string>('spec');
    assert.equal(spec('zenops'), 'backend/openapi.json');
    assert.equal(spec('inventory'), 'contracts/inventory-api.yaml');
    assert.equal(spec('scripts-only'), '');
  });

  test('checks the payroll frontend against its own spec: exactly the example README findings', () => {
    assert.deepEqual(keys().filter((k) => k.startsWith('zenops/')), [...ZENOPS_FINDINGS].sort());
  });

  test('checks the inventory frontend against its own spec: flags exactly what that spec lacks', () => {
    assert.deepEqual(keys().filter((k) => k.startsWith('inventory/')), INVENTORY_FINDINGS);
  });

  test('suggests a path from the folder\'s own spec for a call that only the other folder\'s spec has', async () => {
    const uri = vscode.Uri.joinPath(folderNamed('inventory').uri, 'web/inventory.js');
    const payslips = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'ZenOps' && d.range.start.line === 6);
    assert.ok(payslips, 'no ZenOps diagnostic on web/inventory.js:7');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(payslips.range), "'/api/payroll/payslips'");
    assert.match(payslips.message, /\/api\/inventory\/items/);
  });

  test('leaves the folder with no frontend code alone: no diagnostics, no checker, no spec warning', async () => {
    const scriptsOnly = folderNamed('scripts-only').uri.fsPath;
    const inside = vscode.languages.getDiagnostics().filter(([uri]) => !path.relative(scriptsOnly, uri.fsPath).startsWith('..'));
    assert.deepEqual(inside.map(([uri]) => uri.fsPath), []);
    const { folders, announcements } = await stats();
    assert.deepEqual(folders.map((f) => `${f.folder} ${f.spec}`).sort(), ['inventory loaded', 'zenops loaded']);
    assert.deepEqual(announcements, []);
    if (canInspectWorkbench()) await takeScreenshot('contract-multi-root');
  });
});
