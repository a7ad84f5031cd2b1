/**
 * Profiles (audience members) to export: read from CSV, a JSON array or NDJSON.
 *
 * - JSON profiles are XDM-shaped: `{"person":{"name":{"firstName":"Ann"}},
 *   "identityMap":{"Email":[{"id":"a@x.com"}]}, "segmentMembership":{"ups":{
 *   "<audienceId>":{"status":"realized"}}}}`. A source path resolves by dots;
 *   `identityMap.<NS>` is the first identity's id.
 * - CSV headers name source paths (`workEmail.address`, `identityMap.Email`, which
 *   holds the id directly) and memberships (`segmentMembership.ups.<id>.status`).
 *
 * Membership: `realized` and `existing` are members, `exited` (or anything else) is
 * not. A profile with no membership at all (no segmentMembership, or in CSV every
 * membership cell empty) belongs to every audience of the config.
 */
import { type CsvTable, parseCsv } from './csv';
import { CsvRecords, NO_VALUE, ObjectRecords, loadRecords, toText } from './recordFiles';
import { type JsonObject, isJsonObject } from './jsonInput';
import type { ProfileSource, ValueReader } from './types';

const MEMBERSHIP_PREFIX = 'segmentMembership.ups.';
const MEMBERSHIP_SUFFIX = '.status';

/** Whether a membership status makes the profile a member of the audience. */
export function isMemberStatus(status: string | undefined): boolean {
  if (status === undefined) return false;
  const s = status.trim().toLowerCase();
  return s === 'realized' || s === 'existing';
}

/** Reads the profiles of a CSV, JSON or NDJSON file; throws SimulationInputError. */
export function readProfiles(file: string): ProfileSource {
  const records = loadRecords(file);
  if (records instanceof CsvRecords) return new CsvProfiles(file, records.table);
  return new ObjectProfiles(file, records.format, records.objects, (i) => records.line(i));
}

/** Profiles given as XDM-shaped objects in memory (line = index + 1 unless told). */
export function profilesFromObjects(
  objects: JsonObject[],
  file = '<memory>',
  lineOf: (index: number) => number = (index) => index + 1,
): ProfileSource {
  return new ObjectProfiles(file, 'json', objects, lineOf);
}

/** Profiles given as CSV text (`file` names it in errors). */
export function profilesFromCsvText(text: string, file = '<memory>'): ProfileSource {
  return new CsvProfiles(file, parseCsv(text, file));
}

class CsvProfiles extends CsvRecords implements ProfileSource {
  /** Audience id → column of its status. */
  private readonly statusColumns = new Map<string, number>();
  private readonly membershipColumns: number[];

  constructor(file: string, table: CsvTable) {
    super(file, table);
    table.header.forEach((name, col) => {
      if (
        name.startsWith(MEMBERSHIP_PREFIX) &&
        name.endsWith(MEMBERSHIP_SUFFIX) &&
        name.length > MEMBERSHIP_PREFIX.length + MEMBERSHIP_SUFFIX.length
      ) {
        const id = name.slice(MEMBERSHIP_PREFIX.length, name.length - MEMBERSHIP_SUFFIX.length);
        if (!this.statusColumns.has(id)) this.statusColumns.set(id, col);
      }
    });
    this.membershipColumns = [...this.statusColumns.values()];
  }

  override reader(sourcePath: string): ValueReader {
    const direct = super.reader(sourcePath);
    if (direct !== NO_VALUE || !sourcePath.startsWith('identityMap.')) return direct;
    return super.reader(`${sourcePath}[0].id`);
  }

  statusReader(audienceId: string): ValueReader {
    const col = this.statusColumns.get(audienceId);
    if (col === undefined) return NO_VALUE;
    return this.reader(this.table.header[col] as string);
  }

  hasMembership(index: number): boolean {
    if (index >= this.count) return false;
    for (const col of this.membershipColumns) {
      if (this.table.cell(index, col).trim().length > 0) return true;
    }
    return false;
  }
}

class ObjectProfiles extends ObjectRecords implements ProfileSource {
  statusReader(audienceId: string): ValueReader {
    return (index) => {
      const entry = upsOf(this.objects[index])?.[audienceId];
      return isJsonObject(entry) ? toText(entry.status) : undefined;
    };
  }

  hasMembership(index: number): boolean {
    const ups = upsOf(this.objects[index]);
    if (!ups) return false;
    for (const key in ups) if (Object.prototype.hasOwnProperty.call(ups, key)) return true;
    return false;
  }
}

function upsOf(profile: JsonObject | undefined): JsonObject | undefined {
  const membership = profile?.segmentMembership;
  if (!isJsonObject(membership)) return undefined;
  const ups = membership.ups;
  return isJsonObject(ups) ? ups : undefined;
}
