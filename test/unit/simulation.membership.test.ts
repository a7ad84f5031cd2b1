import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SimulationCancelled,
  configFromJson,
  leadsFromObjects,
  profilesFromCsvText,
  profilesFromObjects,
  simulate,
} from '../../server/src/simulation/simulate';
import { baseConfig, brief, csv, lead, xdmProfile } from '../fixtures/simulation/simulationHelpers';

const TWO_AUDIENCES = baseConfig({
  audiences: [{ id: 'seg-a' }, { id: 'seg-b', name: 'B' }],
});
const LEADS = leadsFromObjects([
  lead({ id: 1, email: 'a@x.com', updatedAt: '2024-01-01T00:00:00Z' }),
  lead({ id: 2, email: 'b@x.com', updatedAt: '2024-01-01T00:00:00Z' }),
]);

const NOT_A_MEMBER = 'not a member of any audience of this destination';
/** A profile skipped for NOT_A_MEMBER, as `brief` shows it. */
const NON_MEMBER = `skip lead=- partition=- lists=[] reason=${NOT_A_MEMBER}`;

describe('simulation: audience membership', () => {
  test('realized and existing are members, exited leaves the list, no status is not membership', () => {
    const profiles = profilesFromObjects([
      xdmProfile({ email: 'a@x.com', segments: { 'seg-b': 'realized', 'seg-a': 'existing' } }),
      xdmProfile({ email: 'a@x.com', segments: { 'seg-a': 'exited', 'seg-b': 'realized' } }),
      xdmProfile({ email: 'b@x.com', segments: { 'seg-a': 'exited', 'seg-b': 'exited' } }),
      xdmProfile({ email: 'b@x.com', segments: { 'seg-other': 'realized' } }),
      xdmProfile({ email: 'b@x.com' }),
      xdmProfile({ email: 'new@x.com', segments: { 'seg-a': 'REALIZED' } }),
    ]);
    const result = simulate(TWO_AUDIENCES, profiles, LEADS);
    assert.deepEqual(brief(result), [
      'update lead=1 partition=Default lists=[seg-a,seg-b]',
      'update lead=1 partition=Default lists=[seg-b]',
      // Exited both: the matched lead leaves both lists, nothing is written to it.
      'removeFromList lead=2 partition=Default lists=[]',
      NON_MEMBER,
      // No status at all, in a file that has memberships: not a member.
      NON_MEMBER,
      'create lead=- partition=EMEA lists=[seg-a]',
    ]);
    assert.deepEqual(result.outcomes[1]?.removeFromLists, ['seg-a']);
    assert.deepEqual(result.outcomes[2]?.removeFromLists, ['seg-a', 'seg-b']);
    assert.equal(result.outcomes[0]?.removeFromLists, undefined);
    assert.deepEqual(result.summary, {
      profiles: 6,
      create: 1,
      update: 2,
      addToList: 0,
      skip: 2,
      removeFromList: 1,
      addedToLists: 3,
      removedFromLists: 2,
    });
  });

  test('the membership check comes before the dedupe value check', () => {
    const profiles = profilesFromObjects([xdmProfile({ segments: { 'seg-a': 'exited' } })]);
    const result = simulate(TWO_AUDIENCES, profiles, LEADS);
    assert.equal(result.outcomes[0]?.reason, NOT_A_MEMBER);
    assert.equal(result.outcomes[0]?.dedupeValue, null);
  });

  test('profileOnly never lists, even for members', () => {
    const profiles = profilesFromObjects([
      xdmProfile({ email: 'a@x.com', segments: { 'seg-a': 'realized' } }),
    ]);
    const result = simulate({ ...TWO_AUDIENCES, syncType: 'profileOnly' }, profiles, LEADS);
    assert.deepEqual(brief(result), ['update lead=1 partition=Default lists=[]']);
    assert.deepEqual(result.apiPlan.perList, []);
  });

  test('a config without audiences exports nobody, and says so', () => {
    const profiles = profilesFromObjects([xdmProfile({ email: 'a@x.com' })]);
    const result = simulate(baseConfig({ audiences: [] }), profiles, LEADS);
    assert.equal(result.outcomes[0]?.reason, NOT_A_MEMBER);
    assert.ok(result.warnings.some((w) => w.startsWith('the config has no audiences')));
  });

  test('CSV membership columns; a row with every membership cell empty is not a member', () => {
    const profiles = profilesFromCsvText(
      csv([
        [
          'identityMap.Email',
          'segmentMembership.ups.seg-a.status',
          'segmentMembership.ups.seg-b.status',
        ],
        ['a@x.com', 'realized', 'exited'],
        ['a@x.com', 'exited', ''],
        ['b@x.com', '', ''],
        ['b@x.com', ' existing ', 'realized'],
      ]),
    );
    const result = simulate(TWO_AUDIENCES, profiles, LEADS);
    assert.deepEqual(brief(result), [
      'update lead=1 partition=Default lists=[seg-a]',
      'removeFromList lead=1 partition=Default lists=[]',
      NON_MEMBER,
      'update lead=2 partition=Default lists=[seg-a,seg-b]',
    ]);
    assert.deepEqual(result.outcomes[0]?.removeFromLists, ['seg-b']);
    assert.deepEqual(
      result.outcomes.map((o) => o.line),
      [2, 3, 4, 5],
    );
  });
});

describe('simulation: progress and cancellation', () => {
  const many = profilesFromObjects(
    Array.from({ length: 25_000 }, (_, i) => xdmProfile({ email: `p${i}@x.com` })),
  );

  test('onProgress every 10,000 profiles and at the end', () => {
    const calls: [number, number][] = [];
    simulate(baseConfig(), many, LEADS, { onProgress: (done, total) => calls.push([done, total]) });
    assert.deepEqual(calls, [
      [10_000, 25_000],
      [20_000, 25_000],
      [25_000, 25_000],
    ]);
  });

  test('shouldCancel stops the simulation with SimulationCancelled', () => {
    let checks = 0;
    assert.throws(
      () => simulate(baseConfig(), many, LEADS, { shouldCancel: () => ++checks === 2 }),
      (error: unknown) =>
        error instanceof SimulationCancelled &&
        error.done === 10_000 &&
        error.message === 'simulation cancelled after 10000 profiles',
    );
    assert.equal(checks, 2);
  });
});

describe('simulation: configFromJson', () => {
  test('keeps what the simulation needs and ignores the rest', () => {
    const config = configFromJson({
      $schema: '../schemas/destination.schema.json',
      name: 'Winback',
      munchkinId: '123-ABC-456',
      syncType: 'audienceAndProfile',
      partition: 'EMEA',
      dedupeField: 'email',
      personAction: 'updateExistingOnly',
      mappings: [
        { source: 'identityMap.Email', target: 'DedupeField' },
        { source: 'person.name.lastName', target: 'lastName', extra: true },
      ],
      audiences: [{ id: 'seg-winback', name: 'Winback 90 days', type: 'people' }, { id: 'seg-2' }],
      alerts: ['destinationFlowRunFailure'],
    });
    assert.deepEqual(config, {
      syncType: 'audienceAndProfile',
      dedupeField: 'email',
      mappings: [
        { source: 'identityMap.Email', target: 'DedupeField' },
        { source: 'person.name.lastName', target: 'lastName' },
      ],
      audiences: [{ id: 'seg-winback', name: 'Winback 90 days' }, { id: 'seg-2' }],
      personAction: 'updateExistingOnly',
      partition: 'EMEA',
    });
  });

  test('audienceOnly without personAction, partition or audiences', () => {
    assert.deepEqual(
      configFromJson({ syncType: 'audienceOnly', dedupeField: 'email', mappings: [] }),
      {
        syncType: 'audienceOnly',
        dedupeField: 'email',
        mappings: [],
        audiences: [],
      },
    );
  });

  test('clear errors for missing or malformed essentials', () => {
    const ok = { syncType: 'profileOnly', dedupeField: 'email', mappings: [] };
    const cases: [unknown, RegExp][] = [
      [[], /expected a JSON object/],
      [{ ...ok, syncType: undefined }, /syncType is missing/],
      [{ ...ok, syncType: 'everything' }, /syncType "everything" is not one of/],
      [{ ...ok, dedupeField: undefined }, /dedupeField is missing/],
      [{ ...ok, dedupeField: ' ' }, /dedupeField must be a non-empty string/],
      [{ ...ok, mappings: undefined }, /mappings is missing/],
      [{ ...ok, mappings: {} }, /mappings must be an array/],
      [
        { ...ok, mappings: [{ source: 'a' }] },
        /mappings\[0\] needs a string source and a string target/,
      ],
      [{ ...ok, personAction: 'createOnly' }, /personAction "createOnly" is not one of/],
      [{ ...ok, audiences: [{ name: 'x' }] }, /audiences\[0\] needs a non-empty string id/],
    ];
    for (const [value, message] of cases) assert.throws(() => configFromJson(value), message);
  });
});
