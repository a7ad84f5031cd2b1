/**
 * What the Flow Service commands take and answer. The commands: Import Dataflow from Flow
 * Service JSON… (importCommand.ts), Export Flow Service Payloads (exportCommand.ts), Show Flow
 * Service Plan (planCommand.ts), Pull Dataflow…, Apply to Experience Platform…
 * (pullApplyCommands.ts) and Forget Experience Platform Credentials (platformSession.ts).
 *
 * The conversions run in the language server (FlowImportRequest, FlowExportRequest,
 * FlowPlanRequest). Pull and Apply talk to Experience Platform from here, the extension host,
 * with common/platform/, and hand the server only the answers: the credential never leaves
 * the extension host.
 *
 * Every command takes an optional argument (a config Uri, as menus pass it, or an options
 * object: files, a folder, a flow id, for tests a credentials object and a confirmation) and
 * asks with a dialog, an input box or a modal only for what the argument does not give. Each
 * returns what happened (`{kind: …}`), which the integration suite checks.
 */
import * as vscode from 'vscode';
import type { FlowPlan, ImportReport } from '../../../common/flowServiceTypes';
import { LANGUAGE_ID, type RefusingDiagnostic } from '../../../common/protocol';

/** What the commands accept instead of asking. Uris may also be given as strings. */
export interface FlowCommandOptions {
  /** The destination config (export, plan, apply); the active editor's otherwise. */
  uri?: vscode.Uri | string;
  /** Import: the saved dataflow. Show Plan: the saved flow to plan against. */
  flow?: vscode.Uri | string;
  /** Import, Show Plan: its target connection. */
  targetConnection?: vscode.Uri | string;
  /** Import: the sandbox's audiences (GET /audiences). */
  audiences?: vscode.Uri | string;
  /** Export: the folder to write to. */
  folder?: vscode.Uri | string;
  /** Export: replace existing files without asking. */
  overwrite?: boolean;
  /** Pull, Apply: the dataflow id. */
  flowId?: string;
  /** Pull, Apply: the answers to the credential prompts (stored as if typed). */
  credentials?: unknown;
  /** false: never ask; what is missing ends the command with `{kind: 'missing'}`. */
  interactive?: boolean;
  /** Apply: the answer to the confirmation modal. */
  confirm?: boolean;
}

export type CommandOutcome =
  | { kind: 'cancelled' }
  | { kind: 'missing'; what: string }
  | { kind: 'error'; message: string; status?: number }
  | { kind: 'configErrors'; diagnostics: RefusingDiagnostic[] }
  | { kind: 'inputError'; message: string };

export type ImportOutcome =
  | CommandOutcome
  | {
      kind: 'imported';
      uri: string;
      text: string;
      report: ImportReport;
      missingAudiences?: string[];
    };

export type ExportOutcome =
  CommandOutcome | { kind: 'exported'; files: string[]; placeholders: string[] };

export type PlanOutcome =
  | CommandOutcome
  | {
      kind: 'planned';
      plan: FlowPlan;
      text: string;
      panel: { title: string; viewColumn: number | undefined; canApply: boolean };
    };

export type ApplyOutcome =
  | PlanOutcome
  | { kind: 'unchanged'; plan: FlowPlan }
  | { kind: 'declined'; plan: FlowPlan }
  | { kind: 'applied'; plan: FlowPlan; etag: string | undefined };

export const TITLE = 'AEP Destination';

export function optionsOf(arg: unknown): FlowCommandOptions {
  if (arg instanceof vscode.Uri) return { uri: arg };
  // An options object as a test or another extension passes it; fields are checked as used.
  if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) return arg;
  return {};
}

export function toUri(value: vscode.Uri | string): vscode.Uri {
  if (value instanceof vscode.Uri) return value;
  return /^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)
    ? vscode.Uri.parse(value, true)
    : vscode.Uri.file(value);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The config a command works on: the argument or the active aep-destination editor. */
export function configOf(options: FlowCommandOptions): vscode.Uri | undefined {
  if (options.uri !== undefined) return toUri(options.uri);
  const active = vscode.window.activeTextEditor?.document;
  return active?.languageId === LANGUAGE_ID ? active.uri : undefined;
}

export function noConfig(command: string): CommandOutcome {
  const message = `${command} works on a destination config: open a *.destination.json file first.`;
  void vscode.window.showErrorMessage(message);
  return { kind: 'error', message };
}

export function failed(message: string, status?: number): CommandOutcome {
  void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
  return { kind: 'error', message, ...(status === undefined ? {} : { status }) };
}

/** One message naming the first error; not awaited, so the command answers at once. */
export function showProblemsFor(diagnostics: RefusingDiagnostic[], what: string): void {
  const count = diagnostics.length;
  const first = diagnostics[0];
  void vscode.window
    .showErrorMessage(
      `The config has ${plural(count, 'error')} (line ${(first?.line ?? 0) + 1}: ${first?.code}). ${what} would be refused: fix ${count === 1 ? 'it' : 'them'} first.`,
      'Show Problems',
    )
    .then(async (choice) => {
      if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    });
}
