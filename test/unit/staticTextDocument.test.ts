/**
 * The command line's text document (engine/staticTextDocument.ts) gives the positions and
 * offsets of vscode-languageserver-textdocument's TextDocument, line breaks of every kind.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { StaticTextDocument } from '../../server/src/engine/staticTextDocument';
import { VALID_CONFIG } from '../helpers';

function check(text: string): void {
  const expected = TextDocument.create('file:///a.json', 'json', 1, text);
  const actual = new StaticTextDocument('file:///a.json', 1, text);
  assert.equal(actual.lineCount, expected.lineCount);
  assert.equal(actual.getText(), text);
  for (let offset = -1; offset <= text.length + 1; offset++) {
    const position = actual.positionAt(offset);
    assert.deepStrictEqual(position, expected.positionAt(offset), `positionAt(${offset})`);
    assert.equal(actual.offsetAt(position), expected.offsetAt(position));
  }
  for (let line = -1; line <= expected.lineCount; line++) {
    for (let character = -1; character <= 6; character++) {
      const position = { line, character };
      assert.equal(
        actual.offsetAt(position),
        expected.offsetAt(position),
        `offsetAt(${line}:${character})`,
      );
    }
  }
  const range = { start: expected.positionAt(1), end: expected.positionAt(text.length - 1) };
  assert.equal(actual.getText(range), expected.getText(range));
}

/** Line starts are found as far as each question needs: the same answers in any order. */
function checkInOrder(
  text: string,
  questions: { offset?: number; line?: number; character?: number }[],
): void {
  const expected = TextDocument.create('file:///a.json', 'json', 1, text);
  const actual = new StaticTextDocument('file:///a.json', 1, text);
  for (const { offset, line, character } of questions) {
    if (offset !== undefined)
      assert.deepStrictEqual(actual.positionAt(offset), expected.positionAt(offset), `${offset}`);
    if (line !== undefined) {
      const position = { line, character: character ?? 3 };
      assert.equal(actual.offsetAt(position), expected.offsetAt(position), `line ${line}`);
    }
  }
  assert.equal(actual.lineCount, expected.lineCount);
}

describe('static text document', () => {
  test('a config, and the same with CRLF and with CR line breaks', () => {
    check(VALID_CONFIG);
    check(VALID_CONFIG.replace(/\n/g, '\r\n'));
    check(VALID_CONFIG.replace(/\n/g, '\r'));
  });

  test('edge texts: empty, breaks only, a break at either end', () => {
    for (const text of [
      '',
      '\n',
      '\r',
      '\r\n',
      '\n\n',
      '\r\r\n\n',
      'a',
      'a\n',
      '\nb',
      'a\r\nb\rc\nd',
    ])
      check(text);
  });

  test('random texts of line breaks and letters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('\n', '\r', '\r\n', 'a', 'é', '😀', ' '), { maxLength: 30 }),
        (parts) => check(parts.join('')),
      ),
      { seed: 20_251_202, numRuns: 400 },
    );
  });

  test('positions and offsets asked for in any order, before the line count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('\n', '\r\n', 'a', 'é', ' ', '\n\n'), { maxLength: 40 }),
        fc.array(
          fc.oneof(
            fc.record({ offset: fc.integer({ min: -1, max: 90 }) }),
            fc.record({ line: fc.nat(45), character: fc.nat(6) }),
          ),
          { maxLength: 8 },
        ),
        (parts, questions) => checkInOrder(parts.join(''), questions),
      ),
      { seed: 20_261_203, numRuns: 400 },
    );
    // Lines asked for only, then offsets only: each alone must find what it needs.
    const text = 'a\nbb\n\nccc\nd';
    checkInOrder(text, [{ line: 3 }, { offset: 12 }, { offset: 0 }, { line: 0 }]);
    checkInOrder(text, [{ offset: 5 }, { line: 4 }, { line: 0 }, { line: 2, character: 5 }]);
  });
});
