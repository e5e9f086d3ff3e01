// The one place that reads VS Code configuration: `zenops.*` for a folder, as the typed ZenOpsSettings.
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, resolveSettings, type FlatSettings, type ZenOpsSettings } from './core/settings';

/** Settings as they apply to `folder` (user, workspace and folder values merged by VS Code). */
export function readSettings(folder: vscode.Uri | undefined): ZenOpsSettings {
  const config = vscode.workspace.getConfiguration('zenops', folder);
  const flat: FlatSettings = {};
  for (const [section, values] of Object.entries(DEFAULT_SETTINGS) as [string, Record<string, unknown>][]) {
    for (const key of Object.keys(values)) {
      const value = config.get(`${section}.${key}`);
      if (value !== undefined) flat[`zenops.${section}.${key}`] = value;
    }
  }
  return resolveSettings(flat);
}

/** Writes one `zenops.*` key as a setting of that folder (its .vscode/settings.json); undefined removes it. */
export async function writeFolderSetting(folder: vscode.WorkspaceFolder, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('zenops', folder.uri).update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
}
