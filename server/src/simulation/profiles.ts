/**
 * Profiles (audience members) to export: read from CSV, a JSON array or NDJSON.
 *
 * - JSON profiles are XDM-shaped: `{"person":{"name":{"firstName":"Ann"}},
 *   "identityMap":{"Email":[{"id":"a@x.com"}]}, "segmentMembership":{"ups":{
 *   "<audienceId>":{"status":"realized"}}}}` (an array, NDJSON, or a Destination SDK
 *   sample-profiles answer, which is such an array). A source path resolves by dots;
 *   `identityMap.<NS>` is the primary identity's id, else the first's; the namespace
 *   key is matched ignoring case. A namespace with several ids gets a warning.
 * - A Profile access API answer, `{<entityId>: {entity: {identities: [{id, namespace:
 *   {code}, primary?}], person, workEmail, …}}}`, is read as those entities, their
 *   `identities` turned into an `identityMap`.
 * - CSV headers name source paths (`workEmail.address`, `identityMap.Email`, which
 *   holds the id directly, its namespace matched ignoring case) and memberships
 *   (`segmentMembership.ups.<id>.status`).
 *
 * Membership: `realized` and `existing` are members, `exited` (or anything else) is
 * not. What a missing status means is decided in simulate.ts (`fileHasMembership`): not
 * membership when the file has any, every audience when the file has none at all.
 */
import { type CsvTable, parseCsv } from './csv';
import {
  CsvRecords,
  NO_VALUE,
  ObjectRecords,
  type ReadOptions,
  loadRecords,
  toText,
} from './recordFiles';
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
export function readProfiles(file: string, options: ReadOptions = {}): ProfileSource {
  const records = loadRecords(file, options, { entityMap: true });
  if (records instanceof CsvRecords) return new CsvProfiles(file, records.table);
  return new ObjectProfiles(file, records.format, records.objects.map(fromEntity), (i) =>
    records.line(i),
  );
}

/** A warning about how an input was read, at the first line it concerns. */
export interface InputWarning {
  file: string;
  line: number;
  message: string;
}

/**
 * Warnings about how the profiles were read: so far, identity namespaces holding
 * several ids (known once the simulation has read them).
 */
export function profileInputWarnings(profiles: ProfileSource): InputWarning[] {
  return profiles instanceof ObjectProfiles ? profiles.warnings() : [];
}

/**
 * A Profile access API record as an XDM profile: the entity's fields, with `identities`
 * ([{id, namespace: {code}, primary?}]) as an identityMap ({code: [{id, primary?}]}).
 * Any other record is returned as it is.
 */
function fromEntity(record: JsonObject): JsonObject {
  const entity = record.entity;
  if (!isJsonObject(entity) || !('entityId' in record || 'lastModifiedAt' in record)) return record;
  const profile: JsonObject = { ...entity };
  const identities = entity.identities;
  if (Array.isArray(identities) && !isJsonObject(entity.identityMap)) {
    const identityMap: Record<string, JsonObject[]> = {};
    for (const identity of identities) {
      if (!isJsonObject(identity) || !isJsonObject(identity.namespace)) continue;
      const code = identity.namespace.code;
      if (typeof code !== 'string') continue;
      const entry: JsonObject = { id: identity.id };
      if (identity.primary === true) entry.primary = true;
      (identityMap[code] ??= []).push(entry);
    }
    profile.identityMap = identityMap;
  }
  return profile;
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
    const indexed = super.reader(`${sourcePath}[0].id`);
    if (indexed !== NO_VALUE) return indexed;
    // The namespace in a header may differ in case from the mapping's (`identityMap.email`).
    const wanted = [sourcePath.toLowerCase(), `${sourcePath}[0].id`.toLowerCase()];
    for (const name of this.table.header) {
      if (wanted.includes(name.toLowerCase())) return super.reader(name);
    }
    return NO_VALUE;
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
  /** Identity path → profiles whose namespace holds several ids, and the first of them. */
  private readonly several = new Map<string, { profiles: Set<number>; first: number }>();

  protected override severalIds(dotPath: string): ((index: number) => void) | undefined {
    if (!dotPath.startsWith('identityMap.')) return undefined;
    return (index) => {
      let entry = this.several.get(dotPath);
      if (!entry) {
        entry = { profiles: new Set(), first: index };
        this.several.set(dotPath, entry);
      }
      entry.profiles.add(index);
      if (index < entry.first) entry.first = index;
    };
  }

  warnings(): InputWarning[] {
    return [...this.several].map(([dotPath, { profiles, first }]) => {
      const n = profiles.size;
      return {
        file: this.file,
        line: this.line(first),
        message: `${dotPath} holds several ids in ${n} profile${n === 1 ? '' : 's'} (profile ${first + 1} first): the one marked "primary": true is used, else the first`,
      };
    });
  }

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
