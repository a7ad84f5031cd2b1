/**
 * The outline of a huge config is cut (services/documentSymbols.ts): at most MAX_LIST_ITEMS
 * items of one list and MAX_SYMBOLS symbols in all, made breadth first, and wherever something
 * was left out a last symbol says how much and covers it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configText } from '../fixtures/generate';
import type { DocumentSymbolLike } from '../../server/src/engine/types';
import { MAX_LIST_ITEMS, MAX_SYMBOLS } from '../../server/src/services/documentSymbols';
import { service, textAt, textDocument } from '../helpers';

const MORE = /^… ([\d,]+) more (mappings?|audiences?|properties|property|items?)$/;

function all(list: DocumentSymbolLike[]): DocumentSymbolLike[] {
  return list.flatMap((s) => [s, ...all(s.children ?? [])]);
}

function outline(text: string): DocumentSymbolLike[] {
  return service().documentSymbols(textDocument(text));
}

describe('outline of a huge config', () => {
  test('a long mapping list shows its first items, then how many more, with their range', () => {
    const text = configText(3, 3000, 2);
    const mappings = outline(text).find((s) => s.name === 'mappings');
    const items = mappings?.children ?? [];
    assert.equal(items.length, MAX_LIST_ITEMS + 1);
    const parsed = JSON.parse(text) as { mappings: { source: string; target: string }[] };
    assert.deepEqual(
      items.slice(0, 3).map((s) => s.name),
      parsed.mappings.slice(0, 3).map((m) => `${m.source} → ${m.target}`),
    );
    const more = items[MAX_LIST_ITEMS] as DocumentSymbolLike;
    assert.equal(more.name, `… ${(3000 - MAX_LIST_ITEMS).toLocaleString('en')} more mappings`);
    // Its range runs from the first mapping left out to the end of the last one.
    const covered = JSON.parse(`[${textAt(text, more.range)}]`) as unknown[];
    assert.deepEqual(covered, parsed.mappings.slice(MAX_LIST_ITEMS));
    assert.deepEqual(more.selectionRange.start, more.range.start);
  });

  test('the properties after a long list are all there, with their own items', () => {
    const text = configText(4, 20_000, 30);
    const top = outline(text);
    assert.deepEqual(
      top.map((s) => s.name),
      Object.keys(JSON.parse(text) as object),
    );
    const audiences = top.find((s) => s.name === 'audiences');
    assert.equal(audiences?.children?.length, 30);
    assert.ok(audiences?.children?.every((a) => !MORE.test(a.name)));
  });

  test('at most MAX_SYMBOLS symbols in all; every object cut short ends with how many more', () => {
    // 1,000 mappings and 1,000 audiences fill two lists; the audiences' own properties
    // (origin, type, evaluation, entities) then run out of room.
    const text = configText(5, MAX_LIST_ITEMS, MAX_LIST_ITEMS);
    const symbols = all(outline(text));
    const markers = symbols.filter((s) => MORE.test(s.name));
    assert.equal(symbols.length - markers.length, MAX_SYMBOLS);
    assert.ok(markers.length > 0);
    const audiences = outline(text).find((s) => s.name === 'audiences')?.children ?? [];
    // Breadth first: every audience is listed; the first ones have all their properties.
    assert.equal(audiences.length, MAX_LIST_ITEMS);
    assert.ok((audiences[0]?.children?.length ?? 0) >= 4);
    assert.ok(audiences[0]?.children?.every((c) => !MORE.test(c.name)));
    const last = audiences[audiences.length - 1]?.children ?? [];
    assert.equal(last.length, 1);
    const match = MORE.exec(last[0]?.name ?? '');
    assert.equal(match?.[2], 'properties');
    // The count leaves out what the audience's row shows already (its name and id).
    const value = (JSON.parse(text) as { audiences: object[] }).audiences.at(-1) as object;
    assert.equal(Number(match?.[1]), Object.keys(value).length - 2);
  });

  test('a config under the limits is not cut', () => {
    const text = configText(6, 200, 20);
    assert.ok(all(outline(text)).every((s) => !MORE.test(s.name)));
  });
});
