import type { DestinationDocument, JsonNode } from '../engine/document';
import { type StringEdit, childIndexAt, stringEditIn } from '../engine/treeReuse';
import type { DocumentSymbolLike, Position } from '../engine/types';
import { MAX_SYMBOLS, getDocumentSymbols, remadeSymbol } from './documentSymbols';

/**
 * The outline of the next version from the outline of the last one, when the edit between
 * them stays inside one string value (the keystroke of someone typing a value). The editor
 * asks for the outline after every change (outline view, breadcrumbs, sticky scroll); on a
 * 5 MB config making it again takes tens of milliseconds, this takes well under one.
 *
 * Such an edit keeps every token and every line break (engine/treeReuse.ts `stringEditIn`), so
 * the outline keeps its shape and its line numbers. What changes:
 * - the symbols that show the string: the property that holds it (its detail), a list of plain
 *   values that holds it (its detail), a mapping or audience whose row names it. All are on the
 *   way from the top of the outline down to the string, and are made again;
 * - the characters of the positions after the string on its own line, which move by the change
 *   in length.
 * Everything else is the last outline's, shared: callers only read symbols.
 */
export class OutlineCache {
  /** Per URI, the last outline made and the text and size limit it was made for. */
  private readonly last = new Map<string, Outline>();

  symbols(doc: DestinationDocument, limit: number = MAX_SYMBOLS): DocumentSymbolLike[] {
    const previous = this.last.get(doc.uri);
    const symbols = doc.cached(`outline:${limit}`, () => {
      const updated = previous?.limit === limit ? updatedOutline(previous, doc) : undefined;
      return updated ?? getDocumentSymbols(doc, limit);
    });
    if (previous?.symbols !== symbols)
      this.last.set(doc.uri, { text: doc.text, limit, parsed: !!doc.rootObject, symbols });
    return symbols;
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}

interface Outline {
  text: string;
  limit: number;
  /** Whether the text had a top-level object (a text not parsed has an empty outline). */
  parsed: boolean;
  symbols: DocumentSymbolLike[];
}

/** Undefined when the outline must be made in full. */
function updatedOutline(
  previous: Outline,
  doc: DestinationDocument,
): DocumentSymbolLike[] | undefined {
  const root = doc.rootObject;
  if (!root || !previous.parsed) return undefined;
  const edit = stringEditIn(root, previous.text, doc.text);
  if (edit === 'same') return previous.symbols;
  // A key is the name of a symbol and decides which properties a row shows; an empty string
  // is not a row's name, so its property is listed: both change more than one symbol.
  if (!edit || edit.isKey || (edit.oldValue === '') !== (edit.node.value === '')) return undefined;
  const at = doc.positionAt(edit.node.offset);
  return updatedList({ doc, edit, at }, previous.symbols, root, '', []);
}

interface Update {
  doc: DestinationDocument;
  edit: StringEdit;
  /** Where the edited string starts: positions after it on its line move by `edit.delta`. */
  at: Position;
}

/**
 * `list` updated for the edit, itself when nothing in it changed. `parent`, `container` and
 * `shown` are what its symbols were made from (documentSymbols.ts), when they are on the way
 * to the edited string; `parent` is undefined below a symbol that is not.
 */
function updatedList(
  update: Update,
  list: DocumentSymbolLike[],
  parent: JsonNode | undefined,
  container: string | number,
  shown: readonly string[],
): DocumentSymbolLike[] {
  const line = update.at.line;
  let copy: DocumentSymbolLike[] | undefined;
  // Siblings are in document order: those that reach the edited line are together.
  for (let i = firstReaching(list, line); i < list.length; i++) {
    const old = list[i] as DocumentSymbolLike;
    if (old.range.start.line > line) break;
    const next = holdsEdit(old, update.at)
      ? remade(update, old, parent, container, shown)
      : shifted(update, old);
    if (next !== old) (copy ??= list.slice())[i] = next;
  }
  return copy ?? list;
}

/** The symbol of the property or item that holds the edited string, made again. */
function remade(
  update: Update,
  old: DocumentSymbolLike,
  parent: JsonNode | undefined,
  container: string | number,
  shown: readonly string[],
): DocumentSymbolLike {
  // "… 45,000 more mappings": a count and a range, whatever the strings in it say.
  if (!parent || isMore(old)) return shifted(update, old);
  const index = childIndexAt(parent.children ?? [], update.edit.node.offset);
  const made = remadeSymbol(update.doc, parent, index, container, shown);
  if (!made) return shifted(update, old);
  if (old.children)
    made.symbol.children = updatedList(
      update,
      old.children,
      made.value,
      made.container,
      made.shown,
    );
  return made.symbol;
}

/** `old` with its positions after the edited string moved, and its children's. */
function shifted(update: Update, old: DocumentSymbolLike): DocumentSymbolLike {
  const { at, edit } = update;
  const range = shiftedRange(old.range, at, edit.delta);
  const selectionRange = shiftedRange(old.selectionRange, at, edit.delta);
  const children = old.children && updatedList(update, old.children, undefined, '', []);
  if (range === old.range && selectionRange === old.selectionRange && children === old.children)
    return old;
  return { ...old, range, selectionRange, ...(children ? { children } : {}) };
}

function shiftedRange<R extends { start: Position; end: Position }>(
  range: R,
  at: Position,
  delta: number,
): R {
  const start = shiftedPosition(range.start, at, delta);
  const end = shiftedPosition(range.end, at, delta);
  return start === range.start && end === range.end ? range : { ...range, start, end };
}

function shiftedPosition(position: Position, at: Position, delta: number): Position {
  return delta !== 0 && position.line === at.line && position.character > at.character
    ? { line: position.line, character: position.character + delta }
    : position;
}

/** Whether the edited string, starting at `at`, is inside the symbol's range. */
function holdsEdit(symbol: DocumentSymbolLike, at: Position): boolean {
  const { start, end } = symbol.range;
  const afterStart =
    at.line > start.line || (at.line === start.line && at.character >= start.character);
  const beforeEnd = at.line < end.line || (at.line === end.line && at.character < end.character);
  return afterStart && beforeEnd;
}

/** A "… n more" symbol: the only one whose selection is empty (others select a key or item). */
function isMore(symbol: DocumentSymbolLike): boolean {
  const { start, end } = symbol.selectionRange;
  return start.line === end.line && start.character === end.character;
}

/** The index of the first symbol whose range ends on `line` or after (binary search). */
function firstReaching(list: readonly DocumentSymbolLike[], line: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as DocumentSymbolLike).range.end.line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
