/**
 * Existing Marketo leads: read from CSV, a JSON array (bare, or Marketo's REST
 * response with a `result` array) or NDJSON, with Marketo REST field names.
 * Every lead needs an `id` (string or number, kept as a string); `partition`
 * defaults to `Default`; `updatedAt`, when present, must be ISO 8601.
 */
import { CsvRecords, NO_VALUE, ObjectRecords, loadRecords } from './recordFiles';
import type { JsonObject } from './jsonInput';
import {
  type InputFormat,
  type LeadSource,
  type RecordSource,
  SimulationInputError,
  type ValueReader,
} from './types';

export const DEFAULT_PARTITION = 'Default';

/** Reads the leads of a CSV, JSON or NDJSON file; throws SimulationInputError. */
export function readLeads(file: string): LeadSource {
  return new LeadTable(loadRecords(file));
}

/** Leads given as objects in memory (line = index + 1 unless told). */
export function leadsFromObjects(
  objects: JsonObject[],
  file = '<memory>',
  lineOf: (index: number) => number = (index) => index + 1,
): LeadSource {
  return new LeadTable(new ObjectRecords(file, 'json', objects, lineOf));
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
  private readonly updatedAtOf: ValueReader;

  constructor(private readonly records: CsvRecords | ObjectRecords) {
    this.file = records.file;
    this.format = records.format;
    this.count = records.count;
    if (records instanceof CsvRecords) checkCsvIds(records);
    this.ids = records instanceof CsvRecords ? undefined : objectIds(records);
    this.idOf = records.reader('id');
    this.partitionOf = records.reader('partition');
    this.updatedAtOf = records.reader('updatedAt');
    this.updated = parseTimestamps(records, this.updatedAtOf);
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
    return p ? p : DEFAULT_PARTITION;
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
    if (table.isBlank(i, col)) {
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

function parseTimestamps(records: RecordSource, updatedAtOf: ValueReader): Float64Array {
  const out = new Float64Array(records.count).fill(-Infinity);
  if (updatedAtOf === NO_VALUE) return out;
  for (let i = 0; i < records.count; i++) {
    const text = updatedAtOf(i);
    if (text === undefined) continue;
    const trimmed = text.trim();
    if (trimmed.length === 0) continue;
    const ms = parseIsoTimestamp(trimmed);
    if (Number.isNaN(ms)) {
      throw new SimulationInputError(
        records.file,
        records.line(i),
        `lead ${i + 1} has an invalid updatedAt ${JSON.stringify(trimmed)}: expected ISO 8601, such as 2024-05-01T12:00:00Z`,
      );
    }
    out[i] = ms;
  }
  return out;
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
