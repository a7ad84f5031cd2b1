/**
 * Custom messages between the extension client and the language server, in one file both
 * sides compile against (as vscode-eslint's shared messages and rust-analyzer's lsp_ext.ts):
 * each descriptor carries its method name with its parameter and result types, so
 * `sendRequest` / `onRequest` and `sendNotification` / `onNotification` are type-checked on
 * both sides. Client and server resolve one vscode-languageserver-protocol, so its message
 * classes are the same on both.
 */

import { NotificationType, type Range, RequestType } from 'vscode-languageserver-protocol';
import type { FlowPlan, ImportReport } from './flowServiceTypes';
import type { OutcomePage, OutcomeQuery, SimulationOverview } from './outcomePages';
import type { SimulationEngineSetting } from './simulationReport';

export { SIMULATION_ENGINES, type SimulationEngineSetting } from './simulationReport';

export const LANGUAGE_ID = 'aep-destination';
export const SETTINGS_SECTION = 'aepDestination';
/** A shared mappings file (`*.mappings.json(c)`): in the language, but not a config to export. */
export const MAPPINGS_FILE_NAME = /\.mappings\.jsonc?$/i;

/** Settings read per resource (`aepDestination.*`). */
export interface DestinationSettings {
  /** Files above this size get one information diagnostic instead of the rules. */
  maxFileSizeMB: number;
  /** Rule codes that are not reported. */
  disabledRules: string[];
  /** `aepDestination.simulation.*`. */
  simulation: {
    /** Which engine Simulate Export runs: auto chooses as `aep-dest simulate --engine auto`. */
    engine: SimulationEngineSetting;
  };
}

export const DEFAULT_SETTINGS: DestinationSettings = {
  maxFileSizeMB: 10,
  disabledRules: [],
  simulation: { engine: 'auto' },
};

/** What the language status item shows for one document, sent after each validation. */
export interface DocumentStatus {
  uri: string;
  version: number;
  /** The `connector` value, or undefined when it is missing or not a string. */
  connector: string | undefined;
  /** The destination's `name`. */
  name: string | undefined;
  errors: number;
  warnings: number;
}

/** Server → client notification, sent after each validation. */
export const DocumentStatusNotification = new NotificationType<DocumentStatus>(
  'aepDestination/documentStatus',
);

export interface SimulateParams {
  /** The destination config; its open text (unsaved changes included) is what is simulated. */
  uri: string;
  /** Absolute paths overriding the config's `simulation` block. */
  profiles?: string;
  leads?: string;
}

/** A validation error that made the server refuse to simulate. */
export interface RefusingDiagnostic {
  code: string;
  message: string;
  /** 0-based. */
  line: number;
  character: number;
}

export type SimulateResponse =
  | {
      kind: 'result';
      /** Names this run in page requests; a re-run (or closing the config) forgets it. */
      runId: string;
      /** The summary, API plan, warnings and counts: the outcomes come in pages. */
      result: SimulationOverview;
      /** The first `PAGE_ROWS` outcomes in file order. */
      firstPage: OutcomePage;
      configName: string;
      /** Absolute paths of the inputs used. */
      profilesFile: string;
      leadsFile: string;
      durationMs: number;
    }
  /** Neither the request nor the config's `simulation` block names these inputs. */
  | { kind: 'needsInputs'; missing: ('profiles' | 'leads')[] }
  /** The config has errors: an export would be refused too. */
  | { kind: 'configErrors'; diagnostics: RefusingDiagnostic[] }
  /** An input file is missing or malformed; `file` and `line` (1-based) locate it when known. */
  | { kind: 'inputError'; message: string; file?: string; line?: number };

/** Client → server request: simulate an export of the config `uri`. Cancellable. */
export const SimulateRequest = new RequestType<SimulateParams, SimulateResponse, void>(
  'aepDestination/simulate',
);

export interface SimulationPageParams extends OutcomeQuery {
  /** The config simulated, and the run (`SimulateResponse.runId`). */
  uri: string;
  runId: string;
  /** 0-based position in the matching rows; at most `MAX_PAGE_ROWS` rows. */
  offset: number;
  limit: number;
}

export type SimulationPageResponse =
  | ({ kind: 'page' } & OutcomePage)
  /** The server no longer holds the run (re-run, config closed, server restarted). */
  | { kind: 'unknownRun'; message: string }
  /** A newer query of the same run came first: this one was stopped, not finished. */
  | { kind: 'superseded'; message: string };

/** Client → server request: a page of the outcomes of a run, filtered, searched and sorted. */
export const SimulationPageRequest = new RequestType<
  SimulationPageParams,
  SimulationPageResponse,
  void
>('aepDestination/simulationPage');

export interface SimulationReportParams {
  uri: string;
  runId: string;
  format: 'json' | 'csv' | 'markdown';
  /** For the Markdown report's header. */
  meta: { configName: string; configPath: string; profilesFile: string; leadsFile: string };
}

export type SimulationReportResponse =
  { kind: 'report'; text: string } | { kind: 'unknownRun'; message: string };

/** The run a results panel showed, when the panel closes: the server drops it. */
export interface SimulationClosedParams {
  uri: string;
  runId: string;
}

/** Client → server notification: a results panel closed; its run's memory can go. */
export const SimulationClosedNotification = new NotificationType<SimulationClosedParams>(
  'aepDestination/simulationClosed',
);

/** Client → server request: the whole report of a run, as the CLI writes it (for Export). */
export const SimulationReportRequest = new RequestType<
  SimulationReportParams,
  SimulationReportResponse,
  void
>('aepDestination/simulationReport');

export interface SimulationProgress {
  uri: string;
  /**
   * `matching` counts profiles (total 0 while DuckDB decides them in one query); `writing`
   * counts the DuckDB engine's outcomes read into the results.
   */
  phase: 'reading' | 'matching' | 'writing';
  done: number;
  total: number;
}

/** Server → client notification while a simulation runs. */
export const SimulationProgressNotification = new NotificationType<SimulationProgress>(
  'aepDestination/simulationProgress',
);

/** A JSON document the client read (a saved Flow Service answer), with its path for messages. */
export interface NamedDocument {
  value: unknown;
  /** A file path, or the endpoint it came from (`GET /flows/{id}`). */
  source: string;
}

export interface FlowImportParams {
  flow: NamedDocument;
  targetConnection?: NamedDocument;
  audiences?: NamedDocument;
}

export type FlowImportResponse =
  /** `text`: the config, formatted as `aep-dest import` writes it. */
  | { kind: 'imported'; text: string; report: ImportReport }
  /** A saved answer is not what it should be; the message names the file and the JSON Pointer. */
  | { kind: 'inputError'; message: string };

/** Client → server request: a saved dataflow (and its target connection, audiences) → a config. */
export const FlowImportRequest = new RequestType<FlowImportParams, FlowImportResponse, void>(
  'aepDestination/flowImport',
);

export interface FlowExportParams {
  /** The destination config; its open text is what is exported. */
  uri: string;
}

export type FlowExportResponse =
  | {
      kind: 'exported';
      /** A POST /targetConnections body. */
      targetConnection: unknown;
      /** A POST /flows body. */
      flow: unknown;
      /** Values only Experience Platform knows, written as `{PLACEHOLDER}`, one sentence each. */
      placeholders: string[];
    }
  | { kind: 'configErrors'; diagnostics: RefusingDiagnostic[] }
  | { kind: 'inputError'; message: string };

/** Client → server request: the Flow Service payloads of the config `uri`. */
export const FlowExportRequest = new RequestType<FlowExportParams, FlowExportResponse, void>(
  'aepDestination/flowExport',
);

export interface FlowPlanParams {
  uri: string;
  /** The flow as GET /flows/{id} answers it (saved or just fetched). */
  flow: NamedDocument;
  /** Its target connection, to note params that differ (PATCH /flows cannot change them). */
  targetConnection?: NamedDocument;
}

export type FlowPlanResponse =
  /** `text`: the plan as `aep-dest plan` prints it. */
  | { kind: 'planned'; plan: FlowPlan; text: string }
  | { kind: 'configErrors'; diagnostics: RefusingDiagnostic[] }
  | { kind: 'inputError'; message: string };

/** Client → server request: the JSON Patch that brings `flow` to the config `uri`. */
export const FlowPlanRequest = new RequestType<FlowPlanParams, FlowPlanResponse, void>(
  'aepDestination/flowPlan',
);

/** What the client tells the server in `initialize` (`initializationOptions`). */
export interface InitializationOptions {
  /**
   * VS Code's workspace trust. False in Restricted Mode: the files a config names are not read.
   * An editor without workspace trust leaves it out, which counts as trusted.
   */
  workspaceTrusted?: boolean;
  /**
   * The language the user chose for this extension's messages (setting `aepDestination.locale`
   * other than "auto"): it wins over `initialize`'s `locale`, VS Code's display language.
   */
  locale?: string;
}

/** Client → server: the user trusted the workspace; every open config is validated again. */
export const WorkspaceTrustNotification = new NotificationType<{ trusted: boolean }>(
  'aepDestination/workspaceTrust',
);

/** An audience of a destination in the workspace view, with where its `id` is written. */
export interface DestinationTreeAudience {
  id: string;
  name?: string;
  range: Range;
}

/** A destination config in the workspace view, with the counts of all its findings. */
export interface DestinationTreeDestination {
  uri: string;
  name?: string;
  dedupeField?: string;
  /** The extent of the config. */
  range: Range;
  errors: number;
  warnings: number;
  audiences: DestinationTreeAudience[];
}

export interface DestinationTreeWorkspace {
  /** As the config writes it; absent for configs without a workspace. */
  workspace?: string;
  destinations: DestinationTreeDestination[];
}

export interface DestinationTreeInstance {
  /** Normalised (upper case); absent for configs whose Munchkin ID is missing or unreadable. */
  munchkinId?: string;
  workspaces: DestinationTreeWorkspace[];
}

export interface DestinationTreeResponse {
  /**
   * Restricted Mode: only the open configs are known (and compared), the files on disk are not
   * read.
   */
  restricted: boolean;
  instances: DestinationTreeInstance[];
}

/** Client → server request: the workspace's destinations, Marketo instance → workspace → …. */
export const DestinationTreeRequest = new RequestType<
  Record<string, never>,
  DestinationTreeResponse,
  void
>('aepDestination/destinationTree');

/** Server → client: the workspace's destinations or their counts changed; ask for the tree. */
export const DestinationTreeChangedNotification = new NotificationType<Record<string, never>>(
  'aepDestination/destinationTreeChanged',
);
