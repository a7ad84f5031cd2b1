/**
 * The outline of a version updated from the last one (services/outlineUpdate.ts) when the
 * edit stays inside one string: after any edit, what the editor gets is the outline made from
 * scratch for the new text (names, details, kinds, ranges, the caps and the "… n more"
 * symbols). Named edits at the places whose symbols show the string, then fast-check chains
 * of random edits with the outline asked for now and then.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configText } from '../fixtures/generate';
import type { DocumentSymbolLike } from '../../server/src/engine/types';
import { DestinationLanguageService } from '../../server/src/languageService';
import { MAX_LIST_ITEMS } from '../../server/src/services/documentSymbols';
import { DOCS_BASE } from '../helpers';

const URI = 'file:///work/outline.destination.json';
/** Over the caps: 1,000 mappings shown then "… 200 more", audiences cut by the total. */
const LARGE = configText(7, MAX_LIST_ITEMS + 200, MAX_LIST_ITEMS);
const SMALL = configText(8, 40, 6);
const ONE_LINE =
  '{"name": "x", "workspace": {"a": "yy", "b": {"c": "z"}, "d": ["p", "q", 1]}, "alerts": ["k"]}';

/** An editor session: one service, versions of one document, the outline when asked. */
function session(text: string) {
  const service = new DestinationLanguageService({ docsBaseUri: DOCS_BASE });
  let version = 1;
  let current = text;
  const outline = (): DocumentSymbolLike[] =>
    service.documentSymbols(TextDocument.create(URI, 'aep-destination', version, current));
  return {
    outline,
    /** A new version; the service parses it (as validation and other requests do). */
    change(next: string): void {
      current = next;
      version++;
      service.parse(TextDocument.create(URI, 'aep-destination', version, current));
    },
    get text() {
      return current;
    },
  };
}

function fresh(text: string): DocumentSymbolLike[] {
  const service = new DestinationLanguageService({ docsBaseUri: DOCS_BASE });
  return service.documentSymbols(TextDocument.create(URI, 'aep-destination', 1, text));
}

/** `text` with `length` characters at the `nth` occurrence of `anchor` + `skip` replaced. */
function replaced(
  text: string,
  anchor: string,
  nth: number,
  skip: number,
  length: number,
  by: string,
) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(anchor, at + 1);
  assert.ok(at >= 0, `${anchor} #${nth} is in the text`);
  const from = at + anchor.length + skip;
  return text.slice(0, from) + by + text.slice(from + length);
}

/** Every edit kind at one place: a character typed, one deleted, one replaced. */
const KEYSTROKES: [skip: number, length: number, by: string][] = [
  [0, 0, 'Q'],
  [1, 1, ''],
  [2, 1, 'é'],
  [0, 0, 'ab😀'],
];

function assertUpdatedLikeFresh(text: string, anchor: string, nth: number): void {
  for (const [skip, length, by] of KEYSTROKES) {
    const s = session(text);
    s.outline();
    s.change(replaced(text, anchor, nth, skip, length, by));
    assert.deepEqual(s.outline(), fresh(s.text), `${anchor} #${nth}: ${length} → "${by}"`);
  }
}

describe('outline updated after an edit inside one string', () => {
  const places: [string, string, number][] = [
    ['a mapping shown', '"target": "', 3],
    ['the last mapping shown', '"source": "', MAX_LIST_ITEMS - 1],
    ['a mapping left out ("… more mappings")', '"target": "', MAX_LIST_ITEMS + 50],
    ['an audience name', '"name": "', 2],
    ['an audience id', '"id": "', 1],
    ['a property of an audience', '"origin": "', 0],
    ['a property of the last audience (left out)', '"origin": "', MAX_LIST_ITEMS - 1],
    ['a list of plain values', '"entities": [\n        "', 4],
    ['a top-level value', '"munchkinId": "', 0],
    ['the alerts', '"alerts": [\n    "', 0],
  ];
  for (const [what, anchor, nth] of places)
    test(`${what}: the same outline as made from scratch`, () =>
      assertUpdatedLikeFresh(LARGE, anchor, nth));

  test('on a line with more symbols after the string, their positions move', () => {
    for (const anchor of ['"name": "', '"a": "', '"c": "', '"d": ["'])
      assertUpdatedLikeFresh(ONE_LINE, anchor, 0);
  });

  test('the unchanged parts are the last outline, shared', () => {
    const s = session(LARGE);
    const before = s.outline();
    s.change(replaced(LARGE, '"target": "', 3, 0, 0, 'Q'));
    const after = s.outline();
    const mappings = (list: DocumentSymbolLike[]) =>
      list.find((m) => m.name === 'mappings')?.children ?? [];
    assert.notEqual(mappings(after)[3], mappings(before)[3]);
    assert.match(mappings(after)[3]?.name ?? '', / → Q/);
    assert.equal(mappings(after)[4], mappings(before)[4]);
    assert.equal(
      after.find((m) => m.name === 'audiences'),
      before.find((m) => m.name === 'audiences'),
    );
  });

  test('a value emptied and typed again, a key edited, a quote typed: made from scratch', () => {
    const s = session(SMALL);
    s.outline();
    const emptied = replaced(
      SMALL,
      '"source": ',
      2,
      0,
      SMALL.split('"source": ')[3]?.indexOf(',') ?? 0,
      '""',
    );
    for (const next of [
      emptied,
      replaced(emptied, '"source": "', 2, 0, 0, 'x'),
      replaced(SMALL, '"workspac', 0, 0, 0, 'Z'),
      replaced(SMALL, '"name": "', 0, 0, 0, '\\"'),
      replaced(SMALL, '"name": "', 0, 0, 0, '"'),
      SMALL,
    ]) {
      s.change(next);
      assert.deepEqual(s.outline(), fresh(next));
    }
  });

  test('random edits, the outline asked for now and then', () => {
    const pieces = ['a', 'Z', ' ', 'é', '😀', '-', '"', '\\', '\n', '{', ','];
    const step = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 3 }),
      insert: fc.array(fc.constantFrom(...pieces), { maxLength: 3 }).map((p) => p.join('')),
      inString: fc.boolean(),
      ask: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const s = session(SMALL);
        s.outline();
        for (const { at, remove, insert, inString, ask } of steps) {
          const text = s.text;
          // Mostly inside a string value: just after an opening quote of one.
          const starts = [...text.matchAll(/": "/g)].map((m) => m.index + 4);
          const from =
            inString && starts.length ? (starts[at % starts.length] as number) : at % text.length;
          s.change(
            text.slice(0, from) +
              insert.replace(inString ? /["\\\n]/g : /$^/, '') +
              text.slice(from + remove),
          );
          if (ask) assert.deepEqual(s.outline(), fresh(s.text));
        }
        assert.deepEqual(s.outline(), fresh(s.text));
      }),
      { seed: 20_251_202, numRuns: 150 },
    );
  });
});
