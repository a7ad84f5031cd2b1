/**
 * Types of the Simulate Export engine: the config it needs, the profile and lead
 * sources it reads, the per-profile outcomes and the result, plus its two errors.
 * Pure TypeScript: usable from the language server, the CLI and the tests alike.
 */

export type SyncType = 'audienceAndProfile' | 'profileOnly' | 'audienceOnly';
export type PersonAction = 'updateExistingAndCreateNew' | 'updateExistingOnly';

export const SYNC_TYPES: readonly SyncType[] = [
  'audienceAndProfile',
  'profileOnly',
  'audienceOnly',
];
export const PERSON_ACTIONS: readonly PersonAction[] = [
  'updateExistingAndCreateNew',
  'updateExistingOnly',
];

/** The part of a destination config that decides what an export does. */
export interface SimulationConfig {
  syncType: SyncType;
  personAction?: PersonAction;
  /** Partition that receives new leads; `Default` when absent or empty. */
  partition?: string;
  /** Marketo REST name of the field that matches profiles with leads, e.g. `email`. */
  dedupeField: string;
  mappings: SimulationMapping[];
  audiences: SimulationAudience[];
}

export interface SimulationMapping {
  /** XDM source path, e.g. `workEmail.address` or `identityMap.Email`. */
  source: string;
  /** Marketo REST field name, or `DedupeField`. */
  target: string;
}

export interface SimulationAudience {
  id: string;
  name?: string;
}

/** Reads one value per record index: the raw text, or undefined when the record has none. */
export type ValueReader = (index: number) => string | undefined;

export type InputFormat = 'csv' | 'json' | 'ndjson';

/** Records read from one file (or built in memory), addressed by 0-based index. */
export interface RecordSource {
  /** The file the records came from (for messages); `<memory>` for in-memory ones. */
  readonly file: string;
  readonly format: InputFormat;
  readonly count: number;
  /** The 1-based line where record `index` starts. */
  line(index: number): number;
  /** A reader of the value at `path` (dot path for objects, column name for CSV). */
  reader(path: string): ValueReader;
  /** Column names (CSV) or the keys seen on the first records (JSON), for messages. */
  fieldNames(): string[];
}

/** Audience members to export. */
export interface ProfileSource extends RecordSource {
  /** Membership status reader of one audience (`realized`, `existing`, `exited`, …). */
  statusReader(audienceId: string): ValueReader;
  /** Whether profile `index` carries any audience membership at all. */
  hasMembership(index: number): boolean;
}

/** Existing Marketo leads, validated: every lead has an id, `updatedAt` parses. */
export interface LeadSource extends RecordSource {
  id(index: number): string;
  /** Partition name; `Default` when missing or empty. */
  partition(index: number): string;
  /** `updatedAt` in epoch milliseconds; -Infinity when the lead has none. */
  updatedAtMs(index: number): number;
  /** `updatedAt` as written in the file, or null. */
  updatedAtText(index: number): string | null;
}

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

export interface SimulationOptions {
  /** Checked every 10,000 profiles; returning true throws SimulationCancelled. */
  shouldCancel?: () => boolean;
  /** Called every 10,000 profiles and once at the end. */
  onProgress?: (done: number, total: number) => void;
}

/** A problem with an input file, located at a 1-based line: `<file>:<line>: <problem>`. */
export class SimulationInputError extends Error {
  override readonly name = 'SimulationInputError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}

/** Thrown by `simulate` when `shouldCancel` returns true. */
export class SimulationCancelled extends Error {
  override readonly name = 'SimulationCancelled';
  constructor(readonly done: number) {
    super(`simulation cancelled after ${done} profiles`);
  }
}
