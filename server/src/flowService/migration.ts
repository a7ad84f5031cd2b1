/**
 * Dataflows of the older Marketo cards → a Marketo Engage Connection config, with a report of
 * what carried over. Adobe migrates nothing itself (formats.md, "Older Marketo destination
 * cards"; the Marketo Engage Connection page). [I] The older cards' param names are not
 * published either: the (V2) card is recognised by its *Person creation* choice, Person Sync by
 * its searchable fields, under the spellings below.
 */
import type { LegacyCard, MigrationReport } from '../../../common/flowServiceTypes';
import { DEDUPE_TARGET } from '../knowledge/marketoFields';
import { normalized } from './connectionParams';
import { type FlowView, type JsonObject, isObject } from './flowShapes';
import type { MappingPair } from './selectors';

const PERSON_CREATION_NAMES = [
  'personCreation',
  'Person creation',
  'createPersons',
  'matchMode',
].map(normalized);
const SEARCHABLE_FIELD_NAMES = [
  'searchableFields',
  'searchableField',
  'Searchable fields',
  'deduplicationFields',
  'dedupeFields',
].map(normalized);

/** The (V2) card's two *Person creation* choices (formats.md) and their API spellings. */
const MATCH_AND_CREATE = [
  'Match Existing Marketo People and Create Missing People in Marketo',
  'MATCH_AND_CREATE',
  'matchAndCreate',
].map(normalized);
const MATCH_ONLY = ['Match Existing Marketo People Only', 'MATCH_ONLY', 'matchOnly'].map(
  normalized,
);

export const CARD_TITLES: Record<LegacyCard, string> = {
  marketoEngageV2: '(V2) Marketo Engage',
  marketoEngagePersonSync: 'Marketo Engage Person Sync',
};

function paramIn(params: JsonObject, names: readonly string[]): [string, unknown] | undefined {
  return Object.entries(params).find(([name]) => names.includes(normalized(name)));
}

export function detectLegacyCard(params: JsonObject): LegacyCard | 'connection' {
  if (paramIn(params, PERSON_CREATION_NAMES)) return 'marketoEngageV2';
  const valueSaysV2 = Object.values(params).some(
    (value) =>
      typeof value === 'string' && normalized(value).startsWith('matchexistingmarketopeople'),
  );
  if (valueSaysV2) return 'marketoEngageV2';
  if (paramIn(params, SEARCHABLE_FIELD_NAMES)) return 'marketoEngagePersonSync';
  return 'connection';
}

interface LegacyInput {
  config: JsonObject;
  params: JsonObject;
  view: FlowView;
}

/** Rewrites `config` (imported as if from the Connection card) into a Connection config. */
export function migrateLegacy(card: LegacyCard, input: LegacyInput): MigrationReport {
  const report: MigrationReport = {
    from: card,
    fromTitle: CARD_TITLES[card],
    carried: [],
    notCarried: [],
  };
  if (card === 'marketoEngageV2') migrateV2(input, report);
  else migratePersonSync(input, report);
  for (const key of ['munchkinId', 'workspace'] as const) {
    if (input.config[key] === undefined) {
      report.notCarried.push(
        `${key}: the ${CARD_TITLES[card]} connection has none: set it in the config`,
      );
    }
  }
  return report;
}

function mappingsOf(config: JsonObject): MappingPair[] {
  return Array.isArray(config.mappings) ? (config.mappings as MappingPair[]) : [];
}

function migrateV2({ config, params, view }: LegacyInput, report: MigrationReport): void {
  const creation =
    paramIn(params, PERSON_CREATION_NAMES)?.[1] ??
    Object.values(params).find(
      (value) =>
        typeof value === 'string' && normalized(value).startsWith('matchexistingmarketopeople'),
    );
  const choice = typeof creation === 'string' ? normalized(creation) : '';
  if (MATCH_AND_CREATE.includes(choice) || MATCH_ONLY.includes(choice)) {
    const action = MATCH_ONLY.includes(choice)
      ? 'updateExistingOnly'
      : 'updateExistingAndCreateNew';
    config.personAction = action;
    report.carried.push(`person creation ${JSON.stringify(creation)} → personAction ${action}`);
  } else {
    report.notCarried.push(
      `person creation ${creation === undefined ? 'is not in the params' : `${JSON.stringify(creation)} is not a choice the card had`}: personAction is not set`,
    );
  }
  config.syncType = 'audienceAndProfile';
  report.carried.push(
    'audiences → Marketo lists: syncType audienceAndProfile (the V2 card added audience members to static lists; this one also updates their mapped fields)',
  );
  const kept: MappingPair[] = [];
  for (const pair of mappingsOf(config)) {
    const target = pair.target.toLowerCase();
    if (target === 'email') {
      kept.push({ source: pair.source, target: DEDUPE_TARGET });
      config.dedupeField = 'email';
      report.carried.push(
        `identity ${pair.source} → Email becomes ${pair.source} → DedupeField, dedupeField email`,
      );
    } else if (target === 'ecid') {
      report.notCarried.push(
        `identity ${pair.source} → ECID: Marketo cannot deduplicate on ECID, and the Connection sends no ECID`,
      );
    } else kept.push(pair);
  }
  config.mappings = kept;
  for (const selector of view.selectors.segment) {
    const value = isObject(selector) && isObject(selector.value) ? selector.value : undefined;
    const mappingId = value?.mappingId ?? value?.listMappingId;
    if (mappingId === undefined) continue;
    report.notCarried.push(
      `static-list mapping id ${JSON.stringify(mappingId)} of audience ${String(value?.id)}: the Connection adds members to lists of its own`,
    );
  }
}

function migratePersonSync({ config, params }: LegacyInput, report: MigrationReport): void {
  config.syncType = 'profileOnly';
  report.carried.push(
    'person records → syncType profileOnly (Person Sync kept leads in step, without lists)',
  );
  const entry = paramIn(params, SEARCHABLE_FIELD_NAMES);
  const raw = entry?.[1];
  const fields = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [])
    .filter((field): field is string => typeof field === 'string')
    .map((field) => field.trim())
    .filter(Boolean);
  const [first, ...others] = fields;
  if (first === undefined) {
    report.notCarried.push('no searchable field in the params: dedupeField is not set');
  } else {
    config.dedupeField = first;
    report.carried.push(`searchable field ${first} → dedupeField ${first}`);
    for (const other of others) {
      report.notCarried.push(
        `searchable field ${other}: the Connection deduplicates on one field only`,
      );
    }
    addDedupeMapping(config, first, report);
  }
  if (config.personAction === undefined) {
    config.personAction = 'updateExistingAndCreateNew';
    report.carried.push(
      'personAction updateExistingAndCreateNew (assumed: Person Sync created missing persons)',
    );
  }
}

/** The field Person Sync searched on becomes the DedupeField mapping's target. */
function addDedupeMapping(config: JsonObject, field: string, report: MigrationReport): void {
  const mappings = mappingsOf(config);
  if (mappings.some((pair) => pair.target === DEDUPE_TARGET)) return;
  const index = mappings.findIndex((pair) => pair.target.toLowerCase() === field.toLowerCase());
  const pair = mappings[index];
  if (!pair) {
    report.notCarried.push(`no mapping targets ${field}: map its source to DedupeField`);
    return;
  }
  const dedupe = { source: pair.source, target: DEDUPE_TARGET };
  // The email is carried by DedupeField when it is the dedupe field (domain.md, "Identity and mappings").
  config.mappings =
    field.toLowerCase() === 'email'
      ? mappings.map((candidate, i) => (i === index ? dedupe : candidate))
      : [dedupe, ...mappings];
  report.carried.push(
    `mapping ${pair.source} → ${pair.target} → also ${pair.source} → DedupeField`,
  );
}
