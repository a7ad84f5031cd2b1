/**
 * Simulate Export: what activating a destination would do to each profile, given
 * the existing Marketo leads (domain.md, "Lead matching behaviour").
 *
 *   const result = simulate(configFromJson(json), readProfiles(p), readLeads(l));
 *   process.stdout.write(toJsonReport(result)); // or stream jsonReportChunks(result)
 *
 * Readers throw SimulationInputError (`<file>:<line>: <problem>`); `simulate` throws
 * SimulationCancelled when `options.shouldCancel` says so.
 * This module is the entry point; it re-exports the readers and the report.
 */
import { isUnsupportedDedupeField } from '../knowledge/marketoFields';
import { unsupportedDedupeSource } from '../knowledge/dedupeIdentifiers';
import {
  dedupeSources,
  fieldTargets,
  targetPartition,
  writesLists,
  writesProfiles,
} from './config';
import {
  LeadIndex,
  SharedValueCounter,
  dedupeKey,
  isCaseInsensitiveField,
  multipleMatchWarning,
} from './leadIndex';
import { isMemberStatus } from './profiles';
import { markOrdered } from '../../../common/jsonReport';
import type {
  FieldChange,
  ProfileOutcome,
  SimulationResult,
  SimulationSummary,
} from '../../../common/simulationReport';
import { planApiCalls, quotaWarning } from './apiPlan';
import {
  type LeadSource,
  type ProfileSource,
  type SimulationConfig,
  type SimulationOptions,
  SimulationCancelled,
  type ValueReader,
} from './types';

export { configFromJson } from './config';
export { readLeads, leadsFromObjects, parseIsoTimestamp } from './leads';
export { readProfiles, profilesFromObjects, profilesFromCsvText } from './profiles';
export { planApiCalls } from './apiPlan';
export { toJsonReport, jsonReportChunks } from '../../../common/jsonReport';
export type * from '../../../common/simulationReport';
export * from './types';

/** Profiles between two cancellation checks and progress reports. */
export const CHECK_EVERY = 10_000;
/** Fields Marketo needs on a new lead. */
const REQUIRED_FOR_CREATE = ['firstName', 'lastName', 'email'];

const NONE: readonly never[] = Object.freeze([]);

interface FieldPlan {
  field: string;
  profileValue: ValueReader[];
  leadValue: ValueReader;
}

/**
 * The ids of the audiences whose status makes a profile a member. Results are shared
 * between profiles with the same memberships (keyed by bit mask up to 30 audiences),
 * so a million profiles do not allocate a million arrays.
 */
class MembershipResolver {
  private readonly cache = new Map<number, readonly string[]>();

  constructor(private readonly audiences: readonly { id: string; status: ValueReader }[]) {}

  membersOf(index: number): readonly string[] {
    const audiences = this.audiences;
    if (audiences.length > 30) {
      return audiences.filter((a) => isMemberStatus(a.status(index))).map((a) => a.id);
    }
    let mask = 0;
    for (let k = 0; k < audiences.length; k++) {
      if (isMemberStatus((audiences[k] as { status: ValueReader }).status(index))) mask |= 1 << k;
    }
    if (mask === 0) return NONE;
    let ids = this.cache.get(mask);
    if (!ids) {
      ids = Object.freeze(audiences.filter((_, k) => (mask & (1 << k)) !== 0).map((a) => a.id));
      this.cache.set(mask, ids);
    }
    return ids;
  }
}

/** First non-empty trimmed value among the readers, or undefined. */
function firstValue(readers: readonly ValueReader[], index: number): string | undefined {
  for (const read of readers) {
    const raw = read(index);
    if (raw === undefined) continue;
    const value = raw.trim();
    if (value.length > 0) return value;
  }
  return undefined;
}

/** Computes the outcome of every profile, the summary, the API plan and the warnings. */
export function simulate(
  config: SimulationConfig,
  profiles: ProfileSource,
  leads: LeadSource,
  options: SimulationOptions = {},
): SimulationResult {
  const warnings = configWarnings(config);
  const writes = writesProfiles(config.syncType);
  const addsToLists = writesLists(config.syncType);
  const personActionMissing = writes && !config.personAction;
  const createsLeads = writes && config.personAction === 'updateExistingAndCreateNew';
  const partitionForNew = targetPartition(config);
  const dedupeField = config.dedupeField;
  const caseInsensitive = isCaseInsensitiveField(dedupeField);
  const sources = dedupeSources(config);
  const dedupeReaders = sources.map((source) => profiles.reader(source));
  const noValueReason = sources.length
    ? `no value for the dedupe field (source ${sources.join(', ')})`
    : 'no value for the dedupe field (no mapping targets DedupeField)';
  const noMatchReason =
    addsToLists && !writes
      ? 'no matching lead; audienceOnly never creates leads'
      : 'no matching lead and personAction is updateExistingOnly';
  const fields: FieldPlan[] = fieldTargets(config).map(({ field, sources: fieldSources }) => ({
    field,
    profileValue: fieldSources.map((source) => profiles.reader(source)),
    leadValue: leads.reader(field),
  }));
  const createFields = fields.filter((f) => f.field !== dedupeField);
  const allAudiences: readonly string[] = Object.freeze([
    ...new Set(config.audiences.map((a) => a.id)),
  ]);
  const membership = new MembershipResolver(
    allAudiences.map((id) => ({ id, status: profiles.statusReader(id) })),
  );
  const index = new LeadIndex(leads, dedupeField);
  const sharing = new SharedValueCounter(leads.count, profiles.count);
  const summary: SimulationSummary = {
    profiles: profiles.count,
    create: 0,
    update: 0,
    addToList: 0,
    skip: 0,
  };
  const outcomes: ProfileOutcome[] = new Array<ProfileOutcome>(profiles.count);
  const total = profiles.count;

  for (let i = 0; i < total; i++) {
    if (i % CHECK_EVERY === 0) {
      if (options.shouldCancel?.()) throw new SimulationCancelled(i);
      if (i > 0) options.onProgress?.(i, total);
    }
    const members = profiles.hasMembership(i) ? membership.membersOf(i) : allAudiences;
    const dedupeValue = firstValue(dedupeReaders, i) ?? null;
    const outcome: ProfileOutcome = {
      index: i,
      dedupeValue,
      action: 'skip',
      leadId: null,
      partition: null,
      lists: NONE,
      changes: NONE,
      otherMatches: NONE,
      reason: null,
      line: profiles.line(i),
      warnings: NONE,
    };
    outcomes[i] = outcome;
    let entry: number | undefined;
    if (dedupeValue !== null && members.length > 0) {
      const key = dedupeKey(dedupeValue, caseInsensitive);
      entry = index.lookup(key);
      if (entry === undefined) sharing.countUnmatched(key, i);
      else sharing.countMatched(index.winnerOf(entry), key, i);
    }
    if (personActionMissing) outcome.reason = 'personAction is missing';
    else if (members.length === 0)
      outcome.reason = 'not a member of any audience of this destination';
    else if (dedupeValue === null) outcome.reason = noValueReason;
    if (outcome.reason !== null) {
      summary.skip++;
    } else if (entry !== undefined) {
      const winner = index.winnerOf(entry);
      outcome.action = writes ? 'update' : 'addToList';
      outcome.leadId = leads.id(winner);
      outcome.partition = leads.partition(winner);
      if (addsToLists) outcome.lists = members;
      if (writes) outcome.changes = updateChanges(fields, i, winner);
      const others = index.othersOf(entry);
      if (others.length > 0) {
        outcome.otherMatches = index.describeOthers(others);
        outcome.warnings = [
          multipleMatchWarning(
            others.length + 1,
            dedupeField,
            dedupeValue as string,
            outcome.leadId,
            outcome.partition,
          ),
        ];
      }
      if (writes) summary.update++;
      else summary.addToList++;
    } else if (createsLeads) {
      outcome.action = 'create';
      outcome.partition = partitionForNew;
      if (addsToLists) outcome.lists = members;
      const changes = createChanges(createFields, i, dedupeField, dedupeValue as string);
      outcome.changes = changes;
      outcome.warnings = createWarnings(changes, dedupeField, dedupeValue as string);
      summary.create++;
    } else {
      outcome.reason = noMatchReason;
      summary.skip++;
    }
  }
  options.onProgress?.(total, total);

  warnings.push(...leadWarnings(index, leads));
  warnings.push(...sharing.warnings());
  const apiPlan = planApiCalls(config, summary, outcomes);
  const quota = quotaWarning(apiPlan);
  if (quota) warnings.push(quota);
  return markOrdered({ summary, outcomes, apiPlan, warnings });
}

function updateChanges(
  fields: readonly FieldPlan[],
  profile: number,
  lead: number,
): FieldChange[] | typeof NONE {
  let changes: FieldChange[] | undefined;
  for (const f of fields) {
    const to = firstValue(f.profileValue, profile);
    if (to === undefined) continue; // an empty value is not sent
    const current = f.leadValue(lead)?.trim();
    const from = current ? current : null;
    if (from === to) continue;
    (changes ??= []).push({ field: f.field, from, to });
  }
  return changes ?? NONE;
}

function createChanges(
  fields: readonly FieldPlan[],
  profile: number,
  dedupeField: string,
  dedupeValue: string,
): FieldChange[] {
  const changes: FieldChange[] = [{ field: dedupeField, from: null, to: dedupeValue }];
  for (const f of fields) {
    const to = firstValue(f.profileValue, profile);
    if (to !== undefined) changes.push({ field: f.field, from: null, to });
  }
  return changes;
}

function createWarnings(
  changes: readonly FieldChange[],
  dedupeField: string,
  dedupeValue: string,
): readonly string[] {
  const warnings: string[] = [];
  for (const required of REQUIRED_FOR_CREATE) {
    if (!changes.some((c) => c.field === required))
      warnings.push(`created lead would have no ${required}`);
  }
  if (isCaseInsensitiveField(dedupeField) && /[^\x00-\x7f]/.test(dedupeValue)) {
    warnings.push(
      `email ${JSON.stringify(dedupeValue)} is not ASCII: Marketo refuses non-ASCII email addresses`,
    );
  }
  return warnings.length > 0 ? warnings : NONE;
}

/** Warnings about the config itself. */
function configWarnings(config: SimulationConfig): string[] {
  const warnings: string[] = [];
  if (isUnsupportedDedupeField(config.dedupeField)) {
    warnings.push(
      `dedupeField "${config.dedupeField}" is not supported: Marketo Lead ID and ECID cannot deduplicate, so a real export would fail (simulated as if it worked)`,
    );
  }
  const sources = dedupeSources(config);
  if (sources.length === 0) {
    warnings.push(
      'no mapping targets DedupeField: no profile has a dedupe value, so every profile is skipped',
    );
  }
  for (const source of sources) {
    const kind = unsupportedDedupeSource(source);
    if (kind) {
      warnings.push(
        `the DedupeField mapping reads ${source}: ${kind === 'ECID' ? 'ECID' : 'Marketo Lead ID'} is not supported as a deduplication field`,
      );
    }
  }
  if (writesProfiles(config.syncType) && !config.personAction) {
    warnings.push(
      `personAction is missing: ${config.syncType} needs updateExistingAndCreateNew or updateExistingOnly, so every profile is skipped`,
    );
  }
  if (config.audiences.length === 0) {
    warnings.push(
      'the config has no audiences: no profile is a member of any, so every profile is skipped',
    );
  }
  return warnings;
}

function leadWarnings(index: LeadIndex, leads: LeadSource): string[] {
  const n = index.leadsWithoutValue;
  if (n === 0) return [];
  if (n === leads.count && !leads.fieldNames().includes(index.dedupeField)) {
    return [
      `${n} ${n === 1 ? 'lead has' : 'leads have'} no value for dedupeField ${index.dedupeField} (the leads file has no ${index.dedupeField} field, so no profile can match)`,
    ];
  }
  return [
    `${n} ${n === 1 ? 'lead has' : 'leads have'} no value for dedupeField ${index.dedupeField}`,
  ];
}
