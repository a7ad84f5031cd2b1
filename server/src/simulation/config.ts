/**
 * The simulation's view of a destination config: `configFromJson` takes a parsed
 * destination config (the `*.destination.json` object) and keeps what decides an
 * export: sync type, person action, partition, dedupe field, mappings, audiences.
 * Unknown keys are ignored; missing or malformed essentials throw a clear Error.
 */
import { isRecord } from '../../../common/jsonValue';
import { DEDUPE_TARGET } from '../knowledge/marketoFields';
import {
  PERSON_ACTIONS,
  type PersonAction,
  SYNC_TYPES,
  type SimulationAudience,
  type SimulationConfig,
  type SimulationMapping,
  type SyncType,
} from './types';

export { DEDUPE_TARGET };

function isSyncType(value: unknown): value is SyncType {
  return typeof value === 'string' && (SYNC_TYPES as readonly string[]).includes(value);
}

function isPersonAction(value: unknown): value is PersonAction {
  return typeof value === 'string' && (PERSON_ACTIONS as readonly string[]).includes(value);
}

/** Extracts the SimulationConfig of a parsed destination config object. */
export function configFromJson(value: unknown): SimulationConfig {
  if (!isRecord(value)) throw new Error('destination config: expected a JSON object');
  const config: SimulationConfig = {
    syncType: readSyncType(value.syncType),
    dedupeField: readDedupeField(value.dedupeField),
    mappings: readMappings(value.mappings),
    audiences: readAudiences(value.audiences),
  };
  if (value.personAction !== undefined && value.personAction !== null) {
    if (!isPersonAction(value.personAction)) {
      throw new Error(
        `destination config: personAction ${JSON.stringify(value.personAction)} is not one of ${PERSON_ACTIONS.join(', ')}`,
      );
    }
    config.personAction = value.personAction;
  }
  if (value.partition !== undefined && value.partition !== null) {
    if (typeof value.partition !== 'string') {
      throw new Error('destination config: partition must be a string');
    }
    if (value.partition.trim().length > 0) config.partition = value.partition.trim();
  }
  return config;
}

function readSyncType(value: unknown): SyncType {
  if (value === undefined || value === null) {
    throw new Error(`destination config: syncType is missing (one of ${SYNC_TYPES.join(', ')})`);
  }
  if (!isSyncType(value)) {
    throw new Error(
      `destination config: syncType ${JSON.stringify(value)} is not one of ${SYNC_TYPES.join(', ')}`,
    );
  }
  return value;
}

function readDedupeField(value: unknown): string {
  if (value === undefined || value === null) {
    throw new Error(
      'destination config: dedupeField is missing (the Marketo field that matches leads, e.g. "email")',
    );
  }
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new Error('destination config: dedupeField must be a non-empty string');
  }
  return value.trim();
}

function readMappings(value: unknown): SimulationMapping[] {
  if (value === undefined || value === null) {
    throw new Error('destination config: mappings is missing (an array of {source, target})');
  }
  if (!Array.isArray(value)) throw new Error('destination config: mappings must be an array');
  return value.map((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry.source !== 'string' || typeof entry.target !== 'string') {
      throw new Error(
        `destination config: mappings[${i}] needs a string source and a string target`,
      );
    }
    return { source: entry.source.trim(), target: entry.target.trim() };
  });
}

function readAudiences(value: unknown): SimulationAudience[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error('destination config: audiences must be an array');
  return value.map((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id.trim().length === 0) {
      throw new Error(`destination config: audiences[${i}] needs a non-empty string id`);
    }
    const audience: SimulationAudience = { id: entry.id.trim() };
    if (typeof entry.name === 'string') audience.name = entry.name;
    return audience;
  });
}

/** Whether the sync type writes lead data (updates and possibly creates leads). */
export function writesProfiles(syncType: SyncType): boolean {
  return syncType === 'profileOnly' || syncType === 'audienceAndProfile';
}

/** Whether the sync type adds leads to lists. */
export function writesLists(syncType: SyncType): boolean {
  return syncType === 'audienceOnly' || syncType === 'audienceAndProfile';
}

/** The partition new leads go to. */
export function targetPartition(config: SimulationConfig): string {
  const p = config.partition?.trim();
  return p ? p : 'Default';
}

/** Sources of the mappings that target DedupeField, in order. */
export function dedupeSources(config: SimulationConfig): string[] {
  return config.mappings.filter((m) => m.target === DEDUPE_TARGET).map((m) => m.source);
}

/**
 * The mapped Marketo fields other than DedupeField, in order of first appearance,
 * each with its sources (the first with a value on a profile wins).
 */
export function fieldTargets(config: SimulationConfig): { field: string; sources: string[] }[] {
  const byField = new Map<string, string[]>();
  for (const m of config.mappings) {
    if (m.target === DEDUPE_TARGET || m.target.length === 0) continue;
    const sources = byField.get(m.target);
    if (sources) sources.push(m.source);
    else byField.set(m.target, [m.source]);
  }
  return [...byField].map(([field, sources]) => ({ field, sources }));
}
