// The quick fixes of suppressions: *Suppress CODE on this line* on every finding but syntax errors
// and unused suppressions, and the fixes of an unused suppression. Applied as the editor does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import {
  REPO_ROOT,
  VALID_CONFIG,
  applyEdits,
  edit,
  findingsOf,
  service,
  textDocument,
} from '../helpers';
import { assertStillSound, isSuppression, runFix } from '../fixRunner';

const BAD_ID = edit(VALID_CONFIG, '"123-ABC-456"', '"123-abc-456"');
const SUPPRESS_ID = 'Suppress invalid-munchkin-id on this line';

describe('Suppress CODE on this line', () => {
  test('writes the comment above the line, at its indentation; the finding goes, nothing new comes', () => {
    const run = runFix(BAD_ID, 'invalid-munchkin-id', { title: SUPPRESS_ID });
    assert.equal(run.suppression, run.action);
    assert.equal(run.action.isPreferred, undefined, 'a suppression is never the preferred fix');
    assert.equal(
      run.result,
      edit(
        BAD_ID,
        '  "munchkinId"',
        '  // aep-dest-disable-next-line invalid-munchkin-id\n  "munchkinId"',
      ),
    );
    assert.deepEqual(run.after, []);
    assertStillSound(run);
  });

  test('deeper indentation, and a finding whose range starts mid-line', () => {
    const text = edit(
      VALID_CONFIG,
      '"entities": ["person"] }',
      '"entities": ["person"] },\n    { "id": "seg-b2b", "type": "people", "entities": ["person", "account"], "evaluation": "streaming" }',
    );
    const run = runFix(text, 'batch-only-audience', {
      title: 'Suppress batch-only-audience on this line',
    });
    assert.equal(
      run.result,
      edit(
        text,
        '    { "id": "seg-b2b"',
        '    // aep-dest-disable-next-line batch-only-audience\n    { "id": "seg-b2b"',
      ),
    );
    assert.deepEqual(findingsOf(run.after, 'batch-only-audience'), []);
    assert.deepEqual(findingsOf(run.after, 'unused-suppression'), []);
  });

  test('a next-line comment already there gets ", CODE", before its reason', () => {
    const text = edit(
      edit(BAD_ID, '"123-abc-456",', '"123-abc-456", "munchkinId": "123-abc-456",'),
      '  "munchkinId"',
      '  // aep-dest-disable-next-line invalid-munchkin-id -- legacy id\n  "munchkinId"',
    );
    const run = runFix(text, 'duplicate-key', { title: 'Suppress duplicate-key on this line' });
    assert.equal(
      run.result,
      edit(
        text,
        'invalid-munchkin-id -- legacy id',
        'invalid-munchkin-id, duplicate-key -- legacy id',
      ),
    );
    assert.deepEqual(run.after, []);
    // Stacked above the line, behind a note, it is still the comment that gets the code.
    const stacked = edit(text, '-- legacy id\n', '-- legacy id\n  // see MKT-12\n');
    const again = runFix(stacked, 'duplicate-key', {
      title: 'Suppress duplicate-key on this line',
    });
    assert.match(
      again.result,
      /invalid-munchkin-id, duplicate-key -- legacy id\n {2}\/\/ see MKT-12/,
    );
    assert.deepEqual(again.after, []);
  });

  test('CRLF stays CRLF; a byte-order mark stays first', () => {
    const crlf = BAD_ID.replace(/\n/g, '\r\n');
    const run = runFix(crlf, 'invalid-munchkin-id', { title: SUPPRESS_ID });
    assert.ok(run.result.includes('\r\n  // aep-dest-disable-next-line invalid-munchkin-id\r\n'));
    assert.ok(!/(?<!\r)\n/.test(run.result));
    assert.deepEqual(run.after, []);
    const svc = service();
    const doc = textDocument('\ufeff[]');
    const [syntax] = findingsOf(svc.validate(doc), 'syntax');
    assert.ok(syntax);
    assert.deepEqual(svc.codeActions(doc, syntax.range, [syntax]), [], 'a syntax error: nothing');
    const rootSchema = '\ufeff{}';
    const fixed = runFix(rootSchema, 'schema', { title: 'Suppress schema on this line' });
    assert.ok(fixed.result.startsWith('\ufeff// aep-dest-disable-next-line schema\n{}'));
    assert.deepEqual(findingsOf(fixed.after, 'schema'), []);
  });

  test('one per code and line, after the rules own fixes; none for unused-suppression', () => {
    const svc = service();
    const doc = textDocument(`// aep-dest-disable-next-line no-audiences\n${BAD_ID}`);
    const findings = svc.validate(doc);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['unused-suppression', 'invalid-munchkin-id'],
    );
    const whole = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
    assert.deepEqual(
      svc
        .codeActions(doc, whole, [...findings, ...findings])
        .map((a) => [a.title, a.diagnostics[0]?.code]),
      [
        ['Remove this suppression comment', 'unused-suppression'],
        ['Change to "123-ABC-456"', 'invalid-munchkin-id'],
        ['Remove this suppression comment', 'unused-suppression'],
        ['Change to "123-ABC-456"', 'invalid-munchkin-id'],
        [SUPPRESS_ID, 'invalid-munchkin-id'],
      ],
    );
  });

  test('not offered inside a comment that spans lines, nor for an unknown code', () => {
    const text = edit(BAD_ID, '  "munchkinId"', '  /* the id,\n  as issued */ "munchkinId"');
    const svc = service();
    const doc = textDocument(text);
    const [finding] = findingsOf(svc.validate(doc), 'invalid-munchkin-id');
    assert.ok(finding);
    assert.ok(!svc.codeActions(doc, finding.range, [finding]).some(isSuppression));
    const range = finding.range;
    assert.deepEqual(svc.codeActions(doc, range, [{ code: 'no-such-rule', range }]), []);
  });

  test('every finding of the bundled broken example can be suppressed, one at a time', () => {
    const text = readFileSync(join(REPO_ROOT, 'examples', 'broken.destination.jsonc'), 'utf8');
    const svc = service();
    const doc = textDocument(text);
    const findings = svc.validate(doc);
    assert.ok(findings.length >= 5, `only ${findings.length} findings`);
    for (const finding of findings) {
      const suppress = svc.codeActions(doc, finding.range, [finding]).filter(isSuppression);
      assert.equal(suppress.length, 1, `${finding.code}: one suppression`);
      const result = applyEdits(text, suppress[0]?.edit.changes[doc.uri] ?? []);
      const errors: ParseError[] = [];
      parse(result, errors, { allowTrailingComma: true });
      assert.deepEqual(errors, []);
      const after = service().validate(textDocument(result));
      const same = (f: { code: string; range: { start: { line: number } } }, shift: number) =>
        f.code === finding.code && f.range.start.line === finding.range.start.line + shift;
      assert.ok(!after.some((f) => same(f, 1)), `${finding.code} still shown after suppressing`);
      assert.deepEqual(findingsOf(after, 'unused-suppression'), [], finding.code);
      assert.equal(after.length, findings.filter((f) => !same(f, 0)).length, finding.code);
    }
  });
});

describe('the fixes of an unused suppression', () => {
  const lone = edit(
    VALID_CONFIG,
    '  "munchkinId"',
    '  // aep-dest-disable-next-line invalid-munchkin-id -- fixed since\n  "munchkinId"',
  );

  test('the comment alone on its line goes with its line', () => {
    const run = runFix(lone, 'unused-suppression');
    assert.deepEqual(run.titles, ['Remove this suppression comment']);
    assert.equal(run.result, VALID_CONFIG);
    assert.deepEqual(run.after, []);
  });

  test('a trailing comment goes with the blanks before it', () => {
    const text = edit(
      VALID_CONFIG,
      '"workspace": "Default",',
      '"workspace": "Default", /* aep-dest-disable-next-line schema */',
    );
    const run = runFix(text, 'unused-suppression');
    assert.equal(run.result, VALID_CONFIG);
  });

  test('one unused code of several: just that code', () => {
    const text = edit(
      BAD_ID,
      '  "munchkinId"',
      '  // aep-dest-disable-next-line no-audiences, invalid-munchkin-id\n  "munchkinId"',
    );
    const run = runFix(text, 'unused-suppression');
    assert.deepEqual(run.titles, ['Remove "no-audiences" from this suppression']);
    assert.equal(run.result, edit(text, 'no-audiences, ', ''));
    assert.deepEqual(run.after, []);
    const last = edit(
      text,
      'no-audiences, invalid-munchkin-id',
      'invalid-munchkin-id, no-audiences',
    );
    assert.equal(runFix(last, 'unused-suppression').result, edit(last, ', no-audiences', ''));
  });

  test('a misspelt code: change it to the nearest code, or remove the comment', () => {
    const text = `/* aep-dest-disable invalid-munchkin-ids */\n${BAD_ID}`;
    const run = runFix(text, 'unused-suppression');
    assert.deepEqual(run.titles, [
      'Change to "invalid-munchkin-id"',
      'Remove this suppression comment',
    ]);
    assert.equal(run.result, `/* aep-dest-disable invalid-munchkin-id */\n${BAD_ID}`);
    assert.deepEqual(run.after, []);
  });
});
