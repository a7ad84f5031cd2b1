// Advice a user can trust: blank is empty, field names in the wrong case, an audience listed
// twice, read-only standard fields, required mappings by what can happen, one finding per problem.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VALID_CONFIG,
  edit,
  memoryHost,
  reported,
  service,
  textDocument,
  validate,
  withAudience,
  withMapping,
} from '../helpers';

describe('blank is empty', () => {
  const cases: [string, string, string][] = [
    ['name', '"name": "Winback known leads"', '"name": "   "'],
    ['workspace', '"workspace": "Default"', '"workspace": " "'],
    ['partition', '"partition": "EMEA"', '"partition": "  "'],
    ['dedupeField', '"dedupeField": "email"', '"dedupeField": "\\t "'],
    ['audiences[0].id', '"id": "seg-winback"', '"id": "  "'],
    [
      'mappings[0].target',
      '"source": "identityMap.Email", "target": "DedupeField"',
      '"source": "identityMap.Email", "target": "  "',
    ],
  ];
  for (const [where, from, to] of cases) {
    test(`${where} of spaces: one schema error on the value`, () => {
      const found = reported(edit(VALID_CONFIG, from, to), 'schema');
      assert.deepEqual(
        found.map((f) => [f.text, f.message]),
        [
          [
            to.slice(to.lastIndexOf(': ') + 2),
            `${where} must not be blank: only spaces count as empty.`,
          ],
        ],
      );
    });
  }

  test('an empty string is "must not be empty", once', () => {
    const found = reported(edit(VALID_CONFIG, '"Winback known leads"', '""'), 'schema');
    assert.deepEqual(
      found.map((f) => f.message),
      ['name must not be empty.'],
    );
  });

  test('a mapping whose source is blank maps nothing: firstName is missing', () => {
    const text = edit(VALID_CONFIG, '"person.name.firstName"', '"   "');
    assert.deepEqual(
      reported(text, 'missing-required-mapping').map((f) => f.data),
      [{ field: 'firstName' }],
    );
  });
});

describe('one finding per problem', () => {
  test('"personAction": null is one schema error, not two', () => {
    const text = edit(VALID_CONFIG, '"updateExistingAndCreateNew"', 'null');
    assert.deepEqual(
      reported(text, 'schema').map((f) => [f.text, f.message]),
      [['null', 'personAction must be a string, not null.']],
    );
  });
});

describe('marketo-field-case', () => {
  test('"dedupeField": "Email" without a catalog: did you mean "email"?', () => {
    const found = reported(
      edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "Email"'),
      'marketo-field-case',
    );
    assert.deepEqual(found, [
      {
        text: '"Email"',
        message:
          '"Email" is not a Marketo field: REST names are case-sensitive. Did you mean "email"?',
        severity: 'error',
        data: { replacements: ['email'], property: 'dedupeField' },
      },
    ]);
  });

  for (const [written, meant] of [
    ['FirstName', 'firstName'],
    ['dedupefield', 'DedupeField'],
    ['EMAIL', 'email'],
  ] as const) {
    test(`target "${written}": did you mean "${meant}"?`, () => {
      const text = withMapping(VALID_CONFIG, `{ "source": "person.x", "target": "${written}" }`);
      const found = reported(text, 'marketo-field-case');
      assert.deepEqual(
        found.map((f) => [f.text, f.data]),
        [[`"${written}"`, { replacements: [meant], property: 'target' }]],
      );
    });
  }

  test('exact names and unknown custom fields: silent', () => {
    const text = withMapping(VALID_CONFIG, '{ "source": "person.x", "target": "customScore" }');
    assert.deepEqual(reported(text, 'marketo-field-case'), []);
    assert.deepEqual(reported(VALID_CONFIG, 'marketo-field-case'), []);
  });

  test('with a catalog, its own names count and unknown-marketo-field stays silent', () => {
    const catalog = JSON.stringify({
      result: [
        { displayName: 'Email', dataType: 'email', rest: { name: 'email' } },
        { displayName: 'First', dataType: 'string', rest: { name: 'firstName' } },
        { displayName: 'Last', dataType: 'string', rest: { name: 'lastName' } },
        { displayName: 'Acme Score', dataType: 'integer', rest: { name: 'AcmeScore' } },
      ],
    });
    const host = memoryHost({ '/work/marketo.json': catalog });
    const text = withMapping(
      edit(VALID_CONFIG, '"audiences"', '"marketoFields": "./marketo.json",\n  "audiences"'),
      '{ "source": "person.x", "target": "acmescore" }',
    );
    const findings = service(host).validate(textDocument(text, 'file:///work/a.destination.json'));
    assert.deepEqual(
      findings.filter((f) => f.severity !== 'information').map((f) => [f.code, f.data]),
      [['marketo-field-case', { replacements: ['AcmeScore'], property: 'target' }]],
    );
  });
});

describe('duplicate-audience', () => {
  const second =
    '{ "id": "seg-winback", "name": "Copy", "type": "people", "entities": ["person"] }';
  const twice = withAudience(VALID_CONFIG, second);

  test('the second entry with the same id: warning on its id', () => {
    const found = reported(twice, 'duplicate-audience');
    assert.deepEqual(
      found.map((f) => [f.text, f.severity]),
      [['"seg-winback"', 'warning']],
    );
    assert.match(found[0]?.message ?? '', /already listed as audiences\[0\]/);
  });

  test('ids that differ, also only by spaces trimmed: fires only on equal ids', () => {
    assert.deepEqual(
      reported(
        edit(twice, '"id": "seg-winback", "name": "Copy"', '"id": "seg-other", "name": "Copy"'),
        'duplicate-audience',
      ),
      [],
    );
    assert.equal(
      reported(
        edit(twice, '"id": "seg-winback", "name": "Copy"', '"id": " seg-winback ", "name": "Copy"'),
        'duplicate-audience',
      ).length,
      1,
    );
  });
});

describe('read-only-marketo-field without a catalog', () => {
  for (const field of ['id', 'createdAt', 'updatedAt']) {
    test(`writing "${field}" is reported`, () => {
      const text = withMapping(VALID_CONFIG, `{ "source": "person.x", "target": "${field}" }`);
      assert.deepEqual(
        reported(text, 'read-only-marketo-field').map((f) => f.text),
        [`"${field}"`],
      );
    });
  }
});

describe('missing-required-mapping: stakes by what can happen', () => {
  const noLastName = edit(
    VALID_CONFIG,
    ',\n    { "source": "person.name.lastName", "target": "lastName" }',
    '',
  );

  test('leads can be created (updateExistingAndCreateNew): error', () => {
    const found = reported(noLastName, 'missing-required-mapping');
    assert.deepEqual(
      found.map((f) => f.severity),
      ['error'],
    );
    assert.match(found[0]?.message ?? '', /to create the leads this destination creates/);
  });

  test('updateExistingOnly never creates a lead: warning that says so', () => {
    const text = edit(noLastName, '"updateExistingAndCreateNew"', '"updateExistingOnly"');
    const found = reported(text, 'missing-required-mapping');
    assert.deepEqual(
      found.map((f) => f.severity),
      ['warning'],
    );
    assert.match(found[0]?.message ?? '', /personAction "updateExistingOnly" never creates a lead/);
  });

  test('audienceOnly never creates a lead: warning, and no message says it would', () => {
    const text = edit(
      edit(
        edit(noLastName, '"audienceAndProfile"', '"audienceOnly"'),
        '  "partition": "EMEA",\n',
        '',
      ),
      '  "personAction": "updateExistingAndCreateNew",\n',
      '',
    );
    const findings = validate(text);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity]),
      [['missing-required-mapping', 'warning']],
    );
    assert.match(findings[0]?.message ?? '', /syncType "audienceOnly" never creates a lead/);
    assert.doesNotMatch(findings[0]?.message ?? '', /the leads this destination creates/);
  });
});
