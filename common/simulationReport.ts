/**
 * What a simulated export does, profile by profile, and the Marketo REST calls it takes:
 * the result the engine produces, the server sends and the results view shows.
 */

export type SimulationAction = 'create' | 'update' | 'addToList' | 'skip';

export interface FieldChange {
  field: string;
  /** The lead's current value; null when the lead has none or is being created. */
  from: string | null;
  to: string;
}

/** A lead that matched too but is not the one the destination uses. */
export interface OtherMatch {
  leadId: string;
  partition: string;
  updatedAt: string | null;
}

/** What the export does with one profile. */
export interface ProfileOutcome {
  /** 0-based position of the profile in its file. */
  index: number;
  /** The profile's dedupe value, trimmed, or null. */
  dedupeValue: string | null;
  action: SimulationAction;
  /** Id of the lead updated or added to lists; null for create and skip. */
  leadId: string | null;
  /** Partition of the matched lead, or the partition a new lead goes to; null for skip. */
  partition: string | null;
  /** Ids of the Marketo lists (config audiences) the lead is added to. */
  lists: readonly string[];
  changes: readonly FieldChange[];
  otherMatches: readonly OtherMatch[];
  /** Why the profile is skipped; null otherwise. */
  reason: string | null;
  /** 1-based line of the profile in its file. */
  line: number;
  warnings: readonly string[];
}

export interface SimulationSummary {
  profiles: number;
  create: number;
  update: number;
  addToList: number;
  skip: number;
}

export interface ListCalls {
  listId: string;
  members: number;
  calls: number;
}

/** The Marketo REST calls an export implies, under the default limits. */
export interface ApiPlan {
  /** Sync-lead calls: creates and updates, 300 records a call. */
  syncLeadCalls: number;
  /** Add-to-list calls: 300 lead ids a call, per list. */
  addToListCalls: number;
  totalCalls: number;
  /** Share of the default daily quota of 50,000 calls. */
  dailyQuotaShare: number;
  /** Lower bound of the duration under the limit of 100 calls per 20 seconds. */
  minimumSeconds: number;
  perList: ListCalls[];
}

export interface SimulationResult {
  summary: SimulationSummary;
  outcomes: ProfileOutcome[];
  apiPlan: ApiPlan;
  /** Warnings about the export as a whole. */
  warnings: string[];
}
