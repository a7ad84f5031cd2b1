import { type JSONPath, modify } from 'jsonc-parser';
import { type DestinationDocument, type JsonNode, nodeAtPath } from './document';
import type { TextEdit } from './types';

export interface IndentStyle {
  tabSize: number;
  insertSpaces: boolean;
  eol: string;
}

/** The indentation the file already uses, so fixes look hand-written. */
export function detectIndent(text: string): IndentStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const match = /\n([ \t]+)\S/.exec(text);
  if (!match) return { tabSize: 2, insertSpaces: true, eol };
  const indent = match[1] as string;
  return indent.startsWith('\t')
    ? { tabSize: 1, insertSpaces: false, eol }
    : { tabSize: indent.length, insertSpaces: true, eol };
}

/**
 * Edits that set (or, with `undefined`, remove) the value at a JSON path, through
 * jsonc-parser's `modify`, which keeps comments and formatting around the change.
 */
export function setValueEdits(doc: DestinationDocument, path: JSONPath, value: unknown, insertAt?: number): TextEdit[] {
  const style = detectIndent(doc.text);
  const edits = modify(doc.text, path, value, {
    formattingOptions: { tabSize: style.tabSize, insertSpaces: style.insertSpaces, eol: style.eol },
    ...(insertAt === undefined ? {} : { isArrayInsertion: true }),
  });
  return edits.map((edit) => ({
    range: doc.rangeOfOffsets(edit.offset, edit.offset + edit.length),
    newText: edit.content,
  }));
}

/**
 * Appends items to the array at `path`, one per line in the file's indentation, after the
 * last item (an existing trailing comma then simply follows the new items).
 */
export function appendItemsEdits(doc: DestinationDocument, path: JSONPath, items: unknown[]): TextEdit[] {
  const array = nodeAtPath(doc.root, path);
  if (array?.type !== 'array') return [];
  const last = array.children?.[array.children.length - 1];
  if (!last) return setValueEdits(doc, path, items);
  const lineStart = doc.text.lastIndexOf('\n', last.offset - 1) + 1;
  const indent = doc.text.slice(lineStart, last.offset);
  const separator = /^[ \t]*$/.test(indent) ? `,${detectIndent(doc.text).eol}${indent}` : ', ';
  const end = last.offset + last.length;
  return [{ range: doc.rangeOfOffsets(end, end), newText: items.map((item) => separator + inlineJson(item)).join('') }];
}

/** `{ "source": "a", "target": "b" }`: one line, spaced like hand-written JSON. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
}

/** Replaces one node's text with a JSON value. */
export function replaceNodeEdit(doc: DestinationDocument, node: JsonNode, value: unknown): TextEdit {
  return { range: doc.rangeOf(node), newText: JSON.stringify(value) };
}
