/**
 * A fast RFC 4180 CSV parser: quoted fields with delimiters, doubled quotes and line
 * breaks, CRLF or LF line ends, an optional BOM and an optional trailing newline.
 * Blank lines are skipped. Errors are SimulationInputErrors naming the line.
 *
 * The delimiter is a comma, semicolon (what Excel writes where the decimal mark is a
 * comma), tab (Excel's "Unicode text", Marketo's TSV) or space (Marketo's SSV): the
 * caller may fix it, else it is detected once from the header line, so records cost
 * nothing more than with a fixed comma.
 *
 * Speed: cells are not turned into strings while parsing. The table keeps the text
 * and two offsets per cell in an Int32Array; `cell()` slices on demand. A line
 * without any quote (known from one running `indexOf('"')`) is cut with one
 * `indexOf` of the delimiter per field; only lines holding a quote go field by field, and a
 * quoted field is only copied when it contains doubled quotes.
 */
import { SimulationInputError } from './types';

const COMMA = 44;
const SEMICOLON = 59;
const TAB = 9;
const SPACE = 32;
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

  /**
   * Whether a cell is exactly `null`, what a Bulk Lead Extract writes for no value
   * (compared in place: no string is created).
   */
  isNullLiteral(row: number, col: number): boolean {
    const k = (row * this.header.length + col) * 2;
    const start = this.bounds[k] as number;
    if (start < 0 || (this.bounds[k + 1] as number) - start !== 4) return false;
    const t = this.text;
    return (
      t.charCodeAt(start) === 110 && // n
      t.charCodeAt(start + 1) === 117 && // u
      t.charCodeAt(start + 2) === 108 && // l
      t.charCodeAt(start + 3) === 108
    );
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

/**
 * Parses CSV text whose first record is the header. `file` names the input in errors;
 * `delimiter` (one character) is detected from the header line when not given.
 */
export function parseCsv(text: string, file: string, delimiter?: string): CsvTable {
  return new CsvParser(text, file, delimiter).parse();
}

/**
 * The delimiter of a header line: the most frequent of comma, semicolon and tab outside
 * quotes (a comma on a tie: RFC 4180's); a space only when the line has none of those and
 * every space-separated name looks like a REST field name (Marketo's SSV), so a one-column
 * file whose header has a space stays one column.
 */
export function detectDelimiter(text: string, from = 0): string {
  let end = text.indexOf('\n', from);
  if (end === -1) end = text.length;
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (c === COMMA) commas++;
    else if (c === SEMICOLON) semicolons++;
    else if (c === TAB) tabs++;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  if (commas > 0) return ',';
  const line = text.slice(from, end).trim();
  // REST names start in lower case (`id email firstName`); display names do not (`Email Address`).
  if (line.includes(' ') && /^[a-z_][\w.]*( +[a-z_][\w.]*)+$/.test(line)) return ' ';
  return ',';
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
  /** The delimiter, as a string for indexOf and as a char code for the slow path. */
  private sep: string;
  private sepCode: number;
  private readonly detect: boolean;

  constructor(
    private readonly text: string,
    private readonly file: string,
    delimiter: string | undefined,
  ) {
    this.len = text.length;
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.sep = delimiter ?? ',';
    this.sepCode = this.sep.charCodeAt(0);
    this.detect = delimiter === undefined;
    const estimate = Math.max(16, Math.ceil(this.len / 32));
    this.lines = new Int32Array(estimate);
    this.bounds = new Int32Array(estimate * 8);
  }

  parse(): CsvTable {
    const headerLine = this.skipBlankLines();
    if (this.pos >= this.len) throw new SimulationInputError(this.file, 1, 'the file is empty');
    if (this.detect) {
      const sep = detectDelimiter(this.text, this.pos);
      this.sep = sep;
      this.sepCode = sep.charCodeAt(0);
    }
    this.slowRecord();
    const header = this.takePendingStrings().map((name) => name.trim());
    const width = header.length;
    const text = this.text;
    const sep = this.sep;
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
        const c = text.indexOf(sep, s);
        if (c === -1 || c >= end) {
          if (isBlank(text, start, end)) break; // a line of spaces: skipped like an empty one
          this.ragged(recordLine, countSeparators(text, sep, start, end) + 1, width, headerLine);
        }
        bounds[w++] = s;
        bounds[w++] = c;
        s = c + 1;
      }
      if (f < width) continue;
      const extra = text.indexOf(sep, s);
      if (extra !== -1 && extra < end)
        this.ragged(recordLine, countSeparators(text, sep, start, end) + 1, width, headerLine);
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
    const sepCode = this.sepCode;
    pending.length = 0;
    for (;;) {
      const fieldLine = this.line;
      if (text.charCodeAt(this.pos) === QUOTE) {
        this.quotedField();
      } else {
        let e = this.pos;
        for (; e < this.len; e++) {
          const c = text.charCodeAt(e);
          if (c === sepCode || c === LF || (c === CR && text.charCodeAt(e + 1) === LF)) break;
        }
        pending.push(this.pos, e);
        this.pos = e;
      }
      const c = this.pos < this.len ? text.charCodeAt(this.pos) : -1;
      if (c === sepCode) {
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
          : `${what} (a quote inside a quoted field must be doubled; a closing quote must be followed by ${describeSeparator(sepCode)} or the end of the line)`,
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

function countSeparators(text: string, sep: string, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf(sep, start); i !== -1 && i < end; i = text.indexOf(sep, i + 1)) n++;
  return n;
}

function describeSeparator(code: number): string {
  if (code === COMMA) return 'a comma';
  if (code === SEMICOLON) return 'a semicolon';
  if (code === TAB) return 'a tab';
  if (code === SPACE) return 'a space';
  return `"${String.fromCharCode(code)}"`;
}

function describeChar(code: number): string {
  if (code === QUOTE) return 'quote';
  if (code === CR) return 'carriage return';
  if (code < 32) return `control character U+${code.toString(16).padStart(4, '0')}`;
  return `"${String.fromCharCode(code)}"`;
}
