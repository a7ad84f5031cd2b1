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
