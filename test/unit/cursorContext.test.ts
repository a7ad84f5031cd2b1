/**
 * analyzeCursor with the document's tree (services/cursorContext.ts) scans from the innermost
 * object or array around the cursor instead of from the start of the text: at every offset of
 * every config below, the slot it finds is the slot the scan from the start finds.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configText } from '../fixtures/generate';
import { DestinationDocument } from '../../server/src/engine/document';
import { analyzeCursor } from '../../server/src/services/cursorContext';
import { VALID_CONFIG } from '../helpers';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

const TEXTS: [string, string][] = [
  ['the valid config', VALID_CONFIG],
  ['a generated config', configText(9, 6, 2)],
  ...fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.jsonc') || f.endsWith('.json'))
    .map((f): [string, string] => [f, fs.readFileSync(path.join(EXAMPLES, f), 'utf8')]),
  [
    'comments, trailing commas, nested arrays, a byte-order mark',
    '\ufeff// head\n{ "a": [ [1, 2, ], { "b": /* c */ "x", }, ], "mappings": [ {"source": "", "target": "em"}, ],\n "audiences": [], "z": {"y": {}} }\n',
  ],
];

describe('cursor context from the tree', () => {
  for (const [name, text] of TEXTS) {
    test(`${name}: the same slot at every offset`, () => {
      const doc = new DestinationDocument(
        TextDocument.create('file:///c.destination.jsonc', 'aep-destination', 1, text),
      );
      assert.equal(doc.syntaxErrors.length, 0, 'the text parses without errors');
      const tree = doc.root;
      assert.ok(tree);
      for (let offset = 0; offset <= text.length; offset++) {
        assert.deepStrictEqual(
          analyzeCursor(text, offset, tree),
          analyzeCursor(text, offset),
          `at offset ${offset}: ${JSON.stringify(text.slice(Math.max(0, offset - 20), offset))}|`,
        );
      }
    });
  }

  test('inside a mapping of a large config, the slot names that mapping', () => {
    const text = configText(10, 20_000, 3);
    const doc = new DestinationDocument(
      TextDocument.create('file:///big.destination.json', 'aep-destination', 1, text),
    );
    let at = -1;
    for (let i = 0; i <= 12_345; i++) at = text.indexOf('"target": "', at + 1);
    const offset = at + '"target": "'.length + 1;
    const slot = analyzeCursor(text, offset, doc.root);
    assert.equal(slot?.kind, 'value');
    assert.deepStrictEqual(slot?.kind === 'value' ? slot.path : undefined, [
      'mappings',
      12_345,
      'target',
    ]);
    assert.deepStrictEqual(slot, analyzeCursor(text, offset));
  });
});
