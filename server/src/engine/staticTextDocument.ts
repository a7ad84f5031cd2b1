/**
 * A text document that never changes, for the command line: the positions of
 * vscode-languageserver-textdocument's TextDocument (line breaks LF, CR and CRLF; an offset
 * inside a line break is at the end of its line), from line starts found with `indexOf`, which
 * runs at memory speed, where TextDocument reads the text one character at a time in a loop
 * that a fresh process runs before the JIT has compiled it. test/unit/staticTextDocument.test.ts
 * checks every position of every offset against TextDocument.
 */
import type { Position, Range, TextDocumentLike } from './types';

export class StaticTextDocument implements TextDocumentLike {
  private starts: Uint32Array | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    private readonly text: string,
  ) {}

  get lineCount(): number {
    return this.lineStarts().length;
  }

  getText(range?: Range): string {
    return range
      ? this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end))
      : this.text;
  }

  positionAt(offset: number): Position {
    const at = Math.max(Math.min(offset, this.text.length), 0);
    const starts = this.lineStarts();
    // The last line starting at or before `at`.
    let low = 0;
    let high = starts.length;
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
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = starts[position.line] as number;
    if (position.character <= 0) return start;
    const next =
      position.line + 1 < starts.length ? (starts[position.line + 1] as number) : this.text.length;
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

  private lineStarts(): Uint32Array {
    return (this.starts ??= lineStartsOf(this.text));
  }
}

/** Where each line starts: 0, then after every LF, CR or CRLF. */
export function lineStartsOf(text: string): Uint32Array {
  const hasCr = text.indexOf('\r') >= 0;
  let count = 1;
  if (!hasCr) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Uint32Array(count);
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
    return starts;
  }
  // CR alone or in CRLF: rare (old Mac files, Windows files); one careful pass.
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
