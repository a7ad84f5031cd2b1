// Import of saved Flow Service answers and export back to POST bodies (issue 11, points 1–2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportPayloads } from '../../server/src/flowService/exportFlow';
import { FlowShapeError } from '../../server/src/flowService/flowShapes';
import { importDataflow } from '../../server/src/flowService/importFlow';
import {
  flowObject,
  importedWinback,
  saved,
  targetConnectionObject,
} from '../fixtures/flowFixtures';
import { textDocument, service } from '../helpers';

test('import maps the target connection params to the destination details', () => {
  const { config, report } = importDataflow({
    flow: saved('flow.json'),
    targetConnection: saved('target-connection.json'),
  });
  assert.equal(config.connector, 'marketo-engage');
  assert.equal(config.name, 'Winback known leads');
  assert.equal(config.munchkinId, '123-ABC-456');
  assert.equal(config.workspace, 'Default');
  assert.equal(config.syncType, 'audienceAndProfile');
  assert.equal(config.partition, 'EMEA');
  assert.equal(config.dedupeField, 'email');
  assert.equal(config.personAction, 'updateExistingAndCreateNew');
  assert.deepEqual(
    report.mapped.map((m) => `${m.param}→${m.key}`),
    [
      'munchkinId→munchkinId',
      'workspaceId→workspace',
      'syncType→syncType',
      'partition→partition',
      'deduplicationField→dedupeField',
      'personAction→personAction',
    ],
  );
  assert.deepEqual(report.kept, ['alertsDestinationFlowRunFailure']);
  assert.equal(report.migration, undefined);
});

test('profile selectors become mappings, an identity by namespace becomes identityMap.<ns>', () => {
  assert.deepEqual(importedWinback().mappings, [
    { source: 'identityMap.Email', target: 'DedupeField' },
    { source: 'person.name.firstName', target: 'firstName' },
    { source: 'person.name.lastName', target: 'lastName' },
    { source: 'b2b.companyName', target: 'company' },
    { source: 'extendedWorkDetails.jobTitle', target: 'title' },
  ]);
});

test('segment selectors become audiences with origin, type and evaluation from the audiences answer', () => {
  assert.deepEqual(importedWinback().audiences, [
    {
      id: '9f7d37fd-7039-4454-94ef-2b0cd6c3206a',
      name: 'Winback 90 days',
      origin: 'segmentationService',
      type: 'people',
      evaluation: 'streaming',
    },
    {
      id: 'f52a3785-2e7c-40a7-8137-9be99af7794e',
      name: 'Contacts on open opportunities',
      origin: 'segmentationService',
      type: 'people',
      evaluation: 'batch',
    },
    {
      id: '32a83b5d-a118-4bd6-b3cb-3aee2f4c30a1',
      name: 'Webinar attendees (CRM upload)',
      origin: 'customUpload',
    },
  ]);
});

test('the imported config passes every rule', () => {
  const findings = service().validate(textDocument(JSON.stringify(importedWinback(), null, 2)));
  assert.deepEqual(
    findings.map((f) => `${f.code}: ${f.message}`),
    [],
  );
});

test('one flow object imports like the GET answer', () => {
  const fromAnswer = importDataflow({ flow: saved('flow.json') }).config;
  const fromObject = importDataflow({ flow: saved('flow.single.json') }).config;
  assert.deepEqual(fromObject, fromAnswer);
});

test('a POST body with the UI labels as names and values gives the same details', () => {
  const { config, report } = importDataflow({
    flow: saved('flow.json'),
    targetConnection: saved('target-connection.post.json'),
  });
  const details = (c: Record<string, unknown>): unknown[] =>
    ['munchkinId', 'workspace', 'syncType', 'partition', 'dedupeField', 'personAction'].map(
      (k) => c[k],
    );
  assert.deepEqual(details(config), details(importedWinback()));
  assert.deepEqual(report.kept, []);
  assert.deepEqual(
    report.mapped.map((m) => m.param),
    [
      'Munchkin ID',
      'Workspace ID',
      'Sync type',
      'Partition ID',
      'Marketo deduplication field',
      'Person action',
    ],
  );
});

test('a param value no row accepts is kept verbatim, not guessed', () => {
  const tc = targetConnectionObject();
  tc.params = { ...(tc.params as object), syncType: 'EVERYTHING' };
  const { config, report } = importDataflow({
    flow: saved('flow.json'),
    targetConnection: { value: tc, source: 'tc.json' },
  });
  assert.equal(config.syncType, undefined);
  assert.ok(report.kept.includes('syncType'));
});

test('without a target connection import says what is missing', () => {
  const { config, report } = importDataflow({ flow: saved('flow.json') });
  assert.equal(config.munchkinId, undefined);
  assert.match(report.warnings.join('\n'), /no target connection was read.*munchkinId/);
});

test('an audience missing from the audiences answer is named', () => {
  const audiences = saved('audiences.json');
  const value = audiences.value as { children: { id: string }[] };
  value.children = value.children.filter((c) => c.id !== 'f52a3785-2e7c-40a7-8137-9be99af7794e');
  const { report } = importDataflow({ flow: saved('flow.json'), audiences });
  assert.match(
    report.warnings.join('\n'),
    /audience f52a3785-2e7c-40a7-8137-9be99af7794e is not in audiences.json/,
  );
});

test('an account audience is typed account, so the rules flag it', () => {
  const flow = flowObject();
  const params = (
    flow.transformations as { params: { segmentSelectors: { selectors: unknown[] } } }[]
  )[0]!.params;
  params.segmentSelectors.selectors.push({
    type: 'PLATFORM_SEGMENT',
    value: { id: '6caa79b9-39e0-4c37-892b-5061cdca2377', name: 'Accounts in pipeline' },
  });
  const { config } = importDataflow({
    flow: { value: flow, source: 'flow' },
    targetConnection: saved('target-connection.json'),
    audiences: saved('audiences.json'),
  });
  const audiences = config.audiences as { id: string; type?: string }[];
  assert.equal(audiences.at(-1)?.type, 'account');
  const codes = service()
    .validate(textDocument(JSON.stringify(config, null, 2)))
    .map((f) => f.code);
  assert.ok(codes.includes('unsupported-audience-type'), codes.join(', '));
});

test('shapes that are not a flow are refused with the file and the JSON Pointer', () => {
  const cases: [unknown, RegExp][] = [
    [[], /flow\.json: \(top level\): expected a JSON object/],
    [{ items: [] }, /flow\.json: \/items: expected exactly one flow, found 0/],
    [{ items: [{ transformations: {} }] }, /\/items\/0\/transformations: expected an array/],
    [{ transformations: [{ name: 'Other' }] }, /no "GeneralTransform" transformation/],
    [
      {
        transformations: [
          { name: 'GeneralTransform', params: { segmentSelectors: { selectors: 3 } } },
        ],
      },
      /\/transformations\/0\/params\/segmentSelectors\/selectors: expected an array/,
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => importDataflow({ flow: { value, source: 'flow.json' } }),
      (error: unknown) => error instanceof FlowShapeError && message.test(error.message),
    );
  }
});

test('import → export gives back the imported params and selectors exactly', () => {
  const { targetConnection, flow, placeholders } = exportPayloads(importedWinback(), 'winback');
  const tc = targetConnectionObject();
  const original = flowObject();
  assert.deepEqual(targetConnection.params, tc.params);
  assert.deepEqual(targetConnection.connectionSpec, tc.connectionSpec);
  assert.equal(targetConnection.baseConnectionId, tc.baseConnectionId);
  assert.deepEqual(flow.transformations, original.transformations);
  for (const key of [
    'name',
    'description',
    'flowSpec',
    'sourceConnectionIds',
    'targetConnectionIds',
  ]) {
    assert.deepEqual(flow[key], original[key], key);
  }
  assert.deepEqual(placeholders, []);
});

test('export writes a changed value in the style it was imported in', () => {
  const post = importDataflow({
    flow: saved('flow.json'),
    targetConnection: saved('target-connection.post.json'),
  }).config;
  post.syncType = 'profileOnly';
  post.personAction = 'updateExistingOnly';
  const labelled = exportPayloads(post, 'post').targetConnection.params as Record<string, unknown>;
  assert.equal(labelled['Sync type'], 'Profile only');
  assert.equal(labelled['Person action'], 'Update existing persons only');
  const screaming = importedWinback();
  screaming.syncType = 'audienceOnly';
  delete screaming.partition;
  const params = exportPayloads(screaming, 'w').targetConnection.params as Record<string, unknown>;
  assert.equal(params.syncType, 'AUDIENCE_ONLY');
  assert.equal(
    'partition' in params,
    false,
    'a key removed from the config is removed from the params',
  );
  assert.equal(params.alertsDestinationFlowRunFailure, true, 'a kept param stays');
});

test('export of a config never imported: assumed names, documented flow spec, placeholders named', () => {
  const config = {
    connector: 'marketo-engage',
    name: 'Fresh',
    munchkinId: '123-ABC-456',
    workspace: 'Default',
    syncType: 'profileOnly',
    dedupeField: 'email',
    personAction: 'updateExistingAndCreateNew',
    mappings: [
      { source: 'workEmail.address', target: 'DedupeField' },
      { source: 'person.name.firstName', target: 'firstName' },
      { source: 'person.name.lastName', target: 'lastName' },
    ],
    audiences: [{ id: 'seg-1', name: 'One' }],
  };
  const { targetConnection, flow, placeholders } = exportPayloads(config, 'fresh');
  assert.deepEqual(targetConnection.params, {
    munchkinId: '123-ABC-456',
    workspaceId: 'Default',
    syncType: 'PROFILE_ONLY',
    deduplicationField: 'email',
    personAction: 'UPDATE_EXISTING_AND_CREATE_NEW',
  });
  assert.deepEqual(flow.flowSpec, { id: '71471eba-b620-49e4-90fd-23f1fa0174d8', version: '1.0' });
  assert.deepEqual(
    placeholders.map((p) => p.split(':')[0]),
    [
      '{BASE_CONNECTION_ID}',
      '{MARKETO_ENGAGE_CONNECTION_SPEC_ID}',
      '{PROFILE_SOURCE_CONNECTION_ID}',
      '{TARGET_CONNECTION_ID}',
    ],
  );
  const params = (
    flow.transformations as { params: Record<string, { selectors: unknown[] }> }[]
  )[0]!.params;
  assert.deepEqual(params.segmentSelectors, {
    selectors: [{ type: 'PLATFORM_SEGMENT', value: { id: 'seg-1', name: 'One' } }],
  });
  const profile = params.profileSelectors as unknown as Record<string, unknown>;
  assert.deepEqual(profile.mandatoryFields, [
    'workEmail.address',
    'person.name.firstName',
    'person.name.lastName',
  ]);
  assert.deepEqual(profile.primaryFields, [
    { fieldType: 'ATTRIBUTE', attributePath: 'workEmail.address' },
  ]);
  // And it imports back to the same mappings and audiences.
  const back = importDataflow({ flow: { value: flow, source: 'export' } }).config;
  assert.deepEqual(back.mappings, config.mappings);
  assert.deepEqual(back.audiences, config.audiences);
});
