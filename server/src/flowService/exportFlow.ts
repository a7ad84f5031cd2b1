/**
 * `aep-dest export`: a config → the bodies of `POST /targetConnections` and `POST /flows`
 * (streaming-destinations.md, "Connect to streaming destination" and "Create a data flow"). A
 * config import wrote gives back the imported params and selectors exactly; what the config
 * changed is written the way the flow writes it.
 */
import {
  type ParamRow,
  PARAM_TABLE,
  configValueOf,
  paramValueOf,
  rowOfParam,
} from './connectionParams';
import { type ConfigView, readConfig } from './configView';
import { type JsonObject, isObject, stringAt } from './flowShapes';
import { profileFieldsFor } from './profileFields';
import {
  type MappingPair,
  audienceOfSelector,
  mappingOfSelector,
  pairKey,
  selectorOfAudience,
  selectorOfMapping,
} from './selectors';

/** The flow spec of profile-based streaming destinations (streaming-destinations.md, "Create a data flow"). */
export const PROFILE_FLOW_SPEC = { id: '71471eba-b620-49e4-90fd-23f1fa0174d8', version: '1.0' };

export interface ExportedPayloads {
  targetConnection: JsonObject;
  flow: JsonObject;
  /** Placeholders written where only Experience Platform knows the value, one sentence each. */
  placeholders: string[];
}

export function exportPayloads(configJson: unknown, source: string): ExportedPayloads {
  const config = readConfig(configJson, source);
  const placeholders: string[] = [];
  const placeholder = (text: string, why: string): string => {
    placeholders.push(`${text}: ${why}`);
    return text;
  };
  const base = isObject(config.flowService.targetConnection)
    ? config.flowService.targetConnection
    : {};
  const targetConnection: JsonObject = {
    name: stringAt(base, 'name') ?? config.name ?? 'Marketo Engage Connection',
    ...(base.description !== undefined ? { description: base.description } : {}),
    baseConnectionId:
      base.baseConnectionId ??
      placeholder(
        '{BASE_CONNECTION_ID}',
        'the id of the Marketo account connection (GET /connections)',
      ),
    connectionSpec: base.connectionSpec ?? {
      id: placeholder(
        '{MARKETO_ENGAGE_CONNECTION_SPEC_ID}',
        "Adobe does not publish the Marketo Engage Connection card's connection spec id (GET /connectionSpecs)",
      ),
      version: '1.0',
    },
    data: base.data ?? { format: 'json' },
    params: exportParams(config, isObject(base.params) ? base.params : {}),
  };
  const fs = config.flowService;
  const flow: JsonObject = {
    name: config.name ?? '',
    ...(config.description !== undefined ? { description: config.description } : {}),
    flowSpec: fs.flowSpec ?? PROFILE_FLOW_SPEC,
    sourceConnectionIds: fs.sourceConnectionIds ?? [
      placeholder('{PROFILE_SOURCE_CONNECTION_ID}', 'the source connection to the Profile store'),
    ],
    targetConnectionIds: fs.targetConnectionIds ?? [
      placeholder('{TARGET_CONNECTION_ID}', 'the id POST /targetConnections answers'),
    ],
    transformations: [
      {
        name: 'GeneralTransform',
        params: {
          profileSelectors: exportProfileSelectors(config),
          segmentSelectors: { selectors: exportSegmentSelectors(config) },
        },
      },
    ],
  };
  return { targetConnection, flow, placeholders };
}

function exportParams(config: ConfigView, imported: JsonObject): JsonObject {
  const params: JsonObject = { ...imported };
  for (const row of PARAM_TABLE) {
    const name = Object.keys(imported).find(
      (param) => rowOfParam(param) === row && configValueOf(row, imported[param]) !== undefined,
    );
    const value = config.connection[row.key];
    if (value === undefined) {
      if (name !== undefined) delete params[name];
      continue;
    }
    params[name ?? firstName(row)] = paramValueOf(
      row,
      value,
      name === undefined ? undefined : imported[name],
    );
  }
  return params;
}

function firstName(row: ParamRow): string {
  return row.names[0] ?? row.key;
}

/** Counts of pairs, so two identical mappings stay two. */
function pairCounts(pairs: readonly MappingPair[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pair of pairs) counts.set(pairKey(pair), (counts.get(pairKey(pair)) ?? 0) + 1);
  return counts;
}

/**
 * The imported selectors the config still has, in the flow's order, then the config's new
 * mappings; a selector without `mapping` is not the config's to remove and stays.
 */
function exportProfileSelectors(config: ConfigView): JsonObject {
  const group = isObject(config.flowService.profileSelectors)
    ? config.flowService.profileSelectors
    : {};
  const originals = Array.isArray(group.selectors) ? (group.selectors as unknown[]) : [];
  const wanted = pairCounts(config.mappings);
  const selectors: unknown[] = [];
  const importedPairs: MappingPair[] = [];
  for (const selector of originals) {
    const pair = mappingOfSelector(selector);
    if (!pair) {
      selectors.push(selector);
      continue;
    }
    const left = wanted.get(pairKey(pair)) ?? 0;
    if (left === 0) continue;
    wanted.set(pairKey(pair), left - 1);
    selectors.push(selector);
    importedPairs.push(pair);
  }
  for (const pair of config.mappings) {
    const left = wanted.get(pairKey(pair)) ?? 0;
    if (left === 0) continue;
    wanted.set(pairKey(pair), left - 1);
    selectors.push(selectorOfMapping(pair));
  }
  const fromFlow = isObject(config.flowService.profileSelectors);
  return {
    ...group,
    selectors,
    ...profileFieldsFor(group, fromFlow, config.mappings, importedPairs),
  };
}

/**
 * The imported segment selectors the config still has, verbatim, then its new audiences. An
 * audience's name belongs to the audience in Experience Platform: a name changed in the config
 * is the reader's label and changes neither the export nor the plan.
 */
function exportSegmentSelectors(config: ConfigView): unknown[] {
  const group = isObject(config.flowService.segmentSelectors)
    ? config.flowService.segmentSelectors
    : {};
  const originals = Array.isArray(group.selectors) ? (group.selectors as unknown[]) : [];
  const wanted = new Set(config.audiences.map((audience) => audience.id));
  const done = new Set<string>();
  const selectors: unknown[] = [];
  for (const selector of originals) {
    const audience = audienceOfSelector(selector);
    if (!audience || !wanted.has(audience.id) || done.has(audience.id)) continue;
    done.add(audience.id);
    selectors.push(selector);
  }
  for (const audience of config.audiences) {
    if (done.has(audience.id)) continue;
    done.add(audience.id);
    selectors.push(
      selectorOfAudience({
        id: audience.id,
        ...(audience.name !== undefined ? { name: audience.name } : {}),
      }),
    );
  }
  return selectors;
}
