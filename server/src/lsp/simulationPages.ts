/**
 * `aepDestination/simulationPage` and `aepDestination/simulationReport`: the results view's
 * pages of a kept run (filtered, searched and sorted here) and its whole report for Export.
 * A run the server no longer holds answers `unknownRun`, never an error; a query a newer one
 * replaced answers `superseded`. A panel closing drops its run (`simulationClosed`).
 */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toJsonReport } from '../../../common/jsonReport';
import { MAX_PAGE_ROWS, sanitizeQuery } from '../../../common/outcomePages';
import {
  SimulationClosedNotification,
  SimulationPageRequest,
  type SimulationPageResponse,
  SimulationReportRequest,
  type SimulationReportResponse,
} from '../../../common/protocol';
import { toCsvReport, toMarkdownReport } from '../../../common/reportFormats';
import { guard } from './guard';
import type { SimulationStore } from './simulationStore';

function unknownRun(uri: string): { kind: 'unknownRun'; message: string } {
  return {
    kind: 'unknownRun',
    message: `The simulation of ${uri} is no longer held by the server (re-run, closed or restarted): run Simulate Export again.`,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function count(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new TypeError(`params.${name} must be a non-negative integer`);
  return Math.min(value, max);
}

export function registerSimulationPages(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  store: SimulationStore,
): void {
  documents.onDidClose((event) => store.drop(event.document.uri));
  connection.onNotification(SimulationClosedNotification, (params: unknown) => {
    if (isRecord(params) && typeof params.uri === 'string' && typeof params.runId === 'string')
      store.dropRun(params.uri, params.runId);
  });

  connection.onRequest(
    SimulationPageRequest,
    guard(
      connection,
      SimulationPageRequest.method,
      async (params: unknown): Promise<SimulationPageResponse> => {
        if (!isRecord(params) || typeof params.uri !== 'string' || typeof params.runId !== 'string')
          throw new TypeError('params.uri and params.runId must be strings');
        const offset = count(params.offset, 'offset', Number.MAX_SAFE_INTEGER);
        const limit = count(params.limit, 'limit', MAX_PAGE_ROWS);
        const run = store.get(params.uri, params.runId);
        if (!run) return unknownRun(params.uri);
        // Sorts, filters and searches run in the run's query worker: this thread waits for
        // nothing meanwhile, and a newer query of the view supersedes this one.
        const answer = await run.index.page(sanitizeQuery(params), offset, limit);
        switch (answer.kind) {
          case 'page':
            return { kind: 'page', ...answer.page };
          case 'superseded':
            return {
              kind: 'superseded',
              message: 'A newer sort, filter or search of the results view replaced this one.',
            };
          case 'closed':
            return unknownRun(params.uri);
        }
      },
    ),
  );

  connection.onRequest(
    SimulationReportRequest,
    guard(
      connection,
      SimulationReportRequest.method,
      (params: unknown): SimulationReportResponse => {
        if (!isRecord(params) || typeof params.uri !== 'string' || typeof params.runId !== 'string')
          throw new TypeError('params.uri and params.runId must be strings');
        const run = store.get(params.uri, params.runId);
        if (!run) return unknownRun(params.uri);
        const meta = isRecord(params.meta) ? params.meta : {};
        const text = (key: string): string => (typeof meta[key] === 'string' ? meta[key] : '');
        switch (params.format) {
          case 'json':
            return { kind: 'report', text: toJsonReport(run.result) };
          case 'csv':
            return { kind: 'report', text: toCsvReport(run.result) };
          case 'markdown':
            return {
              kind: 'report',
              text: toMarkdownReport(run.result, {
                configName: text('configName'),
                configPath: text('configPath'),
                profilesFile: text('profilesFile'),
                leadsFile: text('leadsFile'),
              }),
            };
          default:
            throw new TypeError('params.format must be json, csv or markdown');
        }
      },
    ),
  );
}
