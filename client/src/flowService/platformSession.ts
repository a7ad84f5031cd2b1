/**
 * A session with Experience Platform: the endpoints from the (application-scoped) settings, the
 * credential from SecretStorage or the prompts, the Platform client, and the flows read this
 * session. Forget Experience Platform Credentials. The credential never leaves the extension
 * host.
 */
import * as vscode from 'vscode';
import {
  DEFAULT_ENDPOINTS,
  type PlatformCredentials,
  type PlatformEndpoints,
} from '../../../common/platform/credentials';
import { PlatformClient, PlatformError } from '../../../common/platform/platformClient';
import { checkBaseUrl } from '../../../common/platform/urls';
import type { NamedDocument } from '../../../common/protocol';
import type { ServerController } from '../serverController';
import { type CommandOutcome, type FlowCommandOptions, TITLE, failed } from './commandOptions';
import { CredentialStore, askForCredentials, asCredentials } from './credentialStore';

/** Flows read from Experience Platform this session, by id: Show Plan uses them (and offers Apply). */
export const fetchedFlows = new Map<
  string,
  { flow: NamedDocument; targetConnection?: NamedDocument; at: Date }
>();

/** The endpoints from the settings, checked before anything is asked or sent. */
function platformEndpoints(): PlatformEndpoints {
  const settings = vscode.workspace.getConfiguration('aepDestination.platform');
  const value = (key: 'imsUrl' | 'platformUrl'): string => {
    const raw = settings.get<string>(key);
    return typeof raw === 'string' && raw.trim() !== '' ? raw : DEFAULT_ENDPOINTS[key];
  };
  return {
    imsUrl: checkBaseUrl(value('imsUrl'), 'aepDestination.platform.imsUrl'),
    platformUrl: checkBaseUrl(value('platformUrl'), 'aepDestination.platform.platformUrl'),
  };
}

/** IMS refused the client id or secret: the stored credential is wrong. */
function credentialsRefused(error: PlatformError): boolean {
  return (error.status === 400 || error.status === 401) && (error.endpoint ?? '').includes('/ims/');
}

/**
 * Runs `work` with a Platform client on the stored credential, or the one given or asked for;
 * a new credential is stored once Experience Platform did not refuse it. A PlatformError ends
 * in one error message.
 */
export async function withPlatform<T>(
  controller: ServerController,
  options: FlowCommandOptions,
  work: (
    client: PlatformClient,
    credentials: PlatformCredentials,
    endpoints: PlatformEndpoints,
  ) => Promise<T>,
): Promise<T | CommandOutcome> {
  let endpoints: PlatformEndpoints;
  try {
    endpoints = platformEndpoints();
  } catch (error) {
    if (error instanceof PlatformError) return failed(error.message);
    throw error;
  }
  const store = new CredentialStore(controller.context.secrets);
  let credentials: PlatformCredentials | undefined;
  let fresh = false;
  if (options.credentials !== undefined) {
    credentials = asCredentials(options.credentials);
    if (!credentials)
      return failed('the credentials need clientId, clientSecret, orgId and sandboxName');
    fresh = true;
  } else {
    credentials = await store.get();
    if (!credentials) {
      if (options.interactive === false) return { kind: 'missing', what: 'credentials' };
      credentials = await askForCredentials();
      if (!credentials) return { kind: 'cancelled' };
      fresh = true;
    }
  }
  const client = new PlatformClient({
    credentials,
    endpoints,
    // One line per request: method, URL, status, time. Never a header or a body.
    log: (line) => controller.output.info(`[platform] ${line}`),
    names: {
      clientIdAndSecret:
        'the client id and secret (run "AEP Destination: Forget Experience Platform Credentials" and enter them again)',
      scopes: 'the scopes you entered',
      orgId: 'the organization id you entered',
    },
  });
  try {
    const result = await work(client, credentials, endpoints);
    if (fresh) await store.store(credentials);
    return result;
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    const refused = credentialsRefused(error);
    if (fresh && !refused) await store.store(credentials);
    if (refused && !fresh) {
      void vscode.window
        .showErrorMessage(`${TITLE}: ${error.message}`, 'Forget Credentials')
        .then(async (choice) => {
          if (choice) await store.forget();
        });
      return { kind: 'error', message: error.message, ...statusOf(error) };
    }
    return failed(error.message, error.status);
  }
}

function statusOf(error: PlatformError): { status?: number } {
  return error.status === undefined ? {} : { status: error.status };
}

export function progress<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title },
    task,
  );
}

export async function askFlowId(
  options: FlowCommandOptions,
  title: string,
): Promise<string | undefined> {
  if (options.flowId !== undefined) return options.flowId.trim() || undefined;
  if (options.interactive === false) return undefined;
  const answer = await vscode.window.showInputBox({
    title,
    prompt: 'The id of the destination dataflow (the last part of its URL in Experience Platform)',
    placeHolder: '226fb2e1-db69-4760-b67e-9e671e05abfc',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Required.' : undefined),
  });
  return answer?.trim() || undefined;
}

export function flowSource(flowId: string): string {
  return `GET /flows/${flowId}`;
}

export async function forgetPlatformCredentials(
  controller: ServerController,
): Promise<{ kind: 'forgotten' }> {
  await new CredentialStore(controller.context.secrets).forget();
  void vscode.window.showInformationMessage('Experience Platform credentials forgotten.');
  return { kind: 'forgotten' };
}
