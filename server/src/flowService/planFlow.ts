/**
 * `aep-dest plan`: the RFC 6902 patch that brings a dataflow to a config, in the operations
 * update-destination-dataflows.md documents: `replace /name` and `/description`; audiences and
 * attributes added at `…/selectors/-` and removed by index. Removals run from the highest index
 * down, so each index still names the selector it was computed for when the operations apply in
 * order (Adobe's own example removes 0, then 1, which would remove the first and the third).
 */
import type {
  FlowPlan,
  JsonPatchOperation,
  PlanChange,
  PlanSummary,
} from '../../../common/flowServiceTypes';
import { configValueOf, rowOfParam } from './connectionParams';
import { readConfig } from './configView';
import { type NamedJson, isObject, readFlow, readTargetConnection, stringAt } from './flowShapes';
import { profileFieldsFor } from './profileFields';
import {
  type MappingPair,
  audienceOfSelector,
  mappingOfSelector,
  pairKey,
  selectorOfAudience,
  selectorOfMapping,
} from './selectors';

export interface PlanInputs {
  config: NamedJson;
  flow: NamedJson;
  targetConnection?: NamedJson;
}

export function planDataflow(inputs: PlanInputs): FlowPlan {
  const config = readConfig(inputs.config.value, inputs.config.source);
  const view = readFlow(inputs.flow);
  const flowName = stringAt(view.flow, 'name');
  const flowDescription = stringAt(view.flow, 'description');
  const base = `/transformations/${view.selectors.transformIndex}/params`;
  const changes: PlanChange[] = [];
  const patch: JsonPatchOperation[] = [];

  if (config.name !== undefined && config.name !== flowName) {
    patch.push({
      op: flowName === undefined ? 'add' : 'replace',
      path: '/name',
      value: config.name,
    });
    changes.push({ kind: 'nameChanged', from: flowName, to: config.name });
  }
  if (config.description !== undefined && config.description !== flowDescription) {
    patch.push({
      op: view.flow.description === undefined ? 'add' : 'replace',
      path: '/description',
      value: config.description,
    });
    changes.push({ kind: 'descriptionChanged', from: flowDescription, to: config.description });
  }

  // Audiences, by id.
  const wantedAudiences = new Set(config.audiences.map((audience) => audience.id));
  const present = new Set<string>();
  const removeAudiences: { index: number; id: string; name: string | undefined }[] = [];
  view.selectors.segment.forEach((selector, index) => {
    const audience = audienceOfSelector(selector);
    if (!audience) return;
    if (wantedAudiences.has(audience.id) && !present.has(audience.id)) present.add(audience.id);
    else removeAudiences.push({ index, ...audience });
  });
  for (const removed of removeAudiences.reverse()) {
    patch.push({ op: 'remove', path: `${base}/segmentSelectors/selectors/${removed.index}` });
    changes.push({
      kind: 'audienceRemoved',
      id: removed.id,
      name: removed.name,
      index: removed.index,
    });
  }
  for (const audience of config.audiences) {
    if (present.has(audience.id)) continue;
    present.add(audience.id);
    const value = selectorOfAudience({
      id: audience.id,
      ...(audience.name !== undefined ? { name: audience.name } : {}),
    });
    patch.push({ op: 'add', path: `${base}/segmentSelectors/selectors/-`, value });
    changes.push({ kind: 'audienceAdded', id: audience.id, name: audience.name });
  }

  // Mappings, as (source, target) pairs; a selector without a mapping is left alone.
  const wanted = new Map<string, number>();
  for (const pair of config.mappings)
    wanted.set(pairKey(pair), (wanted.get(pairKey(pair)) ?? 0) + 1);
  const removeMappings: { index: number; source: string; target: string }[] = [];
  const kept: MappingPair[] = [];
  view.selectors.profile.forEach((selector, index) => {
    const pair = mappingOfSelector(selector);
    if (!pair) return;
    const left = wanted.get(pairKey(pair)) ?? 0;
    if (left > 0) {
      wanted.set(pairKey(pair), left - 1);
      kept.push(pair);
    } else removeMappings.push({ index, ...pair });
  });
  for (const removed of removeMappings.reverse()) {
    patch.push({ op: 'remove', path: `${base}/profileSelectors/selectors/${removed.index}` });
    changes.push({
      kind: 'mappingRemoved',
      source: removed.source,
      target: removed.target,
      index: removed.index,
    });
  }
  for (const pair of config.mappings) {
    const left = wanted.get(pairKey(pair)) ?? 0;
    if (left === 0) continue;
    wanted.set(pairKey(pair), left - 1);
    patch.push({
      op: 'add',
      path: `${base}/profileSelectors/selectors/-`,
      value: selectorOfMapping(pair),
    });
    changes.push({ kind: 'mappingAdded', source: pair.source, target: pair.target });
  }

  const group = view.selectors.profileSelectors;
  const fields = profileFieldsFor(group, true, config.mappings, kept);
  for (const field of ['mandatoryFields', 'primaryFields'] as const) {
    const to = fields[field];
    const from = Array.isArray(group[field]) ? (group[field] as unknown[]) : undefined;
    if (to === undefined || JSON.stringify(to) === JSON.stringify(from)) continue;
    patch.push({
      op: from === undefined ? 'add' : 'replace',
      path: `${base}/profileSelectors/${field}`,
      value: to,
    });
    changes.push({ kind: 'profileFieldsChanged', field, from, to });
  }

  const notes = planNotes(
    config.flowService,
    view.flow,
    config.connection,
    inputs.targetConnection,
  );
  const count = (kind: PlanChange['kind']): number =>
    changes.filter((change) => change.kind === kind).length;
  const summary: PlanSummary = {
    flowId: stringAt(view.flow, 'id'),
    flowName,
    audiencesAdded: count('audienceAdded'),
    audiencesRemoved: count('audienceRemoved'),
    mappingsAdded: count('mappingAdded'),
    mappingsRemoved: count('mappingRemoved'),
    nameChanged: count('nameChanged') > 0,
    descriptionChanged: count('descriptionChanged') > 0,
    unchanged: patch.length === 0,
    notes,
  };
  return { ifMatch: stringAt(view.flow, 'etag'), patch, summary, changes };
}

function planNotes(
  block: Record<string, unknown>,
  flow: Record<string, unknown>,
  connection: Partial<Record<string, string>>,
  targetConnection: NamedJson | undefined,
): string[] {
  const notes: string[] = [];
  const flowId = stringAt(flow, 'id');
  const importedId = stringAt(block, 'flowId');
  if (importedId !== undefined && flowId !== undefined && importedId !== flowId) {
    notes.push(`the config was imported from flow ${importedId}, not from ${flowId}`);
  }
  const importedEtag = stringAt(block, 'etag');
  const etag = stringAt(flow, 'etag');
  if (importedEtag !== undefined && etag !== undefined && importedEtag !== etag) {
    notes.push(
      `the flow changed since the config was imported (etag ${importedEtag} → ${etag}): the plan is against the flow as it is now`,
    );
  }
  if (!targetConnection) return notes;
  const tc = readTargetConnection(targetConnection);
  const params = isObject(tc.params) ? tc.params : {};
  for (const [param, raw] of Object.entries(params)) {
    const row = rowOfParam(param);
    if (!row) continue;
    const value = configValueOf(row, raw);
    const wanted = connection[row.key];
    if (value === undefined || wanted === undefined || value === wanted) continue;
    notes.push(
      `${row.key} is ${wanted} in the config but ${JSON.stringify(raw)} in the target connection (param ${param}): PATCH /flows cannot change it; edit the destination's connection in Experience Platform`,
    );
  }
  return notes;
}
