// Suppression comments as the editor and the CLI see them: what is hidden, what is reported as an
// unused suppression (on which text, with which message), and what no comment can hide.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSettings } from '../../server/src/languageService';
import { prepareFlowConfig } from '../../server/src/prepareFlowService';
import {
  VALID_CONFIG,
  edit,
  service,
  textAt,
  textDocument,
  withAudience,
  withProperties,
} from '../helpers';

const BAD_ID = edit(VALID_CONFIG, '"123-ABC-456"', '"123-abc-456"');
const ID_LINE = '  "munchkinId": "123-abc-456",';

/** `text` with `comment` (a line, indented as written) inserted above the first line holding `anchor`. */
function above(text: string, anchor: string, comment: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.includes(anchor));
  assert.ok(at >= 0, `test setup: ${anchor} not in the text`);
  lines.splice(at, 0, comment);
  return lines.join('\n');
}

function run(text: string, settings: DocumentSettings = {}, noInlineConfig = false) {
  const report = service().validateFiles(textDocument(text), settings, { noInlineConfig });
  return {
    shown: report.findings.map((f) => ({
      code: f.code,
      text: textAt(text, f.range),
      message: f.message,
    })),
    suppressed: report.suppressed.map((f) => ({
      code: f.code,
      line: f.range.start.line,
      by: f.suppressions.map((s) => ({ comment: textAt(text, s.range), reason: s.justification })),
    })),
  };
}

describe('aep-dest-disable-next-line', () => {
  test('hides the finding on the next line, with its reason; nothing is reported', () => {
    const comment =
      '  // aep-dest-disable-next-line invalid-munchkin-id -- the sandbox keeps its old id';
    const text = above(BAD_ID, ID_LINE, comment);
    assert.deepEqual(run(text), {
      shown: [],
      suppressed: [
        {
          code: 'invalid-munchkin-id',
          line: 4,
          by: [{ comment: comment.trim(), reason: 'the sandbox keeps its old id' }],
        },
      ],
    });
    // The editor's and the CLI's findings (validate) leave it out.
    assert.deepEqual(service().validate(textDocument(text)), []);
  });

  test('several codes, commas or blanks, a block comment, no reason', () => {
    const text = edit(
      withAudience(
        BAD_ID,
        '{ "id": "seg-winback", "name": "Copy", "type": "people", "entities": ["person"] }',
      ),
      ID_LINE,
      `  /* aep-dest-disable-next-line invalid-munchkin-id duplicate-key */\n${ID_LINE}`,
    );
    const listed = above(
      text,
      '"Copy"',
      '    // aep-dest-disable-next-line schema,duplicate-audience',
    );
    const result = run(listed);
    assert.deepEqual(result.shown, [
      {
        code: 'unused-suppression',
        text: 'duplicate-key',
        message: 'No "duplicate-key" finding on line 5: this suppression suppresses nothing.',
      },
      {
        code: 'unused-suppression',
        text: 'schema',
        message: 'No "schema" finding on line 20: this suppression suppresses nothing.',
      },
    ]);
    assert.deepEqual(
      result.suppressed.map((s) => [s.code, s.by[0]?.reason]),
      [
        ['invalid-munchkin-id', undefined],
        ['duplicate-audience', undefined],
      ],
    );
  });

  test('stacks: comment-only lines between the directive and its line are skipped, a blank line is not', () => {
    const stacked = above(
      above(BAD_ID, ID_LINE, '  // aep-dest-disable-next-line invalid-munchkin-id'),
      ID_LINE,
      '  // checked with the Marketo admin, ticket MKT-12\n  /* one more note */',
    );
    assert.deepEqual(run(stacked).shown, []);
    assert.equal(run(stacked).suppressed.length, 1);
    const blank = above(BAD_ID, ID_LINE, '  // aep-dest-disable-next-line invalid-munchkin-id\n');
    assert.deepEqual(
      run(blank).shown.map((f) => [f.code, f.message]),
      [
        [
          'unused-suppression',
          'No "invalid-munchkin-id" finding on line 5: this suppression suppresses nothing.',
        ],
        ['invalid-munchkin-id', run(BAD_ID).shown[0]?.message],
      ],
    );
  });

  test('a finding that spans lines is hidden by the comment before its first line', () => {
    const text = withAudience(
      VALID_CONFIG,
      '{ "name": "Copy",\n      "type": "people", "entities": ["person"] }',
    );
    const before = run(text).shown;
    assert.equal(before.length, 1);
    assert.ok(before[0]?.text.includes('\n'), 'the schema finding spans two lines');
    const first = above(
      text,
      '{ "name": "Copy",',
      '    // aep-dest-disable-next-line schema -- draft audience',
    );
    assert.deepEqual(run(first).shown, []);
    // Above its second line it hides nothing.
    const second = above(
      text,
      '"type": "people", "entities": ["person"] }',
      '      // aep-dest-disable-next-line schema',
    );
    assert.deepEqual(
      run(second).shown.map((f) => f.code),
      ['schema', 'unused-suppression'],
    );
  });

  test('a trailing directive applies to the next line, not its own', () => {
    const text = edit(
      BAD_ID,
      '"workspace": "Default",',
      '"workspace": "Default", // aep-dest-disable-next-line invalid-munchkin-id',
    );
    assert.deepEqual(
      run(text).shown.map((f) => f.code),
      ['invalid-munchkin-id', 'unused-suppression'],
    );
    const next = edit(
      BAD_ID,
      '"name": "Winback known leads",',
      '"name": "Winback known leads", // aep-dest-disable-next-line invalid-munchkin-id',
    );
    assert.deepEqual(run(next).shown, []);
  });
});

describe('aep-dest-disable at the top of the file', () => {
  const twice = withAudience(
    withAudience(
      VALID_CONFIG,
      '{ "id": "seg-winback", "name": "A", "type": "people", "entities": ["person"] }',
    ),
    '{ "id": "seg-winback", "name": "B", "type": "people", "entities": ["person"] }',
  );

  test('hides every finding of its codes in the file', () => {
    assert.equal(run(twice).shown.length, 2);
    const text = `/* aep-dest-disable duplicate-audience -- the copies are merged by the sync job */\n${twice}`;
    const result = run(text);
    assert.deepEqual(result.shown, []);
    assert.deepEqual(
      result.suppressed.map((s) => [s.code, s.by[0]?.reason]),
      [
        ['duplicate-audience', 'the copies are merged by the sync job'],
        ['duplicate-audience', 'the copies are merged by the sync job'],
      ],
    );
  });

  test('unused when the file has no such finding; misplaced after the opening brace', () => {
    const unused = `// aep-dest-disable no-audiences\n${VALID_CONFIG}`;
    assert.deepEqual(run(unused).shown, [
      {
        code: 'unused-suppression',
        text: '// aep-dest-disable no-audiences',
        message: 'No "no-audiences" finding in this file: this suppression suppresses nothing.',
      },
    ]);
    const misplaced = edit(twice, '{\n', '{\n  /* aep-dest-disable duplicate-audience */\n');
    const result = run(misplaced);
    assert.deepEqual(
      result.shown.map((f) => [f.code, f.text]),
      [
        ['unused-suppression', '/* aep-dest-disable duplicate-audience */'],
        ['duplicate-audience', '"seg-winback"'],
        ['duplicate-audience', '"seg-winback"'],
      ],
    );
    assert.match(result.shown[0]?.message ?? '', /only before the opening brace/);
  });
});

describe('what a suppression reports about itself', () => {
  test('an unknown code, with the nearest one; on the code when others of the comment are used', () => {
    const text = `/* aep-dest-disable no-audience, invalid-munchkin-id, not-a-rule-at-all */\n${BAD_ID}`;
    assert.deepEqual(
      run(text).shown.map((f) => [f.text, f.message]),
      [
        [
          'no-audience',
          '"no-audience" is not a rule code, so it suppresses nothing. Did you mean "no-audiences"?',
        ],
        ['not-a-rule-at-all', '"not-a-rule-at-all" is not a rule code, so it suppresses nothing.'],
      ],
    );
  });

  test('no code, or a word that is not a directive', () => {
    const none = above(BAD_ID, ID_LINE, '  // aep-dest-disable-next-line -- legacy');
    assert.deepEqual(
      run(none).shown.map((f) => [f.code, f.text]),
      [
        ['unused-suppression', '// aep-dest-disable-next-line -- legacy'],
        ['invalid-munchkin-id', '"123-abc-456"'],
      ],
    );
    assert.match(run(none).shown[0]?.message ?? '', /names no rule code/);
    const word = edit(BAD_ID, ID_LINE, `${ID_LINE} // aep-dest-disable-line invalid-munchkin-id`);
    assert.deepEqual(
      run(word).shown.map((f) => [f.code, f.message]),
      [
        ['invalid-munchkin-id', run(BAD_ID).shown[0]?.message],
        [
          'unused-suppression',
          '"aep-dest-disable-line" is not a directive, so this comment suppresses nothing. Write "aep-dest-disable-next-line CODE" above a line, or "aep-dest-disable CODE" at the top of the file.',
        ],
      ],
    );
  });

  test('text in a string is not a directive', () => {
    const text = withProperties(
      BAD_ID,
      '"description": "// aep-dest-disable-next-line invalid-munchkin-id",\n',
    );
    assert.deepEqual(
      run(text).shown.map((f) => f.code),
      ['invalid-munchkin-id'],
    );
    assert.deepEqual(run(text).suppressed, []);
  });
});

describe('what no comment hides', () => {
  const broken = edit(BAD_ID, '"workspace": "Default",', '"workspace": "Default"');

  test('syntax errors: shown, and the suppression says why', () => {
    const text = above(broken, '"workspace"', '  // aep-dest-disable-next-line syntax');
    const codes = run(text).shown.map((f) => [f.code, f.message]);
    assert.ok(codes.some(([code]) => code === 'syntax'));
    assert.ok(
      codes.some(
        ([code, message]) =>
          code === 'unused-suppression' &&
          message === 'Syntax errors cannot be suppressed: the text must be fixed.',
      ),
    );
  });

  test('with a syntax error the other findings are still hidden, and no code is called unused', () => {
    const text = above(
      above(broken, ID_LINE, '  // aep-dest-disable-next-line invalid-munchkin-id'),
      '"name"',
      '  // aep-dest-disable-next-line no-audiences',
    );
    const result = run(text);
    assert.deepEqual(
      result.shown.map((f) => f.code),
      ['syntax'],
    );
    assert.deepEqual(
      result.suppressed.map((f) => f.code),
      ['invalid-munchkin-id'],
    );
  });

  test('unused-suppression: not by the comment it is about, nor by a file-wide one', () => {
    const text = `/* aep-dest-disable unused-suppression */\n${above(VALID_CONFIG, '"name"', '  // aep-dest-disable-next-line unused-suppression, no-audiences')}`;
    const shown = run(text).shown;
    assert.deepEqual(
      shown.map((f) => f.text),
      [
        '/* aep-dest-disable unused-suppression */',
        // Every code of it is unused: the comment is the problem, once per code.
        '// aep-dest-disable-next-line unused-suppression, no-audiences',
        '// aep-dest-disable-next-line unused-suppression, no-audiences',
      ],
    );
    assert.match(shown[2]?.message ?? '', /No "no-audiences" finding on line 5/);
    assert.match(shown[0]?.message ?? '', /cannot be suppressed by a comment/);
  });
});

describe('settings', () => {
  const text = above(
    BAD_ID,
    ID_LINE,
    '  // aep-dest-disable-next-line invalid-munchkin-id, no-audiences',
  );

  test('a disabled rule does not make its suppression unused', () => {
    assert.deepEqual(
      run(text).shown.map((f) => f.text),
      ['no-audiences'],
    );
    assert.deepEqual(run(text, { disabledRules: ['no-audiences'] }).shown, []);
    // With the rule it hides turned off, nothing is left to call unused either.
    assert.deepEqual(run(text, { disabledRules: ['invalid-munchkin-id', 'no-audiences'] }), {
      shown: [],
      suppressed: [],
    });
    assert.deepEqual(run(text, { disabledRules: ['unused-suppression'] }).shown, []);
  });

  test('noInlineConfig: every comment is ignored, none is reported', () => {
    const result = run(text, {}, true);
    assert.deepEqual(
      result.shown.map((f) => f.code),
      ['invalid-munchkin-id'],
    );
    assert.deepEqual(result.suppressed, []);
  });
});

describe('where the findings go', () => {
  const text = above(BAD_ID, ID_LINE, '  // aep-dest-disable-next-line invalid-munchkin-id');

  test("the editor's validation (one rule at a time) does not publish a suppressed finding", async () => {
    const svc = service();
    const doc = textDocument(text);
    assert.deepEqual(await svc.validateInSlices(doc, {}, () => Promise.resolve(true)), []);
    const shown = await svc.validateInSlices(textDocument(BAD_ID), {}, () => Promise.resolve(true));
    assert.deepEqual(
      shown?.map((f) => f.code),
      ['invalid-munchkin-id'],
    );
  });

  test('a suppressed error does not refuse an export, as a shown one does', () => {
    assert.equal(prepareFlowConfig(service(), textDocument(text)).kind, 'ready');
    assert.equal(prepareFlowConfig(service(), textDocument(BAD_ID)).kind, 'configErrors');
  });
});
