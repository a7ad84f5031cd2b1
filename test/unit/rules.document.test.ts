import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFIG_RULES } from '../../server/src/rules/ruleTable';
import {
  VALID_CONFIG,
  codes,
  edit,
  findingsOf,
  insertAfter,
  service,
  textAt,
  textDocument,
  validate,
  withProperties,
} from '../helpers';

describe('syntax', () => {
  test('a missing comma is reported where the comma belongs', () => {
    const text = edit(VALID_CONFIG, '"Winback known leads",', '"Winback known leads"');
    const found = findingsOf(validate(text), 'syntax');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.message, 'Comma expected.');
    assert.equal(found[0]?.range.start.line, 3);
  });
  test('comments and trailing commas are allowed', () => {
    const text = insertAfter(
      VALID_CONFIG,
      '"partition": "EMEA",',
      ' // new leads go here\n  /* block */',
    );
    assert.deepEqual(codes(validate(text.replace('["person"] }', '["person",] },'))), []);
  });
  test('empty, whitespace-only and truncated files get syntax diagnostics, not crashes', () => {
    assert.deepEqual(codes(validate('')), ['syntax']);
    assert.match(validate('')[0]?.message ?? '', /empty/);
    assert.deepEqual(codes(validate('   \n\t ')), ['syntax']);
    const truncated = VALID_CONFIG.slice(0, VALID_CONFIG.length / 2);
    assert.ok(codes(validate(truncated)).includes('syntax'));
  });
  test('a JSON value that is not an object is one syntax error', () => {
    const found = validate('[1, 2]');
    assert.deepEqual(codes(found), ['syntax']);
    assert.match(found[0]?.message ?? '', /not an array/);
  });
  test('binary content (NUL bytes) gives one diagnostic at the first NUL', () => {
    const found = validate('{"a\u0000": 1}\u0000\u0000');
    assert.deepEqual(codes(found), ['syntax']);
    assert.deepEqual(found[0]?.range.start, { line: 0, character: 3 });
  });
  test('absurd nesting is refused without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const found = validate(deep);
    assert.deepEqual(codes(found), ['syntax']);
    assert.match(found[0]?.message ?? '', /deeper than 256/);
  });
  test('a byte-order mark and CRLF line endings are fine', () => {
    assert.deepEqual(codes(validate('\uFEFF' + VALID_CONFIG.replace(/\n/g, '\r\n'))), []);
  });
  test('at most 50 syntax errors are reported', () => {
    assert.equal(findingsOf(validate('{' + ' @'.repeat(500)), 'syntax').length, 50);
  });
});

describe('schema', () => {
  test('a missing required property is reported on the root brace', () => {
    const text = edit(VALID_CONFIG, '"workspace": "Default",', '');
    const found = findingsOf(validate(text), 'schema');
    assert.deepEqual(
      found.map((f) => [f.message, textAt(text, f.range)]),
      [['Missing required property "workspace".', '{']],
    );
  });
  test('a wrong type is reported on the value', () => {
    const text = edit(VALID_CONFIG, '"workspace": "Default"', '"workspace": 42');
    const found = findingsOf(validate(text), 'schema');
    assert.deepEqual(
      found.map((f) => [f.message, textAt(text, f.range)]),
      [['workspace must be a string, not a number.', '42']],
    );
  });
  test('a value outside the enum suggests the closest allowed values', () => {
    const text = edit(VALID_CONFIG, '"audienceAndProfile"', '"profileonly"');
    const found = findingsOf(validate(text), 'schema');
    assert.equal(found.length, 1);
    assert.equal(textAt(text, found[0]!.range), '"profileonly"');
    assert.equal(found[0]?.data?.replacements?.[0], 'profileOnly');
  });
  test('an unknown property is reported on its key with a did-you-mean', () => {
    const text = edit(VALID_CONFIG, '"dedupeField"', '"dedupField"');
    const found = findingsOf(validate(text), 'schema').find((f) => /not allowed/.test(f.message));
    assert.equal(textAt(text, found!.range), '"dedupField"');
    assert.match(found!.message, /Did you mean "dedupeField"\?/);
  });
  test('nested problems name their path', () => {
    const text = edit(
      VALID_CONFIG,
      '{ "source": "person.name.firstName", "target": "firstName" }',
      '{ "source": "person.name.firstName" }',
    );
    const messages = findingsOf(validate(text), 'schema').map((f) => f.message);
    assert.ok(
      messages.includes('Missing required property "target" in mappings[1].'),
      messages.join('\n'),
    );
  });
  test('an empty name is reported', () => {
    const text = edit(VALID_CONFIG, '"Winback known leads"', '""');
    assert.deepEqual(
      findingsOf(validate(text), 'schema').map((f) => f.message),
      ['name must not be empty.'],
    );
  });
  test('does not fire on the valid config, and leaves the munchkin pattern to its own rule', () => {
    assert.deepEqual(codes(validate(VALID_CONFIG)), []);
    assert.deepEqual(codes(validate(edit(VALID_CONFIG, '"123-ABC-456"', '"1"'))), [
      'invalid-munchkin-id',
    ]);
  });
  test('__proto__ and constructor keys are plain data', () => {
    const text = withProperties(VALID_CONFIG, '"__proto__": {"x": 1}, "constructor": 1,');
    const found = findingsOf(validate(text), 'schema').map((f) => f.message);
    assert.deepEqual(found, [
      'Property "__proto__" is not allowed.',
      'Property "constructor" is not allowed.',
    ]);
  });
});

describe('duplicate-key', () => {
  test('warns on every earlier occurrence, naming the line of the one that counts', () => {
    const text = insertAfter(VALID_CONFIG, '"partition": "EMEA",', '\n  "partition": "APAC",');
    const found = findingsOf(validate(text), 'duplicate-key');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.severity, 'warning');
    assert.equal(found[0]?.range.start.line, 6);
    assert.match(found[0]?.message ?? '', /set again on line 8/);
  });
  test('also inside nested objects; not for the same key in different objects', () => {
    const text = insertAfter(
      VALID_CONFIG,
      '"origin": "segmentationService",',
      ' "origin": "other",',
    );
    assert.equal(findingsOf(validate(text), 'duplicate-key').length, 1);
    assert.equal(findingsOf(validate(VALID_CONFIG), 'duplicate-key').length, 0);
  });
});

describe('file-too-large', () => {
  test('a file above the limit gets one information diagnostic and no other rule', () => {
    const big = VALID_CONFIG + ' '.repeat(2 * 1024 * 1024);
    const found = service().validate(textDocument(big), { maxFileSizeMB: 1 });
    assert.deepEqual(
      found.map((f) => [f.code, f.severity]),
      [['file-too-large', 'information']],
    );
    assert.match(found[0]?.message ?? '', /2\.0 MB/);
  });
  test('does not fire under the limit', () => {
    assert.deepEqual(
      codes(service().validate(textDocument(VALID_CONFIG), { maxFileSizeMB: 1 })),
      [],
    );
  });
});

describe('the size limit setting', () => {
  test('completion and hover reuse the parse validation made under a raised limit', () => {
    const big = VALID_CONFIG.replace('"Default",', '"Default",' + ' '.repeat(11 * 1024 * 1024));
    const svc = service();
    const doc = textDocument(big);
    assert.deepEqual(codes(svc.validate(doc, { maxFileSizeMB: 20 })), []);
    const position = doc.positionAt(big.indexOf('"syncType"') + 2);
    assert.ok(svc.hover(doc, position), 'hover answers on a file validated under a 20 MB limit');
    assert.equal(svc.parse(doc).notParsed, undefined);
  });
});

describe('internal-error and settings', () => {
  test('a rule that throws is reported and the others still run', () => {
    CONFIG_RULES.push({
      code: 'boom',
      severity: 'error',
      title: 't',
      source: 's',
      check: () => {
        throw new Error('kaput');
      },
    });
    try {
      const found = validate(edit(VALID_CONFIG, '"123-ABC-456"', '"1"'));
      assert.deepEqual(codes(found).sort(), ['internal-error', 'invalid-munchkin-id']);
      assert.match(
        findingsOf(found, 'internal-error')[0]?.message ?? '',
        /Rule "boom" failed: kaput/,
      );
    } finally {
      CONFIG_RULES.pop();
    }
  });
  test('disabled rules are not reported', () => {
    const text = edit(VALID_CONFIG, '"123-ABC-456"', '"1"');
    assert.deepEqual(
      codes(service().validate(textDocument(text), { disabledRules: ['invalid-munchkin-id'] })),
      [],
    );
  });
  test('every finding links to its rule page', () => {
    const found = validate(edit(VALID_CONFIG, '"123-ABC-456"', '"1"'));
    assert.match(found[0]?.href ?? '', /^file:\/\/\/.*\/docs\/rules\/invalid-munchkin-id\.md$/);
  });
});
