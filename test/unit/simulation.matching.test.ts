import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type SimulationConfig,
  leadsFromObjects,
  profilesFromObjects,
  simulate,
} from '../../server/src/simulation/simulate';
import {
  baseConfig,
  brief,
  lead,
  outcomeAt,
  type ProfileSpec,
  type LeadSpec,
} from '../fixtures/simulation/simulationHelpers';
import { simulateSpecs as run } from '../fixtures/simulation/results';

const ANN_LEAD: LeadSpec = {
  id: 101,
  email: 'ann@x.com',
  firstName: 'Ann',
  lastName: 'A',
  partition: 'APAC',
  updatedAt: '2024-03-01T00:00:00Z',
};
const ANN: ProfileSpec = { email: 'ann@x.com', firstName: 'Ann', lastName: 'Andersson' };
const NEWCOMER: ProfileSpec = { email: 'new@x.com', firstName: 'Nina', lastName: 'Neu' };

describe('simulation: the lead matching table (domain.md)', () => {
  const rows: {
    name: string;
    config: Partial<SimulationConfig>;
    expected: string[];
  }[] = [
    {
      name: 'profileOnly + updateExistingAndCreateNew: update matched, create unmatched',
      config: { syncType: 'profileOnly', personAction: 'updateExistingAndCreateNew' },
      expected: [
        'update lead=101 partition=APAC lists=[]',
        'create lead=- partition=EMEA lists=[]',
      ],
    },
    {
      name: 'profileOnly + updateExistingOnly: update matched, no lead created',
      config: { syncType: 'profileOnly', personAction: 'updateExistingOnly' },
      expected: [
        'update lead=101 partition=APAC lists=[]',
        'skip lead=- partition=- lists=[] reason=no matching lead and personAction is updateExistingOnly',
      ],
    },
    {
      name: 'audienceOnly: matched leads added to lists, no lead created',
      config: { syncType: 'audienceOnly', personAction: undefined, partition: undefined },
      expected: [
        'addToList lead=101 partition=APAC lists=[seg-winback]',
        'skip lead=- partition=- lists=[] reason=no matching lead; audienceOnly never creates leads',
      ],
    },
    {
      name: 'audienceAndProfile + updateExistingAndCreateNew: update + lists, create + lists',
      config: { syncType: 'audienceAndProfile', personAction: 'updateExistingAndCreateNew' },
      expected: [
        'update lead=101 partition=APAC lists=[seg-winback]',
        'create lead=- partition=EMEA lists=[seg-winback]',
      ],
    },
    {
      name: 'audienceAndProfile + updateExistingOnly: update + lists, no lead created',
      config: { syncType: 'audienceAndProfile', personAction: 'updateExistingOnly' },
      expected: [
        'update lead=101 partition=APAC lists=[seg-winback]',
        'skip lead=- partition=- lists=[] reason=no matching lead and personAction is updateExistingOnly',
      ],
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const result = run(baseConfig(row.config), [ANN, NEWCOMER], [ANN_LEAD]);
      assert.deepEqual(brief(result), row.expected);
    });
  }

  test('audienceOnly ignores personAction and changes nothing on the lead', () => {
    const result = run(
      baseConfig({ syncType: 'audienceOnly', personAction: 'updateExistingAndCreateNew' }),
      [ANN, NEWCOMER],
      [ANN_LEAD],
    );
    assert.deepEqual(
      brief(result)[1],
      'skip lead=- partition=- lists=[] reason=no matching lead; audienceOnly never creates leads',
    );
    assert.deepEqual(outcomeAt(result, 0).changes, []);
    assert.deepEqual(result.summary, {
      profiles: 2,
      create: 0,
      update: 0,
      addToList: 1,
      skip: 1,
      removeFromList: 0,
      addedToLists: 1,
      removedFromLists: 0,
    });
  });

  test('a profile-writing sync type without personAction skips everything', () => {
    for (const syncType of ['profileOnly', 'audienceAndProfile'] as const) {
      const result = run(
        baseConfig({ syncType, personAction: undefined }),
        [ANN, NEWCOMER],
        [ANN_LEAD],
      );
      assert.deepEqual(
        result.outcomes.map((o) => [o.action, o.reason, o.dedupeValue, o.leadId]),
        [
          ['skip', 'personAction is missing', 'ann@x.com', null],
          ['skip', 'personAction is missing', 'new@x.com', null],
        ],
      );
      assert.ok(result.warnings.some((w) => w.startsWith('personAction is missing')));
    }
  });
});

describe('simulation: exact outcomes of update and create', () => {
  test('update lists only real changes, skips empty profile values', () => {
    const result = run(
      baseConfig(),
      [
        { email: ' ANN@x.com ', firstName: 'Ann', lastName: 'Andersson' },
        { email: 'ann2@x.com', lastName: '  ' },
      ],
      [ANN_LEAD, { id: '102', email: 'ann2@x.com', lastName: 'Keep', updatedAt: '2024-01-01' }],
    );
    assert.deepEqual(outcomeAt(result, 0), {
      index: 0,
      dedupeValue: 'ANN@x.com',
      action: 'update',
      leadId: '101',
      partition: 'APAC',
      lists: ['seg-winback'],
      changes: [{ field: 'lastName', from: 'A', to: 'Andersson' }],
      otherMatches: [],
      reason: null,
      line: 1,
      warnings: [],
    });
    const second = outcomeAt(result, 1);
    assert.equal(second.action, 'update');
    assert.equal(second.partition, 'Default', 'a lead without partition is in Default');
    assert.deepEqual(second.changes, [], 'an empty profile value is not sent');
  });

  test('a lead field that is empty reads as null in from', () => {
    const result = run(baseConfig(), [ANN], [{ ...ANN_LEAD, lastName: '' }]);
    assert.deepEqual(outcomeAt(result, 0).changes, [
      { field: 'lastName', from: null, to: 'Andersson' },
    ]);
  });

  test('create goes to the config partition with the dedupe value and mapped fields', () => {
    const result = run(baseConfig(), [NEWCOMER], []);
    assert.deepEqual(outcomeAt(result, 0), {
      index: 0,
      dedupeValue: 'new@x.com',
      action: 'create',
      leadId: null,
      partition: 'EMEA',
      lists: ['seg-winback'],
      changes: [
        { field: 'email', from: null, to: 'new@x.com' },
        { field: 'firstName', from: null, to: 'Nina' },
        { field: 'lastName', from: null, to: 'Neu' },
      ],
      otherMatches: [],
      reason: null,
      line: 1,
      warnings: [],
    });
  });

  test('create goes to Default when the config has no partition (or an empty one)', () => {
    for (const partition of [undefined, '', '  ']) {
      const result = run(baseConfig({ partition }), [NEWCOMER], []);
      assert.equal(outcomeAt(result, 0).partition, 'Default');
    }
  });

  test('create warns per missing required field', () => {
    const result = run(baseConfig(), [{ email: 'x@x.com', firstName: 'X' }], []);
    assert.deepEqual(outcomeAt(result, 0).warnings, ['created lead would have no lastName']);
    const other = run(
      baseConfig({
        dedupeField: 'externalId',
        mappings: [{ source: 'identityMap.Email', target: 'DedupeField' }],
      }),
      [{ email: 'E-1' }],
      [],
    );
    assert.deepEqual(outcomeAt(other, 0).changes, [{ field: 'externalId', from: null, to: 'E-1' }]);
    assert.deepEqual(outcomeAt(other, 0).warnings, [
      'created lead would have no firstName',
      'created lead would have no lastName',
      'created lead would have no email',
    ]);
  });

  test('the first DedupeField mapping with a value wins', () => {
    const config = baseConfig({
      mappings: [
        { source: 'workEmail.address', target: 'DedupeField' },
        { source: 'identityMap.Email', target: 'DedupeField' },
        { source: 'person.name.lastName', target: 'lastName' },
      ],
    });
    const profiles = profilesFromObjects([
      { workEmail: { address: 'work@x.com' }, identityMap: { Email: [{ id: 'ann@x.com' }] } },
      { workEmail: { address: '' }, identityMap: { Email: [{ id: 'ann@x.com' }] } },
    ]);
    const result = simulate(config, profiles, leadsFromObjects([lead(ANN_LEAD)]));
    assert.deepEqual(
      result.outcomes.map((o) => [o.dedupeValue, o.action]),
      [
        ['work@x.com', 'create'],
        ['ann@x.com', 'update'],
      ],
    );
  });
});

describe('simulation: matching across partitions and duplicates', () => {
  test('a lead in another partition than the config partition is matched and updated there', () => {
    const result = run(
      baseConfig({ partition: 'EMEA' }),
      [ANN],
      [{ ...ANN_LEAD, partition: 'LATAM' }],
    );
    assert.equal(outcomeAt(result, 0).action, 'update');
    assert.equal(outcomeAt(result, 0).partition, 'LATAM');
  });

  test('several matching leads: the most recently updated wins, the others are listed, 1007 warned', () => {
    const leads: LeadSpec[] = [
      {
        id: 201,
        email: 'carl@x.com',
        lastName: 'Old',
        partition: 'EMEA',
        updatedAt: '2024-01-01T00:00:00Z',
      },
      {
        id: 202,
        email: 'Carl@X.com',
        lastName: 'Mid',
        partition: 'APAC',
        updatedAt: '2024-06-01T10:00:00+02:00',
      },
      { id: 203, email: 'carl@x.com', lastName: 'New', updatedAt: '2024-06-01T09:00:00Z' },
    ];
    const result = run(baseConfig(), [{ email: 'carl@x.com', lastName: 'Carlsson' }], leads);
    const o = outcomeAt(result, 0);
    assert.equal(o.action, 'update');
    assert.equal(o.leadId, '203');
    assert.equal(o.partition, 'Default');
    assert.deepEqual(o.changes, [{ field: 'lastName', from: 'New', to: 'Carlsson' }]);
    assert.deepEqual(o.otherMatches, [
      { leadId: '202', partition: 'APAC', updatedAt: '2024-06-01T10:00:00+02:00' },
      { leadId: '201', partition: 'EMEA', updatedAt: '2024-01-01T00:00:00Z' },
    ]);
    assert.equal(o.warnings.length, 1);
    assert.match(
      o.warnings[0] as string,
      /^3 leads match email "carl@x\.com": the destination uses the most recently updated one \(lead 203 in partition Default\)/,
    );
    assert.match(o.warnings[0] as string, /refuse such an update with reason 1007/);
  });

  test('equal updatedAt: the higher numeric id wins (9 < 10), missing updatedAt loses', () => {
    const leads: LeadSpec[] = [
      { id: '10', email: 'd@x.com', updatedAt: '2024-02-02T00:00:00Z' },
      { id: '9', email: 'd@x.com', updatedAt: '2024-02-02T00:00:00Z' },
      { id: '99', email: 'd@x.com' },
    ];
    const result = run(baseConfig({ syncType: 'audienceOnly' }), [{ email: 'd@x.com' }], leads);
    const o = outcomeAt(result, 0);
    assert.equal(o.action, 'addToList');
    assert.equal(o.leadId, '10');
    assert.deepEqual(
      o.otherMatches.map((m) => [m.leadId, m.updatedAt]),
      [
        ['9', '2024-02-02T00:00:00Z'],
        ['99', null],
      ],
    );
    assert.match(o.warnings[0] as string, /reason 1007/);
  });
});

describe('simulation: dedupe values', () => {
  test('email compares case-insensitively, after trimming both sides', () => {
    const result = run(
      baseConfig(),
      [{ email: '  Ann@X.COM\t' }],
      [{ ...ANN_LEAD, email: ' ANN@x.com ' }],
    );
    assert.equal(outcomeAt(result, 0).action, 'update');
    assert.equal(outcomeAt(result, 0).dedupeValue, 'Ann@X.COM');
  });

  test('another dedupe field compares case-sensitively', () => {
    const config = baseConfig({
      dedupeField: 'externalId',
      mappings: [
        { source: 'identityMap.Email', target: 'DedupeField' },
        { source: 'person.name.lastName', target: 'lastName' },
      ],
    });
    const leads: LeadSpec[] = [{ id: 1, externalId: 'AbC', updatedAt: '2024-01-01' }];
    const result = run(config, [{ email: 'AbC' }, { email: 'abc' }, { email: ' AbC ' }], leads);
    assert.deepEqual(
      result.outcomes.map((o) => [o.action, o.leadId]),
      [
        ['update', '1'],
        ['create', null],
        ['update', '1'],
      ],
    );
  });

  test('a profile without a dedupe value is skipped, naming the source', () => {
    const result = run(baseConfig(), [{ firstName: 'Nobody' }, { email: '   ' }], [ANN_LEAD]);
    assert.deepEqual(
      result.outcomes.map((o) => [o.action, o.reason, o.dedupeValue]),
      [
        ['skip', 'no value for the dedupe field (source identityMap.Email)', null],
        ['skip', 'no value for the dedupe field (source identityMap.Email)', null],
      ],
    );
  });
});
