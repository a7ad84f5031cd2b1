// The dedupe key: every spelling of Lead ID and ECID, a DedupeField source that does not carry
// the dedupe field's values, and a second mapping that overwrites the dedupe field. Each rule
// fires on the text a user sees marked, and stays silent where it must.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VALID_CONFIG, edit, reported, withMapping } from '../helpers';

const DEDUPE_SOURCE = '"source": "identityMap.Email", "target": "DedupeField"';

function withDedupeField(value: string): string {
  return edit(VALID_CONFIG, '"dedupeField": "email"', `"dedupeField": ${JSON.stringify(value)}`);
}

function withDedupeSource(source: string, text = VALID_CONFIG): string {
  return edit(text, DEDUPE_SOURCE, `"source": ${JSON.stringify(source)}, "target": "DedupeField"`);
}

describe('unsupported-dedupe-field: every spelling of Lead ID and ECID', () => {
  const fieldSpellings = [
    'ECID',
    'ecid',
    'identityMap.ECID',
    'IdentityMap.ecid',
    'xdm:ECID',
    'Experience Cloud ID',
    'experienceCloudId',
    'Experience Cloud ID:n (ECID)',
    'Lead ID',
    'leadId',
    'id',
    'Marketo Lead ID',
    'marketoLeadId',
  ];
  for (const spelling of fieldSpellings) {
    test(`"dedupeField": ${JSON.stringify(spelling)} is reported on the value`, () => {
      const found = reported(withDedupeField(spelling), 'unsupported-dedupe-field');
      assert.deepEqual(
        found.map((f) => [f.text, f.severity]),
        [[JSON.stringify(spelling), 'error']],
      );
      assert.match(found[0]?.message ?? '', /not supported as deduplication fields/);
    });
  }

  const sourceSpellings = [
    'identityMap.ECID',
    'IdentityMap.ecid',
    'identityMap.experienceCloudId',
    'ECID',
    'xdm:ECID',
    'Experience Cloud ID',
    'person.marketoLeadId',
    'marketoLeadId',
    'person.leadId',
  ];
  for (const spelling of sourceSpellings) {
    test(`a DedupeField source ${JSON.stringify(spelling)} is reported on the source`, () => {
      const found = reported(withDedupeSource(spelling), 'unsupported-dedupe-field');
      assert.deepEqual(
        found.map((f) => f.text),
        [JSON.stringify(spelling)],
      );
    });
  }

  for (const value of ['email', 'customerId', 'identity', 'leadSource', 'idNumber']) {
    test(`"dedupeField": "${value}" is not Lead ID or ECID`, () => {
      assert.deepEqual(reported(withDedupeField(value), 'unsupported-dedupe-field'), []);
    });
  }

  for (const source of ['identityMap.Email', 'person.id', '_acme.crmId', 'identityMap.ECIDX']) {
    test(`a DedupeField source ${source} is not Lead ID or ECID`, () => {
      assert.deepEqual(reported(withDedupeSource(source), 'unsupported-dedupe-field'), []);
    });
  }

  test('ECID mapped to another target is not a dedupe problem', () => {
    const text = withMapping(VALID_CONFIG, '{ "source": "identityMap.ECID", "target": "ecid" }');
    assert.deepEqual(reported(text, 'unsupported-dedupe-field'), []);
  });
});

describe('dedupe-source-mismatch', () => {
  test('email is the dedupe field, the DedupeField source is a phone number', () => {
    const found = reported(withDedupeSource('identityMap.Phone'), 'dedupe-source-mismatch');
    assert.deepEqual(
      found.map((f) => [f.text, f.severity]),
      [['"identityMap.Phone"', 'error']],
    );
    assert.match(found[0]?.message ?? '', /not an email address/);
  });

  test('email is the dedupe field, the DedupeField source is a first name', () => {
    const found = reported(withDedupeSource('person.name.firstName'), 'dedupe-source-mismatch');
    assert.deepEqual(
      found.map((f) => f.text),
      ['"person.name.firstName"'],
    );
  });

  test('a custom dedupe field fed with email addresses', () => {
    const found = reported(withDedupeField('customerId'), 'dedupe-source-mismatch');
    assert.deepEqual(
      found.map((f) => f.text),
      ['"identityMap.Email"'],
    );
    assert.match(found[0]?.message ?? '', /"customerId".*email addresses/);
  });

  for (const source of ['identityMap.Email', 'workEmail.address', 'personalEmail.address']) {
    test(`email matched by ${source}: silent`, () => {
      assert.deepEqual(reported(withDedupeSource(source), 'dedupe-source-mismatch'), []);
    });
  }

  test('a custom source it cannot judge: silent', () => {
    const text = withDedupeSource('_acme.loyaltyKey', withDedupeField('customerId'));
    assert.deepEqual(reported(text, 'dedupe-source-mismatch'), []);
    assert.deepEqual(reported(withDedupeSource('_acme.loyaltyKey'), 'dedupe-source-mismatch'), []);
    assert.deepEqual(
      reported(withDedupeSource('_acme.crmId', withDedupeField('crmId')), 'dedupe-source-mismatch'),
      [],
    );
  });

  test('email matched by a custom attribute named as an id: reported', () => {
    for (const source of ['_acme.crmId', 'person.customerNumber']) {
      assert.deepEqual(
        reported(withDedupeSource(source), 'dedupe-source-mismatch').map((f) => f.text),
        [JSON.stringify(source)],
      );
    }
  });

  test('a custom attribute named for an email: matches email, not a custom id', () => {
    assert.deepEqual(
      reported(withDedupeSource('_acme.contactEmail'), 'dedupe-source-mismatch'),
      [],
    );
    assert.equal(
      reported(
        withDedupeSource('_acme.contactEmail', withDedupeField('crmId')),
        'dedupe-source-mismatch',
      ).length,
      1,
    );
  });

  test('a Lead ID source is left to unsupported-dedupe-field', () => {
    assert.deepEqual(reported(withDedupeSource('identityMap.ECID'), 'dedupe-source-mismatch'), []);
  });
});

describe('dedupe-field-overwritten', () => {
  test('a second mapping writes email from another source: warning on its target', () => {
    const text = withMapping(VALID_CONFIG, '{ "source": "workEmail.address", "target": "email" }');
    const found = reported(text, 'dedupe-field-overwritten');
    assert.deepEqual(
      found.map((f) => [f.text, f.severity]),
      [['"email"', 'warning']],
    );
    assert.match(found[0]?.message ?? '', /next export no longer finds that lead/);
  });

  test('the same source as the DedupeField mapping: silent', () => {
    const text = withMapping(VALID_CONFIG, '{ "source": "identityMap.Email", "target": "email" }');
    assert.deepEqual(reported(text, 'dedupe-field-overwritten'), []);
  });

  test('a custom dedupe field written from another source', () => {
    const custom = withDedupeSource('_acme.crmId', withDedupeField('crmId'));
    const text = withMapping(custom, '{ "source": "_acme.otherId", "target": "crmId" }');
    assert.deepEqual(
      reported(text, 'dedupe-field-overwritten').map((f) => f.text),
      ['"crmId"'],
    );
  });

  test('email mapped while another field is the dedupe field: silent', () => {
    const custom = withDedupeSource('_acme.crmId', withDedupeField('crmId'));
    const text = withMapping(custom, '{ "source": "workEmail.address", "target": "email" }');
    assert.deepEqual(reported(text, 'dedupe-field-overwritten'), []);
  });
});
