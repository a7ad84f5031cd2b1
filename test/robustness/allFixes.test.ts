// Every quick fix the product offers, applied to a corpus: the bundled examples, each rule page's
// examples and generated variants of a valid config (fast-check, fixed seed). After each fix:
// - the finding it fixes is gone (fewer findings of its code);
// - the text is still JSONC without a syntax error, keeps the comments away from the edit and
//   its line endings;
// - no error code appears that was not there before;
// - when the fixed config has no error, its simulation against a fixed sample creates no lead for
//   a profile whose person already is a lead (same email): no fix is a duplicate-lead factory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse, type ParseError } from 'jsonc-parser';
import type { Finding } from '../../server/src/engine/types';
import {
  configFromJson,
  leadsFromObjects,
  profilesFromObjects,
  simulate,
} from '../../server/src/simulation/simulate';
import { REPO_ROOT, VALID_CONFIG, applyEdits, service, textDocument } from '../helpers';
import { errorCodes, ruleFixes } from '../fixRunner';

/** People in both systems, and two only in Experience Platform; every key agrees per person. */
const PEOPLE = [
  { email: 'ann@acme.example', phone: '+46 70 100', crm: 'C-1', lead: 101 },
  { email: 'bob@contoso.example', phone: '+46 70 200', crm: 'C-2', lead: 102 },
  { email: 'cid@fabrikam.example', phone: '+46 70 300', crm: 'C-3', lead: 103 },
  { email: 'dan@new.example', phone: '+46 70 400', crm: 'C-4', lead: undefined },
  { email: 'eva@new.example', phone: '+46 70 500', crm: 'C-5', lead: undefined },
];
const AUDIENCES = ['seg-winback', 'seg-accounts', 'seg-b2b', 'seg-other'];
const profiles = (): ReturnType<typeof profilesFromObjects> =>
  profilesFromObjects(
    PEOPLE.map((p, i) => ({
      identityMap: { Email: [{ id: p.email }], Phone: [{ id: p.phone }] },
      workEmail: { address: p.email },
      person: { name: { firstName: `F${i}`, lastName: `L${i}` }, crmId: p.crm, x: 'x' },
      _acme: { crmId: p.crm },
      segmentMembership: {
        ups: Object.fromEntries(AUDIENCES.map((id) => [id, { status: 'realized' }])),
      },
    })),
  );
const LEADS = PEOPLE.filter((p) => p.lead !== undefined).map((p) => ({
  id: p.lead ?? 0,
  email: p.email,
  phone: p.phone,
  crmId: p.crm,
  customerId: p.crm,
  updatedAt: '2026-01-01T00:00:00Z',
}));
const LEAD_EMAILS = new Set(LEADS.map((l) => l.email));

/** Text changes a user plausibly makes; generated configs combine a few of them. */
const MUTATIONS: ((text: string) => string)[] = [
  ...['Lead ID', 'ECID', 'Email', 'customerId', 'crmId', 'identityMap.ECID', '   ', 'id'].map(
    (v) => (t: string) => t.replace('"dedupeField": "email"', `"dedupeField": "${v}"`),
  ),
  ...[
    'identityMap.ECID',
    'person.marketoLeadId',
    'identityMap.Phone',
    'person.crmId',
    'workEmail.address',
    '_acme.crmId',
    '   ',
  ].map(
    (v) => (t: string) =>
      t.replace('"identityMap.Email", "target": "DedupeField"', `"${v}", "target": "DedupeField"`),
  ),
  ...[
    '{ "source": "workEmail.address", "target": "email" }',
    '{ "source": "person.crmId", "target": "crmId" }',
    '{ "source": "person.crmId", "target": "customerId" }',
    '{ "source": "person.x", "target": "FirstName" }',
    '{ "source": "person.x", "target": "createdAt" }',
    '{ "source": "person.x", "target": "firstName" }',
    '{ "source": "identityMap.ECID", "target": "DedupeField" }',
  ].map(
    (m) => (t: string) => t.replace('"target": "lastName" }', `"target": "lastName" },\n    ${m}`),
  ),
  (t) => t.replace(',\n    { "source": "person.name.lastName", "target": "lastName" }', ''),
  (t) => t.replace('{ "source": "person.name.firstName", "target": "firstName" },\n    ', ''),
  ...['profileOnly', 'audienceOnly'].map(
    (v) => (t: string) => t.replace('"audienceAndProfile"', `"${v}"`),
  ),
  (t) => t.replace('  "personAction": "updateExistingAndCreateNew",\n', ''),
  (t) => t.replace('"updateExistingAndCreateNew"', '"updateExistingOnly"'),
  (t) => t.replace('"updateExistingAndCreateNew"', 'null'),
  (t) => t.replace('  "partition": "EMEA",\n', ''),
  (t) => t.replace('"partition": "EMEA"', '"partition": "  "'),
  ...[
    '{ "id": "seg-winback", "name": "Copy", "type": "people", "entities": ["person"] }',
    '{ "id": "seg-accounts", "type": "account", "entities": ["account"], "evaluation": "batch" }',
    '{ "id": "seg-b2b", "type": "people", "entities": ["person", "account"], "evaluation": "streaming" }',
  ].map(
    (a) => (t: string) =>
      t.replace('"entities": ["person"] }', `"entities": ["person"] },\n    ${a}`),
  ),
  (t) =>
    t.replace('"workspace": "Default",', '"workspace": "Default",\n  "clientSecret": "s3cr3t",'),
  (t) => t.replace('"123-ABC-456"', '"123-abc-456"'),
  (t) => t.replace('"audienceAndProfile"', '"audienceandprofile"'),
  (t) => t.replace('"workspace": "Default",', '"workspace": "Default", // the Marketo workspace'),
  (t) => t.replace('  "mappings": [', '  /* mappings reviewed */\n  "mappings": ['),
];

function ruleDocExamples(): string[] {
  const dir = path.join(REPO_ROOT, 'docs', 'rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .flatMap((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const example = text.slice(text.indexOf('\n## Example'), text.indexOf('\n## Source'));
      return [...example.matchAll(/```jsonc\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    });
}

function examples(): string[] {
  const dir = path.join(REPO_ROOT, 'examples');
  return readdirSync(dir)
    .filter((f) => /\.destination\.jsonc?$/.test(f))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

const COMMENT = /\/\/[^\r\n]*|\/\*[\s\S]*?\*\//g;

/**
 * Rules that read the sync type: a typo in it ("audienceandprofile") hides them, so correcting
 * the typo may bring one to light. That error was there all along; the fix did not make it.
 */
const READ_SYNC_TYPE = new Set([
  'missing-person-action',
  'partition-not-allowed',
  'person-action-not-applicable',
]);

function revealed(fixed: Finding, title: string, code: string): boolean {
  return (
    fixed.code === 'schema' &&
    / of syncType\./.test(fixed.message) &&
    title.startsWith('Change to ') &&
    READ_SYNC_TYPE.has(code)
  );
}

/** Checks every fix offered for every finding of `text`; returns how many fixes it applied. */
function checkEveryFix(text: string): number {
  const svc = service();
  const doc = textDocument(text, 'file:///work/corpus.destination.json');
  const before = svc.validate(doc);
  const parsedBefore: ParseError[] = [];
  parse(text, parsedBefore, { allowTrailingComma: true });
  let applied = 0;
  for (const finding of before) {
    // A suppression hides a finding, it fixes nothing (test/unit/suppressions.test.ts checks it).
    for (const action of ruleFixes(svc.codeActions(doc, finding.range, [finding]))) {
      const edits = action.edit.changes[doc.uri] ?? [];
      const result = applyEdits(text, edits);
      const where = `"${action.title}" for ${finding.code} on:\n${text}\n→\n${result}`;
      const after = service().validate(
        textDocument(result, 'file:///work/corpus.destination.json'),
      );
      const count = (fs: Finding[]): number => fs.filter((f) => f.code === finding.code).length;
      assert.ok(count(after) < count(before), `still reported after ${where}`);
      if (!parsedBefore.length) {
        const errors: ParseError[] = [];
        parse(result, errors, { allowTrailingComma: true });
        assert.deepEqual(errors, [], `no longer JSONC after ${where}`);
      }
      assertCommentsKept(text, result, edits, where);
      if (text.includes('\r\n'))
        assert.ok(!/[^\r]\n/.test(result), `LF line ending after ${where}`);
      else assert.ok(!result.includes('\r'), `CR after ${where}`);
      const added = [...errorCodes(after)].filter(
        (c) => !errorCodes(before).has(c) && !revealed(finding, action.title, c),
      );
      assert.deepEqual(added, [], `new errors after ${where}`);
      if (!errorCodes(after).size) assertNoDuplicateLeads(result, where);
      applied++;
    }
  }
  return applied;
}

/** Comments outside the lines an edit touches are all still there. */
function assertCommentsKept(
  text: string,
  result: string,
  edits: { range: { start: { line: number }; end: { line: number } } }[],
  where: string,
): void {
  const touched = new Set(edits.flatMap((e) => range(e.range.start.line, e.range.end.line)));
  const lines = text.split(/\r?\n/);
  const kept = lines.flatMap((line, i) => (touched.has(i) ? [] : (line.match(COMMENT) ?? [])));
  for (const comment of kept) assert.ok(result.includes(comment), `lost ${comment} after ${where}`);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A complete config without errors: its export updates, never re-creates, an existing lead. */
function assertNoDuplicateLeads(configText: string, where: string): void {
  const json: unknown = parse(configText, [], { allowTrailingComma: true });
  if (typeof json !== 'object' || json === null || !('connector' in json)) return;
  const result = simulate(configFromJson(json), profiles(), leadsFromObjects(LEADS));
  for (const outcome of result.outcomes) {
    const person = PEOPLE[outcome.index];
    if (outcome.action === 'create' && person && LEAD_EMAILS.has(person.email))
      assert.fail(`${person.email} is a lead already but is created again after ${where}`);
  }
}

test('every fix on the bundled examples and on every rule page example', () => {
  const corpus = [...examples(), ...ruleDocExamples()];
  assert.ok(corpus.length > 40, `corpus of ${corpus.length}`);
  const applied = corpus.reduce((n, text) => n + checkEveryFix(text), 0);
  assert.ok(applied > 30, `only ${applied} fixes applied`);
});

test('every fix on generated variants of a valid config (LF and CRLF, with comments)', () => {
  let applied = 0;
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.nat({ max: MUTATIONS.length - 1 }), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      (picks, crlf) => {
        let text = picks.reduce((t, i) => (MUTATIONS[i] as (s: string) => string)(t), VALID_CONFIG);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        try {
          applied += checkEveryFix(text);
        } catch (error) {
          // fast-check reports the counterexample; the message says what went wrong with it.
          console.error(error instanceof Error ? error.message : error);
          throw error;
        }
      },
    ),
    { seed: 20261201, numRuns: 300 },
  );
  assert.ok(applied > 300, `only ${applied} fixes applied`);
});

test('the sample is right: the valid config updates the three leads and creates two', () => {
  const result = simulate(configFromJson(parse(VALID_CONFIG)), profiles(), leadsFromObjects(LEADS));
  assert.deepEqual(
    result.outcomes.map((o) => o.action),
    ['update', 'update', 'update', 'create', 'create'],
  );
});
