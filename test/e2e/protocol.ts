// What the test-driver extension (inside code-server's extension host) posts to the runner
// (test/e2e/runCodeServer.ts): one JSON message per HTTP POST to the URL in REPORT_URL_ENV, in order.
import type { SuiteEvent } from '../vscode/suite/index';

/** The environment variable that carries the runner's report URL to the extension host. */
export const REPORT_URL_ENV = 'AEP_E2E_REPORT_URL';

export type DriverMessage =
  /** The driver activated: sent before the suite starts. */
  | { type: 'hello'; vscodeVersion: string; appName: string; extensionPresent: boolean }
  | SuiteEvent
  /** The suite could not run at all (a load error, a crash outside any test). */
  | { type: 'error'; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message if `value` is a well-formed one (checked field by field), otherwise undefined. */
export function parseDriverMessage(value: unknown): DriverMessage | undefined {
  if (!isRecord(value)) return undefined;
  const str = (k: string): boolean => typeof value[k] === 'string';
  const num = (k: string): boolean => typeof value[k] === 'number';
  switch (value.type) {
    case 'hello':
      return str('vscodeVersion') && str('appName') && typeof value.extensionPresent === 'boolean'
        ? (value as DriverMessage)
        : undefined;
    case 'suite':
      return str('title') && num('depth') ? (value as DriverMessage) : undefined;
    case 'test':
      return str('title') &&
        str('fullTitle') &&
        num('depth') &&
        num('durationMs') &&
        (value.state === 'passed' || value.state === 'failed' || value.state === 'pending') &&
        (value.error === undefined || str('error'))
        ? (value as DriverMessage)
        : undefined;
    case 'end':
      return num('passed') && num('failed') && num('pending')
        ? (value as DriverMessage)
        : undefined;
    case 'error':
      return str('message') ? (value as DriverMessage) : undefined;
    default:
      return undefined;
  }
}
