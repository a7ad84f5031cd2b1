import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CancellationToken,
  type Connection,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configDirectory } from '../engine/catalogLoader';
import type { DestinationLanguageService, DocumentSettings } from '../engine/languageService';
import { configFromJson } from '../simulation/config';
import { missingInputs, resolveSimulationInputs } from '../simulation/simulationInputs';
import {
  LANGUAGE_ID,
  SIMULATE_REQUEST,
  SIMULATION_PROGRESS_NOTIFICATION,
  type SimulateParams,
  type SimulateResponse,
  type SimulationProgress,
} from './protocol';
import { runSimulation } from './simulationRunner';

/**
 * `aepDestination/simulate`: validates the config as the editor shows it, refuses
 * one with errors, resolves the sample files and simulates in a worker thread,
 * reporting progress and honouring cancellation.
 */
export function registerSimulation(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: DestinationLanguageService,
  settingsFor: (uri: string) => Promise<DocumentSettings>,
): void {
  connection.onRequest(
    SIMULATE_REQUEST,
    logFailures(connection, async (params: SimulateParams, token: CancellationToken) => {
      if (
        typeof params?.uri !== 'string' ||
        !['undefined', 'string'].includes(typeof params.profiles) ||
        !['undefined', 'string'].includes(typeof params.leads)
      )
        throw new TypeError('params.uri (and profiles, leads when given) must be strings');
      const document = documents.get(params.uri) ?? readFromDisk(params.uri);
      if (!document) {
        return {
          kind: 'inputError',
          message: `${params.uri} is neither open nor readable on disk.`,
        };
      }
      // The same findings the editor shows: disabled rules do not block a simulation.
      const settings = await settingsFor(document.uri);
      const errors = service.validate(document, settings).filter((f) => f.severity === 'error');
      if (errors.length) {
        return {
          kind: 'configErrors',
          diagnostics: errors.map((f) => ({
            code: f.code,
            message: f.message,
            line: f.range.start.line,
            character: f.range.start.character,
          })),
        };
      }
      const doc = service.parse(document, settings);
      const inputs = resolveSimulationInputs(doc.jsonValue, configDirectory(document.uri), params);
      const missing = missingInputs(inputs);
      if (missing.length || !inputs.profiles || !inputs.leads)
        return { kind: 'needsInputs', missing };

      const started = Date.now();
      const run = runSimulation(
        {
          config: configFromJson(doc.jsonValue),
          profilesFile: inputs.profiles,
          leadsFile: inputs.leads,
        },
        (phase, done, total) => {
          const progress: SimulationProgress = { uri: params.uri, phase, done, total };
          void connection.sendNotification(SIMULATION_PROGRESS_NOTIFICATION, progress);
        },
      );
      const subscription = token.onCancellationRequested(() => run.cancel());
      try {
        const outcome = await run.done;
        if (outcome.type === 'cancelled')
          return new ResponseError(LSPErrorCodes.RequestCancelled, 'Simulation cancelled.');
        if (outcome.type === 'inputError') {
          return {
            kind: 'inputError',
            message: outcome.message,
            file: outcome.file,
            line: outcome.line,
          };
        }
        return {
          kind: 'result',
          result: outcome.result,
          configName: doc.stringValue('name')?.value ?? 'destination',
          profilesFile: inputs.profiles,
          leadsFile: inputs.leads,
          durationMs: Date.now() - started,
        };
      } finally {
        subscription.dispose();
      }
    }),
  );
}

/**
 * Like the server's other handlers: a failure (malformed params, a crashed worker) answers
 * with an error and is logged to the client's output; the server lives on.
 */
function logFailures<P>(
  connection: Connection,
  handler: (params: P, token: CancellationToken) => Promise<SimulateResponse | ResponseError<void>>,
) {
  return async (
    params: P,
    token: CancellationToken,
  ): Promise<SimulateResponse | ResponseError<void>> => {
    try {
      return await handler(params, token);
    } catch (error) {
      const message =
        error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
      connection.console.error(`${SIMULATE_REQUEST} failed: ${message}`);
      return new ResponseError(
        ErrorCodes.InternalError,
        `${SIMULATE_REQUEST} failed: ${String(error)}`,
      );
    }
  };
}

/** A config that is not open in the editor is simulated as saved. */
function readFromDisk(uri: string): TextDocument | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return TextDocument.create(uri, LANGUAGE_ID, 0, fs.readFileSync(fileURLToPath(uri), 'utf8'));
  } catch {
    return undefined;
  }
}
