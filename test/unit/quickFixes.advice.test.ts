// Quick fixes that never hide a duplicate-lead factory: a fix that changes the dedupe field or
// the DedupeField source leaves the two consistent, or offers nothing; and the fixes that were
// missing (secret-in-config, unsupported-audience-type, the new rules).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VALID_CONFIG, edit, findingsOf, withAudience, withMapping } from '../helpers';
import { assertFixed, assertSoleFix, fixTitles, runFix } from '../fixRunner';

const DEDUPE_SOURCE = '"source": "identityMap.Email", "target": "DedupeField"';

function withDedupe(field: string, source: string, text = VALID_CONFIG): string {
  return edit(
    edit(text, '"dedupeField": "email"', `"dedupeField": ${JSON.stringify(field)}`),
    DEDUPE_SOURCE,
    `"source": ${JSON.stringify(source)}, "target": "DedupeField"`,
  );
}

describe('quick fix: the dedupe key stays consistent', () => {
  test('"Lead ID" read from person.marketoLeadId: email, matched by identityMap.Email', () => {
    const text = withDedupe('Lead ID', 'person.marketoLeadId');
    const run = runFix(text, 'unsupported-dedupe-field');
    assert.deepEqual(run.titles, ['Use "email" as dedupe field, matched by identityMap.Email']);
    assert.equal(run.result, VALID_CONFIG);
    assertFixed(run, 'unsupported-dedupe-field');
    assert.deepEqual(run.after, []);
  });

  test('the source finding of the same config offers the same whole fix', () => {
    const text = withDedupe('Lead ID', 'person.marketoLeadId');
    const run = runFix(text, 'unsupported-dedupe-field', { which: 1 });
    assert.equal(run.finding.data?.property, 'source');
    assert.equal(run.result, VALID_CONFIG);
  });

  test('customerId read from identityMap.ECID, customerId mapped from person.crmId: read that', () => {
    const text = withMapping(
      withDedupe('customerId', 'identityMap.ECID'),
      '{ "source": "person.crmId", "target": "customerId" }',
    );
    const run = runFix(
      withMapping(text, '{ "source": "workEmail.address", "target": "email" }'),
      'unsupported-dedupe-field',
    );
    assert.deepEqual(run.titles, ['Read person.crmId instead']);
    assert.ok(run.result.includes('{ "source": "person.crmId", "target": "DedupeField" }'));
    assertFixed(run, 'unsupported-dedupe-field');
    assert.deepEqual(findingsOf(run.after, 'dedupe-source-mismatch'), []);
  });

  test('customerId read from identityMap.ECID and no source of customerId: no fix at all', () => {
    assert.deepEqual(
      fixTitles(withDedupe('customerId', 'identityMap.ECID'), 'unsupported-dedupe-field'),
      [],
    );
  });

  test('email matched by a phone number: read identityMap.Email instead', () => {
    assertSoleFix(withDedupe('email', 'identityMap.Phone'), 'dedupe-source-mismatch', {
      title: 'Read identityMap.Email instead',
      result: VALID_CONFIG,
    });
  });

  test('email matched by a phone number, email mapped from workEmail.address: read that', () => {
    const text = withMapping(
      withDedupe('email', 'identityMap.Phone'),
      '{ "source": "workEmail.address", "target": "email" }',
    );
    const run = runFix(text, 'dedupe-source-mismatch');
    assert.deepEqual(run.titles, ['Read workEmail.address instead']);
    assert.deepEqual(run.after, []);
  });

  test('customerId matched by email addresses: use email as dedupe field', () => {
    const run = runFix(withDedupe('customerId', 'identityMap.Email'), 'dedupe-source-mismatch');
    assert.deepEqual(run.titles, ['Use "email" as dedupe field']);
    assert.equal(run.result, VALID_CONFIG);
  });

  test('email written twice: remove the second writer', () => {
    const text = withMapping(VALID_CONFIG, '{ "source": "workEmail.address", "target": "email" }');
    assertSoleFix(text, 'dedupe-field-overwritten', {
      title: 'Remove this mapping: the DedupeField mapping carries the value',
      result: VALID_CONFIG,
    });
  });
});

describe('quick fix: secret-in-config', () => {
  test('removes the key; the title names the key, never the value', () => {
    const secret = 's3cr3t-Value-123';
    const text = edit(
      VALID_CONFIG,
      '"workspace": "Default",',
      `"workspace": "Default",\n  "clientSecret": "${secret}",`,
    );
    const run = assertSoleFix(text, 'secret-in-config', {
      title: 'Remove "clientSecret"',
      result: VALID_CONFIG,
    });
    assert.ok(run.titles.every((t) => !t.includes(secret)));
  });

  test('a token in an optional property: the property goes', () => {
    const text = edit(
      VALID_CONFIG,
      '"workspace": "Default",',
      '"workspace": "Default",\n  "description": "Bearer abcdefgh12345678",',
    );
    assertSoleFix(text, 'secret-in-config', {
      title: 'Remove "description"',
      result: VALID_CONFIG,
    });
  });

  test('a token as the value of a required property: no fix (it cannot simply go)', () => {
    const text = edit(VALID_CONFIG, '"Winback known leads"', '"Bearer abcdefgh12345678"');
    assert.deepEqual(fixTitles(text, 'secret-in-config'), []);
  });
});

describe('quick fix: audiences', () => {
  const account =
    '{ "id": "seg-accounts", "name": "Accounts", "type": "account", "entities": ["account"], "evaluation": "batch" }';
  const withAccount = withAudience(VALID_CONFIG, account);

  test('unsupported-audience-type removes that audience', () => {
    assertSoleFix(withAccount, 'unsupported-audience-type', {
      title: 'Remove audience "seg-accounts"',
      result: VALID_CONFIG,
    });
  });

  test('duplicate-audience removes the second entry', () => {
    const copy =
      '{ "id": "seg-winback", "name": "Copy", "type": "people", "entities": ["person"] }';
    const text = withAudience(VALID_CONFIG, copy);
    assertSoleFix(text, 'duplicate-audience', {
      title: 'Remove audience "seg-winback"',
      result: VALID_CONFIG,
    });
  });
});

describe('quick fix: marketo-field-case', () => {
  const cases: [string, string, string][] = [
    ['"dedupeField": "email"', '"dedupeField": "Email"', 'email'],
    ['"target": "lastName"', '"target": "LastName"', 'lastName'],
  ];
  for (const [right, wrong, name] of cases) {
    test(`${wrong} becomes "${name}"`, () => {
      assertSoleFix(edit(VALID_CONFIG, right, wrong), 'marketo-field-case', {
        title: `Change to "${name}"`,
        result: VALID_CONFIG,
      });
    });
  }

  test('no rename onto a field another mapping already writes', () => {
    const text = edit(
      VALID_CONFIG,
      '"target": "lastName" }',
      '"target": "lastName" },\n    { "source": "person.x", "target": "LastName" }',
    );
    assert.deepEqual(fixTitles(text, 'marketo-field-case'), []);
  });
});
