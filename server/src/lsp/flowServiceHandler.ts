/**
 * The Flow Service requests (`aepDestination/flowImport`, `flowExport`, `flowPlan`): the
 * conversions of server/src/flowService run here on what the client sends, the config as the
 * editor shows it (unsaved edits included). The server never talks to Experience Platform: the
 * client fetches a flow itself and sends the answer, so no credential ever reaches the server.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type FlowExportParams,
  FlowExportRequest,
  type FlowExportResponse,
  type FlowImportParams,
  FlowImportRequest,
  type FlowImportResponse,
  type FlowPlanParams,
  FlowPlanRequest,
  type FlowPlanResponse,
  type NamedDocument,
} from '../../../common/protocol';
import { exportPayloads } from '../flowService/exportFlow';
import { FlowShapeError } from '../flowService/flowShapes';
import { configText, importDataflow } from '../flowService/importFlow';
import { planDataflow } from '../flowService/planFlow';
import { formatPlan } from '../flowService/planText';
import type { DestinationLanguageService, DocumentSettings } from '../languageService';
import { prepareFlowConfig } from '../prepareFlowService';
import { guard } from './guard';
import { configDocument, configSource, toRefusingDiagnostics } from './refusingDiagnostics';

type InputError = { kind: 'inputError'; message: string };

export function registerFlowService(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: DestinationLanguageService,
  settingsFor: (uri: string) => Promise<DocumentSettings>,
): void {
  /** The config's JSON once it validates without errors, or what the client is told instead. */
  async function readyConfig(
    uri: string,
  ): Promise<
    | { kind: 'ready'; json: unknown; source: string }
    | Extract<FlowExportResponse, { kind: 'configErrors' }>
    | InputError
  > {
    const document = configDocument(documents, uri);
    if (!document)
      return { kind: 'inputError', message: `${uri} is neither open nor readable on disk.` };
    const prepared = prepareFlowConfig(service, document, await settingsFor(document.uri));
    if (prepared.kind === 'configErrors')
      return { kind: 'configErrors', diagnostics: toRefusingDiagnostics(prepared.errors) };
    return { kind: 'ready', json: prepared.json, source: configSource(uri) };
  }

  connection.onRequest(
    FlowImportRequest,
    guard(connection, FlowImportRequest.method, (params: FlowImportParams): FlowImportResponse => {
      checkNamed(params?.flow, 'params.flow');
      checkNamed(params.targetConnection, 'params.targetConnection', true);
      checkNamed(params.audiences, 'params.audiences', true);
      return shapeErrors(() => {
        const { config, report } = importDataflow({
          flow: params.flow,
          ...(params.targetConnection ? { targetConnection: params.targetConnection } : {}),
          ...(params.audiences ? { audiences: params.audiences } : {}),
        });
        return { kind: 'imported', text: configText(config), report };
      });
    }),
  );

  connection.onRequest(
    FlowExportRequest,
    guard(
      connection,
      FlowExportRequest.method,
      async (params: FlowExportParams): Promise<FlowExportResponse> => {
        if (typeof params?.uri !== 'string') throw new TypeError('params.uri must be a string');
        const config = await readyConfig(params.uri);
        if (config.kind !== 'ready') return config;
        return shapeErrors(() => {
          const payloads = exportPayloads(config.json, config.source);
          return { kind: 'exported', ...payloads };
        });
      },
    ),
  );

  connection.onRequest(
    FlowPlanRequest,
    guard(
      connection,
      FlowPlanRequest.method,
      async (params: FlowPlanParams): Promise<FlowPlanResponse> => {
        if (typeof params?.uri !== 'string') throw new TypeError('params.uri must be a string');
        checkNamed(params.flow, 'params.flow');
        checkNamed(params.targetConnection, 'params.targetConnection', true);
        const config = await readyConfig(params.uri);
        if (config.kind !== 'ready') return config;
        return shapeErrors(() => {
          const plan = planDataflow({
            config: { value: config.json, source: config.source },
            flow: params.flow,
            ...(params.targetConnection ? { targetConnection: params.targetConnection } : {}),
          });
          return { kind: 'planned', plan, text: formatPlan(plan) };
        });
      },
    ),
  );
}

/** A saved answer that is not what it should be is the user's to fix, not a server failure. */
function shapeErrors<R>(run: () => R): R | InputError {
  try {
    return run();
  } catch (error) {
    if (error instanceof FlowShapeError) return { kind: 'inputError', message: error.message };
    throw error;
  }
}

/** Malformed params are a client bug: the guard answers InternalError and logs it. */
function checkNamed(
  value: unknown,
  name: string,
  optional = false,
): asserts value is NamedDocument | undefined {
  if (value === undefined && optional) return;
  if (
    typeof value !== 'object' ||
    value === null ||
    !('value' in value) ||
    typeof (value as { source?: unknown }).source !== 'string'
  )
    throw new TypeError(`${name} must be {value, source} with a string source`);
}
