import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntaxKind, createScanner } from 'jsonc-parser';
import { type DocumentSymbolLike, type Range, SymbolKind } from '../../server/src/engine/types';
import { VALID_CONFIG, applyEdits, edit, service, textAt, textDocument } from '../helpers';

function symbols(text: string): DocumentSymbolLike[] {
  return service().documentSymbols(textDocument(text));
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function walk(
  list: DocumentSymbolLike[],
  visit: (symbol: DocumentSymbolLike, parent?: DocumentSymbolLike) => void,
  parent?: DocumentSymbolLike,
): void {
  for (const symbol of list) {
    visit(symbol, parent);
    walk(symbol.children ?? [], visit, symbol);
  }
}

function format(
  text: string,
  options: { tabSize: number; insertSpaces: boolean; insertFinalNewline?: boolean },
  range?: Range,
): string {
  const doc = textDocument(text);
  return applyEdits(text, service().format(doc, options, range));
}

/** The token texts (comments included) of a JSONC text: formatting must not change them. */
function tokens(text: string): string[] {
  const scanner = createScanner(text, true);
  const out: string[] = [];
  while (scanner.scan() !== SyntaxKind.EOF) out.push(scanner.getTokenValue());
  return out;
}

// JSON.stringify puts every property and every array item on its own line, as the formatter does
// (the one-line mappings and audience of VALID_CONFIG included).
const TWO_SPACES = JSON.stringify(JSON.parse(VALID_CONFIG), null, 2);
const MINIFIED = JSON.stringify(JSON.parse(VALID_CONFIG));

describe('document symbols', () => {
  const outline = symbols(VALID_CONFIG);

  test('top-level properties in document order, with kinds and scalar details', () => {
    assert.deepEqual(
      outline.map((s) => [s.name, s.kind, s.detail]),
      [
        ['connector', SymbolKind.String, 'marketo-engage'],
        ['name', SymbolKind.String, 'Winback known leads'],
        ['munchkinId', SymbolKind.String, '123-ABC-456'],
        ['workspace', SymbolKind.String, 'Default'],
        ['syncType', SymbolKind.String, 'audienceAndProfile'],
        ['partition', SymbolKind.String, 'EMEA'],
        ['dedupeField', SymbolKind.String, 'email'],
        ['personAction', SymbolKind.String, 'updateExistingAndCreateNew'],
        ['mappings', SymbolKind.Array, undefined],
        ['audiences', SymbolKind.Array, undefined],
      ],
    );
  });

  test('mappings are named "source → target", with no children repeating that', () => {
    const mappings = outline.find((s) => s.name === 'mappings');
    assert.deepEqual(
      mappings?.children?.map((c) => [c.name, c.kind, c.children]),
      [
        ['identityMap.Email → DedupeField', SymbolKind.Object, undefined],
        ['person.name.firstName → firstName', SymbolKind.Object, undefined],
        ['person.name.lastName → lastName', SymbolKind.Object, undefined],
      ],
    );
  });

  test('an audience shows its name, its id as detail, and the rest once each', () => {
    const audiences = outline.find((s) => s.name === 'audiences');
    assert.deepEqual(
      audiences?.children?.map((c) => [c.name, c.detail]),
      [['Winback 90 days', 'seg-winback']],
    );
    assert.deepEqual(
      audiences?.children?.[0]?.children?.map((c) => [c.name, c.detail, c.children]),
      [
        ['origin', 'segmentationService', undefined],
        ['type', 'people', undefined],
        ['evaluation', 'streaming', undefined],
        // One symbol for the list of entities, not "person person" below it.
        ['entities', 'person', undefined],
      ],
    );
  });

  test('no word is shown twice on one outline row or between a row and its children', () => {
    const text = edit(
      edit(VALID_CONFIG, '"entities": ["person"]', '"entities": ["person", "account"]'),
      '"mappings": [',
      '"alerts": ["destinationFlowRunFailure", "destinationFlowRunDelay"],\n  "mappings": [',
    );
    const rows: string[] = [];
    walk(symbols(text), (symbol, parent) => {
      const row = `${symbol.name} ${symbol.detail ?? ''}`.trim();
      rows.push(row);
      if (symbol.detail !== undefined) {
        assert.notEqual(symbol.detail, symbol.name, `"${row}" repeats its name`);
      }
      if (parent && parent.name.includes(' → ')) {
        assert.fail(`mapping "${parent.name}" has a child "${row}"`);
      }
      if (parent?.detail !== undefined && symbol.detail !== undefined) {
        assert.ok(!parent.detail.includes(symbol.detail), `"${row}" repeats "${parent.detail}"`);
      }
    });
    assert.ok(rows.includes('entities person, account'), rows.join('\n'));
    assert.ok(
      rows.includes('alerts destinationFlowRunFailure, destinationFlowRunDelay'),
      rows.join('\n'),
    );
  });

  test('ranges: the property covers key and value, the selection is the key', () => {
    const connector = outline[0] as DocumentSymbolLike;
    assert.deepEqual(connector.range, {
      start: { line: 1, character: 2 },
      end: { line: 1, character: 31 },
    });
    assert.deepEqual(connector.selectionRange, {
      start: { line: 1, character: 2 },
      end: { line: 1, character: 13 },
    });
    assert.equal(textAt(VALID_CONFIG, connector.range), '"connector": "marketo-engage"');
    assert.equal(textAt(VALID_CONFIG, connector.selectionRange), '"connector"');
    const mapping = outline.find((s) => s.name === 'mappings')?.children?.[1] as DocumentSymbolLike;
    assert.equal(
      textAt(VALID_CONFIG, mapping.range),
      '{ "source": "person.name.firstName", "target": "firstName" }',
    );
    const audiences = outline.find((s) => s.name === 'audiences') as DocumentSymbolLike;
    assert.equal(audiences.range.start.line, 14);
    assert.equal(audiences.range.end.line, 17);
  });

  test('every range lies in the document, every selection in its range, every child in its parent', () => {
    const doc = textDocument(VALID_CONFIG);
    const whole: Range = {
      start: { line: 0, character: 0 },
      end: doc.positionAt(VALID_CONFIG.length),
    };
    let count = 0;
    walk(outline, (symbol, parent) => {
      count++;
      assert.ok(contains(whole, symbol.range), `${symbol.name} outside the document`);
      assert.ok(
        contains(symbol.range, symbol.selectionRange),
        `${symbol.name}: selectionRange outside range`,
      );
      if (parent)
        assert.ok(contains(parent.range, symbol.range), `${symbol.name} outside ${parent.name}`);
      assert.equal(
        doc.getText(symbol.range).trim(),
        doc.getText(symbol.range),
        `${symbol.name}: range has blank ends`,
      );
    });
    // 10 top-level + 3 mappings + 1 audience with origin, type, evaluation and entities
    assert.equal(count, 10 + 3 + 1 + 4);
  });

  test('an audience without a name falls back to its id, then to its index', () => {
    const text = edit(
      edit(VALID_CONFIG, '"name": "Winback 90 days", ', ''),
      '  ]\n}',
      '  , { "type": "people" }]\n}',
    );
    const audiences = symbols(text).find((s) => s.name === 'audiences');
    assert.deepEqual(
      audiences?.children?.map((c) => [c.name, c.detail, c.children?.map((g) => g.name)]),
      [
        ['seg-winback', undefined, ['origin', 'type', 'evaluation', 'entities']],
        ['audience 1', undefined, ['type']],
      ],
    );
  });

  test('a mapping with a missing or non-string side shows "?"', () => {
    const text = edit(
      VALID_CONFIG,
      '{ "source": "person.name.lastName", "target": "lastName" }',
      '{ "source": 42 }',
    );
    const mappings = symbols(text).find((s) => s.name === 'mappings');
    assert.equal(mappings?.children?.[2]?.name, '? → ?');
    // The name cannot show 42, so its property stays visible below it.
    assert.deepEqual(
      mappings?.children?.[2]?.children?.map((c) => [c.name, c.detail]),
      [['source', '42']],
    );
    const other = edit(
      VALID_CONFIG,
      '{ "source": "person.name.lastName", "target": "lastName" }',
      '{ "target": "lastName" }',
    );
    assert.equal(
      symbols(other).find((s) => s.name === 'mappings')?.children?.[2]?.name,
      '? → lastName',
    );
  });

  test('empty, non-object and broken documents do not throw', () => {
    assert.deepEqual(symbols(''), []);
    assert.deepEqual(symbols('   \n'), []);
    assert.deepEqual(symbols('{'), []);
    assert.deepEqual(symbols('[1, 2]'), []);
    assert.deepEqual(symbols('"just a string"'), []);
    assert.deepEqual(symbols('garbage'), []);
    assert.deepEqual(symbols('\u0000\u0001'), []);
    const partial = symbols('{"name": "x", "mappings": [{"source": "a"');
    assert.deepEqual(
      partial.map((s) => [s.name, s.children?.map((c) => c.name)]),
      [
        ['name', undefined],
        ['mappings', ['a → ?']],
      ],
    );
    const cut = symbols('{\n  "name": "x",\n  "syncType":');
    assert.deepEqual(
      cut.map((s) => s.name),
      ['name', 'syncType'],
    );
  });

  test('a symbol with nothing below it has no children list, not an empty one', () => {
    // The outline of a 5 MB config is 5,000 symbols: "children":[] on each leaf is 4% of it.
    const empty: string[] = [];
    const leaves: string[] = [];
    walk(outline, (s) => {
      if (!s.children) leaves.push(s.name);
      else if (s.children.length === 0) empty.push(s.name);
    });
    assert.deepEqual(empty, []);
    assert.equal(leaves.length, 15);
  });

  test('an empty key is shown as ""', () => {
    assert.deepEqual(
      symbols('{"": 1}').map((s) => [s.name, s.kind, s.detail]),
      [['""', SymbolKind.Number, '1']],
    );
  });
});

describe('formatting', () => {
  test('a minified config formats to 2-space indentation', () => {
    assert.equal(format(MINIFIED, { tabSize: 2, insertSpaces: true }), TWO_SPACES);
  });

  test('tabs when the options say so, 4 spaces with tabSize 4', () => {
    assert.equal(
      format(MINIFIED, { tabSize: 4, insertSpaces: false }),
      TWO_SPACES.replace(/^((?: {2})+)/gm, (indent) => '\t'.repeat(indent.length / 2)),
    );
    assert.equal(
      format(MINIFIED, { tabSize: 4, insertSpaces: true }),
      TWO_SPACES.replace(/^((?: {2})+)/gm, (indent) => indent + indent),
    );
  });

  test('insertFinalNewline adds one newline at the end', () => {
    assert.equal(
      format(MINIFIED, { tabSize: 2, insertSpaces: true, insertFinalNewline: true }),
      TWO_SPACES + '\n',
    );
  });

  test('formatting formatted text gives no edits', () => {
    const doc = textDocument(TWO_SPACES);
    assert.deepEqual(service().format(doc, { tabSize: 2, insertSpaces: true }), []);
    const withNewline = textDocument(TWO_SPACES + '\n');
    assert.deepEqual(
      service().format(withNewline, { tabSize: 2, insertSpaces: true, insertFinalNewline: true }),
      [],
    );
    const tabs = format(MINIFIED, { tabSize: 4, insertSpaces: false });
    assert.deepEqual(service().format(textDocument(tabs), { tabSize: 4, insertSpaces: false }), []);
  });

  test('comments survive and keep their place', () => {
    const text =
      '{// header\n"connector":"marketo-engage",/* inline */"name":"x", // after name\n"mappings":[\n// first\n{"source":"a","target":"b"}]}';
    const out = format(text, { tabSize: 2, insertSpaces: true });
    assert.equal(
      out,
      [
        '{ // header',
        '  "connector": "marketo-engage", /* inline */',
        '  "name": "x", // after name',
        '  "mappings": [',
        '    // first',
        '    {',
        '      "source": "a",',
        '      "target": "b"',
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(tokens(out), tokens(text));
  });

  test('CRLF files stay CRLF', () => {
    const crlf = VALID_CONFIG.replace(/\n/g, '\r\n');
    const out = format(crlf, { tabSize: 2, insertSpaces: true, insertFinalNewline: true });
    assert.equal(out, TWO_SPACES.replace(/\n/g, '\r\n') + '\r\n');
  });

  test('range formatting touches only the range', () => {
    const text = [
      '{',
      '  "name":"x",',
      '  "mappings": [',
      '    {"source":"a","target":"b"},',
      '    {"source":"c",   "target":"d"}',
      '  ],',
      '    "syncType" :  "profileOnly"',
      '}',
      '',
    ].join('\n');
    const lines = text.split('\n');
    // The whole of line 4, as an editor selects it (up to the start of the next line).
    const range: Range = { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } };
    const edits = service().format(textDocument(text), { tabSize: 2, insertSpaces: true }, range);
    assert.ok(edits.length > 0);
    for (const e of edits)
      assert.ok(contains(range, e.range), `edit outside the range: ${JSON.stringify(e.range)}`);
    const out = applyEdits(text, edits);
    assert.equal(
      out,
      [
        ...lines.slice(0, 4),
        '    {',
        '      "source": "c",',
        '      "target": "d"',
        '    }',
        ...lines.slice(5),
      ].join('\n'),
    );

    const oneLine: Range = { start: { line: 6, character: 0 }, end: { line: 6, character: 31 } };
    assert.equal(
      format(text, { tabSize: 2, insertSpaces: true }, oneLine),
      text.replace('    "syncType" :  "profileOnly"', '    "syncType": "profileOnly"'),
    );

    // Part of a line: only the whitespace inside the selection changes.
    const part: Range = { start: { line: 4, character: 10 }, end: { line: 4, character: 20 } };
    assert.equal(
      format(text, { tabSize: 2, insertSpaces: true }, part),
      text.replace('{"source":"c",', '{"source": "c",'),
    );
  });

  test('a file with syntax errors keeps every token', () => {
    const broken = [
      '{"connector": "marketo-engage" "name": "x",, "munchkinId": 123-ABC-456,',
      '"mappings": [{"source": "a" "target": "b"}, {"source":,}],',
      '// comment',
      '"audiences": [ {"id": tru e}, /* block */ ]]',
      '"syncType": "unterminated',
    ].join('\n');
    const out = format(broken, { tabSize: 2, insertSpaces: true });
    assert.notEqual(out, broken);
    assert.equal(out.replace(/\s/g, ''), broken.replace(/\s/g, ''));
    assert.deepEqual(tokens(out), tokens(broken));
    for (const text of [
      '{',
      '}',
      '{"a": 1 2, "b": true false}',
      '{"a": [1 2 3], "e": - 1}',
      '{"a": 1}} {"b": 2}',
      'abc def',
    ]) {
      const formatted = format(text, { tabSize: 4, insertSpaces: false });
      assert.equal(formatted.replace(/\s/g, ''), text.replace(/\s/g, ''), text);
      assert.deepEqual(tokens(formatted), tokens(text), text);
    }
  });

  test('a binary document is not formatted', () => {
    assert.deepEqual(
      service().format(textDocument('{"a":\u0000 1}'), { tabSize: 2, insertSpaces: true }),
      [],
    );
  });
});
