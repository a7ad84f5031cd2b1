// The e2e test driver: a small extension installed next to the real one in code-server. On
// startup it runs the integration suite (test/vscode/suite) in this extension host and posts
// every result to the runner's loopback URL. Without that URL (not under the runner) it does
// nothing.
import * as http from 'node:http';
import * as vscode from 'vscode';
import { runSuite } from '../../../vscode/suite/index';
import { type DriverMessage, REPORT_URL_ENV } from '../../protocol';

const EXTENSION_ID = 'aep-dest-tools.aep-marketo-destination';
const POST_TIMEOUT_MS = 10_000;

function post(url: URL, message: DriverMessage): Promise<void> {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
        timeout: POST_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 204
            ? resolve()
            : reject(new Error(`the runner answered ${response.statusCode}`)),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error('the runner did not answer')));
    request.on('error', reject);
    request.end(body);
  });
}

async function drive(url: URL): Promise<void> {
  // Messages go out one at a time, in order.
  let queue: Promise<void> = Promise.resolve();
  const send = (message: DriverMessage): Promise<void> => {
    queue = queue
      .then(() => post(url, message))
      .catch((error: unknown) => {
        console.error(`[aep-e2e-driver] could not report to the runner: ${String(error)}`);
      });
    return queue;
  };
  await send({
    type: 'hello',
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
    extensionPresent: vscode.extensions.getExtension(EXTENSION_ID) !== undefined,
  });
  try {
    await runSuite({ onEvent: (event) => void send(event) });
  } catch (error) {
    await send({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  await queue;
}

export function activate(): void {
  const raw = process.env[REPORT_URL_ENV];
  if (!raw) return;
  const url = new URL(raw);
  if (url.hostname !== '127.0.0.1') return; // loopback only
  void drive(url);
}

export function deactivate(): void {}
