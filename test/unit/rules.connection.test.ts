import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VALID_CONFIG, codes, edit, reported, validate, withProperties } from '../helpers';

/** Each text gets no finding of the rule. */
function assertNotReported(code: string, ...texts: string[]): void {
  for (const text of texts) assert.equal(reported(text, code).length, 0);
}

describe('the valid config', () => {
  test('has no finding at all', () => {
    assert.deepEqual(codes(validate(VALID_CONFIG)), []);
  });
});

describe('invalid-munchkin-id', () => {
  test('fires on the value, with a suggestion when only the case is wrong', () => {
    const text = edit(VALID_CONFIG, '"123-ABC-456"', '"123-abc-456"');
    assert.deepEqual(reported(text, 'invalid-munchkin-id'), [
      {
        text: '"123-abc-456"',
        severity: 'error',
        message:
          '"123-abc-456" is not a Munchkin ID: it has the form NNN-AAA-NNN (three digits, three capital letters, three digits), e.g. 123-ABC-456. Did you mean "123-ABC-456"?',
        data: { replacements: ['123-ABC-456'] },
      },
    ]);
  });
  for (const bad of ['12-ABC-456', '123-AB1-456', '123ABC456x', '', ' 123-ABC-456']) {
    test(`fires for ${JSON.stringify(bad)}`, () => {
      const text = edit(VALID_CONFIG, '"123-ABC-456"', JSON.stringify(bad));
      assert.equal(reported(text, 'invalid-munchkin-id').length, 1);
    });
  }
  test('does not fire for a well-formed id, nor when munchkinId is missing (schema reports that)', () => {
    const text = edit(VALID_CONFIG, '"munchkinId": "123-ABC-456",', '');
    assertNotReported('invalid-munchkin-id', VALID_CONFIG, text);
    assert.match(
      reported(text, 'schema')[0]?.message ?? '',
      /Missing required property "munchkinId"/,
    );
  });
});

describe('partition-not-allowed', () => {
  const audienceOnly = edit(
    edit(VALID_CONFIG, '"audienceAndProfile"', '"audienceOnly"'),
    '"personAction": "updateExistingAndCreateNew",',
    '',
  );
  test('fires on the partition value with audienceOnly', () => {
    assert.deepEqual(
      reported(audienceOnly, 'partition-not-allowed').map((f) => [f.text, f.severity]),
      [['"EMEA"', 'error']],
    );
  });
  test('does not fire with profileOnly or audienceAndProfile, or without a partition', () => {
    assertNotReported(
      'partition-not-allowed',
      VALID_CONFIG,
      edit(VALID_CONFIG, '"audienceAndProfile"', '"profileOnly"'),
      edit(audienceOnly, '"partition": "EMEA",', ''),
    );
  });
});

describe('person-action-not-applicable', () => {
  const audienceOnly = edit(
    edit(VALID_CONFIG, '"audienceAndProfile"', '"audienceOnly"'),
    '"partition": "EMEA",',
    '',
  );
  test('fires on the personAction value with audienceOnly', () => {
    assert.deepEqual(
      reported(audienceOnly, 'person-action-not-applicable').map((f) => f.text),
      ['"updateExistingAndCreateNew"'],
    );
  });
  test('does not fire without personAction, or with other sync types', () => {
    assertNotReported(
      'person-action-not-applicable',
      edit(audienceOnly, '"personAction": "updateExistingAndCreateNew",', ''),
      VALID_CONFIG,
    );
  });
});

describe('missing-person-action', () => {
  const without = edit(VALID_CONFIG, '"personAction": "updateExistingAndCreateNew",', '');
  test('fires on the syncType key for audienceAndProfile and profileOnly', () => {
    assert.deepEqual(
      reported(without, 'missing-person-action').map((f) => f.text),
      ['"syncType"'],
    );
    const profileOnly = edit(without, '"audienceAndProfile"', '"profileOnly"');
    assert.match(
      reported(profileOnly, 'missing-person-action')[0]?.message ?? '',
      /syncType "profileOnly" needs a personAction/,
    );
  });
  test('does not fire for audienceOnly or when personAction is set', () => {
    const audienceOnly = edit(
      edit(without, '"audienceAndProfile"', '"audienceOnly"'),
      '"partition": "EMEA",',
      '',
    );
    assert.deepEqual(codes(validate(audienceOnly)), []);
    assert.equal(reported(VALID_CONFIG, 'missing-person-action').length, 0);
  });
});

describe('partition-without-effect', () => {
  const updateOnly = edit(VALID_CONFIG, '"updateExistingAndCreateNew"', '"updateExistingOnly"');
  test('warns on the partition when no lead can be created', () => {
    assert.deepEqual(
      reported(updateOnly, 'partition-without-effect').map((f) => [f.text, f.severity]),
      [['"EMEA"', 'warning']],
    );
  });
  test('does not fire when leads are created, or without a partition', () => {
    assertNotReported(
      'partition-without-effect',
      VALID_CONFIG,
      edit(updateOnly, '"partition": "EMEA",', ''),
    );
  });
});

describe('secret-in-config', () => {
  test('fires on a credential-named key anywhere, and on token-shaped values', () => {
    const text = withProperties(
      VALID_CONFIG,
      '"clientSecret": "abc", "description": "Bearer abcdefghijklmnop",',
    );
    const found = reported(text, 'secret-in-config');
    assert.deepEqual(
      found.map((f) => f.text),
      ['"clientSecret"', '"Bearer abcdefghijklmnop"'],
    );
    // The schema rule leaves the credential key to this rule.
    assert.equal(reported(text, 'schema').length, 0);
  });
  test('finds a Marketo access token in any string', () => {
    const text = edit(
      VALID_CONFIG,
      '"Winback known leads"',
      '"cdf01657-110d-4155-99a7-f986b2ff13a0:int"',
    );
    assert.equal(reported(text, 'secret-in-config').length, 1);
  });
  test('fires on a credential key written with escapes, and in a text with a syntax error', () => {
    // The key reads "clientSecret" only once unescaped: no piece of the text says it.
    const escaped = withProperties(VALID_CONFIG, '"client\\u0053ecret": "abc",');
    assert.deepEqual(
      reported(escaped, 'secret-in-config').map((f) => f.text),
      ['"client\\u0053ecret"'],
    );
    const broken = withProperties(VALID_CONFIG, '"password": "abc" "x": 1,');
    assert.deepEqual(
      reported(broken, 'secret-in-config').map((f) => f.text),
      ['"password"'],
    );
  });
  test('does not fire on ordinary values or an empty credential key', () => {
    const empty = withProperties(VALID_CONFIG, '"apiKey": "",');
    assertNotReported('secret-in-config', VALID_CONFIG, empty);
    assert.match(reported(empty, 'schema')[0]?.message ?? '', /Property "apiKey" is not allowed/);
  });
});
