import { type EditResult, type JSONScanner, SyntaxKind, createScanner, format } from 'jsonc-parser';
import type { DestinationDocument } from '../engine/document';
import { detectIndent } from '../engine/edits';
import type { FormattingOptionsLike, Range, TextEdit } from '../engine/types';

/**
 * Formats the whole document or a range with jsonc-parser's formatter, which
 * keeps comments and only rewrites whitespace. A document with syntax errors is
 * formatted too, unless that would change its tokens: joining the line after an
 * unterminated string to it, for one, would pull that line into the string.
 */
export function formatDocument(
  doc: DestinationDocument,
  options: FormattingOptionsLike,
  range?: Range,
): TextEdit[] {
  if (doc.notParsed) return [];
  const start = range ? doc.offsetAt(range.start) : 0;
  const end = range ? doc.offsetAt(range.end) : doc.text.length;
  const edits = format(doc.text, range ? { offset: start, length: end - start } : undefined, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    insertFinalNewline: options.insertFinalNewline ?? false,
    eol: detectIndent(doc.text).eol,
    keepLines: false,
  })
    // jsonc-parser formats whole lines and keeps any edit that overlaps the range, so an edit can
    // reach into the next line (re-indenting a line the user did not select): keep only those inside.
    .filter((edit) => !range || (edit.offset >= start && edit.offset + edit.length <= end));
  if (doc.syntaxErrors.length && !keepsTokens(doc.text, edits)) return [];
  return edits.map((edit) => ({
    range: doc.rangeOfOffsets(edit.offset, edit.offset + edit.length),
    newText: edit.content,
  }));
}

/** Whether the text after the (sorted, disjoint) edits has the same tokens, white space aside. */
function keepsTokens(text: string, edits: EditResult): boolean {
  let formatted = '';
  let from = 0;
  for (const edit of edits) {
    formatted += text.slice(from, edit.offset) + edit.content;
    from = edit.offset + edit.length;
  }
  formatted += text.slice(from);
  const before = createScanner(text, false);
  const after = createScanner(formatted, false);
  for (;;) {
    const kind = nextToken(before);
    if (kind !== nextToken(after) || tokenText(before, text) !== tokenText(after, formatted))
      return false;
    if (kind === SyntaxKind.EOF) return true;
  }
}

function tokenText(scanner: JSONScanner, text: string): string {
  const offset = scanner.getTokenOffset();
  return text.slice(offset, offset + scanner.getTokenLength());
}

function nextToken(scanner: JSONScanner): SyntaxKind {
  let kind = scanner.scan();
  while (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) kind = scanner.scan();
  return kind;
}
