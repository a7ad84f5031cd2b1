/**
 * Import Dataflow from Flow Service JSON…: saved answers (a dataflow, its target connection, the
 * sandbox's audiences) → a config in an untitled editor. Pull Dataflow… presents its import here.
 */
import * as vscode from 'vscode';
import { importReportLines } from '../../../common/importReportText';
import {
  FlowImportRequest,
  type FlowImportParams,
  type FlowImportResponse,
  type NamedDocument,
} from '../../../common/protocol';
import type { ServerController } from '../serverController';
import {
  type CommandOutcome,
  type FlowCommandOptions,
  type ImportOutcome,
  failed,
  optionsOf,
  plural,
  toUri,
} from './commandOptions';
import { folderNear, openUntitledConfig, readJson } from './flowFiles';

type Role = 'flow' | 'targetConnection' | 'audiences';

/** Which saved answer a JSON value is, by its shape; undefined when it is none of them. */
function roleOf(value: unknown): Role | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return 'audiences';
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.children)) return 'audiences';
  const items = Array.isArray(record.items) ? (record.items as unknown[]) : undefined;
  const item = (items?.length === 1 ? items[0] : record) as Record<string, unknown> | undefined;
  if (typeof item !== 'object' || item === null) return undefined;
  if ('flowSpec' in item || 'transformations' in item) return 'flow';
  if ('connectionSpec' in item || 'params' in item || 'baseConnectionId' in item)
    return 'targetConnection';
  return undefined;
}

async function importInputs(
  options: FlowCommandOptions,
): Promise<FlowImportParams | CommandOutcome> {
  if (options.flow !== undefined) {
    return {
      flow: await readJson(toUri(options.flow)),
      ...(options.targetConnection === undefined
        ? {}
        : { targetConnection: await readJson(toUri(options.targetConnection)) }),
      ...(options.audiences === undefined
        ? {}
        : { audiences: await readJson(toUri(options.audiences)) }),
    };
  }
  if (options.interactive === false) return { kind: 'missing', what: 'flow' };
  const picked = await vscode.window.showOpenDialog({
    title:
      'Import Dataflow: the saved dataflow (GET /flows/{id}), and optionally its target connection and the audiences',
    canSelectMany: true,
    filters: { JSON: ['json'] },
    openLabel: 'Import',
    ...(folderNear(undefined) ? { defaultUri: folderNear(undefined) } : {}),
  });
  if (!picked?.length) return { kind: 'cancelled' };
  const documents = await Promise.all(picked.map(readJson));
  if (documents.length === 1) return { flow: documents[0] as NamedDocument };
  const byRole: Partial<Record<Role, NamedDocument>> = {};
  for (const document of documents) {
    const role = roleOf(document.value);
    if (!role) {
      return failed(
        `${document.source} is neither a dataflow, a target connection nor an audiences list`,
      );
    }
    if (byRole[role]) {
      return failed(`${byRole[role].source} and ${document.source} are both a ${role}: pick one`);
    }
    byRole[role] = document;
  }
  if (!byRole.flow) return failed('none of the files is a dataflow (GET /flows/{id})');
  return {
    flow: byRole.flow,
    ...(byRole.targetConnection ? { targetConnection: byRole.targetConnection } : {}),
    ...(byRole.audiences ? { audiences: byRole.audiences } : {}),
  };
}

/** Opens an import's config and reports it: lines in the output, one line in a message. */
export async function presentImport(
  controller: ServerController,
  response: FlowImportResponse,
  near: vscode.Uri | undefined,
  missingAudiences: string[] = [],
): Promise<ImportOutcome> {
  if (response.kind === 'inputError') return failed(response.message);
  const document = await openUntitledConfig(response.text, near);
  const { report } = response;
  let name = 'the dataflow';
  try {
    name = (JSON.parse(response.text) as { name?: string }).name ?? name;
  } catch {
    // keep the default
  }
  const lines = [
    ...importReportLines(report),
    ...missingAudiences.map(
      (id) => `warning: audience ${id} is selected by the flow but no longer exists`,
    ),
  ];
  controller.output.info(`[import] ${name} → ${document.uri.toString()}`);
  for (const line of lines) controller.output.info(`[import] ${line}`);
  const warnings = report.warnings.length + missingAudiences.length;
  const message =
    `Imported ${name}: ${plural(report.mapped.length, 'param')} mapped, ${report.kept.length} kept` +
    (report.migration ? `, migrated from ${report.migration.fromTitle}` : '') +
    (warnings ? `, ${plural(warnings, 'warning')}` : '');
  const show = warnings
    ? vscode.window.showWarningMessage(message, 'Show details')
    : vscode.window.showInformationMessage(message, 'Show details');
  void show.then((choice) => {
    if (choice) controller.output.show(true);
  });
  return {
    kind: 'imported',
    uri: document.uri.toString(),
    text: document.getText(),
    report,
    ...(missingAudiences.length ? { missingAudiences } : {}),
  };
}

export async function importDataflowCommand(
  controller: ServerController,
  arg?: unknown,
): Promise<ImportOutcome> {
  const options = optionsOf(arg);
  const inputs = await importInputs(options);
  if ('kind' in inputs) return inputs;
  const client = await controller.ready();
  const response = await client.sendRequest(FlowImportRequest, inputs);
  const flowFile = options.flow === undefined ? undefined : toUri(options.flow);
  return presentImport(controller, response, flowFile);
}
