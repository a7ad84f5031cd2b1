/**
 * Findings kept across an edit inside a value (engine/document.ts `KEYS_ONLY` and
 * `CarriedFact`): the rules that keep what they found (duplicate-key, secret-in-config) give,
 * after any chain of edits, what a fresh validation of the same text gives. The language
 * service holds the versions, so each edit inside a string takes the previous tree over.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configText } from '../fixtures/generate';
import { VALID_CONFIG, everyString, findingsOf, withProperties } from '../helpers';
import { DestinationLanguageService } from '../../server/src/languageService';
import type { Finding } from '../../server/src/engine/types';

const URI = 'file:///work/carried.destination.json';
const SEED = 20_261_202;

const newService = (): DestinationLanguageService =>
  new DestinationLanguageService({ docsBaseUri: 'file:///docs/' });

const BASES = [
  withProperties(
    VALID_CONFIG,
    '"clientSecret": "abc", "apiKey": "", "description": "Bearer abcdefghijklmnop",',
  ),
  fs.readFileSync(
    path.resolve(__dirname, '..', 'fixtures', 'hostile', 'duplicate-keys.destination.json'),
    'utf8',
  ),
  configText(42, 20, 3),
];

/** What a keystroke types into a string: some of it makes a token of the value, or empties it. */
const PIECES = ['a', ' ', ':', 'Bearer abcdefghij', 'postgres://u:p@', 'é', ''];

/** Offsets just inside every string of the version the service holds (keys and values). */
function insides(service: DestinationLanguageService, doc: TextDocument): number[] {
  return everyString(service.parse(doc).nodeIndex).flatMap((s) =>
    s.length > 2 ? [s.offset + 1, s.offset + s.length - 1] : [],
  );
}

function edited(doc: TextDocument, at: number, deleted: number, text: string): TextDocument {
  const range = { start: doc.positionAt(at), end: doc.positionAt(at + deleted) };
  return TextDocument.update(doc, [{ range, text }], doc.version + 1);
}

const fresh = (doc: TextDocument): Finding[] =>
  newService().validate(TextDocument.create(URI, 'aep-destination', doc.version, doc.getText()));

describe('findings kept across an edit inside a value', () => {
  test('a chain of edits inside strings: the findings are those of a fresh validation', () => {
    let reused = 0;
    let total = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...BASES.keys()),
        fc.array(
          fc.record({
            pick: fc.nat(),
            deleted: fc.nat({ max: 4 }),
            typed: fc.constantFrom(...PIECES),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        (base, edits) => {
          const service = newService();
          let doc = TextDocument.create(URI, 'aep-destination', 1, BASES[base] as string);
          service.validate(doc);
          for (const e of edits) {
            const spots = insides(service, doc);
            const at = spots[e.pick % spots.length] as number;
            const end = doc.getText().indexOf('"', at);
            doc = edited(doc, at, Math.min(e.deleted, Math.max(0, end - at)), e.typed);
            const findings = service.validate(doc);
            total++;
            if (service.parse(doc).reusedTree) reused++;
            assert.deepStrictEqual(findings, fresh(doc));
          }
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
    assert.ok(reused > total / 2, `${reused} of ${total} reused`);
  });

  test('a credential key is reported once its value is typed, and no more once it is emptied', () => {
    const service = newService();
    const text = withProperties(VALID_CONFIG, '"apiKey": "", "description": "plain",');
    let doc = TextDocument.create(URI, 'aep-destination', 1, text);
    assert.equal(findingsOf(service.validate(doc), 'secret-in-config').length, 0);
    doc = edited(doc, text.indexOf('"apiKey": "') + '"apiKey": "'.length, 0, 'k');
    const typed = findingsOf(service.validate(doc), 'secret-in-config');
    assert.equal(service.parse(doc).reusedTree, true);
    assert.deepStrictEqual(
      typed.map((f) => f.data),
      [{ property: 'apiKey' }],
    );
    doc = edited(doc, doc.getText().indexOf('"apiKey": "') + '"apiKey": "'.length, 1, '');
    assert.equal(findingsOf(service.validate(doc), 'secret-in-config').length, 0);
    const at = doc.getText().indexOf('"plain"') + 1;
    doc = edited(doc, at, 'plain'.length, 'Bearer abcdefghijklmnop');
    assert.equal(findingsOf(service.validate(doc), 'secret-in-config').length, 1);
    assert.equal(service.parse(doc).reusedTree, true);
  });

  test('a duplicate key found before an edit of a value is still found, at its moved range', () => {
    const service = newService();
    const text = withProperties(VALID_CONFIG, '"description": "one", "description": "two",');
    let doc = TextDocument.create(URI, 'aep-destination', 1, text);
    const before = findingsOf(service.validate(doc), 'duplicate-key');
    assert.equal(before.length, 1);
    // An edit inside the value before the key, on its line: the key moves three characters on.
    doc = edited(doc, text.indexOf('"Default"') + 1, 0, 'abc');
    const after = findingsOf(service.validate(doc), 'duplicate-key');
    assert.equal(service.parse(doc).reusedTree, true);
    assert.equal(after.length, 1);
    assert.equal(after[0]?.range.start.character, (before[0]?.range.start.character ?? 0) + 3);
    assert.deepStrictEqual(after, findingsOf(fresh(doc), 'duplicate-key'));
  });
});
