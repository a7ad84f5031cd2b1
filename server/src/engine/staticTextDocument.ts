/**
 * A text document that never changes, for the command line: the positions of
 * vscode-languageserver-textdocument's TextDocument (line breaks LF, CR and CRLF; an offset
 * inside a line break is at the end of its line), from line starts found with `indexOf`, which
 * runs at memory speed, where TextDocument reads the text one character at a time in a loop
 * that a fresh process runs before the JIT has compiled it; and only as far into the text as
 * the positions asked for. test/unit/staticTextDocument.test.ts checks every position of every
 * offset against TextDocument, asked for in any order.
 */
import type { Position, Range, TextDocumentLike } from './types';

export class StaticTextDocument implements TextDocumentLike {
  /** The starts of lines 0 … count-1, found so far (the rest of the array is room). */
  private starts: Uint32Array = new Uint32Array(64);
  private count = 1;
  /** Where the search for the next LF resumes; -1 once every line start is found. */
  private resume = 0;

  constructor(
    readonly uri: string,
    readonly version: number,
    private readonly text: string,
  ) {
    // CR alone or in CRLF: rare (old Mac files, Windows files); every line found at once.
    if (text.indexOf('\r') >= 0) {
      this.starts = lineStartsOf(text);
      this.count = this.starts.length;
      this.resume = -1;
    }
  }

  get lineCount(): number {
    this.findLinesUntil(Infinity, Infinity);
    return this.count;
  }

  getText(range?: Range): string {
    return range
      ? this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end))
      : this.text;
  }

  positionAt(offset: number): Position {
    const at = Math.max(Math.min(offset, this.text.length), 0);
    this.findLinesUntil(at, Infinity);
    const starts = this.starts;
    // The last line starting at or before `at`.
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((starts[mid] as number) > at) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    const start = starts[line] as number;
    return { line, character: this.beforeLineBreak(at, start) - start };
  }

  offsetAt(position: Position): number {
    this.findLinesUntil(Infinity, position.line + 2);
    const starts = this.starts;
    if (position.line >= this.count) return this.text.length;
    if (position.line < 0) return 0;
    const start = starts[position.line] as number;
    if (position.character <= 0) return start;
    const next =
      position.line + 1 < this.count ? (starts[position.line + 1] as number) : this.text.length;
    return this.beforeLineBreak(Math.min(start + position.character, next), start);
  }

  /** `offset`, moved back out of the line break that ends its line. */
  private beforeLineBreak(offset: number, lineStart: number): number {
    let at = offset;
    while (at > lineStart) {
      const c = this.text.charCodeAt(at - 1);
      if (c !== 10 && c !== 13) break;
      at--;
    }
    return at;
  }

  /**
   * Finds line starts (of an LF-only text) until every start at or before `offset` is known,
   * or `lines` of them: the command line asks for the positions of a few findings, often near
   * the top of a 1 MB config, and `indexOf` then never reads the rest.
   */
  private findLinesUntil(offset: number, lines: number): void {
    const text = this.text;
    while (this.resume >= 0 && this.resume < offset && this.count < lines) {
      const lf = text.indexOf('\n', this.resume);
      if (lf < 0) {
        this.resume = -1;
        break;
      }
      if (this.count === this.starts.length) {
        const grown = new Uint32Array(this.starts.length * 2);
        grown.set(this.starts);
        this.starts = grown;
      }
      this.starts[this.count++] = lf + 1;
      this.resume = lf + 1;
    }
  }
}

/** Where each line starts: 0, then after every LF, CR or CRLF. */
export function lineStartsOf(text: string): Uint32Array {
  const found: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      found.push(i + 1);
    } else if (c === 10) found.push(i + 1);
  }
  return Uint32Array.from(found);
}
