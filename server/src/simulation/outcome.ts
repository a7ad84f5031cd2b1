/**
 * The per-profile decision of Simulate Export, shared by both engines: given what is known
 * of one profile (dedupe value, memberships, the values it sends) and of the leads it
 * matches (the winner, the others, those tied with it) or of the earlier profile of the
 * export that creates its lead, `OutcomeDecider.decide` returns the profile's outcome and
 * counts it into the summary and the API plan. The TypeScript engine (`simulate.ts`) feeds
 * it from its in-memory index, the DuckDB engine (`duckdb/`) from the rows of its join:
 * there is one copy of the rules.
 */
import { isUnsupportedDedupeField } from '../knowledge/marketoFields';
import { unsupportedDedupeSource } from '../knowledge/dedupeIdentifiers';
import type {
  ApiPlan,
  FieldChange,
  OtherMatch,
  ProfileOutcome,
  SimulationSummary,
} from '../../../common/simulationReport';
import { ListCounter, planFromCounts, quotaWarning } from './apiPlan';
import {
  dedupeSources,
  fieldTargets,
  targetPartition,
  writesLists,
  writesProfiles,
} from './config';
import { isCaseInsensitiveField, multipleMatchWarning } from './leadIndex';
import type { SimulationConfig } from './types';

/** Fields Marketo needs on a new lead. */
const REQUIRED_FOR_CREATE = ['firstName', 'lastName', 'email'];

export const NONE: readonly never[] = Object.freeze([]);

/** One profile as the decision sees it. Field `k` is `decider.fields[k]`. */
export interface ProfileFacts {
  index: number;
  line: number;
  /** First non-empty trimmed value of the dedupe sources, or null. */
  dedupeValue: string | null;
  /** Audiences the profile is a member of. */
  members: readonly string[];
  /** Audiences it exited (only read by sync types with lists). */
  exited: readonly string[];
  /** The value the profile sends for field `k`: first non-empty trimmed source, or undefined. */
  value(k: number): string | undefined;
}

/** A lead as the decision sees it. */
export interface LeadFacts {
  id: string;
  partition: string;
  /** The lead's current raw value of field `k`, or undefined. */
  value(k: number): string | undefined;
}

/** The leads matching a profile's dedupe value. */
export interface MatchFacts {
  winner: LeadFacts;
  /** The other matching leads, most recently updated first. */
  others: readonly OtherMatch[];
  /** Ids of the others tied with the winner on `updatedAt`, and the winner's `updatedAt` text. */
  tied: readonly string[];
  winnerUpdatedAt: string | null;
}

/** The earlier profile of this export whose create makes the lead of this new value. */
export interface CreatorFacts {
  line: number;
  value(k: number): string | undefined;
}

export class OutcomeDecider {
  /** The mapped Marketo fields other than DedupeField's, in the order `value(k)` indexes. */
  readonly fields: readonly string[];
  readonly writes: boolean;
  readonly addsToLists: boolean;
  readonly summary: Required<SimulationSummary>;
  /** Profiles whose dedupe value is looked up (audienceOnly's look-up calls). */
  lookedUp = 0;
  private readonly lists = new ListCounter();
  private readonly personActionMissing: boolean;
  private readonly createsLeads: boolean;
  private readonly partitionForNew: string;
  private readonly dedupeField: string;
  private readonly noValueReason: string;
  private readonly noMatchReason: string;
  /** Indexes of `fields` other than the dedupe field (a new lead's fields). */
  private readonly createFields: readonly number[];

  constructor(
    readonly config: SimulationConfig,
    profileCount: number,
  ) {
    this.writes = writesProfiles(config.syncType);
    this.addsToLists = writesLists(config.syncType);
    this.personActionMissing = this.writes && !config.personAction;
    this.createsLeads = this.writes && config.personAction === 'updateExistingAndCreateNew';
    this.partitionForNew = targetPartition(config);
    this.dedupeField = config.dedupeField;
    const sources = dedupeSources(config);
    this.noValueReason = sources.length
      ? `no value for the dedupe field (source ${sources.join(', ')})`
      : 'no value for the dedupe field (no mapping targets DedupeField)';
    this.noMatchReason =
      this.addsToLists && !this.writes
        ? 'no matching lead; audienceOnly never creates leads'
        : 'no matching lead and personAction is updateExistingOnly';
    this.fields = fieldTargets(config).map((f) => f.field);
    this.createFields = this.fields.flatMap((f, k) => (f === this.dedupeField ? [] : [k]));
    this.summary = {
      profiles: profileCount,
      create: 0,
      update: 0,
      addToList: 0,
      skip: 0,
      removeFromList: 0,
      addedToLists: 0,
      removedFromLists: 0,
    };
  }

  /** Whether the profile's dedupe value is looked up among the leads. */
  looksUp(p: ProfileFacts): boolean {
    return p.dedupeValue !== null && (p.members.length > 0 || this.exitedOf(p).length > 0);
  }

  private exitedOf(p: ProfileFacts): readonly string[] {
    return this.addsToLists ? p.exited : NONE;
  }

  /**
   * The outcome of one profile. `match` when its value matched leads; `creator` when it did
   * not, it is a member, and an earlier member profile of the export has the same value.
   */
  decide(p: ProfileFacts, match?: MatchFacts, creator?: CreatorFacts): ProfileOutcome {
    const { summary } = this;
    const members = p.members;
    const exited = this.exitedOf(p);
    const dedupeValue = p.dedupeValue;
    const outcome: ProfileOutcome = {
      index: p.index,
      dedupeValue,
      action: 'skip',
      leadId: null,
      partition: null,
      lists: NONE,
      changes: NONE,
      otherMatches: NONE,
      reason: null,
      line: p.line,
      warnings: NONE,
    };
    if (this.looksUp(p)) this.lookedUp++;
    const leavesOnly = members.length === 0 && exited.length > 0 && match !== undefined;
    if (this.personActionMissing) outcome.reason = 'personAction is missing';
    else if (members.length === 0 && !leavesOnly)
      outcome.reason = 'not a member of any audience of this destination';
    else if (dedupeValue === null) outcome.reason = this.noValueReason;
    if (outcome.reason !== null || dedupeValue === null) {
      summary.skip++;
    } else if (match !== undefined) {
      outcome.leadId = match.winner.id;
      outcome.partition = match.winner.partition;
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
        outcome.action = this.writes ? 'update' : 'addToList';
        if (this.addsToLists) {
          outcome.lists = members;
          summary.addedToLists++;
        }
        if (this.writes) {
          outcome.changes = this.updateChanges(p, match.winner);
          summary.update++;
        } else summary.addToList++;
      }
      if (match.others.length > 0) {
        outcome.otherMatches = match.others;
        outcome.warnings = [
          multipleMatchWarning(
            match.others.length + 1,
            this.dedupeField,
            dedupeValue,
            match.winner.id,
            match.winner.partition,
            match.tied.length > 0
              ? { ids: match.tied, updatedAt: match.winnerUpdatedAt }
              : undefined,
          ),
        ];
      }
    } else if (this.createsLeads) {
      outcome.partition = this.partitionForNew;
      if (this.addsToLists) {
        outcome.lists = members;
        summary.addedToLists++;
      }
      if (creator !== undefined) {
        // The earlier profile's create made the lead; sync-leads (createOrUpdate on the
        // dedupe field) now finds it, so this one updates it rather than creating a duplicate.
        outcome.action = 'update';
        outcome.changes = this.followUpChanges(p, creator);
        outcome.warnings = [
          `the lead with ${this.dedupeField} ${JSON.stringify(dedupeValue)} is created by the profile at line ` +
            `${creator.line} earlier in this export: this profile updates that new lead ` +
            '(the destination matches on the dedupe field and now finds it), it does not create a second one',
        ];
        summary.update++;
      } else {
        outcome.action = 'create';
        const changes = this.createChanges(p, dedupeValue);
        outcome.changes = changes;
        outcome.warnings = createWarnings(changes, this.dedupeField, dedupeValue);
        summary.create++;
      }
    } else {
      outcome.reason = this.noMatchReason;
      summary.skip++;
    }
    this.lists.count(outcome);
    return outcome;
  }

  /** The API plan of the outcomes decided so far, and its quota warning, if any. */
  plan(): { apiPlan: ApiPlan; quota: string | undefined } {
    const apiPlan = planFromCounts(this.config, this.summary, this.lists, this.lookedUp);
    return { apiPlan, quota: quotaWarning(apiPlan) };
  }

  private updateChanges(p: ProfileFacts, lead: LeadFacts): FieldChange[] | typeof NONE {
    let changes: FieldChange[] | undefined;
    for (let k = 0; k < this.fields.length; k++) {
      const to = p.value(k);
      if (to === undefined) continue; // an empty value is not sent
      const current = lead.value(k)?.trim();
      const from = current ? current : null;
      if (from === to) continue;
      (changes ??= []).push({ field: this.fields[k] as string, from, to });
    }
    return changes ?? NONE;
  }

  /** What a later profile changes on the lead an earlier profile of the export creates. */
  private followUpChanges(p: ProfileFacts, creator: CreatorFacts): FieldChange[] | typeof NONE {
    let changes: FieldChange[] | undefined;
    for (const k of this.createFields) {
      const to = p.value(k);
      if (to === undefined) continue;
      const from = creator.value(k) ?? null;
      if (from === to) continue;
      (changes ??= []).push({ field: this.fields[k] as string, from, to });
    }
    return changes ?? NONE;
  }

  private createChanges(p: ProfileFacts, dedupeValue: string): FieldChange[] {
    const changes: FieldChange[] = [{ field: this.dedupeField, from: null, to: dedupeValue }];
    for (const k of this.createFields) {
      const to = p.value(k);
      if (to !== undefined) changes.push({ field: this.fields[k] as string, from: null, to });
    }
    return changes;
  }
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
export function configWarnings(config: SimulationConfig): string[] {
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

/** The warning about leads without a dedupe value (none when every lead has one). */
export function leadWarnings(
  without: number,
  leadCount: number,
  dedupeField: string,
  hasField: boolean,
): string[] {
  const n = without;
  if (n === 0) return [];
  if (n === leadCount && !hasField) {
    return [
      `${n} ${n === 1 ? 'lead has' : 'leads have'} no value for dedupeField ${dedupeField} (the leads file has no ${dedupeField} field, so no profile can match)`,
    ];
  }
  return [`${n} ${n === 1 ? 'lead has' : 'leads have'} no value for dedupeField ${dedupeField}`];
}
