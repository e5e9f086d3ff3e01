// Credentials per source (Prometheus, Alertmanager, API, Grafana, Loki) kept in VS Code's SecretStorage,
// never in settings; the "ZenOps: Set Credentials" command edits them. Shared by every capability.
import * as vscode from 'vscode';
import type { HttpAuth } from './core/http/getJson';
import { CREDENTIAL_SOURCES, CredentialSource, SourceCredentials } from './core/health/healthSources';
import { log } from './log';

const SOURCE_LABELS: Record<CredentialSource, string> = {
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  api: 'API (backend)',
  grafana: 'Grafana',
  loki: 'Loki',
};

function secretKey(source: CredentialSource): string {
  return `zenops.credentials.${source}`;
}

/** The stored credential of one source, or undefined (also for a stored value that is not a credential). */
export async function readCredential(secrets: vscode.SecretStorage, source: CredentialSource): Promise<HttpAuth | undefined> {
  const raw = await secrets.get(secretKey(source));
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<HttpAuth> & Record<string, unknown>;
    if (value.kind === 'basic' && typeof value.username === 'string' && typeof value.password === 'string') {
      return { kind: 'basic', username: value.username, password: value.password };
    }
    if (value.kind === 'bearer' && typeof value.token === 'string') return { kind: 'bearer', token: value.token };
  } catch {
    // Not ours or corrupted: treated as no credential.
  }
  return undefined;
}

export async function readAllCredentials(secrets: vscode.SecretStorage): Promise<SourceCredentials> {
  const out: SourceCredentials = {};
  for (const source of CREDENTIAL_SOURCES) {
    const auth = await readCredential(secrets, source);
    if (auth) out[source] = auth;
  }
  return out;
}

export async function storeCredential(secrets: vscode.SecretStorage, source: CredentialSource, auth: HttpAuth | undefined): Promise<void> {
  if (auth) await secrets.store(secretKey(source), JSON.stringify(auth));
  else await secrets.delete(secretKey(source));
  log().info(`credentials: ${auth ? `saved ${auth.kind} credentials` : 'removed the credentials'} for ${source}`);
}

/** Fires with the source whose stored credential changed. */
export function onDidChangeCredential(secrets: vscode.SecretStorage, listener: (source: CredentialSource) => void): vscode.Disposable {
  return secrets.onDidChange((e) => {
    const source = CREDENTIAL_SOURCES.find((s) => secretKey(s) === e.key);
    if (source) listener(source);
  });
}

/** "ZenOps: Set Credentials": pick a source, then basic (user + password), bearer token, or remove. */
export function registerCredentialsCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('zenops.setCredentials', async (preset?: CredentialSource) => {
    const secrets = context.secrets;
    let source = preset && CREDENTIAL_SOURCES.includes(preset) ? preset : undefined;
    if (!source) {
      const items = await Promise.all(
        CREDENTIAL_SOURCES.map(async (s) => {
          const current = await readCredential(secrets, s);
          return { label: SOURCE_LABELS[s], description: current ? `${current.kind} credentials set` : 'none', source: s };
        }),
      );
      source = (await vscode.window.showQuickPick(items, { title: 'ZenOps: Set Credentials', placeHolder: 'Which service?', ignoreFocusOut: true }))?.source;
    }
    if (!source) return;
    const hasOne = (await readCredential(secrets, source)) !== undefined;
    const kinds = [
      { label: 'Basic authentication', description: 'user name and password', auth: 'basic' as const },
      { label: 'Bearer token', description: 'Authorization: Bearer …', auth: 'bearer' as const },
      ...(hasOne ? [{ label: 'Remove credentials', description: '', auth: 'remove' as const }] : []),
    ];
    const picked = await vscode.window.showQuickPick(kinds, { title: `Credentials for ${SOURCE_LABELS[source]}`, ignoreFocusOut: true });
    if (!picked) return;
    if (picked.auth === 'remove') {
      await storeCredential(secrets, source, undefined);
      void vscode.window.showInformationMessage(`ZenOps: removed the credentials for ${SOURCE_LABELS[source]}.`);
      return;
    }
    if (picked.auth === 'basic') {
      const username = await vscode.window.showInputBox({ title: `${SOURCE_LABELS[source]}: user name`, ignoreFocusOut: true });
      if (username === undefined) return;
      const password = await vscode.window.showInputBox({ title: `${SOURCE_LABELS[source]}: password`, password: true, ignoreFocusOut: true });
      if (password === undefined) return;
      await storeCredential(secrets, source, { kind: 'basic', username, password });
    } else {
      const token = await vscode.window.showInputBox({ title: `${SOURCE_LABELS[source]}: bearer token`, password: true, ignoreFocusOut: true });
      if (!token) return;
      await storeCredential(secrets, source, { kind: 'bearer', token });
    }
    void vscode.window.showInformationMessage(`ZenOps: saved the credentials for ${SOURCE_LABELS[source]} in the editor's secret storage.`);
  });
}
