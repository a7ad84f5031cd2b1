import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VALID_CONFIG, codes, edit, findingsOf, reported, validate, withMapping } from '../helpers';

const DEDUPE_LINE = '{ "source": "identityMap.Email", "target": "DedupeField" },';
const LAST_NAME_LINE = ',\n    { "source": "person.name.lastName", "target": "lastName" }';

describe('missing-dedupe-mapping', () => {
  test('fires on the mappings key when no mapping targets DedupeField', () => {
    const text = edit(
      VALID_CONFIG,
      DEDUPE_LINE,
      '{ "source": "workEmail.address", "target": "email" },',
    );
    assert.deepEqual(
      reported(text, 'missing-dedupe-mapping').map((f) => f.text),
      ['"mappings"'],
    );
  });
  test('does not fire with a DedupeField mapping, nor when mappings is missing (schema reports that)', () => {
    assert.equal(reported(VALID_CONFIG, 'missing-dedupe-mapping').length, 0);
    const noMappings = VALID_CONFIG.replace(/"mappings": \[[\s\S]*?\],/, '');
    assert.equal(reported(noMappings, 'missing-dedupe-mapping').length, 0);
    assert.ok(findingsOf(validate(noMappings), 'schema').some((f) => /"mappings"/.test(f.message)));
  });
});

describe('unsupported-dedupe-field', () => {
  for (const field of ['id', 'leadId', 'ECID', 'ecid', 'Lead ID']) {
    test(`fires on dedupeField "${field}"`, () => {
      const text = edit(VALID_CONFIG, '"dedupeField": "email"', `"dedupeField": "${field}"`);
      assert.deepEqual(
        reported(text, 'unsupported-dedupe-field').map((f) => [f.text, f.data]),
        [[`"${field}"`, { property: 'dedupeField' }]],
      );
    });
  }
  test('fires on a DedupeField mapping that reads the ECID namespace', () => {
    const text = edit(VALID_CONFIG, '"identityMap.Email"', '"identityMap.ECID"');
    assert.deepEqual(
      reported(text, 'unsupported-dedupe-field').map((f) => f.text),
      ['"identityMap.ECID"'],
    );
  });
  test('does not fire for email, a custom field, or ECID mapped to another target', () => {
    assert.equal(reported(VALID_CONFIG, 'unsupported-dedupe-field').length, 0);
    const custom = edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"');
    assert.equal(reported(custom, 'unsupported-dedupe-field').length, 0);
    const other = withMapping(
      VALID_CONFIG,
      '{ "source": "identityMap.ECID", "target": "ecidCopy" }',
    );
    assert.equal(reported(other, 'unsupported-dedupe-field').length, 0);
  });
});

describe('missing-required-mapping', () => {
  test('one finding per missing field, on the mappings key, naming it', () => {
    const text = edit(VALID_CONFIG, LAST_NAME_LINE, '');
    assert.deepEqual(
      reported(text, 'missing-required-mapping').map((f) => [f.text, f.data]),
      [['"mappings"', { field: 'lastName' }]],
    );
  });
  test('email counts through the DedupeField mapping only when dedupeField is email', () => {
    assert.equal(reported(VALID_CONFIG, 'missing-required-mapping').length, 0);
    const custom = edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"');
    const found = reported(custom, 'missing-required-mapping');
    assert.deepEqual(
      found.map((f) => f.data),
      [{ field: 'email' }],
    );
    assert.match(
      found[0]?.message ?? '',
      /With dedupeField "customerId", email must be mapped explicitly/,
    );
    const mapped = withMapping(custom, '{ "source": "workEmail.address", "target": "email" }');
    assert.equal(reported(mapped, 'missing-required-mapping').length, 0);
  });
  test('every sync type requires all three; all three missing give three findings', () => {
    const audienceOnly = edit(
      edit(
        edit(VALID_CONFIG, '"audienceAndProfile"', '"audienceOnly"'),
        '"partition": "EMEA",',
        '',
      ),
      '"personAction": "updateExistingAndCreateNew",',
      '',
    );
    const bare = audienceOnly.replace(/"mappings": \[[\s\S]*?\]/, '"mappings": []');
    assert.deepEqual(
      reported(bare, 'missing-required-mapping').map((f) => f.data?.field),
      ['firstName', 'lastName', 'email'],
    );
  });
});

describe('duplicate-mapping-target', () => {
  test('fires on every later mapping writing the same target, naming the first', () => {
    const text = withMapping(
      VALID_CONFIG,
      '{ "source": "person.name.middleName", "target": "lastName" }',
    );
    const found = reported(text, 'duplicate-mapping-target');
    assert.deepEqual(
      found.map((f) => f.text),
      ['"lastName"'],
    );
    assert.match(found[0]?.message ?? '', /already written by mappings\[2\] on line 13/);
    const range = findingsOf(validate(text), 'duplicate-mapping-target')[0]?.range;
    assert.equal(range?.start.line, 13);
  });
  test('several DedupeField mappings are allowed (the seed maps "all source fields" to it)', () => {
    const text = edit(
      VALID_CONFIG,
      DEDUPE_LINE,
      `${DEDUPE_LINE}\n    { "source": "workEmail.address", "target": "DedupeField" },`,
    );
    assert.deepEqual(codes(validate(text)), []);
  });
});

describe('too-many-mapped-attributes', () => {
  const withExtra = (n: number) => {
    const extra = Array.from(
      { length: n },
      (_, i) => `{ "source": "custom.field${i}", "target": "custom${i}" }`,
    ).join(',\n');
    return edit(VALID_CONFIG, LAST_NAME_LINE, `${LAST_NAME_LINE},\n${extra}`);
  };
  test('warns on the mappings key above 50 mappings', () => {
    const found = findingsOf(validate(withExtra(48)), 'too-many-mapped-attributes');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.severity, 'warning');
    assert.match(found[0]?.message ?? '', /^51 mappings/);
  });
  test('does not fire at exactly 50', () => {
    assert.equal(findingsOf(validate(withExtra(47)), 'too-many-mapped-attributes').length, 0);
  });
});

describe('unsupported-array-source', () => {
  for (const source of [
    'person.emails[0].address',
    'identityMap',
    'identityMap.Email.id',
    'segmentMembership.ups',
    // Padding, a capital and a bracket late in the path: none is settled as a plain path.
    ' identityMap',
    '\tsegmentMembership',
    'Person.emails[1]',
  ]) {
    test(`fires on "${source}"`, () => {
      const text = edit(VALID_CONFIG, '"person.name.firstName"', JSON.stringify(source));
      assert.deepEqual(
        reported(text, 'unsupported-array-source').map((f) => f.text),
        [JSON.stringify(source)],
      );
    });
  }
  test('does not fire on plain paths or identityMap.<Namespace>', () => {
    assert.equal(reported(VALID_CONFIG, 'unsupported-array-source').length, 0);
    for (const source of ['identityMap.Email', ' identityMap.ECID ', 'IdentityMap', 'segments']) {
      const text = edit(VALID_CONFIG, '"person.name.firstName"', JSON.stringify(source));
      assert.deepEqual(reported(text, 'unsupported-array-source'), [], source);
    }
  });
});
