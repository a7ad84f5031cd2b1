/**
 * What a simulated export does, profile by profile, and the Marketo REST calls it takes:
 * the result the engine produces, the server sends and the results view shows.
 */

/**
 * `removeFromList`: a matched lead whose profile only left audiences (status `exited`) of a
 * sync type with lists: nothing is written to the lead, it leaves those lists.
 */
export type SimulationAction = 'create' | 'update' | 'addToList' | 'removeFromList' | 'skip';

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
  /**
   * Ids of the lists the matched lead is removed from (audiences the profile exited); only
   * present when there are some. After `warnings`, so the older keys keep their order.
   */
  removeFromLists?: readonly string[];
}

export interface SimulationSummary {
  profiles: number;
  create: number;
  update: number;
  /** Profiles whose only action is adding an existing lead to lists (audienceOnly). */
  addToList: number;
  skip: number;
  /** Profiles whose only action is removing a matched lead from lists. Keys from here on are newer. */
  removeFromList?: number;
  /** Leads added to at least one list, in every sync type (creates and updates included). */
  addedToLists?: number;
  /** Leads removed from at least one list (audiences their profile exited). */
  removedFromLists?: number;
}

export interface ListCalls {
  listId: string;
  members: number;
  calls: number;
  /** Leads removed from the list, and the remove-from-list calls (300 lead ids a call). */
  removed?: number;
  removeCalls?: number;
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
  /**
   * audienceOnly: `GET /leads.json` look-ups by the dedupe field (300 values a call) that
   * find the lead ids add-to-list needs; 0 where sync-lead answers with the ids.
   */
  leadLookupCalls?: number;
  /** Remove-from-list calls: 300 lead ids a call, per list. */
  removeFromListCalls?: number;
}

/*
 * The keys marked optional above are newer than the report format: `simulate` always sets
 * them; results built elsewhere (older servers, hand-written fixtures) may lack them, and
 * every rendering reads a missing one as 0 or empty.
 */

export interface SimulationResult {
  summary: SimulationSummary;
  outcomes: ProfileOutcome[];
  apiPlan: ApiPlan;
  /** Warnings about the export as a whole. */
  warnings: string[];
}

/** The simulation engines a user chooses from (`--engine`, `aepDestination.simulation.engine`). */
export const SIMULATION_ENGINES = ['auto', 'duckdb', 'typescript'] as const;
export type SimulationEngineSetting = (typeof SIMULATION_ENGINES)[number];
