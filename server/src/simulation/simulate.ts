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
  tiedWith,
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
/** The plan's warning when the profiles file says nothing about audience membership. */
export const NO_MEMBERSHIP_WARNING =
  'the profiles file has no audience membership (no segmentMembership): every profile is taken as a member of every audience of this destination';
/** Fields Marketo needs on a new lead. */
const REQUIRED_FOR_CREATE = ['firstName', 'lastName', 'email'];

const NONE: readonly never[] = Object.freeze([]);

interface FieldPlan {
  field: string;
  profileValue: ValueReader[];
  leadValue: ValueReader;
}

/** A status that means the profile left the audience (Experience Platform's `exited`). */
function isExitedStatus(status: string | undefined): boolean {
  return status !== undefined && status.trim().toLowerCase() === 'exited';
}

/**
 * The ids of the audiences a profile is a member of (`realized`, `existing`) and of those it
 * exited, from one pass over its statuses (`resolve`, then read `members` and `exited`).
 * Results are shared between profiles with the same statuses (keyed by bit mask up to 30
 * audiences), so a million profiles do not allocate a million arrays.
 */
class MembershipResolver {
  private readonly cache = new Map<number, readonly string[]>();
  members: readonly string[] = NONE;
  exited: readonly string[] = NONE;

  constructor(private readonly audiences: readonly { id: string; status: ValueReader }[]) {}

  resolve(index: number): void {
    const audiences = this.audiences;
    if (audiences.length > 30) {
      const statuses = audiences.map((a) => a.status(index));
      this.members = audiences.filter((_, k) => isMemberStatus(statuses[k])).map((a) => a.id);
      this.exited = audiences.filter((_, k) => isExitedStatus(statuses[k])).map((a) => a.id);
      return;
    }
    let mask = 0;
    let exitMask = 0;
    for (let k = 0; k < audiences.length; k++) {
      const status = (audiences[k] as { status: ValueReader }).status(index);
      if (status === undefined) continue;
      if (isMemberStatus(status)) mask |= 1 << k;
      else if (isExitedStatus(status)) exitMask |= 1 << k;
    }
    this.members = this.idsOf(mask);
    this.exited = this.idsOf(exitMask);
  }

  private idsOf(mask: number): readonly string[] {
    if (mask === 0) return NONE;
    let ids = this.cache.get(mask);
    if (!ids) {
      ids = Object.freeze(
        this.audiences.filter((_, k) => (mask & (1 << k)) !== 0).map((a) => a.id),
      );
      this.cache.set(mask, ids);
    }
    return ids;
  }
}

/**
 * Whether the profiles file says anything about membership: a membership column (CSV,
 * even if every cell is blank) or a profile with `segmentMembership`. When it does, a blank
 * or missing status is not membership; when it does not, every profile is taken as a member
 * of every audience (what the sample files without memberships always meant).
 */
function fileHasMembership(profiles: ProfileSource): boolean {
  for (const name of profiles.fieldNames()) {
    if (name === 'segmentMembership' || name.startsWith('segmentMembership.')) return true;
  }
  // Stops at the first profile with a membership: one look for the usual files.
  for (let i = 0; i < profiles.count; i++) if (profiles.hasMembership(i)) return true;
  return false;
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
  const withMembership = fileHasMembership(profiles);
  if (!withMembership && allAudiences.length > 0 && profiles.count > 0) {
    warnings.push(NO_MEMBERSHIP_WARNING);
  }
  const index = new LeadIndex(leads, dedupeField);
  const sharing = new SharedValueCounter(leads.count, profiles.count);
  const summary: Required<SimulationSummary> = {
    profiles: profiles.count,
    create: 0,
    update: 0,
    addToList: 0,
    skip: 0,
    removeFromList: 0,
    addedToLists: 0,
    removedFromLists: 0,
  };
  const outcomes: ProfileOutcome[] = new Array<ProfileOutcome>(profiles.count);
  const total = profiles.count;
  /** Profiles whose dedupe value is looked up (audienceOnly's look-up calls). */
  let lookedUp = 0;
  const matchWarnings = (entry: number, winner: number, outcome: ProfileOutcome): void => {
    const others = index.othersOf(entry);
    if (others.length === 0) return;
    outcome.otherMatches = index.describeOthers(others);
    const tied = tiedWith(leads, winner, others);
    outcome.warnings = [
      multipleMatchWarning(
        others.length + 1,
        dedupeField,
        outcome.dedupeValue as string,
        outcome.leadId as string,
        outcome.partition as string,
        tied.length > 0
          ? { ids: tied.map((j) => leads.id(j)), updatedAt: leads.updatedAtText(winner) }
          : undefined,
      ),
    ];
  };

  for (let i = 0; i < total; i++) {
    if (i % CHECK_EVERY === 0) {
      if (options.shouldCancel?.()) throw new SimulationCancelled(i);
      if (i > 0) options.onProgress?.(i, total);
    }
    let members: readonly string[] = allAudiences;
    let exited: readonly string[] = NONE;
    if (withMembership) {
      membership.resolve(i);
      members = membership.members;
      // Only a sync type with lists has a list to remove the lead from.
      if (addsToLists) exited = membership.exited;
    }
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
    /** The earlier profile of this export that creates the lead of this new value, or -1. */
    let creator = -1;
    if (dedupeValue !== null && (members.length > 0 || exited.length > 0)) {
      const key = dedupeKey(dedupeValue, caseInsensitive);
      entry = index.lookup(key);
      lookedUp++;
      if (members.length > 0) {
        if (entry === undefined) creator = sharing.countUnmatched(key, i);
        else sharing.countMatched(index.winnerOf(entry), key, i);
      }
    }
    const leavesOnly = members.length === 0 && exited.length > 0 && entry !== undefined;
    if (personActionMissing) outcome.reason = 'personAction is missing';
    else if (members.length === 0 && !leavesOnly)
      outcome.reason = 'not a member of any audience of this destination';
    else if (dedupeValue === null) outcome.reason = noValueReason;
    if (outcome.reason !== null) {
      summary.skip++;
    } else if (entry !== undefined) {
      const winner = index.winnerOf(entry);
      outcome.leadId = leads.id(winner);
      outcome.partition = leads.partition(winner);
      if (exited.length > 0) {
        // Set only here, so the key comes last and only on outcomes that remove a lead from
        // a list: the reports of every other outcome stay as they were.
        outcome.removeFromLists = exited;
        summary.removedFromLists++;
      }
      if (leavesOnly) {
        // Left every audience it was in: the lead leaves those lists, nothing is written to it.
        outcome.action = 'removeFromList';
        summary.removeFromList++;
      } else {
        outcome.action = writes ? 'update' : 'addToList';
        if (addsToLists) {
          outcome.lists = members;
          summary.addedToLists++;
        }
        if (writes) outcome.changes = updateChanges(fields, i, winner);
        if (writes) summary.update++;
        else summary.addToList++;
      }
      matchWarnings(entry, winner, outcome);
    } else if (createsLeads) {
      outcome.partition = partitionForNew;
      if (addsToLists) {
        outcome.lists = members;
        summary.addedToLists++;
      }
      if (creator >= 0) {
        // The earlier profile's create made the lead; sync-leads (createOrUpdate on the
        // dedupe field) now finds it, so this one updates it rather than creating a duplicate.
        outcome.action = 'update';
        outcome.changes = followUpChanges(createFields, i, creator);
        outcome.warnings = [
          `the lead with ${dedupeField} ${JSON.stringify(dedupeValue)} is created by the profile at line ` +
            `${profiles.line(creator)} earlier in this export: this profile updates that new lead ` +
            '(the destination matches on the dedupe field and now finds it), it does not create a second one',
        ];
        summary.update++;
      } else {
        outcome.action = 'create';
        const changes = createChanges(createFields, i, dedupeField, dedupeValue as string);
        outcome.changes = changes;
        outcome.warnings = createWarnings(changes, dedupeField, dedupeValue as string);
        summary.create++;
      }
    } else {
      outcome.reason = noMatchReason;
      summary.skip++;
    }
  }
  options.onProgress?.(total, total);

  warnings.push(...leadWarnings(index, leads));
  warnings.push(...sharing.warnings());
  const apiPlan = planApiCalls(config, summary, outcomes, lookedUp);
  const quota = quotaWarning(apiPlan);
  if (quota) warnings.push(quota);
  return markOrdered({ summary, outcomes, apiPlan, warnings });
}

/** What a later profile changes on the lead an earlier profile of the export creates. */
function followUpChanges(
  fields: readonly FieldPlan[],
  profile: number,
  creator: number,
): FieldChange[] | typeof NONE {
  let changes: FieldChange[] | undefined;
  for (const f of fields) {
    const to = firstValue(f.profileValue, profile);
    if (to === undefined) continue;
    const from = firstValue(f.profileValue, creator) ?? null;
    if (from === to) continue;
    (changes ??= []).push({ field: f.field, from, to });
  }
  return changes ?? NONE;
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
