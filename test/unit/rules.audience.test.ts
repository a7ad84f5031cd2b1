import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VALID_CONFIG, edit, findingsOf, textAt, validate } from '../helpers';

function only(text: string, code: string) {
  return findingsOf(validate(text), code).map((f) => ({
    text: textAt(text, f.range),
    message: f.message,
    severity: f.severity,
  }));
}

const AUDIENCE = `{ "id": "seg-winback", "name": "Winback 90 days", "origin": "segmentationService",
      "type": "people", "evaluation": "streaming", "entities": ["person"] }`;

describe('unsupported-audience-type', () => {
  for (const type of ['account', 'prospect', 'datasetExport']) {
    test(`fires on type "${type}"`, () => {
      const text = edit(VALID_CONFIG, '"type": "people"', `"type": "${type}"`);
      assert.deepEqual(
        only(text, 'unsupported-audience-type').map((f) => [f.text, f.severity]),
        [[`"${type}"`, 'error']],
      );
    });
  }
  test('does not fire for people audiences or an audience without a type', () => {
    assert.equal(only(VALID_CONFIG, 'unsupported-audience-type').length, 0);
    assert.equal(
      only(edit(VALID_CONFIG, '"type": "people",', ''), 'unsupported-audience-type').length,
      0,
    );
  });
});

describe('batch-only-audience', () => {
  for (const entity of ['account', 'opportunity', 'lead']) {
    test(`warns on "evaluation": "streaming" with ${entity}`, () => {
      const text = edit(VALID_CONFIG, '["person"]', `["person", "${entity}"]`);
      const found = only(text, 'batch-only-audience');
      assert.deepEqual(
        found.map((f) => [f.text, f.severity]),
        [['"streaming"', 'warning']],
      );
      assert.match(found[0]?.message ?? '', new RegExp(`uses ${entity} .*once a day`));
    });
  }
  test('warns on the entities key when evaluation is not given', () => {
    const text = edit(
      edit(VALID_CONFIG, '["person"]', '["person", "account"]'),
      '"evaluation": "streaming", ',
      '',
    );
    assert.deepEqual(
      only(text, 'batch-only-audience').map((f) => f.text),
      ['"entities"'],
    );
  });
  test('also warns for edge evaluation', () => {
    const text = edit(edit(VALID_CONFIG, '["person"]', '["account"]'), '"streaming"', '"edge"');
    assert.equal(only(text, 'batch-only-audience').length, 1);
  });
  test('does not fire for batch, or for person/event audiences', () => {
    const batch = edit(
      edit(VALID_CONFIG, '["person"]', '["person", "account"]'),
      '"streaming"',
      '"batch"',
    );
    assert.equal(only(batch, 'batch-only-audience').length, 0);
    assert.equal(
      only(edit(VALID_CONFIG, '["person"]', '["person", "event"]'), 'batch-only-audience').length,
      0,
    );
  });
});

describe('too-many-audiences', () => {
  const withAudiences = (n: number) => {
    const list = Array.from({ length: n }, (_, i) =>
      AUDIENCE.replace('seg-winback', `seg-${i}`),
    ).join(',\n');
    return edit(VALID_CONFIG, AUDIENCE, list);
  };
  test('warns on the audiences key above 250', () => {
    const text = withAudiences(251);
    assert.deepEqual(
      only(text, 'too-many-audiences').map((f) => f.text),
      ['"audiences"'],
    );
  });
  test('does not fire at 250', () => {
    assert.equal(only(withAudiences(250), 'too-many-audiences').length, 0);
  });
});

describe('no-audiences', () => {
  test('warns on an empty audiences array', () => {
    const text = edit(VALID_CONFIG, `[\n    ${AUDIENCE}\n  ]`, '[]');
    assert.deepEqual(
      only(text, 'no-audiences').map((f) => [f.text, f.severity]),
      [['[]', 'warning']],
    );
  });
  test('warns on the opening brace when audiences is absent', () => {
    const text = edit(VALID_CONFIG, `,\n  "audiences": [\n    ${AUDIENCE}\n  ]`, '');
    const found = findingsOf(validate(text), 'no-audiences');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]?.range, {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 1 },
    });
  });
  test('does not fire with an audience', () => {
    assert.equal(only(VALID_CONFIG, 'no-audiences').length, 0);
  });
});
