/**
 * The Experience Platform credential of Pull and Apply, kept in VS Code's SecretStorage (the
 * OS keychain where there is one) as one JSON value. It is asked for once, never written to
 * settings, files or logs, and never sent to the language server.
 */
import * as vscode from 'vscode';
import { DEFAULT_SCOPES, type PlatformCredentials } from '../../../common/platform/credentials';

export const SECRET_KEY = 'aepDestination.platformCredentials';

const REQUIRED = ['clientId', 'clientSecret', 'orgId', 'sandboxName'] as const;

/** A credentials object (stored, or passed to a command by a test) or undefined if it is not one. */
export function asCredentials(value: unknown): PlatformCredentials | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const raw = record[key];
    return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
  };
  const [clientId, clientSecret, orgId, sandboxName] = REQUIRED.map(text);
  if (!clientId || !clientSecret || !orgId || !sandboxName) return undefined;
  return { clientId, clientSecret, orgId, sandboxName, scopes: text('scopes') ?? DEFAULT_SCOPES };
}

export class CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<PlatformCredentials | undefined> {
    const raw = await this.secrets.get(SECRET_KEY);
    if (raw === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const credentials = asCredentials(parsed);
    // Unreadable (written by a later version, say): ask again rather than fail every time.
    if (!credentials) await this.forget();
    return credentials;
  }

  async store(credentials: PlatformCredentials): Promise<void> {
    await this.secrets.store(SECRET_KEY, JSON.stringify(credentials));
  }

  async forget(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }
}

/**
 * Asks for the four values, one input box each; undefined when the user cancels any of them.
 * The secret's box is a password box.
 */
export async function askForCredentials(): Promise<PlatformCredentials | undefined> {
  const ask = async (
    step: number,
    prompt: string,
    options: { placeHolder?: string; value?: string; password?: boolean } = {},
  ): Promise<string | undefined> => {
    const answer = await vscode.window.showInputBox({
      title: `Experience Platform credentials (${step}/4)`,
      prompt,
      ignoreFocusOut: true,
      ...options,
      validateInput: (value) => (value.trim() === '' ? 'Required.' : undefined),
    });
    return answer?.trim();
  };
  const clientId = await ask(
    1,
    'Client ID of the OAuth Server-to-Server credential of your Adobe Developer Console project',
  );
  if (!clientId) return undefined;
  const clientSecret = await ask(2, 'Client secret of that credential (kept in SecretStorage)', {
    password: true,
  });
  if (!clientSecret) return undefined;
  const orgId = await ask(3, 'Organization ID', { placeHolder: '…@AdobeOrg' });
  if (!orgId) return undefined;
  const sandboxName = await ask(4, 'Sandbox name', { value: 'prod' });
  if (!sandboxName) return undefined;
  return { clientId, clientSecret, orgId, sandboxName, scopes: DEFAULT_SCOPES };
}
