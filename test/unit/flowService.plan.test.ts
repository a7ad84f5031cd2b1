// `aep-dest plan`: the JSON Patch from a flow to a config, and the plan a person reads (issue 11, point 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exportPayloads } from '../../server/src/flowService/exportFlow';
import { importDataflow } from '../../server/src/flowService/importFlow';
import { planDataflow } from '../../server/src/flowService/planFlow';
import { formatPlan, planJson } from '../../server/src/flowService/planText';
import type { JsonObject } from '../../server/src/flowService/flowShapes';
import { flowObject, importedWinback, patched, saved } from '../fixtures/flowFixtures';

const SEGMENTS = '/transformations/0/params/segmentSelectors/selectors';
const PROFILES = '/transformations/0/params/profileSelectors/selectors';

function plan(config: JsonObject, flow: JsonObject = flowObject()) {
  return planDataflow({
    config: { value: config, source: 'winback.destination.json' },
    flow: { value: { items: [flow] }, source: 'flow.json' },
  });
}

test('no change: an empty patch, the etag, and a one-line plan', () => {
  const result = plan(importedWinback());
  assert.deepEqual(result.patch, []);
  assert.equal(result.ifMatch, '"8b0351ca-0000-0200-0000-61c4d6700000"');
  assert.equal(result.summary.unchanged, true);
  assert.equal(
    formatPlan(result),
    'No changes: flow "Winback known leads" (226fb2e1-db69-4760-b67e-9e671e05abfc) already matches the config.\n',
  );
});

function edited(): JsonObject {
  const config = importedWinback();
  config.name = 'Winback known leads (EMEA)';
  const audiences = config.audiences as JsonObject[];
  config.audiences = [audiences[1], { id: 'seg-new', name: 'New webinar' }];
  const mappings = config.mappings as JsonObject[];
  config.mappings = [
    ...mappings.filter((m) => m.target !== 'title' && m.target !== 'company'),
    { source: 'workAddress.city', target: 'city' },
  ];
  return config;
}

test('the patch replaces the name, removes by index highest first, adds at the end', () => {
  assert.deepEqual(plan(edited()).patch, [
    { op: 'replace', path: '/name', value: 'Winback known leads (EMEA)' },
    { op: 'remove', path: `${SEGMENTS}/2` },
    { op: 'remove', path: `${SEGMENTS}/0` },
    {
      op: 'add',
      path: `${SEGMENTS}/-`,
      value: { type: 'PLATFORM_SEGMENT', value: { id: 'seg-new', name: 'New webinar' } },
    },
    { op: 'remove', path: `${PROFILES}/4` },
    { op: 'remove', path: `${PROFILES}/3` },
    {
      op: 'add',
      path: `${PROFILES}/-`,
      value: {
        type: 'JSON_PATH',
        value: {
          path: 'workAddress.city',
          operator: 'EXISTS',
          mapping: {
            sourceType: 'text/x.schema-path',
            source: 'workAddress.city',
            destination: 'city',
            identity: false,
            primaryIdentity: false,
            functionVersion: 0,
            copyModeMapping: false,
            sourceAttribute: 'workAddress.city',
            destinationXdmPath: 'city',
          },
        },
      },
    },
  ]);
});

test('the text plan reads at a glance', () => {
  assert.equal(
    formatPlan(plan(edited())),
    [
      'Plan for flow "Winback known leads" (226fb2e1-db69-4760-b67e-9e671e05abfc), If-Match "8b0351ca-0000-0200-0000-61c4d6700000":',
      '',
      '  ~ name: "Winback known leads" → "Winback known leads (EMEA)"',
      '  - audience 32a83b5d-a118-4bd6-b3cb-3aee2f4c30a1 "Webinar attendees (CRM upload)" (segment selector 2)',
      '  - audience 9f7d37fd-7039-4454-94ef-2b0cd6c3206a "Winback 90 days" (segment selector 0)',
      '  + audience seg-new "New webinar"',
      '  - mapping extendedWorkDetails.jobTitle → title (profile selector 4)',
      '  - mapping b2b.companyName → company (profile selector 3)',
      '  + mapping workAddress.city → city',
      '',
      '7 operations: 1 audience to add, 2 audiences to remove, 1 mapping to add, 2 mappings to remove, name to replace.',
      '',
    ].join('\n'),
  );
  assert.match(formatPlan(plan(edited()), { color: true }), /\u001b\[32m\+ audience seg-new/);
});

test('--format json: ifMatch, patch and summary', () => {
  const json = JSON.parse(planJson(plan(edited()))) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ['ifMatch', 'patch', 'summary']);
  assert.equal(json.ifMatch, '"8b0351ca-0000-0200-0000-61c4d6700000"');
  assert.deepEqual(json.summary, {
    flowId: '226fb2e1-db69-4760-b67e-9e671e05abfc',
    flowName: 'Winback known leads',
    audiencesAdded: 1,
    audiencesRemoved: 2,
    mappingsAdded: 1,
    mappingsRemoved: 2,
    nameChanged: true,
    descriptionChanged: false,
    unchanged: false,
    notes: [],
  });
});

test('applied in order, the patch brings the flow to the config, and the next plan is empty', () => {
  const config = edited();
  const after = patched(flowObject(), plan(config).patch);
  const back = importDataflow({ flow: { value: after, source: 'after' } }).config;
  assert.equal(back.name, config.name);
  assert.deepEqual(back.mappings, config.mappings);
  assert.deepEqual(
    (back.audiences as JsonObject[]).map((a) => a.id),
    (config.audiences as JsonObject[]).map((a) => a.id),
  );
  assert.deepEqual(plan(config, after).patch, []);
});

test('a description the flow lacks is added, not replaced', () => {
  const flow = flowObject();
  delete flow.description;
  assert.deepEqual(plan(importedWinback(), flow).patch, [
    { op: 'add', path: '/description', value: importedWinback().description },
  ]);
});

test('params the flow patch cannot change are notes, not operations', () => {
  const config = importedWinback();
  config.syncType = 'audienceOnly';
  const result = planDataflow({
    config: { value: config, source: 'c' },
    flow: saved('flow.json'),
    targetConnection: saved('target-connection.json'),
  });
  assert.deepEqual(result.patch, []);
  assert.equal(result.summary.notes.length, 1);
  assert.match(
    result.summary.notes[0] ?? '',
    /syncType is audienceOnly in the config but "AUDIENCE_AND_PROFILE".*PATCH \/flows cannot change it/,
  );
  assert.match(formatPlan(result), /Not in this plan:\n {2}! syncType/);
});

test('a flow changed since import is noted', () => {
  const flow = flowObject();
  flow.etag = '"ffff0000-0000-0200-0000-61c4d6700000"';
  const notes = plan(importedWinback(), flow).summary.notes;
  assert.match(notes.join('\n'), /the flow changed since the config was imported/);
});

test('selectors without a mapping are left alone', () => {
  const flow = flowObject();
  const params = (
    flow.transformations as { params: { profileSelectors: { selectors: unknown[] } } }[]
  )[0]!.params;
  params.profileSelectors.selectors.splice(1, 0, {
    type: 'JSON_PATH',
    value: { path: 'segmentMembership.status', operator: 'EXISTS' },
  });
  assert.deepEqual(plan(importedWinback(), flow).patch, []);
});

// Any mix of removals and additions, of audiences and mappings, applies cleanly in order and
// converges: after the patch, the plan is empty and import gives the config's lists back.
test('property: every plan applies in order and converges', () => {
  const base = importedWinback();
  const baseAudiences = base.audiences as JsonObject[];
  const baseMappings = base.mappings as JsonObject[];
  fc.assert(
    fc.property(
      fc.subarray(baseAudiences.map((_, i) => i)),
      fc.array(fc.constantFrom('seg-a', 'seg-b', 'seg-c'), { maxLength: 3 }),
      fc.subarray(baseMappings.map((_, i) => i)),
      fc.array(fc.constantFrom('workAddress.city', 'workEmail.address', 'person.birthDate'), {
        maxLength: 3,
      }),
      (keepAudiences, newAudiences, keepMappings, newSources) => {
        const config = importedWinback();
        config.audiences = [
          ...keepAudiences.map((i) => baseAudiences[i]),
          ...[...new Set(newAudiences)].map((id) => ({ id })),
        ];
        config.mappings = [
          ...keepMappings.map((i) => baseMappings[i]),
          ...newSources.map((source, i) => ({ source, target: `custom${i}` })),
        ];
        const after = patched(flowObject(), plan(config).patch);
        assert.deepEqual(plan(config, after).patch, []);
        // Applying the plan leaves the flow as export writes it for the same config.
        assert.deepEqual(after.transformations, exportPayloads(config, 'c').flow.transformations);
        const back = importDataflow({ flow: { value: after, source: 'after' } }).config;
        assert.deepEqual(
          new Set((back.audiences as JsonObject[]).map((a) => a.id)),
          new Set((config.audiences as JsonObject[]).map((a) => a.id)),
        );
        assert.equal((back.mappings as unknown[]).length, (config.mappings as unknown[]).length);
      },
    ),
    { numRuns: 200, seed: 11 },
  );
});

test('a new dedupe source replaces the primary field and joins the mandatory fields', () => {
  const config = importedWinback();
  const mappings = config.mappings as JsonObject[];
  config.mappings = [{ source: 'workEmail.address', target: 'DedupeField' }, ...mappings.slice(1)];
  const result = plan(config);
  const fields = `/transformations/0/params/profileSelectors`;
  assert.deepEqual(result.patch.slice(-2), [
    {
      op: 'replace',
      path: `${fields}/mandatoryFields`,
      value: ['person.name.firstName', 'person.name.lastName', 'workEmail.address'],
    },
    {
      op: 'replace',
      path: `${fields}/primaryFields`,
      value: [{ fieldType: 'ATTRIBUTE', attributePath: 'workEmail.address' }],
    },
  ]);
  const text = formatPlan(result);
  assert.match(
    text,
    /~ mandatoryFields: \[Email, person.name.firstName, person.name.lastName\] → \[person.name.firstName, person.name.lastName, workEmail.address\]/,
  );
  assert.match(text, /~ primaryFields: \[identity Email\] → \[attribute workEmail.address\]/);
  assert.deepEqual(
    patched(flowObject(), result.patch).transformations,
    exportPayloads(config, 'c').flow.transformations,
  );
});

test('an audience renamed in the config changes neither the plan nor the export', () => {
  const config = importedWinback();
  (config.audiences as JsonObject[])[0]!.name = 'Renamed here';
  assert.deepEqual(plan(config).patch, []);
  assert.deepEqual(exportPayloads(config, 'c').flow.transformations, flowObject().transformations);
});
