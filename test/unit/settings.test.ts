import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, readWorkspaceSettingsFile, resolveSettings, SettingsError } from '../../src/core/settings';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const contributed: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;

describe('settings', () => {
  const temps: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    temps.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has the same defaults as the settings package.json contributes', () => {
    const sections = DEFAULT_SETTINGS as unknown as Record<string, Record<string, unknown>>;
    for (const [section, values] of Object.entries(sections)) {
      for (const [name, value] of Object.entries(values)) {
        const key = `zenops.${section}.${name}`;
        assert.ok(contributed[key], `${key} is not contributed in package.json`);
        assert.deepEqual(contributed[key].default, value, `${key} default differs`);
      }
    }
  });

  it('reads zenops keys from .vscode/settings.json with comments and trailing commas', () => {
    const root = tempDir('zenops-settings-');
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(
      path.join(root, '.vscode', 'settings.json'),
      '{\n // the spec\n "zenops.contract.spec": "backend/openapi.json",\n "editor.tabSize": 2,\n}\n',
    );
    assert.deepEqual(readWorkspaceSettingsFile(root), { 'zenops.contract.spec': 'backend/openapi.json' });
  });

  it('treats a folder without settings as no settings', () => {
    assert.deepEqual(readWorkspaceSettingsFile(tempDir('zenops-none-')), {});
  });

  it('rejects a settings file that is not JSON', () => {
    const root = tempDir('zenops-bad-');
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{ "zenops.contract.spec": ');
    assert.throws(() => readWorkspaceSettingsFile(root), SettingsError);
  });

  it('overlays values of the right type and ignores the rest', () => {
    const s = resolveSettings({
      'zenops.contract.apiPrefix': '/api',
      'zenops.contract.showUnresolved': 'yes',
      'zenops.contract.extraRoutes': ['GET /internal/ping'],
      'zenops.nothing.here': 1,
    });
    assert.equal(s.contract.apiPrefix, '/api');
    assert.equal(s.contract.showUnresolved, false);
    assert.deepEqual(s.contract.extraRoutes, ['GET /internal/ping']);
    assert.equal(DEFAULT_SETTINGS.contract.apiPrefix, '');
  });
});
