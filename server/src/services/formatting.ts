import { format } from 'jsonc-parser';
import type { DestinationDocument } from '../engine/document';
import { detectIndent } from '../engine/edits';
import type { FormattingOptionsLike, Range, TextEdit } from '../engine/types';

/**
 * Formats the whole document or a range with jsonc-parser's formatter, which
 * keeps comments and only rewrites whitespace. A document with syntax errors is
 * formatted too: the formatter never changes tokens, so nothing is lost.
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
  });
  // jsonc-parser formats whole lines and keeps any edit that overlaps the range, so an edit can
  // reach into the next line (re-indenting a line the user did not select): keep only those inside.
  return edits
    .filter((edit) => !range || (edit.offset >= start && edit.offset + edit.length <= end))
    .map((edit) => ({
      range: doc.rangeOfOffsets(edit.offset, edit.offset + edit.length),
      newText: edit.content,
    }));
}
