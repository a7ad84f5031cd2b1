/**
 * Which column of an input header each value the decision reads comes from, resolved with
 * the rules of the TypeScript readers: `CsvProfiles.reader` (a column named like the path,
 * then `<path>[0].id`, then an `identityMap.` namespace ignoring case) and the leads'
 * `resolveHeader` (REST names, display names of the catalog and of standard fields).
 */
import { dedupeSources, fieldTargets } from '../config';
import { type LeadFieldName, PARTITION_ID_FIELD, resolveHeader } from '../leads';
import type { SimulationConfig } from '../types';
import type { LeadColumns } from './sql';

const MEMBERSHIP_PREFIX = 'segmentMembership.ups.';
const MEMBERSHIP_SUFFIX = '.status';

/** First column of each name. */
function firstColumns(header: readonly string[]): Map<string, number> {
  const columns = new Map<string, number>();
  header.forEach((name, i) => {
    if (!columns.has(name)) columns.set(name, i);
  });
  return columns;
}

/** The column a profile source path reads, or undefined (`CsvProfiles.reader`). */
export function profileColumn(header: readonly string[], sourcePath: string): number | undefined {
  const columns = firstColumns(header);
  const direct = columns.get(sourcePath);
  if (direct !== undefined || !sourcePath.startsWith('identityMap.')) return direct;
  const indexed = columns.get(`${sourcePath}[0].id`);
  if (indexed !== undefined) return indexed;
  const wanted = [sourcePath.toLowerCase(), `${sourcePath}[0].id`.toLowerCase()];
  for (const name of header) {
    if (wanted.includes(name.toLowerCase())) return columns.get(name);
  }
  return undefined;
}

/** Audience id → its status column (the first `segmentMembership.ups.<id>.status`). */
function statusColumns(header: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  header.forEach((name, col) => {
    if (
      name.startsWith(MEMBERSHIP_PREFIX) &&
      name.endsWith(MEMBERSHIP_SUFFIX) &&
      name.length > MEMBERSHIP_PREFIX.length + MEMBERSHIP_SUFFIX.length
    ) {
      const id = name.slice(MEMBERSHIP_PREFIX.length, name.length - MEMBERSHIP_SUFFIX.length);
      if (!out.has(id)) out.set(id, col);
    }
  });
  return out;
}

/** Whether the header says anything about membership (`fileHasMembership` for CSV). */
export function headerHasMembership(header: readonly string[]): boolean {
  return header.some((n) => n === 'segmentMembership' || n.startsWith('segmentMembership.'));
}

/** The profile columns of the decision, and for each source its column (or undefined). */
export interface ProfilePlan {
  /** Columns of the dedupe sources that exist, in the mappings' order. */
  dedupe: readonly number[];
  /** Membership status columns, one per audience that has one. */
  statuses: readonly number[];
  /** Every column the decision reads (dedupe, field sources, statuses), once each. */
  read: readonly number[];
  /** Whether a profile with no status is a member (the file has no membership at all). */
  everyoneIsMember: boolean;
  /** Per mapped field (decider order), the columns of its sources that exist. */
  fieldSources: readonly (readonly number[])[];
  /** Per distinct audience id of the config, its status column. */
  audienceStatus: readonly (number | undefined)[];
  audienceIds: readonly string[];
  withMembership: boolean;
}

export function profilePlan(header: readonly string[], config: SimulationConfig): ProfilePlan {
  const existing = (sources: readonly string[]): number[] =>
    sources.flatMap((s) => {
      const col = profileColumn(header, s);
      return col === undefined ? [] : [col];
    });
  const dedupe = existing(dedupeSources(config));
  const fieldSources = fieldTargets(config).map((f) => existing(f.sources));
  const audienceIds = [...new Set(config.audiences.map((a) => a.id))];
  const statusOf = statusColumns(header);
  const audienceStatus = audienceIds.map((id) => statusOf.get(id));
  const statuses = audienceStatus.filter((c): c is number => c !== undefined);
  const withMembership = headerHasMembership(header);
  const read = [...new Set([...dedupe, ...fieldSources.flat(), ...statuses])].sort((a, b) => a - b);
  return {
    dedupe,
    statuses,
    read,
    everyoneIsMember: !withMembership && audienceIds.length > 0,
    fieldSources,
    audienceStatus,
    audienceIds,
    withMembership,
  };
}

/** The lead columns, or undefined for `id` when the header has none. */
export function leadColumns(
  header: readonly string[],
  config: SimulationConfig,
  fields: readonly LeadFieldName[] | undefined,
): Omit<LeadColumns, 'id'> & { id: number | undefined } {
  const columns = resolveHeader(header, fields);
  return {
    id: columns.get('id'),
    dedupe: columns.get(config.dedupeField),
    partition: columns.get('partition'),
    partitionId: columns.get(PARTITION_ID_FIELD),
    updatedAt: columns.get('updatedAt'),
    fields: fieldTargets(config).map((f) => columns.get(f.field)),
  };
}
