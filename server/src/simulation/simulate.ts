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
import { dedupeSources, fieldTargets } from './config';
import {
  LeadIndex,
  SharedValueCounter,
  dedupeKey,
  isCaseInsensitiveField,
  tiedWith,
} from './leadIndex';
import { isMemberStatus } from './profiles';
import { markOrdered } from '../../../common/jsonReport';
import type { ProfileOutcome, SimulationResult } from '../../../common/simulationReport';
import {
  type CreatorFacts,
  type LeadFacts,
  type MatchFacts,
  NONE,
  OutcomeDecider,
  type ProfileFacts,
  configWarnings,
  leadWarnings,
} from './outcome';
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
export class MembershipResolver {
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
export function fileHasMembership(profiles: ProfileSource): boolean {
  for (const name of profiles.fieldNames()) {
    if (name === 'segmentMembership' || name.startsWith('segmentMembership.')) return true;
  }
  // Stops at the first profile with a membership: one look for the usual files.
  for (let i = 0; i < profiles.count; i++) if (profiles.hasMembership(i)) return true;
  return false;
}

/** First non-empty trimmed value among the readers, or undefined. */
export function firstValue(readers: readonly ValueReader[], index: number): string | undefined {
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
  const decider = new OutcomeDecider(config, profiles.count);
  const dedupeField = config.dedupeField;
  const caseInsensitive = isCaseInsensitiveField(dedupeField);
  const dedupeReaders = dedupeSources(config).map((source) => profiles.reader(source));
  const fieldSources = fieldTargets(config);
  const profileValue = fieldSources.map((f) => f.sources.map((source) => profiles.reader(source)));
  const leadValue = fieldSources.map((f) => leads.reader(f.field));
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
  const outcomes: ProfileOutcome[] = new Array<ProfileOutcome>(profiles.count);
  const total = profiles.count;
  // Reused facts objects: the decision reads them, nothing keeps them.
  const profile: ProfileFacts & { at: number } = {
    at: 0,
    index: 0,
    line: 0,
    dedupeValue: null,
    members: NONE,
    exited: NONE,
    value: (k) => firstValue(profileValue[k] as ValueReader[], profile.at),
  };
  let leadAt = 0;
  const lead: LeadFacts = {
    id: '',
    partition: '',
    value: (k) => (leadValue[k] as ValueReader)(leadAt),
  };
  let creatorAt = 0;
  const creatorFacts: CreatorFacts = {
    line: 0,
    value: (k) => firstValue(profileValue[k] as ValueReader[], creatorAt),
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
      exited = membership.exited;
    }
    profile.at = i;
    profile.index = i;
    profile.line = profiles.line(i);
    profile.dedupeValue = firstValue(dedupeReaders, i) ?? null;
    profile.members = members;
    profile.exited = exited;
    let match: MatchFacts | undefined;
    let creator: CreatorFacts | undefined;
    if (decider.looksUp(profile)) {
      const key = dedupeKey(profile.dedupeValue as string, caseInsensitive);
      const entry = index.lookup(key);
      if (entry === undefined) {
        if (members.length > 0) {
          const first = sharing.countUnmatched(key, i);
          if (first >= 0) {
            creatorAt = first;
            creatorFacts.line = profiles.line(first);
            creator = creatorFacts;
          }
        }
      } else {
        const winner = index.winnerOf(entry);
        if (members.length > 0) sharing.countMatched(winner, key, i);
        leadAt = winner;
        lead.id = leads.id(winner);
        lead.partition = leads.partition(winner);
        const others = index.othersOf(entry);
        match = {
          winner: lead,
          others: others.length > 0 ? index.describeOthers(others) : NONE,
          tied: others.length > 0 ? tiedWith(leads, winner, others).map((j) => leads.id(j)) : NONE,
          winnerUpdatedAt: leads.updatedAtText(winner),
        };
      }
    }
    outcomes[i] = decider.decide(profile, match, creator);
  }
  options.onProgress?.(total, total);

  warnings.push(
    ...leadWarnings(
      index.leadsWithoutValue,
      leads.count,
      dedupeField,
      leads.fieldNames().includes(dedupeField),
    ),
  );
  warnings.push(...sharing.warnings());
  const { apiPlan, quota } = decider.plan();
  if (quota) warnings.push(quota);
  return markOrdered({ summary: decider.summary, outcomes, apiPlan, warnings });
}
