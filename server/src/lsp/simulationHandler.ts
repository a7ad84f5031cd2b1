import {
  type Connection,
  LSPErrorCodes,
  ResponseError,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type SimulateParams,
  SimulateRequest,
  type SimulateResponse,
  type SimulationProgress,
  SimulationProgressNotification,
  type DestinationSettings,
} from '../../../common/protocol';
import type { DestinationLanguageService } from '../languageService';
import { prepareSimulation } from '../prepareSimulation';
import { guard } from './guard';
import { configDocument, toRefusingDiagnostics } from './refusingDiagnostics';
import { runSimulation } from './simulationRunner';
import { registerSimulationPages } from './simulationPages';
import { SimulationStore } from './simulationStore';
import { DEFAULT_QUERY, PAGE_ROWS } from '../../../common/outcomePages';
import { columnarOverview } from './simulationColumns';

/**
 * `aepDestination/simulate`: validates the config as the editor shows it, refuses
 * one with errors, resolves the sample files and simulates in a worker thread,
 * on the engine `aepDestination.simulation.engine` chooses (auto: as the CLI's), reporting
 * progress and honouring cancellation. The outcomes stay here (one run per
 * config): the response carries the overview and the first page, the results view asks for
 * the others (`simulationPages.ts`).
 */
export function registerSimulation(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: DestinationLanguageService,
  settingsFor: (uri: string) => Promise<DestinationSettings>,
): void {
  const store = new SimulationStore();
  registerSimulationPages(connection, documents, store);
  connection.onRequest(
    SimulateRequest,
    guard(
      connection,
      SimulateRequest.method,
      async (params: SimulateParams, token): Promise<SimulateResponse | ResponseError<void>> => {
        if (
          typeof params?.uri !== 'string' ||
          !['undefined', 'string'].includes(typeof params.profiles) ||
          !['undefined', 'string'].includes(typeof params.leads)
        )
          throw new TypeError('params.uri (and profiles, leads when given) must be strings');
        const document = configDocument(documents, params.uri);
        if (!document) {
          return {
            kind: 'inputError',
            message: `${params.uri} is neither open nor readable on disk.`,
          };
        }
        // The same findings the editor shows: disabled rules do not block a simulation.
        const settings = await settingsFor(document.uri);
        const prepared = prepareSimulation(service, document, settings, params);
        switch (prepared.kind) {
          case 'configErrors':
            return {
              kind: 'configErrors',
              diagnostics: toRefusingDiagnostics(prepared.errors),
            };
          case 'unusableConfig':
            throw new Error(prepared.message);
          case 'refused':
            return { kind: 'inputError', message: prepared.message };
          case 'needsInputs':
            return { kind: 'needsInputs', missing: prepared.missing };
          case 'ready':
            break;
        }
        const { inputs } = prepared;
        store.drop(params.uri);
        const started = Date.now();
        const run = runSimulation(
          {
            config: prepared.config,
            profilesFile: inputs.profiles,
            leadsFile: inputs.leads,
            partitionNames: prepared.partitionNames,
            ...(prepared.encoding === undefined ? {} : { encoding: prepared.encoding }),
            ...(prepared.leadFields === undefined ? {} : { leadFields: prepared.leadFields }),
            engine: settings.simulation.engine,
          },
          (phase, done, total) => {
            const progress: SimulationProgress = { uri: params.uri, phase, done, total };
            void connection.sendNotification(SimulationProgressNotification, progress);
          },
        );
        const subscription = token.onCancellationRequested(() => run.cancel());
        try {
          const outcome = await run.done;
          if (outcome.type === 'cancelled')
            return new ResponseError(LSPErrorCodes.RequestCancelled, 'Simulation cancelled.');
          if (outcome.type === 'inputError') {
            const { message, file, line } = outcome;
            return {
              kind: 'inputError',
              message,
              ...(file === undefined ? {} : { file }),
              ...(line === undefined ? {} : { line }),
            };
          }
          const index = store.keep(params.uri, outcome.result);
          // The file order (no work) unless an engine gave the outcomes in another order.
          const first = await index.page(DEFAULT_QUERY, 0, PAGE_ROWS);
          if (first.kind !== 'page')
            return new ResponseError(LSPErrorCodes.RequestCancelled, 'Replaced by a newer run.');
          return {
            kind: 'result',
            runId: index.runId,
            result: columnarOverview(outcome.result),
            firstPage: first.page,
            configName: prepared.configName ?? 'destination',
            profilesFile: inputs.profiles,
            leadsFile: inputs.leads,
            durationMs: Date.now() - started,
          };
        } finally {
          subscription.dispose();
        }
      },
    ),
  );
}
