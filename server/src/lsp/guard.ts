import {
  type CancellationToken,
  type Connection,
  ErrorCodes,
  ResponseError,
} from 'vscode-languageserver';

/**
 * Wraps a request handler: a failure (malformed params, a crashed worker, a bug) answers
 * with an InternalError and logs the stack to the client's output; the server lives on.
 */
export function guard<P, R>(
  connection: Connection,
  name: string,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
) {
  return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
    try {
      return await handler(params, token);
    } catch (error) {
      const message =
        error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
      connection.console.error(`${name} failed: ${message}`);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${String(error)}`);
    }
  };
}
