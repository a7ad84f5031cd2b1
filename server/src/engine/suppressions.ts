/**
 * Suppression comments, as written in a config:
 *
 *   // aep-dest-disable-next-line CODE[, CODE…] [-- reason]   the next line that is not only comments
 *   /* aep-dest-disable CODE[, CODE…] [-- reason] *\/          the whole file, before its first value
 *
 * Either directive may be written as a line or a block comment. Comments are found with
 * jsonc-parser's scanner, so a string that merely contains the words is never a directive.
 */
import { SyntaxKind, createScanner } from 'jsonc-parser';
import { type DestinationDocument, MAY_HOLD_DIRECTIVES } from './document';

export const NEXT_LINE_DIRECTIVE = 'aep-dest-disable-next-line';
export const FILE_DIRECTIVE = 'aep-dest-disable';

/** One rule code named by a directive, with its offsets in the text. */
export interface SuppressedCode {
  code: string;
  start: number;
  end: number;
}

/**
 * Why a directive suppresses nothing whatever the findings are:
 * - `unknown-directive`: an `aep-dest-…` word that is neither directive (`aep-dest-disable-line`);
 * - `no-codes`: the directive names no rule code (there is no "disable everything");
 * - `misplaced`: `aep-dest-disable` after the config's first value, where it cannot mean the file.
 */
export type DirectiveProblem = 'unknown-directive' | 'no-codes' | 'misplaced';

export interface SuppressionDirective {
  kind: 'next-line' | 'file';
  /** The directive word as written (`aep-dest-disable-next-line`, or the unknown one). */
  name: string;
  /** The whole comment, `//` or `/*` included. */
  start: number;
  end: number;
  /** Offset just after the last code (or after the directive word): where another code goes. */
  codesEnd: number;
  /** For `next-line`: the 0-based line whose findings it suppresses. */
  line: number | undefined;
  codes: SuppressedCode[];
  /** The text after ` -- `, trimmed; undefined when there is none. */
  reason: string | undefined;
  problem: DirectiveProblem | undefined;
}

export interface CommentSpan {
  start: number;
  end: number;
}

export interface SuppressionScan {
  directives: SuppressionDirective[];
  /** Every comment of the text, in order. */
  comments: CommentSpan[];
}

const DIRECTIVE_WORD = /^aep-dest-(?:disable|enable)[\w-]*/;

/**
 * Whether the text may hold a directive: false when `aep-dest-` occurs nowhere. A fact about the
 * comments, so the next version keeps it after an edit inside a string (`carriedMemo`): no
 * search of a 1 MB text on every keystroke.
 */
export function mayHoldDirectives(doc: DestinationDocument): boolean {
  return doc.cached(MAY_HOLD_DIRECTIVES, () => doc.text.includes('aep-dest-'));
}

/** The suppression directives and comments of a document, scanned once per version. */
export function suppressionsOf(doc: DestinationDocument): SuppressionScan {
  return doc.cached('suppressions', () => scan(doc));
}

function scan(doc: DestinationDocument): SuppressionScan {
  const text = doc.text;
  const scanner = createScanner(text, false);
  const comments: (CommentSpan & { block: boolean })[] = [];
  /** Lines that hold something other than comments and white space. */
  const codeLines = new Set<number>();
  let firstValue = -1;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      const start = scanner.getTokenOffset();
      comments.push({
        start,
        end: start + scanner.getTokenLength(),
        block: kind === SyntaxKind.BlockCommentTrivia,
      });
    } else if (kind !== SyntaxKind.Trivia && kind !== SyntaxKind.LineBreakTrivia) {
      codeLines.add(scanner.getTokenStartLine());
      if (firstValue < 0) firstValue = scanner.getTokenOffset();
    }
  }
  const directives: SuppressionDirective[] = [];
  if (text.includes('aep-dest-')) {
    comments.forEach((comment, index) => {
      const directive = parseDirective(text, comment, firstValue);
      if (!directive) return;
      if (directive.kind === 'next-line' && !directive.problem)
        directive.line = targetLine(doc, comments, index, codeLines);
      directives.push(directive);
    });
  }
  return { directives, comments: comments.map(({ start, end }) => ({ start, end })) };
}

/**
 * The line the next-line directive in `comments[index]` suppresses: the next line that is not
 * only comments, so that several directives (or a directive and a note) can be stacked above one
 * line. A blank line is not skipped: the directive then applies to it and suppresses nothing.
 */
function targetLine(
  doc: DestinationDocument,
  comments: readonly CommentSpan[],
  index: number,
  codeLines: ReadonlySet<number>,
): number {
  const lineOf = (offset: number): number => doc.positionAt(offset).line;
  let line = lineOf((comments[index] as CommentSpan).end) + 1;
  let next = index + 1;
  for (;;) {
    while (next < comments.length && lineOf((comments[next] as CommentSpan).start) < line) next++;
    const comment = comments[next];
    if (codeLines.has(line) || !comment || lineOf(comment.start) !== line) return line;
    // The line starts with a comment and holds no code: go on after the last comment on it.
    let last = lineOf(comment.end);
    while (next < comments.length && lineOf((comments[next] as CommentSpan).start) <= last) {
      last = Math.max(last, lineOf((comments[next] as CommentSpan).end));
      next++;
    }
    // Code right after a block comment that spans lines is on the comment's last line.
    if (codeLines.has(last)) return last;
    line = last + 1;
  }
}

function parseDirective(
  text: string,
  comment: CommentSpan & { block: boolean },
  firstValue: number,
): SuppressionDirective | undefined {
  const bodyStart = comment.start + 2;
  const bodyEnd =
    comment.block && text.startsWith('*/', comment.end - 2) ? comment.end - 2 : comment.end;
  const body = text.slice(bodyStart, bodyEnd);
  const lead = /^\s*/.exec(body)?.[0].length ?? 0;
  const word = DIRECTIVE_WORD.exec(body.slice(lead))?.[0];
  if (!word) return undefined;
  const wordEnd = bodyStart + lead + word.length;
  const directive: SuppressionDirective = {
    kind: word === FILE_DIRECTIVE ? 'file' : 'next-line',
    name: word,
    start: comment.start,
    end: comment.end,
    codesEnd: wordEnd,
    line: undefined,
    codes: [],
    reason: undefined,
    problem: undefined,
  };
  if (word !== FILE_DIRECTIVE && word !== NEXT_LINE_DIRECTIVE) {
    directive.problem = 'unknown-directive';
    return directive;
  }
  // As in ESLint: the reason follows two or more dashes with white space before them.
  const rest = text.slice(wordEnd, bodyEnd);
  const separator = /(?:^|\s)-{2,}(?:\s|$)/.exec(rest);
  const list = separator ? rest.slice(0, separator.index) : rest;
  if (separator) {
    const reason = rest.slice(separator.index + separator[0].length).trim();
    directive.reason = reason || undefined;
  }
  for (const match of list.matchAll(/[^\s,]+/g)) {
    const start = wordEnd + match.index;
    directive.codes.push({ code: match[0], start, end: start + match[0].length });
    directive.codesEnd = start + match[0].length;
  }
  if (!directive.codes.length) directive.problem = 'no-codes';
  else if (directive.kind === 'file' && firstValue >= 0 && comment.start > firstValue)
    directive.problem = 'misplaced';
  return directive;
}

/** The comment that contains `offset` (strictly inside, or at its start), if any. */
export function commentAt(scan: SuppressionScan, offset: number): CommentSpan | undefined {
  return scan.comments.find((c) => c.start <= offset && offset < c.end);
}
