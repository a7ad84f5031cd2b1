/**
 * Show Flow Service Plan: the JSON Patch that brings a dataflow (a saved file, or the copy read
 * from Experience Platform this session) to the config, in the plan panel; and its Open JSON
 * Patch.
 */
import * as vscode from 'vscode';
import { parse as parseJsonc } from 'jsonc-parser';
import {
  FlowPlanRequest,
  type FlowPlanResponse,
  type NamedDocument,
} from '../../../common/protocol';
import type { ServerController } from '../serverController';
import {
  type CommandOutcome,
  type PlanOutcome,
  configOf,
  failed,
  noConfig,
  optionsOf,
  showProblemsFor,
  toUri,
} from './commandOptions';
import { flowIdOf, folderNear, readJson, shown } from './flowFiles';
import { FlowPlanPanel, type PanelPlan } from './planPanel';
import { fetchedFlows } from './platformSession';

export async function requestPlan(
  controller: ServerController,
  config: vscode.Uri,
  flow: NamedDocument,
  targetConnection: NamedDocument | undefined,
): Promise<FlowPlanResponse> {
  const client = await controller.ready();
  return client.sendRequest(FlowPlanRequest, {
    uri: config.toString(),
    flow,
    ...(targetConnection ? { targetConnection } : {}),
  });
}

function configName(document: vscode.TextDocument): string {
  const value: unknown = parseJsonc(document.getText(), [], { allowTrailingComma: true });
  const name =
    typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() !== ''
    ? name
    : (document.uri.path.split('/').pop() ?? 'destination');
}

/** Shows a plan response: the panel for a plan, one message otherwise. */
export function presentPlan(
  controller: ServerController,
  document: vscode.TextDocument,
  response: FlowPlanResponse,
  from: { flowSource: string; flowId: string | undefined; canApply: boolean },
): PlanOutcome {
  if (response.kind === 'configErrors') {
    showProblemsFor(response.diagnostics, 'A plan');
    return response;
  }
  if (response.kind === 'inputError') return failed(response.message);
  const view: PanelPlan = {
    configUri: document.uri,
    configName: configName(document),
    configPath: shown(document.uri),
    flowSource: from.flowSource,
    flowId: from.flowId,
    plan: response.plan,
    text: response.text,
    canApply: from.canApply,
  };
  const panel = FlowPlanPanel.show(controller.context.extensionUri, view, {
    openPatch: (plan) => openFlowPatch(plan.configUri),
    apply: (plan) =>
      vscode.commands.executeCommand('aepDestination.applyToPlatform', {
        uri: plan.configUri,
        ...(plan.flowId ? { flowId: plan.flowId } : {}),
      }),
  });
  return {
    kind: 'planned',
    plan: response.plan,
    text: response.text,
    panel: {
      title: panel.panel.title,
      viewColumn: panel.panel.viewColumn,
      canApply: from.canApply,
    },
  };
}

export async function showFlowPlan(
  controller: ServerController,
  arg?: unknown,
): Promise<PlanOutcome> {
  const options = optionsOf(arg);
  const config = configOf(options);
  if (!config) return noConfig('Show Flow Service Plan');
  const document = await vscode.workspace.openTextDocument(config);
  const flowId = options.flowId ?? flowIdOf(document);
  let flow: NamedDocument;
  let targetConnection: NamedDocument | undefined;
  let canApply = false;
  const fetched = flowId === undefined ? undefined : fetchedFlows.get(flowId);
  let useFetched = false;
  if (options.flow === undefined && fetched) {
    // Read from Experience Platform this session (Pull, Apply): offer it, or a saved file.
    if (options.interactive === false) useFetched = true;
    else {
      const remote = {
        label: '$(cloud) The flow as read from Experience Platform',
        description: `${fetched.flow.source}, at ${fetched.at.toLocaleTimeString()}`,
      };
      const file = { label: '$(file) A saved flow JSON file…' };
      const choice = await vscode.window.showQuickPick([remote, file], {
        title: 'Show Flow Service Plan: plan against',
      });
      if (!choice) return { kind: 'cancelled' };
      useFetched = choice === remote;
    }
  }
  if (options.flow !== undefined) {
    flow = await readJson(toUri(options.flow));
  } else if (useFetched && fetched) {
    ({ flow, targetConnection } = fetched);
    canApply = true;
  } else {
    if (options.interactive === false) return { kind: 'missing', what: 'flow' };
    const near = folderNear(config);
    const picked = await vscode.window.showOpenDialog({
      title: 'Show Flow Service Plan: the saved dataflow (GET /flows/{id}) to plan against',
      canSelectMany: false,
      filters: { JSON: ['json'] },
      openLabel: 'Plan Against This Flow',
      ...(near ? { defaultUri: near } : {}),
    });
    if (!picked?.[0]) return { kind: 'cancelled' };
    flow = await readJson(picked[0]);
  }
  if (options.targetConnection !== undefined)
    targetConnection = await readJson(toUri(options.targetConnection));
  const response = await requestPlan(controller, config, flow, targetConnection);
  return presentPlan(controller, document, response, {
    flowSource: flow.source,
    flowId,
    canApply,
  });
}

/** Opens the patch of the plan shown for `config` (or the latest plan) as an untitled JSON document. */
export async function openFlowPatch(
  arg?: unknown,
): Promise<{ kind: 'opened'; uri: string; text: string } | CommandOutcome> {
  const options = optionsOf(arg);
  const config = options.uri === undefined ? undefined : toUri(options.uri);
  const panel = FlowPlanPanel.current(config);
  if (!panel) return failed('no Flow Service plan is shown: run Show Flow Service Plan first');
  const { plan, configUri } = panel.plan;
  const document = await vscode.workspace.openTextDocument({
    language: 'json',
    content: `${JSON.stringify(plan.patch, null, 2)}\n`,
  });
  const editor = vscode.window.visibleTextEditors.find(
    (e) => e.document.uri.toString() === configUri.toString(),
  );
  await vscode.window.showTextDocument(document, {
    viewColumn: editor?.viewColumn ?? vscode.ViewColumn.One,
    preview: false,
  });
  return { kind: 'opened', uri: document.uri.toString(), text: document.getText() };
}
