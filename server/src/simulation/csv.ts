/**
 * A fast RFC 4180 CSV parser: quoted fields with commas, doubled quotes and line
 * breaks, CRLF or LF line ends, an optional BOM and an optional trailing newline.
 *
 * Speed comes from treating whole lines at once: a line without any quote (found
 * with one running `indexOf('"')` over the text) is cut with `slice` + `split`,
 * both native. Only lines holding a quote go through the field-by-field path,
 * which still jumps with `indexOf` instead of concatenating characters.
 * Blank lines are skipped. Errors are SimulationInputErrors naming the line.
 */
import { SimulationInputError } from './types';

export interface CsvTable {
  /** Column names, trimmed. */
  header: string[];
  /** The 1-based line of the header. */
  headerLine: number;
  /** One array of raw field values a record, each as long as the header. */
  rows: string[][];
  /** The 1-based line where each record starts. */
  lines: number[];
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Parses CSV text whose first record is the header. `file` names the input in errors. */
export function parseCsv(text: string, file: string): CsvTable {
  return new CsvParser(text, file).parse();
}

class CsvParser {
  private pos: number;
  private line = 1;
  /** Offset of the next quote at or after `pos`, or the text length when there is none. */
  private nextQuote = -1;
  private readonly len: number;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.len = text.length;
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  parse(): CsvTable {
    const headerRecord = this.nextRecord();
    if (!headerRecord) throw new SimulationInputError(this.file, 1, 'the file is empty');
    const header = headerRecord.fields.map((name) => name.trim());
    const width = header.length;
    const rows: string[][] = [];
    const lines: number[] = [];
    for (;;) {
      const record = this.nextRecord();
      if (!record) break;
      if (record.fields.length !== width) {
        const n = record.fields.length;
        throw new SimulationInputError(
          this.file,
          record.line,
          `ragged row: ${n} field${n === 1 ? '' : 's'} but the header (line ${headerRecord.line}) has ${width}`,
        );
      }
      rows.push(record.fields);
      lines.push(record.line);
    }
    return { header, headerLine: headerRecord.line, rows, lines };
  }

  /** The next non-blank record, or undefined at the end of the text. */
  private nextRecord(): { fields: string[]; line: number } | undefined {
    const text = this.text;
    while (this.pos < this.len) {
      const start = this.pos;
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = this.len;
      if (this.nextQuote < start) {
        this.nextQuote = text.indexOf('"', start);
        if (this.nextQuote === -1) this.nextQuote = this.len;
      }
      if (this.nextQuote < nl) return this.quotedRecord();
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      const line = this.line;
      this.pos = nl + 1;
      this.line++;
      if (end === start) continue; // blank line
      return { fields: text.slice(start, end).split(','), line };
    }
    return undefined;
  }

  /** A record holding at least one quote: parsed field by field. */
  private quotedRecord(): { fields: string[]; line: number } {
    const text = this.text;
    const recordLine = this.line;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      const fieldLine = this.line;
      if (text.charCodeAt(this.pos) === QUOTE) {
        value = this.quotedField();
      } else {
        let e = this.pos;
        for (; e < this.len; e++) {
          const c = text.charCodeAt(e);
          if (c === COMMA || c === LF || (c === CR && text.charCodeAt(e + 1) === LF)) break;
        }
        value = text.slice(this.pos, e);
        this.pos = e;
      }
      fields.push(value);
      const c = this.pos < this.len ? text.charCodeAt(this.pos) : -1;
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === -1) break;
      if (c === LF) {
        this.pos++;
        this.line++;
        break;
      }
      if (c === CR && text.charCodeAt(this.pos + 1) === LF) {
        this.pos += 2;
        this.line++;
        break;
      }
      const what = `unexpected ${describeChar(c)} after the closing quote of field ${fields.length}`;
      throw new SimulationInputError(
        this.file,
        fieldLine,
        this.line > fieldLine
          ? `${what} on line ${this.line}: the quoted field starting on this line spans ${this.line - fieldLine + 1} lines, probably an unterminated quote`
          : `${what} (a quote inside a quoted field must be doubled; a closing quote must be followed by a comma or the end of the line)`,
      );
    }
    return { fields, line: recordLine };
  }

  /** Reads a quoted field starting at `pos` (on its opening quote); leaves `pos` after the closing quote. */
  private quotedField(): string {
    const text = this.text;
    const startLine = this.line;
    let chunkStart = this.pos + 1;
    let value = '';
    for (;;) {
      const q = text.indexOf('"', chunkStart);
      if (q === -1) {
        throw new SimulationInputError(
          this.file,
          startLine,
          'unterminated quoted field: the quote opened on this line is never closed',
        );
      }
      this.countLines(chunkStart, q);
      if (text.charCodeAt(q + 1) === QUOTE) {
        value += text.slice(chunkStart, q + 1);
        chunkStart = q + 2;
        continue;
      }
      value += text.slice(chunkStart, q);
      this.pos = q + 1;
      return value;
    }
  }

  private countLines(from: number, to: number): void {
    let i = this.text.indexOf('\n', from);
    while (i !== -1 && i < to) {
      this.line++;
      i = this.text.indexOf('\n', i + 1);
    }
  }
}

function describeChar(code: number): string {
  if (code === QUOTE) return 'quote';
  if (code === CR) return 'carriage return';
  if (code < 32) return `control character U+${code.toString(16).padStart(4, '0')}`;
  return `"${String.fromCharCode(code)}"`;
}

/** Whether a value must be quoted in CSV output. */
function needsQuotes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === COMMA || c === QUOTE || c === LF || c === CR) return true;
  }
  return false;
}

/** Formats one CSV record (no line end), quoting fields only when needed. */
export function formatCsvRecord(fields: readonly string[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string;
    if (i > 0) out += ',';
    out += needsQuotes(f) ? `"${f.replace(/"/g, '""')}"` : f;
  }
  return out;
}
