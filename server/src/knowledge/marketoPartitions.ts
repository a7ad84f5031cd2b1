/**
 * Marketo lead partitions: the parser of a saved `GET /rest/v1/leads/partitions.json` answer,
 * `{"result":[{"id":1,"name":"Default","description":"…"}]}` (or the bare `result` array).
 */
import * as l10n from '@vscode/l10n';
import { CatalogFormatError } from './marketoFields';

export interface LeadPartition {
  /** Marketo's integer id, kept as text: a Bulk Lead Extract writes it as `leadPartitionId`. */
  id: string;
  name: string;
  description?: string;
}

export interface PartitionList {
  partitions: LeadPartition[];
  byName: Map<string, LeadPartition>;
  /** Partition id → name, what the simulation needs to name a lead's partition. */
  nameById: Map<string, string>;
}

/** Reads a partitions.json answer; throws CatalogFormatError (the loader reports it). */
export function parsePartitions(value: unknown): PartitionList {
  const body = isRecord(value) && 'result' in value ? value.result : value;
  if (!Array.isArray(body)) {
    throw new CatalogFormatError(
      l10n.t(
        'expected the output of /rest/v1/leads/partitions.json (a "result" array of partitions with "id" and "name")',
      ),
    );
  }
  const partitions = body.map((entry, index): LeadPartition => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.trim() === '') {
      throw new CatalogFormatError(l10n.t('result[{0}] has no string "name"', index));
    }
    const id = entry.id;
    if (
      !(typeof id === 'number' && Number.isInteger(id)) &&
      !(typeof id === 'string' && /^\d+$/.test(id))
    ) {
      throw new CatalogFormatError(
        l10n.t('result[{0}] ("{1}") has no integer "id"', index, entry.name),
      );
    }
    return {
      id: String(id),
      name: entry.name,
      ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
    };
  });
  return partitionList(partitions);
}

export function partitionList(partitions: LeadPartition[]): PartitionList {
  return {
    partitions,
    byName: new Map(partitions.map((p) => [p.name, p])),
    nameById: new Map(partitions.map((p) => [p.id, p.name])),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
