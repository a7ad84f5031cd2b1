/**
 * Reuse of the previous version's tree (engine/treeReuse.ts, DestinationDocument's
 * `previous`): after any edit, the document built from the previous version is the document a
 * fresh parse gives: the same tree (node types, offsets, lengths, values, colon offsets, own
 * keys in order, parent links), the same derived facts (mappings, audiences, node index,
 * property lookups, plain value), and the previous version, read again, still describes its
 * own text. fast-check with a fixed seed: chains of random edits, most inside one string (the
 * reuse path), some anywhere (the fallback).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Node } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configText, smallConfig } from '../fixtures/generate';
import { everyString } from '../helpers';
import { DEFAULT_LIMITS, DestinationDocument } from '../../server/src/engine/document';
import { DestinationLanguageService } from '../../server/src/languageService';
import { mayHoldDirectives, suppressionsOf } from '../../server/src/engine/suppressions';

const SEED = 20_251_202;
const URI = 'file:///work/reuse.destination.json';
/** What a keystroke types, and what breaks a string: quotes, escapes, line breaks, brackets. */
const PIECES = [
  'a',
  'Z',
  '7',
  ' ',
  'é',
  '😀',
  '-',
  ':',
  '"',
  '\\',
  '\n',
  '\t',
  '{',
  ']',
  ',',
  'aep-dest-',
];

function docOf(text: string, version: number, previous?: DestinationDocument): DestinationDocument {
  const textDocument = TextDocument.create(URI, 'aep-destination', version, text);
  return new DestinationDocument(textDocument, DEFAULT_LIMITS, previous);
}

function fields(node: Node): unknown[] {
  return [
    Object.keys(node),
    node.type,
    node.offset,
    node.length,
    node.colonOffset,
    node.value as unknown,
    node.children?.length,
  ];
}

function assertSameTree(actual: Node | undefined, expected: Node | undefined): void {
  assert.equal(actual === undefined, expected === undefined);
  if (!actual || !expected) return;
  const pending: [Node, Node, string][] = [[actual, expected, '$']];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [a, e, where] = pair;
    assert.deepStrictEqual(fields(a), fields(e), `nodes differ at ${where}`);
    (a.children ?? []).forEach((child, i) => {
      assert.equal(child.parent, a, `wrong parent at ${where}/${i}`);
      pending.push([child, e.children?.[i] as Node, `${where}/${i}`]);
    });
  }
}

/** The derived facts, as plain data (nodes by offset and length). */
function facts(doc: DestinationDocument): unknown {
  const at = (node: Node | undefined): unknown => node && [node.type, node.offset, node.length];
  const index = doc.nodeIndex;
  return {
    errors: doc.syntaxErrors,
    notParsed: doc.notParsed,
    mappings: doc.mappings.map((m) => [
      m.index,
      at(m.node),
      m.source?.value,
      at(m.source?.node),
      m.target?.value,
      at(m.target?.node),
    ]),
    audiences: doc.audiences.map((a) => [a.index, at(a.node)]),
    index: [index.objects.map(at), index.properties.map(at), index.stringValues.map(at)],
    name: at(doc.property('name')),
    mappingsValue: at(doc.value('mappings')),
    value: doc.jsonValue,
    directives: directivesSeen(doc, true),
  };
}

/** The directives, as the suppression rules see them (`gated`: behind `mayHoldDirectives`). */
function directivesSeen(doc: DestinationDocument, gated: boolean): unknown[] {
  const seen = !gated || mayHoldDirectives(doc) ? suppressionsOf(doc).directives : [];
  return seen.map((d) => [d.kind, d.name, d.start, d.end]);
}

/** Reads the caches the rules fill, so that the next version carries them over. */
function prime(doc: DestinationDocument, which: number): void {
  if (which & 1) void doc.mappings;
  if (which & 2) void doc.audiences;
  if (which & 4) void doc.nodeIndex;
  if (which & 8) void doc.property('name');
  if (which & 16) void doc.jsonValue;
  if (which & 32) void mayHoldDirectives(doc);
}

/** Offsets of the insides of every string token of `text` (keys and values). */
function stringInsides(doc: DestinationDocument): number[] {
  return everyString(doc.nodeIndex).flatMap((s) =>
    s.length > 2 ? [s.offset + 1, s.offset + s.length - 1] : [s.offset + 1],
  );
}

interface Edit {
  /** Which string inside (or, for an edit anywhere, which offset). */
  pick: number;
  deleted: number;
  inserted: string;
  prime: number;
}

const edit = fc.record({
  pick: fc.nat(),
  deleted: fc.nat({ max: 3 }),
  inserted: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((a) => a.join('')),
  prime: fc.nat({ max: 63 }),
});

function applyEdit(doc: DestinationDocument, e: Edit, anywhere: boolean): string {
  const text = doc.text;
  const insides = stringInsides(doc);
  const at =
    !anywhere && insides.length > 0
      ? (insides[e.pick % insides.length] as number)
      : e.pick % (text.length + 1);
  const end = Math.min(text.length, at + (e.pick % 5 === 0 ? e.deleted : 0));
  return text.slice(0, at) + e.inserted + text.slice(end);
}

const BASES = [
  smallConfig(7).text,
  configText(42, 20, 3),
  fs.readFileSync(
    path.resolve(__dirname, '..', '..', 'examples', 'broken.destination.jsonc'),
    'utf8',
  ),
  fs.readFileSync(
    path.resolve(__dirname, '..', '..', 'examples', 'winback.destination.json'),
    'utf8',
  ),
  // Duplicate keys: an edit of a shadowed "name" changes no value.
  fs.readFileSync(
    path.resolve(__dirname, '..', 'fixtures', 'hostile', 'duplicate-keys.destination.json'),
    'utf8',
  ),
  // A suppression directive in a comment: after an edit inside a string it still counts.
  smallConfig(8).text.replace(
    '\n',
    '\n  // aep-dest-disable-next-line duplicate-key -- kept twice\n',
  ),
];

describe('tree reuse', () => {
  test('a chain of random edits: the reused document is the fresh parse', () => {
    let reused = 0;
    let total = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...BASES.keys()),
        fc.array(fc.tuple(edit, fc.nat({ max: 9 })), { minLength: 1, maxLength: 12 }),
        (base, edits) => {
          let doc = docOf(BASES[base] as string, 1);
          let version = 1;
          for (const [e, where] of edits) {
            prime(doc, e.prime);
            // The value handed out before the edit stays as it was (a simulation may read it).
            const valueBefore = e.prime & 16 ? doc.jsonValue : undefined;
            const copyBefore = JSON.stringify(valueBefore);
            const next = applyEdit(doc, e, where === 0);
            const oldText = doc.text;
            const after = docOf(next, ++version, doc);
            total++;
            if (after.reusedTree) reused++;
            const fresh = docOf(next, version);
            assertSameTree(after.root, fresh.root);
            assert.deepStrictEqual(facts(after), facts(fresh));
            // The gate carried over never hides a directive the comments hold.
            assert.deepStrictEqual(directivesSeen(after, true), directivesSeen(fresh, false));
            // The previous version, read again, parses its own text.
            const before = docOf(oldText, version - 1);
            assertSameTree(doc.root, before.root);
            assert.deepStrictEqual(facts(doc), facts(before));
            assert.equal(JSON.stringify(valueBefore), copyBefore);
            doc = after;
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
    // Many edits stay in one plain string (others break it, or follow one that broke the
    // text): the property exercises both paths.
    assert.ok(reused > total / 8, `${reused} of ${total} reused`);
    assert.ok(reused < total, 'some edits fall back');
  });

  test('an edit of a value that a later duplicate key shadows, and of the one that shadows it', () => {
    const text = BASES[4] as string;
    for (const [word, expected] of [
      ['Winback known', 'Winback, again'],
      ['Winback, again', 'WinZZback, again'],
    ] as const) {
      const before = docOf(text, 1);
      void before.jsonValue;
      const at = text.indexOf(word) + 3;
      const after = docOf(text.slice(0, at) + 'ZZ' + text.slice(at), 2, before);
      assert.equal(after.reusedTree, true);
      assert.equal((after.jsonValue as { name: string }).name, expected);
      assert.deepStrictEqual(facts(after), facts(docOf(after.text, 2)));
    }
  });

  test('the language service reuses the tree of the version it holds', () => {
    const service = new DestinationLanguageService({ docsBaseUri: 'file:///docs/' });
    const text = configText(3, 60, 3);
    const v1 = TextDocument.create(URI, 'aep-destination', 1, text);
    const findings1 = service.validate(v1);
    const at = text.indexOf('"target": "') + '"target": "'.length;
    const v2 = TextDocument.update(
      v1,
      [{ range: { start: v1.positionAt(at), end: v1.positionAt(at) }, text: 'x' }],
      2,
    );
    const findings2 = service.validate(v2);
    assert.equal(service.parse(v2).reusedTree, true);
    const fresh = new DestinationLanguageService({ docsBaseUri: 'file:///docs/' });
    assert.deepStrictEqual(
      findings2,
      fresh.validate(TextDocument.create(URI, 'aep-destination', 2, v2.getText())),
    );
    assert.notDeepStrictEqual(findings1, findings2);
  });

  test('a version that comes back to the text before (a letter flipped back) takes the tree over', () => {
    const service = new DestinationLanguageService({ docsBaseUri: 'file:///docs/' });
    const text = configText(5, 40, 3);
    const at = text.indexOf('"target": "') + '"target": "'.length;
    const v1 = TextDocument.create(URI, 'aep-destination', 1, text);
    const findings1 = service.validate(v1);
    const one = { start: v1.positionAt(at), end: v1.positionAt(at + 1) };
    const flipped = text.charAt(at).toUpperCase();
    const v2 = TextDocument.update(v1, [{ range: one, text: flipped }], 2);
    // The editor skips version 2 (the requests came after version 3): 1 → 3, the same text.
    const v3 = TextDocument.update(v2, [{ range: one, text: text.charAt(at) }], 3);
    assert.equal(v3.getText(), text);
    const findings3 = service.validate(v3);
    assert.equal(service.parse(v3).reusedTree, true);
    assert.deepStrictEqual(findings3, findings1);
    assert.deepStrictEqual(
      facts(service.parse(v3)),
      facts(docOf(text, 3)),
      'the tree and facts taken over are those of a fresh parse',
    );
  });
});
