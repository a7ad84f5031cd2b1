/**
 * Pull Dataflow… (read a flow from Experience Platform and import it) and Apply to Experience
 * Platform… (read the flow, plan, confirm, PATCH it with If-Match).
 */
import * as vscode from 'vscode';
import { firstTargetConnectionId } from '../../../common/platform/answers';
import { DEFAULT_ENDPOINTS } from '../../../common/platform/credentials';
import { FlowImportRequest, type NamedDocument } from '../../../common/protocol';
import type { ServerController } from '../serverController';
import {
  type ApplyOutcome,
  type ImportOutcome,
  configOf,
  failed,
  noConfig,
  optionsOf,
  plural,
} from './commandOptions';
import { flowIdOf } from './flowFiles';
import { presentImport } from './importCommand';
import { presentPlan, requestPlan } from './planCommand';
import { askFlowId, fetchedFlows, flowSource, progress, withPlatform } from './platformSession';

export async function pullDataflow(
  controller: ServerController,
  arg?: unknown,
): Promise<ImportOutcome> {
  const options = optionsOf(arg);
  const flowId = await askFlowId(options, 'Pull Dataflow');
  if (!flowId)
    return options.interactive === false
      ? { kind: 'missing', what: 'flowId' }
      : { kind: 'cancelled' };
  return withPlatform(controller, options, async (platform) => {
    const pulled = await progress(`Pulling dataflow ${flowId}…`, () => platform.pull(flowId));
    const flow: NamedDocument = { value: pulled.flow, source: flowSource(flowId) };
    const targetId = firstTargetConnectionId(pulled.flow);
    const targetConnection: NamedDocument | undefined = pulled.targetConnection
      ? { value: pulled.targetConnection, source: `GET /targetConnections/${targetId ?? ''}` }
      : undefined;
    const client = await controller.ready();
    const response = await client.sendRequest(FlowImportRequest, {
      flow,
      ...(targetConnection ? { targetConnection } : {}),
      audiences: { value: pulled.audiences, source: 'GET /audiences' },
    });
    if (response.kind === 'imported')
      fetchedFlows.set(flowId, {
        flow,
        ...(targetConnection ? { targetConnection } : {}),
        at: new Date(),
      });
    return presentImport(controller, response, undefined, pulled.missingAudiences);
  });
}

export async function applyToPlatform(
  controller: ServerController,
  arg?: unknown,
): Promise<ApplyOutcome> {
  const options = optionsOf(arg);
  const config = configOf(options);
  if (!config) return noConfig('Apply to Experience Platform');
  const document = await vscode.workspace.openTextDocument(config);
  const flowId =
    options.flowId?.trim() ||
    flowIdOf(document) ||
    (await askFlowId({ ...options, flowId: undefined }, 'Apply to Experience Platform'));
  if (!flowId)
    return options.interactive === false
      ? { kind: 'missing', what: 'flowId' }
      : { kind: 'cancelled' };
  return withPlatform(controller, options, async (platform, credentials, endpoints) => {
    const { flow: value, targetConnection: tc } = await progress(
      `Reading dataflow ${flowId}…`,
      async () => {
        const { flow } = await platform.getFlow(flowId);
        const targetId = firstTargetConnectionId(flow);
        const targetConnection = targetId
          ? {
              value: (await platform.getTargetConnection(targetId)).targetConnection,
              source: `GET /targetConnections/${targetId}`,
            }
          : undefined;
        return { flow, targetConnection };
      },
    );
    const flow: NamedDocument = { value, source: flowSource(flowId) };
    fetchedFlows.set(flowId, { flow, ...(tc ? { targetConnection: tc } : {}), at: new Date() });
    const response = await requestPlan(controller, config, flow, tc);
    const shownPlan = presentPlan(controller, document, response, {
      flowSource: flow.source,
      flowId,
      canApply: true,
    });
    if (shownPlan.kind !== 'planned') return shownPlan;
    const { plan, text } = shownPlan;
    const flowName =
      plan.summary.flowName === undefined ? flowId : `"${plan.summary.flowName}" (${flowId})`;
    if (plan.summary.unchanged) {
      void vscode.window.showInformationMessage(
        `Flow ${flowName} already matches the config: nothing to apply.`,
      );
      return { kind: 'unchanged', plan };
    }
    if (plan.ifMatch === undefined)
      return failed(`flow ${flowName} has no etag: it cannot be patched safely`);
    const operations = plural(plan.patch.length, 'operation');
    let confirmed = options.confirm;
    if (confirmed === undefined) {
      const target =
        endpoints.platformUrl === DEFAULT_ENDPOINTS.platformUrl
          ? ''
          : ` at ${endpoints.platformUrl}`;
      const choice = await vscode.window.showWarningMessage(
        `Apply ${operations} to flow ${flowName} in sandbox ${credentials.sandboxName}${target}?`,
        { modal: true, detail: text },
        'Apply',
      );
      confirmed = choice === 'Apply';
    }
    if (!confirmed) return { kind: 'declined', plan };
    const ifMatch = plan.ifMatch;
    const result = await progress(`Applying ${operations} to dataflow ${flowId}…`, () =>
      platform.patchFlow(flowId, ifMatch, plan.patch),
    );
    // The flow changed: a plan against the copy read before would be stale.
    fetchedFlows.delete(flowId);
    controller.output.info(
      `[apply] ${operations} applied to flow ${flowId}${result.etag ? `; its etag is now ${result.etag}` : ''}`,
    );
    void vscode.window.showInformationMessage(`Applied ${operations} to flow ${flowName}.`);
    return { kind: 'applied', plan, etag: result.etag };
  });
}
