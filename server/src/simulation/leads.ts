/**
 * Existing Marketo leads: read from CSV (also TSV and SSV), a JSON array (bare, or
 * Marketo's REST response with a `result` array, such as `GET /rest/v1/leads.json`) or
 * NDJSON. Every lead needs an `id` (string or number, kept as a string).
 *
 * - Bulk Lead Extract files have REST names as headers and write a field with no value
 *   as the literal `null` (Marketo's bulk-lead-extract docs): `null` is no value here.
 * - The UI's *Export People* CSV has display names as headers (`Id`, `Email Address`,
 *   `First Name`): a header that is no REST name is resolved, case-insensitively, through
 *   the standard fields' display names; its dates are in the UI's format (`5/1/2024 2:05 PM`).
 * - The partition is the `partition` column (a name); else `leadPartitionId` (what a bulk
 *   extract writes), named through `partitionNames` when given, else reported as the id;
 *   else `Default`. `updatedAt`, when present, must be ISO 8601 or the UI's format.
 */
import { STANDARD_LEAD_FIELDS } from '../knowledge/marketoFields';
import { type CsvTable } from './csv';
import { CsvRecords, NO_VALUE, ObjectRecords, type ReadOptions, loadRecords } from './recordFiles';
import type { JsonObject } from './jsonInput';
import {
  type InputFormat,
  type LeadSource,
  type RecordSource,
  SimulationInputError,
  type ValueReader,
} from './types';

export const DEFAULT_PARTITION = 'Default';

/** The REST field of a bulk extract's partition: an integer id (partitions.json names it). */
export const PARTITION_ID_FIELD = 'leadPartitionId';

/** A lead field's REST name and display name, from the instance's catalog (`marketoFields`). */
export interface LeadFieldName {
  name: string;
  displayName: string;
}

export interface LeadReadOptions extends ReadOptions {
  /** Partition id → name (a `GET /rest/v1/leads/partitions.json` answer), for `leadPartitionId`. */
  partitionNames?: ReadonlyMap<string, string>;
  /**
   * The instance's fields, whose display names resolve a UI export's headers before the
   * standard fields' do (custom fields have no standard display name).
   */
  fields?: readonly LeadFieldName[];
}

/** Reads the leads of a CSV, JSON or NDJSON file; throws SimulationInputError. */
export function readLeads(file: string, options: LeadReadOptions = {}): LeadSource {
  const records = loadRecords(file, options);
  return new LeadTable(
    records instanceof CsvRecords
      ? new LeadCsvRecords(records.file, records.table, options.fields)
      : records,
    options.partitionNames,
  );
}

/** Leads given as objects in memory (line = index + 1 unless told). */
export function leadsFromObjects(
  objects: JsonObject[],
  file = '<memory>',
  lineOf: (index: number) => number = (index) => index + 1,
  partitionNames?: ReadonlyMap<string, string>,
): LeadSource {
  return new LeadTable(new ObjectRecords(file, 'json', objects, lineOf), partitionNames);
}

/**
 * Header aliases, lower-cased, to REST names: every standard field's display name and
 * REST name, and the UI export's own column names that are no standard display name.
 */
const HEADER_ALIASES: ReadonlyMap<string, string> = (() => {
  const aliases = new Map<string, string>();
  for (const field of STANDARD_LEAD_FIELDS) {
    aliases.set(field.name.toLowerCase(), field.name);
    aliases.set(field.displayName.toLowerCase(), field.name);
  }
  // Marketo's UI labels the lead id `Id` and the partition `Person Partition` (its name).
  aliases.set('id', 'id');
  aliases.set('person partition', 'partition');
  aliases.set('partition', 'partition');
  aliases.set(PARTITION_ID_FIELD.toLowerCase(), PARTITION_ID_FIELD);
  return aliases;
})();

/**
 * The columns of a CSV header by REST name: a header that is a REST name as written; else
 * one whose lower-cased text is a display name of the instance's catalog, else one of the
 * standard fields (or a REST name in another case).
 */
export function resolveHeader(
  header: readonly string[],
  fields: readonly LeadFieldName[] | undefined,
): Map<string, number> {
  const columns = new Map<string, number>();
  header.forEach((name, i) => {
    if (!columns.has(name)) columns.set(name, i);
  });
  const catalog = new Map<string, string>();
  for (const field of fields ?? []) {
    const key = field.displayName.toLowerCase();
    if (!catalog.has(key)) catalog.set(key, field.name);
  }
  header.forEach((name, i) => {
    const key = name.toLowerCase();
    const rest = catalog.get(key) ?? HEADER_ALIASES.get(key);
    if (rest !== undefined && !columns.has(rest)) columns.set(rest, i);
  });
  return columns;
}

/** Lead CSV: headers resolved to REST names; the bulk extract's literal `null` is no value. */
class LeadCsvRecords extends CsvRecords {
  constructor(file: string, table: CsvTable, fields?: readonly LeadFieldName[]) {
    super(file, table);
    this.columns.clear();
    for (const [name, col] of resolveHeader(table.header, fields)) this.columns.set(name, col);
  }

  override reader(columnName: string): ValueReader {
    const col = this.columns.get(columnName);
    if (col === undefined) return NO_VALUE;
    const table = this.table;
    const count = this.count;
    return (index) => {
      if (index >= count) return undefined;
      const text = table.cell(index, col);
      return text === 'null' ? undefined : text;
    };
  }
}

/** Validated leads over a record source: ids and timestamps checked once, up front. */
class LeadTable implements LeadSource {
  readonly file: string;
  readonly format: InputFormat;
  readonly count: number;
  /** Ids of JSON leads; CSV ids are read from the table on demand. */
  private readonly ids: string[] | undefined;
  private readonly idOf: ValueReader;
  private readonly updated: Float64Array;
  private readonly partitionOf: ValueReader;
  private readonly partitionIdOf: ValueReader;
  private readonly updatedAtOf: ValueReader;

  constructor(
    private readonly records: CsvRecords | ObjectRecords,
    private readonly partitionNames: ReadonlyMap<string, string> | undefined,
  ) {
    this.file = records.file;
    this.format = records.format;
    this.count = records.count;
    if (records instanceof CsvRecords) checkCsvIds(records);
    this.ids = records instanceof CsvRecords ? undefined : objectIds(records);
    this.idOf = records.reader('id');
    this.partitionOf = records.reader('partition');
    this.partitionIdOf = records.reader(PARTITION_ID_FIELD);
    this.updatedAtOf = records.reader('updatedAt');
    // Only the UI's export writes UI dates; REST answers and bulk extracts write ISO 8601.
    this.updated = parseTimestamps(records, this.updatedAtOf, records instanceof LeadCsvRecords);
  }

  line(index: number): number {
    return this.records.line(index);
  }

  reader(field: string): ValueReader {
    return this.records.reader(field);
  }

  fieldNames(): string[] {
    return this.records.fieldNames();
  }

  id(index: number): string {
    if (this.ids) return this.ids[index] as string;
    return (this.idOf(index) as string).trim();
  }

  partition(index: number): string {
    const p = this.partitionOf(index)?.trim();
    if (p) return p;
    const id = this.partitionId(index);
    if (id === undefined) return DEFAULT_PARTITION;
    return this.partitionNames?.get(id) ?? id;
  }

  /** The lead's `leadPartitionId`, when the file has one. */
  partitionId(index: number): string | undefined {
    const id = this.partitionIdOf(index)?.trim();
    return id ? id : undefined;
  }

  updatedAtMs(index: number): number {
    return this.updated[index] ?? -Infinity;
  }

  updatedAtText(index: number): string | null {
    const text = this.updatedAtOf(index)?.trim();
    return text ? text : null;
  }
}

/** Every CSV lead needs a non-empty id. */
function checkCsvIds(records: CsvRecords): void {
  const col = records.column('id');
  if (col === undefined) {
    throw new SimulationInputError(
      records.file,
      records.table.headerLine,
      `no "id" column: every lead needs its Marketo lead id (columns: ${records.fieldNames().join(', ')})`,
    );
  }
  const table = records.table;
  for (let i = 0; i < table.rowCount; i++) {
    if (table.isBlank(i, col) || table.isNullLiteral(i, col)) {
      throw new SimulationInputError(
        records.file,
        records.line(i),
        `lead ${i + 1} has an empty id`,
      );
    }
  }
}

function objectIds(records: ObjectRecords): string[] {
  const ids = new Array<string>(records.count);
  for (let i = 0; i < records.count; i++) {
    const id: unknown = records.object(i).id;
    let text: string | undefined;
    if (typeof id === 'string') text = id.trim();
    else if (typeof id === 'number' && Number.isFinite(id)) text = String(id);
    if (!text) {
      const problem =
        id === undefined || id === null || id === ''
          ? `lead ${i + 1} has no "id": every lead needs its Marketo lead id`
          : `lead ${i + 1} has an invalid "id" (${JSON.stringify(id)}): expected a string or a number`;
      throw new SimulationInputError(records.file, records.line(i), problem);
    }
    ids[i] = text;
  }
  return ids;
}

function parseTimestamps(
  records: RecordSource,
  updatedAtOf: ValueReader,
  uiDates: boolean,
): Float64Array {
  const out = new Float64Array(records.count).fill(-Infinity);
  if (updatedAtOf === NO_VALUE) return out;
  for (let i = 0; i < records.count; i++) {
    const text = updatedAtOf(i);
    if (text === undefined) continue;
    const trimmed = text.trim();
    if (trimmed.length === 0) continue;
    let ms = parseIsoTimestamp(trimmed);
    if (Number.isNaN(ms) && uiDates) ms = parseUiTimestamp(trimmed);
    if (Number.isNaN(ms)) {
      const expected = uiDates
        ? "ISO 8601, such as 2024-05-01T12:00:00Z, or Marketo's UI format, such as 5/1/2024 12:00 PM"
        : 'ISO 8601, such as 2024-05-01T12:00:00Z';
      throw new SimulationInputError(
        records.file,
        records.line(i),
        `lead ${i + 1} has an invalid updatedAt ${JSON.stringify(trimmed)}: expected ${expected}`,
      );
    }
    out[i] = ms;
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Epoch milliseconds of a date as Marketo's UI writes it in an export (US locale):
 * `5/1/2024`, `5/1/2024 2:05 PM`, `05/01/2024 14:05:09`, `May 1, 2024 2:05 PM`; or NaN.
 * A first number above 12 is read as the day (a day-first locale). No zone is written:
 * the time is taken as UTC, which keeps the order of the leads of one file.
 */
export function parseUiTimestamp(s: string): number {
  const m =
    /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(
      s,
    ) ??
    /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(
      s,
    );
  if (!m) return NaN;
  let month: number;
  let day: number;
  const first = m[1] as string;
  if (/^\d/.test(first)) {
    month = Number(first);
    day = Number(m[2]);
    if (month > 12 && day <= 12) [month, day] = [day, month];
  } else {
    month = MONTHS.indexOf(first.toLowerCase()) + 1;
    day = Number(m[2]);
  }
  const year = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  let hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const meridiem = m[7]?.toLowerCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return NaN;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Value of `count` decimal digits at `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Epoch milliseconds of an ISO 8601 date or date-time (`2024-05-01`, `2024-05-01T12:00`,
 * `2024-05-01T12:00:00.123Z`, `…+02:00`, `…+0200`; a space may replace the T), or NaN.
 * Without a zone the time is taken as UTC. Hand-written: a million leads parse fast.
 */
export function parseIsoTimestamp(s: string): number {
  const n = s.length;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (n < 10 || year < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  let i = 10;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 84 && sep !== 116 && sep !== 32) return NaN; // T, t, space
    hour = digits(s, i + 1, 2);
    minute = digits(s, i + 4, 2);
    if (s.charCodeAt(i + 3) !== 58 || hour < 0 || hour > 23 || minute < 0 || minute > 59)
      return NaN;
    i += 6;
    if (s.charCodeAt(i) === 58) {
      second = digits(s, i + 1, 2);
      if (second < 0 || second > 59) return NaN;
      i += 3;
      const dot = s.charCodeAt(i);
      if (dot === 46 || dot === 44) {
        let j = i + 1;
        let fraction = 0;
        let scale = 1;
        for (; j < n; j++) {
          const d = s.charCodeAt(j) - 48;
          if (!(d >= 0 && d <= 9)) break;
          if (scale < 1000) {
            fraction = fraction * 10 + d;
            scale *= 10;
          }
        }
        if (j === i + 1) return NaN;
        millis = Math.round((fraction * 1000) / scale);
        i = j;
      }
    }
    if (i < n) {
      const zone = s.charCodeAt(i);
      if (zone === 90 || zone === 122) {
        if (i + 1 !== n) return NaN;
      } else if (zone === 43 || zone === 45) {
        const oh = digits(s, i + 1, 2);
        let j = i + 3;
        let om = 0;
        if (j < n) {
          if (s.charCodeAt(j) === 58) j++;
          om = digits(s, j, 2);
          j += 2;
        }
        if (j !== n || oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
        offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
      } else {
        return NaN;
      }
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}
