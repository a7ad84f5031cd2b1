/**
 * Custom messages between the extension client and the language server, in one file both
 * sides compile against (as vscode-eslint's shared messages and rust-analyzer's lsp_ext.ts):
 * each descriptor carries its method name with its parameter and result types, so
 * `sendRequest` / `onRequest` and `sendNotification` / `onNotification` are type-checked on
 * both sides. Client and server resolve one vscode-languageserver-protocol, so its message
 * classes are the same on both.
 */

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { SimulationResult } from './simulationReport';

export const LANGUAGE_ID = 'aep-destination';
export const SETTINGS_SECTION = 'aepDestination';

/** Settings read per resource (`aepDestination.*`). */
export interface DestinationSettings {
  /** Files above this size get one information diagnostic instead of the rules. */
  maxFileSizeMB: number;
  /** Rule codes that are not reported. */
  disabledRules: string[];
}

export const DEFAULT_SETTINGS: DestinationSettings = { maxFileSizeMB: 10, disabledRules: [] };

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
      result: SimulationResult;
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

export interface SimulationProgress {
  uri: string;
  phase: 'reading' | 'matching';
  done: number;
  total: number;
}

/** Server → client notification while a simulation runs. */
export const SimulationProgressNotification = new NotificationType<SimulationProgress>(
  'aepDestination/simulationProgress',
);
