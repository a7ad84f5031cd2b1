/**
 * Reading input files (CSV, JSON array, NDJSON) into record sources: the file checks
 * (missing, directory, unreadable, binary, empty), the encoding (BOM, UTF-8 checked,
 * or one the user names), format detection, and the two record stores, one over CSV
 * rows (kept as arrays with a column index) and one over parsed objects (values found
 * by dot path).
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDecoder } from 'node:util';
import { type CsvTable, parseCsv } from './csv';
import {
  type JsonObject,
  type JsonShapes,
  isJsonObject,
  parseJsonRecords,
  parseNdjsonRecords,
} from './jsonInput';
import {
  type InputFormat,
  type RecordSource,
  SimulationInputError,
  type ValueReader,
} from './types';

/** How to read an input file. */
export interface ReadOptions {
  /**
   * A WHATWG encoding label (`windows-1252`, `iso-8859-1`, …) for files without a BOM;
   * without it such files must be UTF-8. A BOM always wins: it says what the file is.
   */
  encoding?: string;
}

/** A reader for a path no record has. */
export const NO_VALUE: ValueReader = () => undefined;

/** Whether `label` names an encoding TextDecoder can read (for option checks). */
export function isKnownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** The text of an input file, BOM removed, after the checks every input gets. */
export function readInputText(file: string, options: ReadOptions = {}): string {
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
  const text = decode(file, buffer, options.encoding);
  if (text.trim().length === 0) throw new SimulationInputError(file, 1, 'the file is empty');
  return text;
}

/** V8 strings end at 2^29 - 24 characters (512 MiB): a bigger file cannot be held as text. */
function tooLarge(file: string, buffer: Buffer): SimulationInputError {
  return new SimulationInputError(
    file,
    1,
    `too large to read: ${(buffer.length / 1048576).toFixed(0)} MB (at most 512 MB of text)`,
  );
}

/**
 * The file's text. A BOM decides (UTF-8, UTF-16 LE or BE); else the encoding the user
 * named; else UTF-8, checked, so that no byte is silently replaced by U+FFFD: a file
 * that is not UTF-8 is refused, naming the line and the encoding it looks like.
 */
function decode(file: string, buffer: Buffer, encoding: string | undefined): string {
  const b0 = buffer[0];
  const b1 = buffer[1];
  let label: string | undefined;
  let skip = 0;
  if (b0 === 0xef && b1 === 0xbb && buffer[2] === 0xbf) {
    label = 'utf-8';
    skip = 3;
  } else if (b0 === 0xff && b1 === 0xfe) {
    label = 'utf-16le';
    skip = 2;
  } else if (b0 === 0xfe && b1 === 0xff) {
    label = 'utf-16be';
    skip = 2;
  }
  if (label === 'utf-16le' || label === 'utf-16be') {
    return decodeStrict(file, buffer.subarray(skip), label);
  }
  const body = skip ? buffer.subarray(skip) : buffer;
  const named = encoding !== undefined && !/^utf-?8$/i.test(encoding.trim()) ? encoding : undefined;
  // A UTF-16 file holds NUL bytes by nature; in any other text they mean a binary file.
  if (named !== undefined && /^(utf-?16|unicode|ucs-?2)/i.test(named.trim())) {
    return decodeStrict(file, body, named);
  }
  const nul = body.indexOf(0);
  if (nul !== -1) {
    const line = countNewlines(body, nul) + 1;
    const utf16 = looksLikeUtf16(body);
    throw new SimulationInputError(
      file,
      line,
      utf16
        ? `looks like ${utf16} without a byte order mark: read it with --encoding ${utf16.toLowerCase()}, or save it as UTF-8 or as UTF-16 with a BOM`
        : 'binary file (it contains NUL bytes); expected CSV, JSON or NDJSON text in UTF-8',
    );
  }
  if (named !== undefined) return decodeStrict(file, body, named);
  // isUtf8 is native and fast; the slow scan runs only to locate a file's first bad byte.
  if (!isUtf8(body)) {
    const at = firstInvalidUtf8(body);
    const line = countNewlines(body, at) + 1;
    const byte = (body[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new SimulationInputError(
      file,
      line,
      `not valid UTF-8 (byte 0x${byte}); it looks like ${LIKELY_LEGACY_ENCODING}: read it with --encoding ${LIKELY_LEGACY_ENCODING} (or "simulation": {"encoding": "${LIKELY_LEGACY_ENCODING}"} in the config), or save it as UTF-8`,
    );
  }
  try {
    return body.toString('utf8');
  } catch {
    throw tooLarge(file, buffer);
  }
}

/** Decodes with a fatal decoder: a byte sequence the encoding cannot map is refused, not replaced. */
function decodeStrict(file: string, bytes: Uint8Array, label: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  } catch {
    throw new SimulationInputError(file, 1, `unknown encoding "${label}"`);
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) {
      // Only on this error path: decode again, replacing, to find the line of the first bad bytes.
      const replaced = new TextDecoder(label, { ignoreBOM: true }).decode(bytes);
      const at = replaced.indexOf('\uFFFD');
      let line = 1;
      for (let i = replaced.indexOf('\n'); i !== -1 && i < at; i = replaced.indexOf('\n', i + 1))
        line++;
      throw new SimulationInputError(
        file,
        line,
        `not valid ${decoder.encoding.toUpperCase()}: it holds a byte sequence that encoding cannot decode`,
      );
    }
    throw tooLarge(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** `UTF-16LE` / `UTF-16BE` when NUL bytes sit at every other offset of ASCII text. */
function looksLikeUtf16(bytes: Buffer): string | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (pairs === 0) return undefined;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'UTF-16LE';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'UTF-16BE';
  return undefined;
}

/**
 * The encoding a text that is not UTF-8 most likely is: windows-1252 is what Excel and
 * Notepad on Windows write in Western locales, and it reads ISO-8859-1 files the same
 * for every printable byte; no cheap test tells other single-byte code pages apart.
 */
const LIKELY_LEGACY_ENCODING = 'windows-1252';

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
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
  if (ext === '.csv' || ext === '.tsv' || ext === '.ssv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  const first = text.trimStart().charAt(0);
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  return 'csv';
}

/** Reads and parses an input file into records. */
export function loadRecords(
  file: string,
  options: ReadOptions = {},
  json: JsonShapes = {},
): CsvRecords | ObjectRecords {
  const text = readInputText(file, options);
  const format = detectFormat(file, text);
  if (format === 'csv') {
    return new CsvRecords(file, parseCsv(text, file, delimiterOfExtension(file)));
  }
  const list =
    format === 'json' ? parseJsonRecords(text, file, json) : parseNdjsonRecords(text, file);
  return new ObjectRecords(file, format, list.objects, list.lineOf);
}

/**
 * The delimiter an extension fixes: Bulk Lead Extract's TSV is tab-separated and its SSV
 * space-separated (Marketo's bulk-lead-extract docs); others are detected from the header.
 */
function delimiterOfExtension(file: string): string | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.tsv') return '\t';
  if (ext === '.ssv') return ' ';
  return undefined;
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
    const get = compilePath(dotPath, this.severalIds(dotPath));
    const objects = this.objects;
    return (index) => {
      const object = objects[index];
      return object === undefined ? undefined : toText(get(object, index));
    };
  }

  /** A listener of records whose namespace holds several ids; none by default. */
  protected severalIds(_dotPath: string): ((index: number) => void) | undefined {
    return undefined;
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
 * `identityMap.<NS>` is an identity's `id`, the namespace key matched case-insensitively
 * (Adobe's own examples write `Email` and `email`), the one marked `"primary": true`
 * preferred over the first. A key equal to the whole path (a flat object such as
 * `{"workEmail.address": …}`) wins over the walk. `onSeveral` hears of a namespace
 * holding more than one id (called with the record's index).
 */
export function compilePath(
  dotPath: string,
  onSeveral?: (index: number) => void,
): (object: JsonObject, index: number) => unknown {
  const segments = dotPath.split('.');
  const namespace =
    segments.length === 2 && segments[0] === 'identityMap' ? segments[1] : undefined;
  if (segments.length === 1) return (object) => ownValue(object, dotPath);
  return (object, index) => {
    const flat = ownValue(object, dotPath);
    if (flat !== undefined) return flat;
    if (namespace !== undefined) {
      const ids = namespaceValue(object.identityMap, namespace);
      if (onSeveral && Array.isArray(ids) && ids.length > 1) onSeveral(index);
      return chosenIdentity(ids);
    }
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

/** The identities of a namespace: the exact key first, else one equal ignoring case. */
function namespaceValue(identityMap: unknown, namespace: string): unknown {
  if (!isJsonObject(identityMap)) return undefined;
  const exact = ownValue(identityMap, namespace);
  if (exact !== undefined) return exact;
  const wanted = namespace.toLowerCase();
  for (const key in identityMap) {
    if (key.toLowerCase() === wanted && Object.prototype.hasOwnProperty.call(identityMap, key))
      return identityMap[key];
  }
  return undefined;
}

/**
 * `[{"id": "a@x.com"}, …]` → the id of the identity marked primary, else the first;
 * a bare string or `{"id"}` is accepted too.
 */
function chosenIdentity(value: unknown): unknown {
  let chosen: unknown = value;
  if (Array.isArray(value)) {
    chosen = value[0];
    for (const identity of value) {
      if (isJsonObject(identity) && identity.primary === true) {
        chosen = identity;
        break;
      }
    }
  }
  if (isJsonObject(chosen)) return chosen.id;
  return chosen;
}
