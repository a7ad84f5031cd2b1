import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VALID_CONFIG,
  edit,
  findingsOf,
  insertAfter,
  memoryHost,
  service,
  textDocument,
  withMapping,
} from '../helpers';
import { parse } from 'jsonc-parser';
import {
  assertFixed,
  assertSoleFix,
  assertStillSound,
  runFix,
  withoutSuppression,
} from '../fixRunner';

const DEDUPE_LINE = '{ "source": "identityMap.Email", "target": "DedupeField" }';
const FIRST_LINE = '{ "source": "person.name.firstName", "target": "firstName" }';
const LAST_LINE = '{ "source": "person.name.lastName", "target": "lastName" }';

function comments(text: string): string[] {
  return text.match(/\/\/[^\r\n]*|\/\*[\s\S]*?\*\//g) ?? [];
}

const withoutLast = edit(VALID_CONFIG, `,\n    ${LAST_LINE}`, '');

describe('quick fix: missing-required-mapping', () => {
  test('one missing field: the mapping is appended after the last one, indented like it', () => {
    const run = assertSoleFix(withoutLast, 'missing-required-mapping', {
      title: 'Map person.name.lastName to "lastName"',
      result: VALID_CONFIG,
    });
    assert.deepEqual(run.finding.data, { field: 'lastName' });
  });

  test('two missing fields: single fix first and preferred, then "Add all 2"', () => {
    const text = edit(VALID_CONFIG, `,\n    ${FIRST_LINE},\n    ${LAST_LINE}`, '');
    const found = findingsOf(service().validate(textDocument(text)), 'missing-required-mapping');
    assert.deepEqual(
      found.map((f) => f.data),
      [{ field: 'firstName' }, { field: 'lastName' }],
    );
    const single = runFix(text, 'missing-required-mapping', { which: 1 });
    assert.deepEqual(single.titles, [
      'Map person.name.lastName to "lastName"',
      'Add all 2 missing required mappings',
    ]);
    assert.deepEqual(
      single.actions.map((a) => a.isPreferred ?? false),
      [true, false],
    );
    assert.equal(single.result, edit(VALID_CONFIG, `,\n    ${FIRST_LINE}`, ''));
    assert.deepEqual(
      findingsOf(single.after, 'missing-required-mapping').map((f) => f.data),
      [{ field: 'firstName' }],
    );
    assertStillSound(single);

    const all = runFix(text, 'missing-required-mapping', {
      title: 'Add all 2 missing required mappings',
    });
    assert.equal(all.result, VALID_CONFIG);
    assertFixed(all, 'missing-required-mapping');
  });

  test('"Add all 3" appends firstName, lastName and email in that order', () => {
    const text = edit(
      edit(VALID_CONFIG, `,\n    ${FIRST_LINE},\n    ${LAST_LINE}`, ''),
      '"dedupeField": "email"',
      '"dedupeField": "phone"',
    );
    const run = runFix(text, 'missing-required-mapping', {
      title: 'Add all 3 missing required mappings',
    });
    assert.deepEqual(run.titles, [
      'Map person.name.firstName to "firstName"',
      'Add all 3 missing required mappings',
    ]);
    assert.equal(
      run.result,
      edit(
        text,
        DEDUPE_LINE,
        `${DEDUPE_LINE},\n    ${FIRST_LINE},\n    ${LAST_LINE},\n    { "source": "workEmail.address", "target": "email" }`,
      ),
    );
    assertFixed(run, 'missing-required-mapping');
  });

  test('empty "mappings": [] (missing-dedupe-mapping fires too): add all, then map the dedupe field', () => {
    const text = edit(
      VALID_CONFIG,
      /"mappings": \[[\s\S]*?\],/.exec(VALID_CONFIG)?.[0] ?? '-',
      '"mappings": [],',
    );
    const before = service().validate(textDocument(text));
    assert.deepEqual(
      before.map((f) => f.code),
      [
        'missing-dedupe-mapping',
        'missing-required-mapping',
        'missing-required-mapping',
        'missing-required-mapping',
      ],
    );

    const single = runFix(text, 'missing-required-mapping');
    assert.deepEqual(single.titles, [
      'Map person.name.firstName to "firstName"',
      'Add all 3 missing required mappings',
    ]);
    assert.ok(
      single.result.includes(
        '"mappings": [\n    {\n      "source": "person.name.firstName",\n      "target": "firstName"\n    }\n  ],\n',
      ),
      single.result,
    );
    assert.equal(findingsOf(single.after, 'missing-required-mapping').length, 2);
    assertStillSound(single);

    const all = runFix(text, 'missing-required-mapping', {
      which: 2,
      title: 'Add all 3 missing required mappings',
    });
    const expected = edit(
      text,
      '"mappings": [],',
      [
        '"mappings": [',
        '    {',
        '      "source": "person.name.firstName",',
        '      "target": "firstName"',
        '    },',
        '    {',
        '      "source": "person.name.lastName",',
        '      "target": "lastName"',
        '    },',
        '    {',
        '      "source": "workEmail.address",',
        '      "target": "email"',
        '    }',
        '  ],',
      ].join('\n'),
    );
    assert.equal(all.result, expected);
    assertFixed(all, 'missing-required-mapping');
    assert.deepEqual(
      all.after.map((f) => f.code),
      ['missing-dedupe-mapping'],
    );

    // The email mapping now gives the dedupe fix a source to propose.
    const dedupe = runFix(all.result, 'missing-dedupe-mapping');
    assert.deepEqual(dedupe.titles, ['Map "workEmail.address" to DedupeField']);
    assert.ok(
      dedupe.result.includes(
        '      "target": "email"\n    },\n    { "source": "workEmail.address", "target": "DedupeField" }\n  ],',
      ),
      dedupe.result,
    );
    assertFixed(dedupe, 'missing-dedupe-mapping');
    assert.deepEqual(dedupe.after, []);
  });

  test('JSONC trailing comma after the last mapping: the new item goes before it, still one comma each', () => {
    const text = edit(edit(VALID_CONFIG, `    ${FIRST_LINE},\n`, ''), LAST_LINE, `${LAST_LINE},`);
    const run = assertSoleFix(text, 'missing-required-mapping', {
      title: 'Map person.name.firstName to "firstName"',
      result: insertAfter(text, `${LAST_LINE},`, `\n    ${FIRST_LINE},`),
    });
    assert.ok(run.result.includes(`    ${LAST_LINE},\n    ${FIRST_LINE},\n  ],`));
  });

  test('CRLF line endings: the inserted line ends with CRLF too', () => {
    const run = runFix(withoutLast.replace(/\n/g, '\r\n'), 'missing-required-mapping');
    assert.equal(run.result, VALID_CONFIG.replace(/\n/g, '\r\n'));
    assertFixed(run, 'missing-required-mapping');
  });

  test('CRLF with an empty array: "Add all" writes no bare LF', () => {
    const text = edit(
      VALID_CONFIG,
      /"mappings": \[[\s\S]*?\],/.exec(VALID_CONFIG)?.[0] ?? '-',
      '"mappings": [],',
    ).replace(/\n/g, '\r\n');
    const run = runFix(text, 'missing-required-mapping', {
      title: 'Add all 3 missing required mappings',
    });
    assert.equal(/(^|[^\r])\n/.test(run.result), false, JSON.stringify(run.result));
    assert.ok(
      run.result.includes('"mappings": [\r\n    {\r\n      "source": "person.name.firstName",\r\n'),
    );
    assertFixed(run, 'missing-required-mapping');
  });

  test('mappings written on one line: the new item is appended inline', () => {
    const text = edit(
      VALID_CONFIG,
      `[\n    ${DEDUPE_LINE},\n    ${FIRST_LINE},\n    ${LAST_LINE}\n  ]`,
      `[${DEDUPE_LINE}, ${FIRST_LINE}]`,
    );
    const run = runFix(text, 'missing-required-mapping');
    assert.equal(run.result, edit(text, `${FIRST_LINE}]`, `${FIRST_LINE}, ${LAST_LINE}]`));
    assertFixed(run, 'missing-required-mapping');
  });
});

describe('quick fix: missing-dedupe-mapping', () => {
  test('dedupeField email: maps identityMap.Email to DedupeField (which also satisfies email)', () => {
    const text = edit(VALID_CONFIG, `${DEDUPE_LINE},\n    `, '');
    assertSoleFix(text, 'missing-dedupe-mapping', {
      title: 'Map "identityMap.Email" to DedupeField',
      result: withMapping(text, DEDUPE_LINE),
    });
  });

  test('source inferred from the mapping that writes the dedupe field', () => {
    const phone = '{ "source": "mobilePhone.number", "target": "phone" }';
    const text = edit(
      edit(
        VALID_CONFIG,
        `${DEDUPE_LINE},\n    `,
        `{ "source": "workEmail.address", "target": "email" },\n    ${phone},\n    `,
      ),
      '"dedupeField": "email"',
      '"dedupeField": "phone"',
    );
    assertSoleFix(text, 'missing-dedupe-mapping', {
      title: 'Map "mobilePhone.number" to DedupeField',
      result: withMapping(text, '{ "source": "mobilePhone.number", "target": "DedupeField" }'),
    });
  });

  test('no fix when no source can be inferred', () => {
    const text = edit(
      edit(
        VALID_CONFIG,
        `${DEDUPE_LINE},\n    `,
        '{ "source": "workEmail.address", "target": "email" },\n    ',
      ),
      '"dedupeField": "email"',
      '"dedupeField": "phone"',
    );
    const svc = withoutSuppression(service());
    const doc = textDocument(text);
    const [finding] = findingsOf(svc.validate(doc), 'missing-dedupe-mapping');
    assert.ok(finding);
    assert.deepEqual(svc.codeActions(doc, finding.range, [finding]), []);
  });
});

describe('quick fix: unsupported-dedupe-field', () => {
  test('dedupeField "leadId" → "email"', () => {
    const text = edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "leadId"');
    assertSoleFix(text, 'unsupported-dedupe-field', {
      title: 'Use "email" as dedupe field',
      result: VALID_CONFIG,
    });
  });

  test('DedupeField source identityMap.ECID → identityMap.Email', () => {
    const run = runFix(
      edit(VALID_CONFIG, 'identityMap.Email', 'identityMap.ECID'),
      'unsupported-dedupe-field',
    );
    assert.deepEqual(run.finding.data, { property: 'source' });
    assert.deepEqual(run.titles, ['Read identityMap.Email instead']);
    assert.equal(run.result, VALID_CONFIG);
    assertFixed(run, 'unsupported-dedupe-field');
  });
});

describe('quick fix: syncType audienceOnly', () => {
  const audienceOnly = edit(VALID_CONFIG, '"audienceAndProfile"', '"audienceOnly"');

  test('partition-not-allowed removes the partition line', () => {
    const run = runFix(audienceOnly, 'partition-not-allowed');
    assert.deepEqual(run.titles, ['Remove "partition"']);
    assert.equal(run.result, edit(audienceOnly, '  "partition": "EMEA",\n', ''));
    assertFixed(run, 'partition-not-allowed');
    assert.deepEqual(
      run.after.map((f) => f.code),
      ['person-action-not-applicable'],
    );
  });

  test('person-action-not-applicable removes the personAction line', () => {
    const run = runFix(audienceOnly, 'person-action-not-applicable');
    assert.deepEqual(run.titles, ['Remove "personAction"']);
    assert.equal(
      run.result,
      edit(audienceOnly, '  "personAction": "updateExistingAndCreateNew",\n', ''),
    );
    assertFixed(run, 'person-action-not-applicable');
    assert.deepEqual(
      run.after.map((f) => f.code),
      ['partition-not-allowed'],
    );
  });

  test('removing the last property takes the comma before it', () => {
    const text = edit(
      edit(audienceOnly, '  "partition": "EMEA",\n', ''),
      '  ]\n}\n',
      '  ],\n  "partition": "EMEA"\n}\n',
    );
    const run = runFix(text, 'partition-not-allowed');
    assert.equal(run.result, edit(audienceOnly, '  "partition": "EMEA",\n', ''));
    assertFixed(run, 'partition-not-allowed');
  });
});

describe('quick fix: missing-person-action and partition-without-effect', () => {
  test('missing-person-action with a partition prefers updateExistingAndCreateNew: no new finding', () => {
    const text = edit(VALID_CONFIG, '  "personAction": "updateExistingAndCreateNew",\n', '');
    const run = runFix(text, 'missing-person-action');
    assert.deepEqual(run.titles, [
      'Add "personAction": "updateExistingAndCreateNew"',
      'Add "personAction": "updateExistingOnly"',
    ]);
    assert.deepEqual(
      run.actions.map((a) => a.isPreferred ?? false),
      [true, false],
    );
    assert.equal(
      run.result,
      edit(text, '  ]\n}\n', '  ],\n  "personAction": "updateExistingAndCreateNew"\n}\n'),
    );
    assertFixed(run, 'missing-person-action');
    // The partition says new leads are meant: the preferred action leaves nothing to report.
    assert.deepEqual(run.after, []);

    // Updating only stays on offer; then the partition has no effect, and says so.
    const other = runFix(text, 'missing-person-action', {
      title: 'Add "personAction": "updateExistingOnly"',
    });
    assert.equal(
      other.result,
      edit(text, '  ]\n}\n', '  ],\n  "personAction": "updateExistingOnly"\n}\n'),
    );
    assert.deepEqual(
      other.after.map((f) => [f.code, f.severity]),
      [['partition-without-effect', 'warning']],
    );
  });

  test('missing-person-action without a partition prefers updateExistingOnly', () => {
    const text = edit(
      edit(VALID_CONFIG, '  "personAction": "updateExistingAndCreateNew",\n', ''),
      '  "partition": "EMEA",\n',
      '',
    );
    const run = runFix(text, 'missing-person-action');
    assert.deepEqual(run.titles, [
      'Add "personAction": "updateExistingOnly"',
      'Add "personAction": "updateExistingAndCreateNew"',
    ]);
    assertFixed(run, 'missing-person-action');
    assert.deepEqual(run.after, []);
  });

  test('partition-without-effect removes the partition', () => {
    const text = edit(VALID_CONFIG, '"updateExistingAndCreateNew"', '"updateExistingOnly"');
    assertSoleFix(text, 'partition-without-effect', {
      title: 'Remove "partition"',
      result: edit(text, '  "partition": "EMEA",\n', ''),
    });
  });
});

describe('quick fix: invalid-munchkin-id', () => {
  test('"123-abc-456" → "123-ABC-456"', () => {
    const run = runFix(edit(VALID_CONFIG, '123-ABC-456', '123-abc-456'), 'invalid-munchkin-id');
    assert.deepEqual(run.finding.data, { replacements: ['123-ABC-456'] });
    assert.deepEqual(run.titles, ['Change to "123-ABC-456"']);
    assert.equal(run.result, VALID_CONFIG);
    assertFixed(run, 'invalid-munchkin-id');
  });

  test('"12-ABC-456" is not recognisable: no fix', () => {
    const svc = withoutSuppression(service());
    const doc = textDocument(edit(VALID_CONFIG, '123-ABC-456', '12-ABC-456'));
    const [finding] = findingsOf(svc.validate(doc), 'invalid-munchkin-id');
    assert.ok(finding);
    assert.equal(finding.data, undefined);
    assert.deepEqual(svc.codeActions(doc, finding.range, [finding]), []);
  });
});

describe('quick fix: schema enum typo', () => {
  test('"syncType": "profileonly" offers "profileOnly" first', () => {
    const text = edit(VALID_CONFIG, '"audienceAndProfile"', '"profileonly"');
    const run = assertSoleFix(text, 'schema', {
      title: 'Change to "profileOnly"',
      result: edit(VALID_CONFIG, '"audienceAndProfile"', '"profileOnly"'),
    });
    assert.deepEqual(run.finding.data, { property: '["syncType"]', replacements: ['profileOnly'] });
  });

  test('nested enum value (audience evaluation) is fixed at its path', () => {
    const text = edit(VALID_CONFIG, '"streaming"', '"Streaming"');
    const run = runFix(text, 'schema');
    assert.equal(run.titles[0], 'Change to "streaming"');
    assert.equal(run.action.title, 'Change to "streaming"');
    assert.equal(run.result, VALID_CONFIG);
    assertFixed(run, 'schema');
  });
});

describe('quick fix: duplicate-mapping-target', () => {
  const duplicate = '{ "source": "person.name.middleName", "target": "lastName" }';

  test('removes the second mapping when it is the last one', () => {
    const text = withMapping(VALID_CONFIG, duplicate);
    assertSoleFix(text, 'duplicate-mapping-target', {
      title: 'Remove this mapping',
      result: VALID_CONFIG,
    });
  });

  test('removes the second mapping in the middle of the array', () => {
    const middle = '{ "source": "person.name.middleName", "target": "firstName" }';
    const text = edit(VALID_CONFIG, LAST_LINE, `${middle},\n    ${LAST_LINE}`);
    const run = runFix(text, 'duplicate-mapping-target');
    assert.equal(run.finding.range.start.line, 12);
    assert.equal(run.result, VALID_CONFIG);
    assertFixed(run, 'duplicate-mapping-target');
  });
});

describe('quick fix: duplicate-key', () => {
  test('removes the first occurrence and keeps the one that counts', () => {
    const text = insertAfter(
      VALID_CONFIG,
      '  "workspace": "Default",\n',
      '  "workspace": "Other",\n',
    );
    const run = assertSoleFix(text, 'duplicate-key', {
      title: 'Remove this duplicate "workspace"',
      result: edit(VALID_CONFIG, '"Default"', '"Other"'),
    });
    assert.equal(run.finding.range.start.line, 4);
  });

  test('duplicate key inside a one-line mapping object', () => {
    const text = edit(
      VALID_CONFIG,
      DEDUPE_LINE,
      '{ "source": "identityMap.Email", "target": "email", "target": "DedupeField" }',
    );
    const run = runFix(text, 'duplicate-key');
    assert.deepEqual(run.titles, ['Remove this duplicate "target"']);
    assert.equal(run.result, VALID_CONFIG);
    assertFixed(run, 'duplicate-key');
  });
});

describe('quick fix: batch-only-audience', () => {
  test('sets "evaluation": "batch" in place', () => {
    const text = edit(VALID_CONFIG, '"entities": ["person"]', '"entities": ["person", "account"]');
    assertSoleFix(text, 'batch-only-audience', {
      title: 'Set "evaluation": "batch"',
      result: edit(text, '"evaluation": "streaming"', '"evaluation": "batch"'),
    });
  });

  test('adds "evaluation": "batch" when evaluation is absent', () => {
    const text = edit(
      edit(VALID_CONFIG, '"evaluation": "streaming", ', ''),
      '"entities": ["person"]',
      '"entities": ["person", "account"]',
    );
    const run = runFix(text, 'batch-only-audience');
    assert.deepEqual(run.titles, ['Set "evaluation": "batch"']);
    assertFixed(run, 'batch-only-audience');
    assert.deepEqual(run.after, []);
    const audiences = (parse(run.result) as { audiences: unknown[] }).audiences;
    assert.deepEqual(audiences, [
      {
        id: 'seg-winback',
        name: 'Winback 90 days',
        origin: 'segmentationService',
        type: 'people',
        entities: ['person', 'account'],
        evaluation: 'batch',
      },
    ]);
    // Nothing before the audience changed.
    const head = text.slice(0, text.indexOf('{ "id"'));
    assert.equal(run.result.slice(0, head.length), head);
  });
});

describe('quick fix: unknown-marketo-field', () => {
  const catalog = JSON.stringify({
    result: [
      { id: 1, displayName: 'First Name', dataType: 'string', rest: { name: 'firstName' } },
      { id: 2, displayName: 'Last Name', dataType: 'string', rest: { name: 'lastName' } },
      { id: 3, displayName: 'Email Address', dataType: 'email', rest: { name: 'email' } },
    ],
  });
  const uri = 'file:///w/a.destination.json';

  test('"fristName" → "firstName" from the instance catalog', () => {
    const host = memoryHost({ '/w/describe.json': catalog });
    const withCatalog = edit(
      VALID_CONFIG,
      '  "mappings": [',
      '  "marketoFields": "./describe.json",\n  "mappings": [',
    );
    assert.deepEqual(service(host).validate(textDocument(withCatalog, uri)), []);
    const text = edit(withCatalog, '"target": "firstName"', '"target": "fristName"');
    const fix = { title: 'Change to "firstName"', result: withCatalog };
    const run = assertSoleFix(text, 'unknown-marketo-field', fix, { uri, host });
    assert.deepEqual(run.finding.data, { replacements: ['firstName'] });
  });
});

describe('code action requests', () => {
  const text = edit(VALID_CONFIG, '123-ABC-456', '123-abc-456');

  test('a range that does not overlap the diagnostic gets nothing', () => {
    const svc = withoutSuppression(service());
    const doc = textDocument(text);
    const [finding] = findingsOf(svc.validate(doc), 'invalid-munchkin-id');
    assert.ok(finding);
    assert.equal(finding.range.start.line, 3);
    const elsewhere = { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } };
    assert.deepEqual(svc.codeActions(doc, elsewhere, [finding]), []);
    const sameLineBefore = { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } };
    assert.deepEqual(svc.codeActions(doc, sameLineBefore, [finding]), []);
    // A cursor inside the value does overlap.
    const inside = { start: { line: 3, character: 20 }, end: { line: 3, character: 20 } };
    assert.deepEqual(
      svc.codeActions(doc, inside, [finding]).map((a) => a.title),
      ['Change to "123-ABC-456"'],
    );
  });

  test('unknown code, numeric code, missing code, no data or odd data: nothing, no throw', () => {
    const svc = withoutSuppression(service());
    const doc = textDocument(text);
    const [finding] = findingsOf(svc.validate(doc), 'invalid-munchkin-id');
    assert.ok(finding);
    const range = finding.range;
    assert.deepEqual(
      svc.codeActions(doc, range, [{ code: 'no-such-rule', range, data: finding.data }]),
      [],
    );
    assert.deepEqual(svc.codeActions(doc, range, [{ code: 42, range, data: finding.data }]), []);
    assert.deepEqual(svc.codeActions(doc, range, [{ range, data: finding.data }]), []);
    assert.deepEqual(svc.codeActions(doc, range, [{ code: 'invalid-munchkin-id', range }]), []);
    assert.deepEqual(
      svc.codeActions(doc, range, [{ code: 'invalid-munchkin-id', range, data: 'x' }]),
      [],
    );
    assert.deepEqual(
      svc.codeActions(doc, range, [{ code: 'invalid-munchkin-id', range, data: ['123-ABC-456'] }]),
      [],
    );
    assert.deepEqual(
      svc.codeActions(doc, range, [
        { code: 'invalid-munchkin-id', range, data: { replacements: 'abc' } },
      ]),
      [],
    );
    // A rule without a fix.
    assert.deepEqual(svc.codeActions(doc, range, [{ code: 'syntax', range }]), []);
    assert.deepEqual(svc.codeActions(doc, range, []), []);
  });

  test('schema and catalog fixes without data, or with malformed data, give nothing', () => {
    const svc = withoutSuppression(service());
    const typo = textDocument(edit(VALID_CONFIG, '"audienceAndProfile"', '"profileonly"'));
    const [finding] = findingsOf(svc.validate(typo), 'schema');
    assert.ok(finding);
    const range = finding.range;
    assert.deepEqual(svc.codeActions(typo, range, [{ code: 'schema', range }]), []);
    assert.deepEqual(
      svc.codeActions(typo, range, [
        { code: 'schema', range, data: { replacements: ['profileOnly'] } },
      ]),
      [],
    );
    assert.deepEqual(
      svc.codeActions(typo, range, [
        { code: 'schema', range, data: { property: 'syncType', replacements: ['profileOnly'] } },
      ]),
      [],
    );
    assert.deepEqual(
      svc.codeActions(typo, range, [
        { code: 'schema', range, data: { property: '["syncType"]', replacements: 'profileOnly' } },
      ]),
      [],
    );
    assert.deepEqual(svc.codeActions(typo, range, [{ code: 'unknown-marketo-field', range }]), []);
    assert.deepEqual(
      svc.codeActions(typo, range, [{ code: 'duplicate-mapping-target', range }]),
      [],
    );
    assert.deepEqual(svc.codeActions(typo, range, [{ code: 'duplicate-key', range }]), []);
  });

  test('missing-required-mapping without data still offers "Add all" when several are missing', () => {
    const svc = withoutSuppression(service());
    const doc = textDocument(edit(VALID_CONFIG, `,\n    ${FIRST_LINE},\n    ${LAST_LINE}`, ''));
    const [finding] = findingsOf(svc.validate(doc), 'missing-required-mapping');
    assert.ok(finding);
    assert.deepEqual(
      svc
        .codeActions(doc, finding.range, [{ code: finding.code, range: finding.range }])
        .map((a) => a.title),
      ['Add all 2 missing required mappings'],
    );
    const single = textDocument(withoutLast);
    const [one] = findingsOf(svc.validate(single), 'missing-required-mapping');
    assert.ok(one);
    assert.deepEqual(
      svc.codeActions(single, one.range, [{ code: one.code, range: one.range }]),
      [],
    );
  });

  test('several diagnostics in one request: actions in diagnostic order, each tied to its diagnostic', () => {
    const svc = service();
    const doc = textDocument(edit(VALID_CONFIG, '"audienceAndProfile"', '"audienceOnly"'));
    const findings = svc.validate(doc);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['partition-not-allowed', 'person-action-not-applicable'],
    );
    const whole = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    const actions = svc.codeActions(doc, whole, findings);
    assert.deepEqual(
      actions.map((a) => [a.title, a.diagnostics[0]?.code]),
      [
        ['Remove "partition"', 'partition-not-allowed'],
        ['Remove "personAction"', 'person-action-not-applicable'],
        // After the rules' own fixes, one suppression per finding (test/unit/suppressions.test.ts).
        ['Suppress partition-not-allowed on this line', 'partition-not-allowed'],
        ['Suppress person-action-not-applicable on this line', 'person-action-not-applicable'],
      ],
    );
  });
});

describe('comments survive quick fixes', () => {
  const commented = `{
  // Winback destination
  "connector": "marketo-engage", // the only connector
  "name": "Winback known leads",
  "munchkinId": "123-abc-456", /* from the admin page */
  "workspace": "Default",
  "syncType": "audienceOnly", /* sync */
  // partition comment
  "partition": "EMEA",
  "dedupeField": "email",
  "mappings": [
    // identity first
    { "source": "identityMap.Email", "target": "DedupeField" }, // dedupe
    { "source": "person.name.firstName", "target": "firstName" }, // first
    { "source": "person.name.lastName", "target": "lastName" }, // last
    { "source": "person.name.middleName", "target": "lastName" }
  ],
  "audiences": [
    { "id": "seg-winback", "name": "Winback 90 days", "origin": "segmentationService",
      "type": "people", "evaluation": "streaming", "entities": ["person"] } // aud
  ]
  // end
}
`;
  const all = comments(commented);

  test('the commented fixture has the findings the cases below fix', () => {
    assert.equal(all.length, 11);
    assert.deepEqual(
      service()
        .validate(textDocument(commented))
        .map((f) => f.code),
      ['invalid-munchkin-id', 'partition-not-allowed', 'duplicate-mapping-target'],
    );
  });

  test('removing a property keeps the comments around it', () => {
    const run = runFix(commented, 'partition-not-allowed');
    assert.equal(run.result, edit(commented, '  "partition": "EMEA",\n', ''));
    assert.deepEqual(comments(run.result), all);
  });

  test('removing the last mapping keeps the previous mapping and its comment', () => {
    const run = runFix(commented, 'duplicate-mapping-target');
    assert.equal(
      run.result,
      edit(
        commented,
        `${LAST_LINE}, // last\n    { "source": "person.name.middleName", "target": "lastName" }\n`,
        `${LAST_LINE} // last\n`,
      ),
    );
    assert.deepEqual(comments(run.result), all);
    assertFixed(run, 'duplicate-mapping-target');
  });

  test('replacing a value keeps the comment after it', () => {
    const run = runFix(commented, 'invalid-munchkin-id');
    assert.equal(run.result, edit(commented, '123-abc-456', '123-ABC-456'));
    assert.deepEqual(comments(run.result), all);
  });

  test('appending a mapping after a commented last mapping keeps every comment', () => {
    const text = edit(
      commented,
      `, // last\n    { "source": "person.name.middleName", "target": "lastName" }\n`,
      ' // last\n',
    );
    const without = edit(text, `    ${FIRST_LINE}, // first\n`, '');
    const run = runFix(without, 'missing-required-mapping');
    assert.equal(
      run.result,
      edit(without, `${LAST_LINE} // last`, `${LAST_LINE},\n    ${FIRST_LINE} // last`),
    );
    assert.deepEqual(comments(run.result), comments(without));
  });

  test('removing a duplicate key keeps the comment above the one that stays', () => {
    const text = edit(
      commented,
      '  "workspace": "Default",\n',
      '  "workspace": "Default", // old\n  // the real workspace\n  "workspace": "Marketing",\n',
    );
    const run = runFix(text, 'duplicate-key');
    assert.equal(
      run.result,
      edit(
        commented,
        '  "workspace": "Default",\n',
        '  // the real workspace\n  "workspace": "Marketing",\n',
      ),
    );
    assert.deepEqual(comments(run.result), [
      ...all.slice(0, 3),
      '// the real workspace',
      ...all.slice(3),
    ]);
  });
});
