/**
 * The OAuth Server-to-Server credential the Platform client authenticates with, and how the CLI
 * (and anything else run from a shell) reads it from environment variables.
 *
 * The credential is what an Adobe Developer Console project shows under "OAuth Server-to-Server":
 * client id, client secret, organization id and scopes
 * (https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/ims).
 * The sandbox is not part of the credential but every Platform request names one, so it travels
 * with it.
 */
import { checkBaseUrl, PlatformError } from './urls';

export interface PlatformCredentials {
  /** Also sent as `x-api-key` on every Platform request. */
  clientId: string;
  clientSecret: string;
  /** `…@AdobeOrg`, sent as `x-gw-ims-org-id`. */
  orgId: string;
  /** Sent as `x-sandbox-name`, such as `prod`. */
  sandboxName: string;
  /** Comma separated, as IMS takes them. */
  scopes: string;
}

export interface PlatformEndpoints {
  /** Adobe IMS, which issues the access token. */
  imsUrl: string;
  /** Experience Platform's API gateway. */
  platformUrl: string;
}

export const DEFAULT_ENDPOINTS: PlatformEndpoints = {
  imsUrl: 'https://ims-na1.adobelogin.com',
  platformUrl: 'https://platform.adobe.io',
};

/** The scopes Adobe's Developer Console lists for an Experience Platform API credential. */
export const DEFAULT_SCOPES =
  'openid,AdobeID,read_organizations,additional_info.projectedProductContext,session';

/** Long enough for a slow sandbox, short enough that a dead network is reported in a run. */
const DEFAULT_TIMEOUT_SECONDS = 30;

/** The variables credentialsFromEnv reads, for messages and help text. */
export const ENV_VARIABLES = {
  clientId: 'AEP_CLIENT_ID',
  clientSecret: 'AEP_CLIENT_SECRET',
  orgId: 'AEP_ORG_ID',
  sandboxName: 'AEP_SANDBOX_NAME',
  scopes: 'AEP_SCOPES',
  imsUrl: 'AEP_IMS_URL',
  platformUrl: 'AEP_PLATFORM_URL',
  timeoutSeconds: 'AEP_HTTP_TIMEOUT_SECONDS',
} as const;

const REQUIRED = ['clientId', 'clientSecret', 'orgId', 'sandboxName'] as const;

/**
 * A variable's value, trimmed: a value pasted from the Developer Console often brings a
 * trailing newline or space, which IMS would then refuse with a confusing invalid_client.
 * Blank counts as unset.
 */
function valueOf(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function timeoutFrom(env: Record<string, string | undefined>): number {
  const name = ENV_VARIABLES.timeoutSeconds;
  const raw = valueOf(env, name);
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  // A timer longer than about 24.8 days overflows and fires at once, so cap well below it.
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new PlatformError(
      `${name} '${raw}' is not a number of seconds between 0 and 3600 (the default is ${DEFAULT_TIMEOUT_SECONDS})`,
    );
  }
  return Math.round(seconds * 1000);
}

/**
 * The credential, endpoints and timeout from AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID,
 * AEP_SANDBOX_NAME (required), AEP_SCOPES, AEP_IMS_URL, AEP_PLATFORM_URL and
 * AEP_HTTP_TIMEOUT_SECONDS (optional).
 *
 * When required variables are missing the error names all of them at once, so the user fixes
 * the shell in one go; it never repeats a value, since the ones that are set include the secret.
 */
export function credentialsFromEnv(env: Record<string, string | undefined>): {
  credentials: PlatformCredentials;
  endpoints: PlatformEndpoints;
  timeoutMs: number;
} {
  const missing = REQUIRED.filter((key) => valueOf(env, ENV_VARIABLES[key]) === undefined).map(
    (key) => ENV_VARIABLES[key],
  );
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw new PlatformError(
      `missing environment ${missing.length === 1 ? 'variable' : 'variables'} ${list}: ` +
        `set ${missing.length === 1 ? 'it' : 'them'} from the OAuth Server-to-Server credential ` +
        `of your Adobe Developer Console project and the sandbox to use`,
    );
  }
  const required = (key: (typeof REQUIRED)[number]): string =>
    valueOf(env, ENV_VARIABLES[key]) ?? '';
  const credentials: PlatformCredentials = {
    clientId: required('clientId'),
    clientSecret: required('clientSecret'),
    orgId: required('orgId'),
    sandboxName: required('sandboxName'),
    scopes: valueOf(env, ENV_VARIABLES.scopes) ?? DEFAULT_SCOPES,
  };
  const endpoints: PlatformEndpoints = {
    imsUrl: checkBaseUrl(
      valueOf(env, ENV_VARIABLES.imsUrl) ?? DEFAULT_ENDPOINTS.imsUrl,
      ENV_VARIABLES.imsUrl,
    ),
    platformUrl: checkBaseUrl(
      valueOf(env, ENV_VARIABLES.platformUrl) ?? DEFAULT_ENDPOINTS.platformUrl,
      ENV_VARIABLES.platformUrl,
    ),
  };
  return { credentials, endpoints, timeoutMs: timeoutFrom(env) };
}
