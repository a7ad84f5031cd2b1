import { type JSONPath, SyntaxKind, createScanner, modify } from 'jsonc-parser';
import { type DestinationDocument, type JsonNode, nodeAtPath } from './document';
import type { FileTextEdit, TextEdit } from './types';

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
 * jsonc-parser's `modify`, which keeps comments and formatting around the change. Removal goes
 * through `removeNodeEdits` instead.
 */
export function setValueEdits(
  doc: DestinationDocument,
  path: JSONPath,
  value: unknown,
  insertAt?: number,
): FileTextEdit[] {
  // A path into `mappings` may lead into the shared mappings file the config names.
  const at = doc.locate(path);
  return inFile(doc, at.doc, setValueEditsIn(at.doc, at.path, value, insertAt));
}

function setValueEditsIn(
  doc: DestinationDocument,
  path: JSONPath,
  value: unknown,
  insertAt?: number,
): TextEdit[] {
  if (value === undefined) {
    // modify's removal deletes the comments between the node and its neighbour and reformats the neighbour.
    const node = nodeAtPath(doc.root, path);
    const target = typeof path[path.length - 1] === 'number' ? node : node?.parent;
    return target && path.length ? removeNodeEdits(doc, target) : [];
  }
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
 * Deletes one property or array item with the comma that joined it to a neighbour. When the
 * node has its lines to itself, those lines go (with the comment that ends the last one);
 * comments on other lines, such as a neighbour's trailing comment, stay.
 */
export function removeNodeEdits(doc: DestinationDocument, node: JsonNode): FileTextEdit[] {
  const owner = doc.ownerOf(node);
  return inFile(doc, owner, removeNodeEditsIn(owner, node));
}

function removeNodeEditsIn(doc: DestinationDocument, node: JsonNode): TextEdit[] {
  const text = doc.text;
  const siblings = node.parent?.children ?? [];
  const index = siblings.indexOf(node);
  const previous = index > 0 ? siblings[index - 1] : undefined;
  const isLast = index === siblings.length - 1;
  let start = node.offset;
  let end = node.offset + node.length;
  const ownComma = commaAfter(text, end);
  if (ownComma >= 0) end = ownComma + 1;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const restOfLine = /^[ \t]*(?:\/\/[^\r\n]*|\/\*(?:(?!\*\/)[^\r\n])*\*\/[ \t]*)?(?:\r?\n|$)/.exec(
    text.slice(end),
  );
  const ownsLines = /^[ \t]*$/.test(text.slice(lineStart, start)) && restOfLine !== null;
  const edits: TextEdit[] = [];
  // The last item without a comma of its own leaves the comma after the previous one dangling.
  const previousComma =
    isLast && ownComma < 0 && previous ? commaAfter(text, previous.offset + previous.length) : -1;
  if (ownsLines) {
    start = lineStart;
    end += restOfLine[0].length;
    if (previousComma >= 0)
      edits.push({ range: doc.rangeOfOffsets(previousComma, previousComma + 1), newText: '' });
  } else if (previousComma >= 0 && /^\s*$/.test(text.slice(previousComma + 1, start))) {
    start = previousComma;
  } else {
    if (previousComma >= 0)
      edits.push({ range: doc.rangeOfOffsets(previousComma, previousComma + 1), newText: '' });
    if (ownComma >= 0) end += (/^[ \t]*/.exec(text.slice(end)) as RegExpExecArray)[0].length;
  }
  edits.push({ range: doc.rangeOfOffsets(start, end), newText: '' });
  return edits;
}

/** Offset of the comma that follows `from` past blanks and comments, or -1. */
function commaAfter(text: string, from: number): number {
  const scanner = createScanner(text, true);
  scanner.setPosition(from);
  let token = scanner.scan();
  while (token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia)
    token = scanner.scan();
  return token === SyntaxKind.CommaToken ? scanner.getTokenOffset() : -1;
}

/**
 * Appends items to the array at `path`, one per line in the file's indentation, after the
 * last item (an existing trailing comma then simply follows the new items).
 */
export function appendItemsEdits(
  doc: DestinationDocument,
  path: JSONPath,
  items: unknown[],
): FileTextEdit[] {
  const at = doc.locate(path);
  return inFile(doc, at.doc, appendItemsEditsIn(at.doc, at.path, items));
}

function appendItemsEditsIn(
  doc: DestinationDocument,
  path: JSONPath,
  items: unknown[],
): TextEdit[] {
  const array = nodeAtPath(doc.root, path);
  if (array?.type !== 'array') return [];
  const last = array.children?.[array.children.length - 1];
  if (!last) return setValueEditsIn(doc, path, items);
  const lineStart = doc.text.lastIndexOf('\n', last.offset - 1) + 1;
  const indent = doc.text.slice(lineStart, last.offset);
  const separator = /^[ \t]*$/.test(indent) ? `,${detectIndent(doc.text).eol}${indent}` : ', ';
  const end = last.offset + last.length;
  return [
    {
      range: doc.rangeOfOffsets(end, end),
      newText: items.map((item) => separator + inlineJson(item)).join(''),
    },
  ];
}

/** `{ "source": "a", "target": "b" }`: one line, spaced like hand-written JSON. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
}

/** Replaces one node's text with a JSON value. */
export function replaceNodeEdit(
  doc: DestinationDocument,
  node: JsonNode,
  value: unknown,
): FileTextEdit {
  const owner = doc.ownerOf(node);
  const edit = { range: owner.rangeOf(node), newText: JSON.stringify(value) };
  return owner === doc ? edit : { ...edit, uri: owner.uri };
}

/** Edits made in `owner`, marked with its URI when that is not the fixed document's. */
function inFile(
  doc: DestinationDocument,
  owner: DestinationDocument,
  edits: TextEdit[],
): FileTextEdit[] {
  return owner === doc ? edits : edits.map((edit) => ({ ...edit, uri: owner.uri }));
}
