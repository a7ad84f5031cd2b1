import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  VALID_CONFIG,
  codes,
  edit,
  findingsOf,
  memoryHost,
  textAt,
  validate,
  withMapping,
} from '../helpers';

const URI = 'file:///w/a.destination.json';
/** A field as /rest/v1/leads/describe.json lists it. */
function field(
  id: number,
  displayName: string,
  dataType: string,
  rest: { name: string; readOnly: boolean },
) {
  return { id, displayName, dataType, rest };
}
const DESCRIBE = JSON.stringify({
  result: [
    field(1, 'Email Address', 'email', { name: 'email', readOnly: false }),
    field(2, 'First Name', 'string', { name: 'firstName', readOnly: false }),
    field(3, 'Last Name', 'string', { name: 'lastName', readOnly: false }),
    field(4, 'Lead Score', 'integer', { name: 'leadScore', readOnly: true }),
  ],
});
const DESCRIBE2 = JSON.stringify({
  result: [
    {
      name: 'API Lead',
      searchableFields: [['email'], ['id']],
      fields: [
        { name: 'email', displayName: 'Email', dataType: 'email', updateable: true },
        { name: 'firstName', displayName: 'First Name', dataType: 'string', updateable: true },
        { name: 'lastName', displayName: 'Last Name', dataType: 'string', updateable: true },
        { name: 'customerId', displayName: 'Customer ID', dataType: 'string', updateable: true },
      ],
    },
  ],
});

function withCatalog(text: string, catalog: string | undefined) {
  const config = edit(
    text,
    '"mappings"',
    '"marketoFields": "./marketo/describe.json",\n  "mappings"',
  );
  const files: Record<string, string> =
    catalog === undefined ? {} : { '/w/marketo/describe.json': catalog };
  const findings = validate(config, { uri: URI, fileHost: memoryHost(files) });
  return {
    config,
    findings,
    at: (code: string) => findingsOf(findings, code).map((f) => textAt(config, f.range)),
  };
}

describe('unknown-marketo-field', () => {
  test('warns on a target the instance does not have, with a suggestion', () => {
    const { findings, at } = withCatalog(
      edit(VALID_CONFIG, '"target": "lastName"', '"target": "lastNme"'),
      DESCRIBE,
    );
    assert.deepEqual(at('unknown-marketo-field'), ['"lastNme"']);
    const finding = findingsOf(findings, 'unknown-marketo-field')[0];
    assert.equal(finding?.severity, 'warning');
    assert.match(finding?.message ?? '', /Did you mean "lastName"\?/);
  });
  test('does not fire for DedupeField, for known fields, or without a catalog', () => {
    assert.deepEqual(codes(withCatalog(VALID_CONFIG, DESCRIBE).findings), []);
    const unknown = edit(VALID_CONFIG, '"target": "lastName"', '"target": "lastNme"');
    assert.equal(findingsOf(validate(unknown), 'unknown-marketo-field').length, 0);
  });
});

describe('dedupe-field-not-searchable', () => {
  test('with describe2: fires when the field is not searchable', () => {
    const text = edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"');
    const withEmail = edit(
      text,
      '{ "source": "person.name.firstName"',
      '{ "source": "workEmail.address", "target": "email" },\n    { "source": "person.name.firstName"',
    );
    const { at, findings } = withCatalog(withEmail, DESCRIBE2);
    assert.deepEqual(at('dedupe-field-not-searchable'), ['"customerId"']);
    assert.match(
      findingsOf(findings, 'dedupe-field-not-searchable')[0]?.message ?? '',
      /not a searchable field/,
    );
  });
  test('fires when the field does not exist in the instance (any catalog format)', () => {
    const text = edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "nosuchfield"');
    assert.deepEqual(withCatalog(text, DESCRIBE).at('dedupe-field-not-searchable'), [
      '"nosuchfield"',
    ]);
  });
  test('does not fire for a searchable field, with describe (searchability unknown), or for id (another rule)', () => {
    assert.deepEqual(withCatalog(VALID_CONFIG, DESCRIBE2).at('dedupe-field-not-searchable'), []);
    assert.deepEqual(withCatalog(VALID_CONFIG, DESCRIBE).at('dedupe-field-not-searchable'), []);
    const id = edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "id"');
    assert.deepEqual(withCatalog(id, DESCRIBE2).at('dedupe-field-not-searchable'), []);
  });
});

describe('read-only-marketo-field', () => {
  test('fires on a target the catalog marks read-only', () => {
    const text = withMapping(
      VALID_CONFIG,
      '{ "source": "b2b.personScore", "target": "leadScore" }',
    );
    assert.deepEqual(withCatalog(text, DESCRIBE).at('read-only-marketo-field'), ['"leadScore"']);
  });
  test('fires on standard read-only fields without a catalog', () => {
    const text = withMapping(VALID_CONFIG, '{ "source": "x.updated", "target": "updatedAt" }');
    assert.deepEqual(
      findingsOf(validate(text), 'read-only-marketo-field').map((f) => textAt(text, f.range)),
      ['"updatedAt"'],
    );
  });
  test('does not fire on writable fields', () => {
    assert.deepEqual(withCatalog(VALID_CONFIG, DESCRIBE).at('read-only-marketo-field'), []);
  });
});

describe('marketo-fields-unreadable', () => {
  test('a missing file is reported on the marketoFields value', () => {
    const { at, findings } = withCatalog(VALID_CONFIG, undefined);
    assert.deepEqual(at('marketo-fields-unreadable'), ['"./marketo/describe.json"']);
    assert.match(
      findingsOf(findings, 'marketo-fields-unreadable')[0]?.message ?? '',
      /does not exist/,
    );
  });
  test('malformed JSON names the file, line and column', () => {
    const { findings } = withCatalog(VALID_CONFIG, '{\n  "result": [\n    {,}\n  ]\n}');
    assert.match(
      findingsOf(findings, 'marketo-fields-unreadable')[0]?.message ?? '',
      /\.\/marketo\/describe\.json:3:6: invalid JSON/,
    );
  });
  test('a JSON file of the wrong shape says what was expected', () => {
    const { findings } = withCatalog(VALID_CONFIG, '{"hello": 1}');
    assert.match(
      findingsOf(findings, 'marketo-fields-unreadable')[0]?.message ?? '',
      /expected the output of \/rest\/v1\/leads\/describe\.json/,
    );
  });
  test('an unsaved document cannot resolve a relative catalog', () => {
    const config = edit(VALID_CONFIG, '"mappings"', '"marketoFields": "./m.json",\n  "mappings"');
    const findings = validate(config, { uri: 'untitled:Untitled-1' });
    assert.match(
      findingsOf(findings, 'marketo-fields-unreadable')[0]?.message ?? '',
      /not saved to disk/,
    );
  });
  test('does not fire when the catalog loads', () => {
    assert.deepEqual(withCatalog(VALID_CONFIG, DESCRIBE2).at('marketo-fields-unreadable'), []);
  });
});
