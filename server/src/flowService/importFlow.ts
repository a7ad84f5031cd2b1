/**
 * `aep-dest import`: a saved dataflow (and optionally its target connection and the sandbox's
 * audiences) → a destination config. What the config cannot say (ids, etag, every param
 * verbatim, the selectors as the flow holds them) goes into its `flowService` block, so export
 * gives back what was imported.
 */
import type {
  ConnectionKey,
  ImportReport,
  LegacyCard,
  MappedParam,
} from '../../../common/flowServiceTypes';
import { CONNECTION_KEYS, configValueOf, rowOfParam } from './connectionParams';
import {
  type AudienceInfo,
  type FlowView,
  type JsonObject,
  type NamedJson,
  isObject,
  readAudiences,
  readFlow,
  readTargetConnection,
  stringAt,
} from './flowShapes';
import { detectLegacyCard, migrateLegacy } from './migration';
import { type MappingPair, audienceOfSelector, mappingOfSelector } from './selectors';

export interface ImportInputs {
  flow: NamedJson;
  targetConnection?: NamedJson;
  audiences?: NamedJson;
  /** Overrides the card detected from the target connection's params. */
  card?: LegacyCard | 'connection';
}

export interface ImportedConfig {
  config: JsonObject;
  report: ImportReport;
}

/** Keys of the flow a POST /flows body takes and the config cannot express. */
const FLOW_KEPT_KEYS = ['flowSpec', 'sourceConnectionIds', 'targetConnectionIds'] as const;
/** Keys of a target connection a POST /targetConnections body takes. */
const CONNECTION_KEPT_KEYS = [
  'id',
  'name',
  'description',
  'baseConnectionId',
  'connectionSpec',
  'data',
  'params',
] as const;

export function importDataflow(inputs: ImportInputs): ImportedConfig {
  const view = readFlow(inputs.flow);
  const tc = inputs.targetConnection ? readTargetConnection(inputs.targetConnection) : undefined;
  const audiences = inputs.audiences ? readAudiences(inputs.audiences) : undefined;
  const report: ImportReport = { mapped: [], kept: [], migration: undefined, warnings: [] };

  const params = tc && isObject(tc.params) ? tc.params : {};
  const connection = readParams(params, report);
  const { mappings, unmapped } = readMappings(view);
  if (unmapped) {
    report.warnings.push(
      `${unmapped} profile selector(s) have no "mapping" (attributes selected without a Marketo target): kept in flowService as they are`,
    );
  }
  const audienceList = readAudienceList(view, audiences, inputs.audiences?.source, report);

  const config: JsonObject = { connector: 'marketo-engage' };
  const name = stringAt(view.flow, 'name');
  if (name !== undefined) config.name = name;
  const description = stringAt(view.flow, 'description');
  if (description) config.description = description;
  for (const key of CONNECTION_KEYS) {
    const value = connection.get(key);
    if (value !== undefined) config[key] = value;
  }
  config.mappings = mappings;
  config.audiences = audienceList;

  const card = inputs.card ?? (tc ? detectLegacyCard(params) : 'connection');
  if (card !== 'connection') {
    report.migration = migrateLegacy(card, { config, params, view });
    config.flowService = legacyBlock(card, view, params);
  } else {
    config.flowService = flowServiceBlock(view, tc);
  }
  if (!tc) {
    report.warnings.push(
      'no target connection was read: munchkinId, workspace, syncType, dedupeField and personAction are not in the config (import with --target-connection)',
    );
  }
  return { config: inConfigOrder(config), report };
}

const CONFIG_ORDER = [
  'connector',
  'name',
  'description',
  ...CONNECTION_KEYS,
  'mappings',
  'audiences',
  'flowService',
];

/** The keys in the order the schema lists them, as a person would write the file. */
function inConfigOrder(config: JsonObject): JsonObject {
  const ordered: JsonObject = {};
  for (const key of CONFIG_ORDER) if (config[key] !== undefined) ordered[key] = config[key];
  return ordered;
}

/** Each param the table knows becomes its config key; the rest are reported as kept. */
function readParams(params: JsonObject, report: ImportReport): Map<ConnectionKey, string> {
  const values = new Map<ConnectionKey, string>();
  for (const [param, raw] of Object.entries(params)) {
    const row = rowOfParam(param);
    const value = row ? configValueOf(row, raw) : undefined;
    if (!row || value === undefined || values.has(row.key)) {
      report.kept.push(param);
      continue;
    }
    values.set(row.key, value);
    report.mapped.push({ param, key: row.key, value } satisfies MappedParam);
  }
  return values;
}

function readMappings(view: FlowView): { mappings: MappingPair[]; unmapped: number } {
  const mappings: MappingPair[] = [];
  let unmapped = 0;
  for (const selector of view.selectors.profile) {
    const pair = mappingOfSelector(selector);
    if (pair) mappings.push(pair);
    else unmapped++;
  }
  return { mappings, unmapped };
}

function readAudienceList(
  view: FlowView,
  audiences: Map<string, AudienceInfo> | undefined,
  audiencesSource: string | undefined,
  report: ImportReport,
): JsonObject[] {
  const list: JsonObject[] = [];
  for (const selector of view.selectors.segment) {
    const audience = audienceOfSelector(selector);
    if (!audience) {
      report.warnings.push('a segment selector without an audience id was skipped');
      continue;
    }
    const info = audiences?.get(audience.id);
    if (audiences && !info) {
      report.warnings.push(
        `audience ${audience.id} is not in ${audiencesSource ?? 'the audiences'}: its origin, type and evaluation are not known`,
      );
    }
    list.push(audienceEntry(audience, info, report));
  }
  return list;
}

/** Audiences API `originName` → the config's `origin` (audiences.md, "originName"). */
const ORIGINS: Record<string, string> = {
  REAL_TIME_CUSTOMER_PROFILE: 'segmentationService',
  CUSTOM_UPLOAD: 'customUpload',
  LOOKALIKE: 'lookalike',
  FEDERATED_AUDIENCE_COMPOSITION: 'federated',
  FEDERATED: 'federated',
  JOURNEY_OPTIMIZER: 'journeyOptimizer',
  AUDIENCE_ORCHESTRATION: 'other',
  AUDIENCE_MATCH: 'other',
  AUDIENCE_MANAGER: 'other',
};

function audienceEntry(
  audience: { id: string; name: string | undefined },
  info: AudienceInfo | undefined,
  report: ImportReport,
): JsonObject {
  const entry: JsonObject = { id: audience.id };
  const name = audience.name ?? info?.name;
  if (name !== undefined) entry.name = name;
  if (!info) return entry;
  if (info.originName !== undefined) {
    const origin = ORIGINS[info.originName];
    if (origin === undefined) {
      report.warnings.push(
        `audience ${audience.id}: origin ${info.originName} is not one we know: written as "other"`,
      );
    }
    entry.origin = origin ?? 'other';
  }
  const type = audienceType(info.schemaName);
  if (type !== undefined) entry.type = type;
  const evaluation = evaluationOf(info.evaluation);
  if (evaluation !== undefined) entry.evaluation = evaluation;
  return entry;
}

/** People audiences are defined on the profile union; B2B account audiences on accounts. */
function audienceType(schemaName: string | undefined): string | undefined {
  if (schemaName === undefined) return undefined;
  const name = schemaName.toLowerCase();
  if (name.includes('prospect')) return 'prospect';
  if (name.includes('account')) return 'account';
  if (name.includes('profile')) return 'people';
  return undefined;
}

/**
 * `evaluationInfo` → `evaluation`. The audiences page calls synchronous "streaming" and
 * continuous "edge"; the segmentation overview (help/segmentation/home.md) and the Segment
 * Definitions API say the reverse (continuous is streaming, synchronous is edge), which is what
 * this follows (formats.md flags the page as inverted).
 */
function evaluationOf(evaluation: AudienceInfo['evaluation']): string | undefined {
  if (!evaluation) return undefined;
  if (evaluation.synchronous) return 'edge';
  if (evaluation.continuous) return 'streaming';
  if (evaluation.batch) return 'batch';
  return undefined;
}

function pick(object: JsonObject, keys: readonly string[]): JsonObject {
  const picked: JsonObject = {};
  for (const key of keys) if (object[key] !== undefined) picked[key] = object[key];
  return picked;
}

function flowServiceBlock(view: FlowView, tc: JsonObject | undefined): JsonObject {
  const block: JsonObject = {};
  const id = stringAt(view.flow, 'id');
  if (id !== undefined) block.flowId = id;
  const etag = stringAt(view.flow, 'etag');
  if (etag !== undefined) block.etag = etag;
  Object.assign(block, pick(view.flow, FLOW_KEPT_KEYS));
  if (tc) block.targetConnection = pick(tc, CONNECTION_KEPT_KEYS);
  block.profileSelectors = view.selectors.profileSelectors;
  block.segmentSelectors = { selectors: view.selectors.segment };
  return block;
}

/**
 * A migrated dataflow is not the new one: the Connection card makes a new dataflow, so only
 * where it came from is kept, for the record.
 */
function legacyBlock(card: LegacyCard, view: FlowView, params: JsonObject): JsonObject {
  const from: JsonObject = { card };
  const id = stringAt(view.flow, 'id');
  if (id !== undefined) from.flowId = id;
  from.targetConnectionParams = params;
  return { migratedFrom: from };
}

/** The config as import writes it: two-space JSON and a final newline, as the examples are. */
export function configText(config: JsonObject): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
