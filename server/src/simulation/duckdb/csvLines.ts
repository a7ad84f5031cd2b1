/**
 * One streaming pass over a CSV file for what DuckDB does not tell: the header as the
 * TypeScript reader sees it (names trimmed, delimiter detected the same way) and the
 * 1-based line where each record starts, blank lines skipped as `csv.ts` skips them.
 * A byte state machine mirroring `csv.ts`: a field is quoted only when it starts with a
 * quote; a doubled quote inside it is a quote. The lines take 4 bytes a record.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectDelimiter, parseCsv } from '../csv';
import { SimulationInputError } from '../types';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

export interface CsvLayout {
  header: string[];
  headerLine: number;
  delimiter: string;
  /** Records after the header. */
  rows: number;
  /** The 1-based line where record `i` starts. */
  lines: Int32Array;
}

/** Thrown for a file the DuckDB engine does not read (the TypeScript reader may). */
export class UnsupportedInput extends Error {
  override readonly name = 'UnsupportedInput';
}

const CHUNK = 4 << 20;

/**
 * Scans `file`; `onProgress` hears the bytes read so far. With `stopAfter` the scan ends
 * once that record is read (-1: the header only), so `lines` holds records 0…stopAfter.
 */
export async function scanCsv(
  file: string,
  options: { onProgress?: (bytes: number) => void; stopAfter?: number } = {},
): Promise<CsvLayout> {
  const stopAfter = options.stopAfter ?? Infinity;
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let lines: Int32Array = new Int32Array(1 << 16);
    let rows = -1; // the header is record -1
    let line = 1;
    let inQuotes = false;
    let atFieldStart = true;
    let quoteSeen = false; // the previous byte closed a quote (or opened a doubled one)
    let recordStart = true;
    let recordLine = 1;
    let blank = true; // only spaces, tabs and CR so far on this record
    let sep = -1; // known once the header is read
    let headerLine = 1;
    let width = 0;
    let fields = 1;
    let headerBytes: Buffer[] = [];
    let first = true;
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, offset);
      if (bytesRead === 0) break;
      let start = 0;
      if (first) {
        first = false;
        if (
          (buffer[0] === 0xff && buffer[1] === 0xfe) ||
          (buffer[0] === 0xfe && buffer[1] === 0xff)
        )
          throw new UnsupportedInput(`${file}: UTF-16 is read by the TypeScript engine only`);
        if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      }
      const headerFrom = start;
      for (let i = start; i < bytesRead; i++) {
        const b = buffer[i] as number;
        if (recordStart) {
          recordStart = false;
          recordLine = line;
          blank = true;
          fields = 1;
          atFieldStart = true;
        }
        if (inQuotes) {
          if (b === QUOTE) {
            inQuotes = false;
            quoteSeen = true;
          } else if (b === LF) line++;
          continue;
        }
        if (b === QUOTE && (atFieldStart || quoteSeen)) {
          inQuotes = true;
          quoteSeen = false;
          atFieldStart = false;
          blank = false;
          continue;
        }
        quoteSeen = false;
        if (b === LF) {
          line++;
          recordStart = true;
          if (blank) continue; // a blank line: no record
          if (rows === -1) {
            headerBytes.push(Buffer.from(buffer.subarray(headerFrom, i)));
            sep = headerDone(headerBytes, file);
            headerLine = recordLine;
            width = headerWidth(headerBytes, file);
          } else {
            if (fields !== width) ragged(file, recordLine, fields, width, headerLine);
            if (rows >= lines.length) lines = grow(lines);
            lines[rows] = recordLine;
          }
          rows++;
          if (rows > stopAfter) break;
          continue;
        }
        if (sep !== -1 ? b === sep : b === 44 || b === 59 || b === TAB) {
          atFieldStart = true;
          if (sep !== -1) {
            fields++;
            blank = false;
          }
        } else {
          atFieldStart = false;
          if (b !== SPACE && b !== TAB && b !== CR) blank = false;
        }
      }
      if (rows > stopAfter) break;
      if (rows === -1) headerBytes.push(Buffer.from(buffer.subarray(headerFrom, bytesRead)));
      offset += bytesRead;
      options.onProgress?.(offset);
    }
    if (rows <= stopAfter && !recordStart && !blank) {
      if (rows === -1) {
        headerLine = recordLine;
      } else {
        if (fields !== width) ragged(file, recordLine, fields, width, headerLine);
        if (rows >= lines.length) lines = grow(lines);
        lines[rows] = recordLine;
      }
      rows++;
    }
    if (rows === -1) throw new SimulationInputError(file, 1, 'the file is empty');
    const headerText = Buffer.concat(headerBytes).toString('utf8');
    headerBytes = [];
    const delimiter = delimiterOf(file, headerText);
    const header = parseCsv(headerText + '\n', file, delimiter).header;
    return { header, headerLine, delimiter, rows, lines };
  } finally {
    await handle.close();
  }
}

/** The header's delimiter code, once its bytes are complete. */
function headerDone(parts: Buffer[], file: string): number {
  const text = Buffer.concat(parts).toString('utf8');
  return delimiterOf(file, text).charCodeAt(0);
}

function headerWidth(parts: Buffer[], file: string): number {
  const text = Buffer.concat(parts).toString('utf8');
  return parseCsv(text + '\n', file, delimiterOf(file, text)).header.length;
}

function ragged(
  file: string,
  line: number,
  fields: number,
  width: number,
  headerLine: number,
): never {
  throw new SimulationInputError(
    file,
    line,
    `ragged row: ${fields} field${fields === 1 ? '' : 's'} but the header (line ${headerLine}) has ${width}`,
  );
}

function delimiterOf(file: string, headerText: string): string {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.tsv') return '\t';
  if (ext === '.ssv') return ' ';
  return detectDelimiter(headerText);
}

function grow(lines: Int32Array): Int32Array {
  const grown = new Int32Array(lines.length * 2);
  grown.set(lines);
  return grown;
}
