// What the completion tests share: completing at a `|` marker and accepting an item as the
// editor would (snippet placeholders resolved), for completion.test.ts and
// completion.snippets.test.ts.
import assert from 'node:assert/strict';
import type { FileHost } from '../../server/src/engine/catalogLoader';
import type { CompletionItemLike, CompletionListLike } from '../../server/src/engine/types';
import { service, textDocument, withCursor } from '../helpers';

export interface CompleteOptions {
  uri?: string;
  fileHost?: FileHost;
}

export function complete(
  marked: string,
  options: CompleteOptions = {},
): { text: string; list: CompletionListLike } {
  const { text, position } = withCursor(marked);
  return {
    text,
    list: service(options.fileHost).complete(textDocument(text, options.uri), position),
  };
}

export function labels(list: CompletionListLike): string[] {
  return list.items.map((i) => i.label);
}

export function item(list: CompletionListLike, label: string): CompletionItemLike {
  const found = list.items.find((i) => i.label === label);
  assert.ok(found, `no item "${label}" among ${JSON.stringify(labels(list))}`);
  return found;
}

/** A span of the text, as offsets. */
export interface Stop {
  start: number;
  end: number;
}

/**
 * The text after accepting an item as the editor inserts it: snippet placeholders resolved to
 * their default or first choice, with where each tab stop ended up.
 */
export function insertItem(
  text: string,
  chosen: CompletionItemLike,
): { text: string; stops: Map<number, Stop>; cursor: number } {
  const doc = textDocument(text);
  const start = doc.offsetAt(chosen.textEdit.range.start);
  const end = doc.offsetAt(chosen.textEdit.range.end);
  const snippet = chosen.textEdit.newText;
  const stops = new Map<number, Stop>();
  let out = '';
  if (chosen.insertTextFormat !== 2) out = snippet;
  else {
    const stop = /^\$(\d+)|^\$\{(\d+)(?::((?:[^}\\]|\\.)*)|\|([^|]*)\|)\}/;
    for (let i = 0; i < snippet.length;) {
      const rest = snippet.slice(i);
      const match = stop.exec(rest);
      if (match) {
        const shown = (match[3] ?? match[4]?.split(',')[0] ?? '').replace(/\\(.)/g, '$1');
        const at = start + out.length;
        stops.set(Number(match[1] ?? match[2]), { start: at, end: at + shown.length });
        out += shown;
        i += match[0].length;
      } else if (rest.startsWith('\\') && rest.length > 1) {
        out += rest.charAt(1);
        i += 2;
      } else {
        out += rest.charAt(0);
        i += 1;
      }
    }
  }
  // The cursor goes to the first tab stop, else the final one, else after the insertion.
  const cursor = (stops.get(1) ?? stops.get(0))?.start ?? start + out.length;
  return { text: text.slice(0, start) + out + text.slice(end), stops, cursor };
}

/** The text after accepting an item. */
export function accept(text: string, chosen: CompletionItemLike): string {
  return insertItem(text, chosen).text;
}

/** The text after accepting an item, with the `|` cursor marker where the editor puts the cursor. */
export function acceptedWithCursor(text: string, chosen: CompletionItemLike): string {
  const inserted = insertItem(text, chosen);
  return inserted.text.slice(0, inserted.cursor) + '|' + inserted.text.slice(inserted.cursor);
}

/** The text after completing at the `|` and accepting the item with this label. */
export function accepted(marked: string, label: string, options: CompleteOptions = {}): string {
  const { text, list } = complete(marked, options);
  return accept(text, item(list, label));
}

/** Items sorted as the editor sorts them. */
export function sorted(list: CompletionListLike): string[] {
  return [...list.items]
    .sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label))
    .map((i) => i.label);
}

/** The text an item's edit replaces. */
export function replaced(text: string, chosen: CompletionItemLike): string {
  const doc = textDocument(text);
  return text.slice(
    doc.offsetAt(chosen.textEdit.range.start),
    doc.offsetAt(chosen.textEdit.range.end),
  );
}

/** The command VS Code's JSON support puts on an item to open the suggestions again. */
export const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
