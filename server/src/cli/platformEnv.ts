/**
 * The Experience Platform client of `pull` and `apply`, built from environment variables, and
 * how its failures reach the user: one `aep-dest: <message>` line, exit 2. The client's
 * messages and log lines never hold the client secret or the access token.
 */
import { credentialsFromEnv } from '../../../common/platform/credentials';
import { PlatformClient, PlatformError } from '../../../common/platform/platformClient';
import { CliError } from './cliError';
import type { CommandContext } from './commandTypes';
import { envOf } from './flowServiceFiles';

/** For the --help of pull and apply. */
export const CREDENTIALS_HELP = `Credentials come from the environment, from the OAuth Server-to-Server credential
of an Adobe Developer Console project:
  AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID  the credential (required)
  AEP_SANDBOX_NAME                             the sandbox, such as prod (required)
  AEP_SCOPES                                   scopes, comma separated (default: the
                                               Experience Platform API's)
  AEP_IMS_URL, AEP_PLATFORM_URL                other endpoints (https; http only to
                                               loopback addresses)
  AEP_HTTP_TIMEOUT_SECONDS                     per request (default: 30)
The secret and the access token are never printed, logged or written to a file.`;

export interface PlatformSession {
  client: PlatformClient;
  sandboxName: string;
}

/** The client from AEP_* variables; missing or unusable ones are one error naming them all. */
export function platformFromEnv(ctx: CommandContext, verbose: boolean): PlatformSession {
  const { credentials, endpoints, timeoutMs } = platformCall(() => credentialsFromEnv(envOf(ctx)));
  const client = platformCall(
    () =>
      new PlatformClient({
        credentials,
        endpoints,
        timeoutMs,
        ...(verbose ? { log: (line: string) => ctx.io.stderr(`aep-dest: ${line}\n`) } : {}),
      }),
  );
  return { client, sandboxName: credentials.sandboxName };
}

/** A PlatformError as the CLI reports it: its one-line message, exit 2. */
export function platformCliError(error: PlatformError): CliError {
  return new CliError(error.message, 'file');
}

function platformCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PlatformError) throw platformCliError(error);
    throw error;
  }
}

/** Awaits a client call; a PlatformError becomes the CLI's exit-2 error. */
export async function platformRequest<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof PlatformError) throw platformCliError(error);
    throw error;
  }
}
