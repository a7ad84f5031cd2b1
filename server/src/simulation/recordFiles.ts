/**
 * Reading input files (CSV, JSON array, NDJSON) into record sources: the file checks
 * (missing, directory, unreadable, binary, empty), format detection, and the two
 * record stores, one over CSV rows (kept as arrays with a column index) and one
 * over parsed objects (values found by dot path).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CsvTable, parseCsv } from './csv';
import { type JsonObject, isJsonObject, parseJsonRecords, parseNdjsonRecords } from './jsonInput';
import {
  type InputFormat,
  type RecordSource,
  SimulationInputError,
  type ValueReader,
} from './types';

/** A reader for a path no record has. */
export const NO_VALUE: ValueReader = () => undefined;

/** The text of an input file, BOM removed, after the checks every input gets. */
export function readInputText(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = errorCode(error);
    const what = code === 'ENOENT' ? 'no such file' : `cannot access the file (${code})`;
    throw new SimulationInputError(file, 1, what);
  }
  if (stat.isDirectory()) throw new SimulationInputError(file, 1, 'is a directory, not a file');
  if (!stat.isFile()) throw new SimulationInputError(file, 1, 'is not a regular file');
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (error) {
    throw new SimulationInputError(file, 1, `cannot read the file (${errorCode(error)})`);
  }
  const nul = buffer.indexOf(0);
  if (nul !== -1) {
    const line = countNewlines(buffer, nul) + 1;
    throw new SimulationInputError(
      file,
      line,
      'binary file (it contains NUL bytes); expected CSV, JSON or NDJSON text in UTF-8',
    );
  }
  let text: string;
  try {
    text = buffer.toString('utf8');
  } catch {
    // V8 strings end at 2^29 - 24 characters (512 MiB): a bigger file cannot be held as text.
    throw new SimulationInputError(
      file,
      1,
      `too large to read: ${(buffer.length / 1048576).toFixed(0)} MB (at most 512 MB of text)`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim().length === 0) throw new SimulationInputError(file, 1, 'the file is empty');
  return text;
}

function errorCode(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.message : String(error);
}

function countNewlines(buffer: Buffer, end: number): number {
  let n = 0;
  let i = buffer.indexOf(10);
  while (i !== -1 && i < end) {
    n++;
    i = buffer.indexOf(10, i + 1);
  }
  return n;
}

/** The format by extension; for others, sniffed: `[` is a JSON array, `{` NDJSON, else CSV. */
export function detectFormat(file: string, text: string): InputFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  const first = text.trimStart().charAt(0);
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  return 'csv';
}

/** Reads and parses an input file into records. */
export function loadRecords(file: string): CsvRecords | ObjectRecords {
  const text = readInputText(file);
  const format = detectFormat(file, text);
  if (format === 'csv') return new CsvRecords(file, parseCsv(text, file));
  const list = format === 'json' ? parseJsonRecords(text, file) : parseNdjsonRecords(text, file);
  return new ObjectRecords(file, format, list.objects, list.lineOf);
}

/** CSV records kept as the parser's table; a value is the cell of the column named like the path. */
export class CsvRecords implements RecordSource {
  readonly format = 'csv';
  readonly count: number;
  protected readonly columns = new Map<string, number>();

  constructor(
    readonly file: string,
    readonly table: CsvTable,
  ) {
    this.count = table.rowCount;
    table.header.forEach((name, i) => {
      if (!this.columns.has(name)) this.columns.set(name, i);
    });
  }

  line(index: number): number {
    return this.table.line(index);
  }

  column(name: string): number | undefined {
    return this.columns.get(name);
  }

  reader(columnName: string): ValueReader {
    const col = this.columns.get(columnName);
    if (col === undefined) return NO_VALUE;
    const table = this.table;
    const count = this.count;
    return (index) => (index < count ? table.cell(index, col) : undefined);
  }

  fieldNames(): string[] {
    return [...this.table.header];
  }
}

/** Parsed objects; a value is found by dot path (see `compilePath`). */
export class ObjectRecords implements RecordSource {
  readonly count: number;

  constructor(
    readonly file: string,
    readonly format: InputFormat,
    readonly objects: JsonObject[],
    private readonly lineOf: (index: number) => number,
  ) {
    this.count = objects.length;
  }

  line(index: number): number {
    return this.lineOf(index);
  }

  object(index: number): JsonObject {
    return this.objects[index] as JsonObject;
  }

  reader(dotPath: string): ValueReader {
    const get = compilePath(dotPath);
    const objects = this.objects;
    return (index) => {
      const object = objects[index];
      return object === undefined ? undefined : toText(get(object));
    };
  }

  fieldNames(): string[] {
    const names = new Set<string>();
    for (const object of this.objects.slice(0, 100))
      for (const key of Object.keys(object)) names.add(key);
    return [...names];
  }
}

/** A scalar as text; null, objects and arrays have no text value. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return undefined;
}

/**
 * A getter of the value at a dot path: `person.name.firstName` walks objects;
 * `identityMap.<NS>` is the first identity's `id`. A key equal to the whole path
 * (a flat object such as `{"workEmail.address": …}`) wins over the walk.
 */
export function compilePath(dotPath: string): (object: JsonObject) => unknown {
  const segments = dotPath.split('.');
  const namespace =
    segments.length === 2 && segments[0] === 'identityMap' ? segments[1] : undefined;
  if (segments.length === 1) return (object) => ownValue(object, dotPath);
  return (object) => {
    const flat = ownValue(object, dotPath);
    if (flat !== undefined) return flat;
    if (namespace !== undefined) return firstIdentity(ownValue(object.identityMap, namespace));
    let value: unknown = object;
    for (const segment of segments) {
      value = ownValue(value, segment);
      if (value === undefined) return undefined;
    }
    return value;
  };
}

function ownValue(container: unknown, key: string): unknown {
  if (!isJsonObject(container) || !Object.prototype.hasOwnProperty.call(container, key)) {
    return undefined;
  }
  return container[key];
}

/** `[{"id": "a@x.com"}, …]` → `a@x.com`; a bare string or `{"id"}` is accepted too. */
function firstIdentity(value: unknown): unknown {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (isJsonObject(first)) return first.id;
  return first;
}
