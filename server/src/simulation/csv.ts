/**
 * A fast RFC 4180 CSV parser: quoted fields with commas, doubled quotes and line
 * breaks, CRLF or LF line ends, an optional BOM and an optional trailing newline.
 * Blank lines are skipped. Errors are SimulationInputErrors naming the line.
 *
 * Speed: cells are not turned into strings while parsing. The table keeps the text
 * and two offsets per cell in an Int32Array; `cell()` slices on demand. A line
 * without any quote (known from one running `indexOf('"')`) is cut with one
 * `indexOf(',')` per field; only lines holding a quote go field by field, and a
 * quoted field is only copied when it contains doubled quotes.
 */
import { SimulationInputError } from './types';

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Parsed CSV: the header as strings, the records as cell offsets into the text. */
export class CsvTable {
  constructor(
    readonly text: string,
    /** Column names, trimmed. */
    readonly header: string[],
    /** The 1-based line of the header. */
    readonly headerLine: number,
    readonly rowCount: number,
    /**
     * Per cell, start and end offsets of its text. A negative start, -1-offset, marks
     * a quoted field holding doubled quotes: its text is undoubled when read.
     */
    private readonly bounds: Int32Array,
    /** The 1-based line where each record starts. */
    private readonly lines: Int32Array,
  ) {}

  get width(): number {
    return this.header.length;
  }

  /** The raw value of a cell (row and column 0-based, both in range). */
  cell(row: number, col: number): string {
    const k = (row * this.header.length + col) * 2;
    const start = this.bounds[k] as number;
    return cellText(this.text, start, this.bounds[k + 1] as number);
  }

  /** Whether a cell is empty or only spaces and tabs (no string is created). */
  isBlank(row: number, col: number): boolean {
    const k = (row * this.header.length + col) * 2;
    const start = this.bounds[k] as number;
    if (start < 0) return false; // it holds a quote
    return isBlank(this.text, start, this.bounds[k + 1] as number);
  }

  /** All cells of a row. */
  row(row: number): string[] {
    const out: string[] = [];
    for (let col = 0; col < this.header.length; col++) out.push(this.cell(row, col));
    return out;
  }

  /** The 1-based line where a record starts. */
  line(row: number): number {
    return this.lines[row] ?? 1;
  }
}

/** Parses CSV text whose first record is the header. `file` names the input in errors. */
export function parseCsv(text: string, file: string): CsvTable {
  return new CsvParser(text, file).parse();
}

class CsvParser {
  private pos: number;
  private line = 1;
  /** Offset of the next quote at or after `pos`, or the text length when there is none. */
  private nextQuote = -1;
  /** Offset of the next line feed at or after the last one counted inside quotes. */
  private nextNewline = -1;
  private readonly len: number;
  private bounds: Int32Array;
  private lines: Int32Array;
  private used = 0;
  private rows = 0;
  /** Cells of the record being parsed on the slow path. */
  private readonly pending: number[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.len = text.length;
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const estimate = Math.max(16, Math.ceil(this.len / 32));
    this.lines = new Int32Array(estimate);
    this.bounds = new Int32Array(estimate * 8);
  }

  parse(): CsvTable {
    const headerLine = this.skipBlankLines();
    if (this.pos >= this.len) throw new SimulationInputError(this.file, 1, 'the file is empty');
    this.slowRecord();
    const header = this.takePendingStrings().map((name) => name.trim());
    const width = header.length;
    const text = this.text;
    for (;;) {
      const start = this.pos;
      if (start >= this.len) break;
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = this.len;
      if (this.nextQuote < start) {
        this.nextQuote = text.indexOf('"', start);
        if (this.nextQuote === -1) this.nextQuote = this.len;
      }
      const recordLine = this.line;
      if (this.nextQuote < nl) {
        this.slowRecord();
        const n = this.pending.length / 2;
        if (n !== width) this.ragged(recordLine, n, width, headerLine);
        this.reserve(width);
        for (let i = 0; i < this.pending.length; i++)
          this.bounds[this.used++] = this.pending[i] as number;
        this.lines[this.rows++] = recordLine;
        continue;
      }
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      this.pos = nl + 1;
      this.line++;
      if (end === start || (width === 1 && isBlank(text, start, end))) continue; // blank line
      this.reserve(width);
      const bounds = this.bounds;
      let w = this.used;
      let s = start;
      let f = 1;
      for (; f < width; f++) {
        const c = text.indexOf(',', s);
        if (c === -1 || c >= end) {
          if (isBlank(text, start, end)) break; // a line of spaces: skipped like an empty one
          this.ragged(recordLine, countCommas(text, start, end) + 1, width, headerLine);
        }
        bounds[w++] = s;
        bounds[w++] = c;
        s = c + 1;
      }
      if (f < width) continue;
      const extra = text.indexOf(',', s);
      if (extra !== -1 && extra < end)
        this.ragged(recordLine, countCommas(text, start, end) + 1, width, headerLine);
      bounds[w++] = s;
      bounds[w++] = end;
      this.used = w;
      this.lines[this.rows++] = recordLine;
    }
    return new CsvTable(text, header, headerLine, this.rows, this.bounds, this.lines);
  }

  private ragged(line: number, fields: number, width: number, headerLine: number): never {
    throw new SimulationInputError(
      this.file,
      line,
      `ragged row: ${fields} field${fields === 1 ? '' : 's'} but the header (line ${headerLine}) has ${width}`,
    );
  }

  /** Makes room for one more record of `width` cells. */
  private reserve(width: number): void {
    if (this.used + width * 2 > this.bounds.length) {
      const grown = new Int32Array(Math.max(this.bounds.length * 2, this.used + width * 2));
      grown.set(this.bounds);
      this.bounds = grown;
    }
    if (this.rows >= this.lines.length) {
      const grown = new Int32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
  }

  private skipBlankLines(): number {
    const text = this.text;
    while (this.pos < this.len) {
      let e = this.pos;
      while (e < this.len && (text.charCodeAt(e) === CR || text.charCodeAt(e) === 32)) e++;
      if (e < this.len && text.charCodeAt(e) !== LF) break;
      this.pos = e + 1;
      this.line++;
    }
    return this.line;
  }

  private takePendingStrings(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.pending.length; i += 2) {
      out.push(cellText(this.text, this.pending[i] as number, this.pending[i + 1] as number));
    }
    return out;
  }

  /** Parses one record field by field into `pending` (start/end pairs); moves past its line end. */
  private slowRecord(): void {
    const text = this.text;
    const pending = this.pending;
    pending.length = 0;
    for (;;) {
      const fieldLine = this.line;
      if (text.charCodeAt(this.pos) === QUOTE) {
        this.quotedField();
      } else {
        let e = this.pos;
        for (; e < this.len; e++) {
          const c = text.charCodeAt(e);
          if (c === COMMA || c === LF || (c === CR && text.charCodeAt(e + 1) === LF)) break;
        }
        pending.push(this.pos, e);
        this.pos = e;
      }
      const c = this.pos < this.len ? text.charCodeAt(this.pos) : -1;
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === -1) return;
      if (c === LF || (c === CR && text.charCodeAt(this.pos + 1) === LF)) {
        this.pos += c === LF ? 1 : 2;
        this.line++;
        return;
      }
      const what = `unexpected ${describeChar(c)} after the closing quote of field ${pending.length / 2}`;
      throw new SimulationInputError(
        this.file,
        fieldLine,
        this.line > fieldLine
          ? `${what} on line ${this.line}: the quoted field starting on this line spans ${this.line - fieldLine + 1} lines, probably an unterminated quote`
          : `${what} (a quote inside a quoted field must be doubled; a closing quote must be followed by a comma or the end of the line)`,
      );
    }
  }

  /** Reads the quoted field at `pos` into `pending`; leaves `pos` after the closing quote. */
  private quotedField(): void {
    const text = this.text;
    const startLine = this.line;
    const contentStart = this.pos + 1;
    let chunkStart = contentStart;
    let doubled = false;
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
        doubled = true;
        chunkStart = q + 2;
        continue;
      }
      this.pos = q + 1;
      this.pending.push(doubled ? -1 - contentStart : contentStart, q);
      return;
    }
  }

  private countLines(from: number, to: number): void {
    if (this.nextNewline < from) {
      this.nextNewline = this.text.indexOf('\n', from);
      if (this.nextNewline === -1) this.nextNewline = this.len;
    }
    while (this.nextNewline < to) {
      this.line++;
      this.nextNewline = this.text.indexOf('\n', this.nextNewline + 1);
      if (this.nextNewline === -1) this.nextNewline = this.len;
    }
  }
}

/** The text of a cell from its bounds (see CsvTable.bounds). */
function cellText(text: string, start: number, end: number): string {
  if (start >= 0) return text.slice(start, end);
  return text.slice(-1 - start, end).replace(/""/g, '"');
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function countCommas(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf(',', start); i !== -1 && i < end; i = text.indexOf(',', i + 1)) n++;
  return n;
}

function describeChar(code: number): string {
  if (code === QUOTE) return 'quote';
  if (code === CR) return 'carriage return';
  if (code < 32) return `control character U+${code.toString(16).padStart(4, '0')}`;
  return `"${String.fromCharCode(code)}"`;
}
