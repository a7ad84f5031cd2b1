import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type ProfileOutcome,
  type SimulationResult,
  jsonReportChunks,
  leadsFromObjects,
  planApiCalls,
  profilesFromObjects,
  simulate,
  toJsonReport,
} from '../../server/src/simulation/simulate';
import { NO_MEMBERSHIP_WARNING as NO_MEMBERSHIP } from '../../server/src/simulation/simulate';
import { quotaWarning } from '../../server/src/simulation/apiPlan';
import { baseConfig, lead, xdmProfile } from '../fixtures/simulation/simulationHelpers';

/** Outcomes that only carry lists, for the plan arithmetic. */
function withLists(lists: string[], count: number): ProfileOutcome[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    dedupeValue: `p${index}@x.com`,
    action: 'update',
    leadId: String(index),
    partition: 'Default',
    lists,
    changes: [],
    otherMatches: [],
    reason: null,
    line: index + 2,
    warnings: [],
  }));
}

describe('simulation: the API plan', () => {
  test('301 creates take 2 sync-lead calls and 2 add-to-list calls', () => {
    const profiles = profilesFromObjects(
      Array.from({ length: 301 }, (_, i) =>
        xdmProfile({ email: `p${i}@x.com`, firstName: 'P', lastName: `${i}` }),
      ),
    );
    const result = simulate(baseConfig(), profiles, leadsFromObjects([]));
    assert.deepEqual(result.summary, {
      profiles: 301,
      create: 301,
      update: 0,
      addToList: 0,
      skip: 0,
      removeFromList: 0,
      addedToLists: 301,
      removedFromLists: 0,
    });
    assert.deepEqual(result.apiPlan, {
      syncLeadCalls: 2,
      addToListCalls: 2,
      totalCalls: 4,
      dailyQuotaShare: 4 / 50_000,
      // 4 calls fit in the first window of 100: no wait.
      minimumSeconds: 0,
      perList: [{ listId: 'seg-winback', members: 301, calls: 2, removed: 0, removeCalls: 0 }],
      leadLookupCalls: 0,
      removeFromListCalls: 0,
    });
  });

  test('300 records fit one call; lists are counted separately; skips cost nothing', () => {
    const config = baseConfig({
      audiences: [{ id: 'seg-a' }, { id: 'seg-b' }, { id: 'seg-empty' }],
    });
    const outcomes = [...withLists(['seg-a', 'seg-b'], 300), ...withLists(['seg-b'], 1)];
    const plan = planApiCalls(
      config,
      { profiles: 400, create: 1, update: 300, addToList: 0, skip: 99 },
      outcomes,
    );
    assert.deepEqual(plan, {
      syncLeadCalls: 2,
      addToListCalls: 3,
      totalCalls: 5,
      dailyQuotaShare: 0.0001,
      minimumSeconds: 0,
      perList: [
        { listId: 'seg-a', members: 300, calls: 1, removed: 0, removeCalls: 0 },
        { listId: 'seg-b', members: 301, calls: 2, removed: 0, removeCalls: 0 },
        { listId: 'seg-empty', members: 0, calls: 0, removed: 0, removeCalls: 0 },
      ],
      leadLookupCalls: 0,
      removeFromListCalls: 0,
    });
  });

  test('audienceOnly makes no sync-lead call; 100 calls per 20 seconds', () => {
    const config = baseConfig({ syncType: 'audienceOnly' });
    const outcomes = withLists(['seg-winback'], 30_001);
    const plan = planApiCalls(
      config,
      { profiles: 30_001, create: 0, update: 0, addToList: 30_001, skip: 0 },
      outcomes,
    );
    assert.equal(plan.syncLeadCalls, 0);
    assert.equal(plan.addToListCalls, 101);
    assert.equal(plan.totalCalls, 101);
    // 101 calls: the first 100 at once, the 101st after one 20 s window.
    assert.equal(plan.minimumSeconds, 20);
    assert.equal(plan.dailyQuotaShare, 101 / 50_000);
  });

  test('nothing to do costs nothing', () => {
    const plan = planApiCalls(
      baseConfig(),
      { profiles: 0, create: 0, update: 0, addToList: 0, skip: 0 },
      [],
    );
    assert.deepEqual(plan, {
      syncLeadCalls: 0,
      addToListCalls: 0,
      totalCalls: 0,
      dailyQuotaShare: 0,
      minimumSeconds: 0,
      perList: [{ listId: 'seg-winback', members: 0, calls: 0, removed: 0, removeCalls: 0 }],
      leadLookupCalls: 0,
      removeFromListCalls: 0,
    });
  });

  test('a plan above the daily quota is warned about', () => {
    const config = baseConfig({ syncType: 'profileOnly' });
    const plan = planApiCalls(
      config,
      { profiles: 0, create: 0, update: 15_000_300, addToList: 0, skip: 0 },
      [],
    );
    assert.equal(plan.totalCalls, 50_001);
    assert.equal(plan.minimumSeconds, 500 * 20);
    assert.equal(
      quotaWarning(plan),
      "the export needs 50001 API calls, more than Marketo's default daily quota of 50000 (100%); it would take more than one day",
    );
    assert.equal(quotaWarning({ ...plan, totalCalls: 50_000 }), undefined);
  });
});

describe('simulation: the JSON report', () => {
  const result = simulate(
    baseConfig(),
    profilesFromObjects([xdmProfile({ email: 'a@x.com', lastName: 'Andersson' }), xdmProfile({})]),
    leadsFromObjects([
      lead({
        id: 101,
        email: 'a@x.com',
        lastName: 'A',
        partition: 'EMEA',
        updatedAt: '2024-01-01',
      }),
    ]),
  );

  test('exact text, keys in the documented order', () => {
    const expected =
      '{"summary":{"profiles":2,"create":0,"update":1,"addToList":0,"skip":1,' +
      '"removeFromList":0,"addedToLists":1,"removedFromLists":0},' +
      '"outcomes":[' +
      '{"index":0,"dedupeValue":"a@x.com","action":"update","leadId":"101","partition":"EMEA","lists":["seg-winback"],' +
      '"changes":[{"field":"lastName","from":"A","to":"Andersson"}],"otherMatches":[],"reason":null,"line":1,"warnings":[]},' +
      '{"index":1,"dedupeValue":null,"action":"skip","leadId":null,"partition":null,"lists":[],"changes":[],' +
      '"otherMatches":[],"reason":"no value for the dedupe field (source identityMap.Email)","line":2,"warnings":[]}' +
      '],' +
      '"apiPlan":{"syncLeadCalls":1,"addToListCalls":1,"totalCalls":2,"dailyQuotaShare":0.00004,"minimumSeconds":0,' +
      '"perList":[{"listId":"seg-winback","members":1,"calls":1,"removed":0,"removeCalls":0}],' +
      '"leadLookupCalls":0,"removeFromListCalls":0},' +
      `"warnings":[${JSON.stringify(NO_MEMBERSHIP)}]}`;
    assert.equal(toJsonReport(result), expected);
  });

  test('chunks join to the report; a hand-built result gets the same key order', () => {
    assert.equal([...jsonReportChunks(result, 1)].join(''), toJsonReport(result));
    const shuffled: SimulationResult = {
      warnings: ['w'],
      apiPlan: {
        perList: [],
        minimumSeconds: 0,
        dailyQuotaShare: 0,
        totalCalls: 0,
        addToListCalls: 0,
        syncLeadCalls: 0,
      },
      outcomes: [
        {
          warnings: [],
          line: 3,
          reason: 'r',
          otherMatches: [{ updatedAt: null, partition: 'P', leadId: '7' }],
          changes: [{ to: 'b', from: null, field: 'f' }],
          lists: [],
          partition: null,
          leadId: null,
          action: 'skip',
          dedupeValue: 'x',
          index: 0,
        },
      ],
      summary: { skip: 1, addToList: 0, update: 0, create: 0, profiles: 1 },
    };
    assert.equal(
      toJsonReport(shuffled),
      '{"summary":{"profiles":1,"create":0,"update":0,"addToList":0,"skip":1,' +
        '"removeFromList":0,"addedToLists":0,"removedFromLists":0},"outcomes":[{"index":0,"dedupeValue":"x",' +
        '"action":"skip","leadId":null,"partition":null,"lists":[],"changes":[{"field":"f","from":null,"to":"b"}],' +
        '"otherMatches":[{"leadId":"7","partition":"P","updatedAt":null}],"reason":"r","line":3,"warnings":[]}],' +
        '"apiPlan":{"syncLeadCalls":0,"addToListCalls":0,"totalCalls":0,"dailyQuotaShare":0,"minimumSeconds":0,"perList":[],' +
        '"leadLookupCalls":0,"removeFromListCalls":0},' +
        '"warnings":["w"]}',
    );
  });

  test('an empty export', () => {
    const empty = simulate(baseConfig(), profilesFromObjects([]), leadsFromObjects([]));
    assert.equal(
      toJsonReport(empty),
      '{"summary":{"profiles":0,"create":0,"update":0,"addToList":0,"skip":0,' +
        '"removeFromList":0,"addedToLists":0,"removedFromLists":0},"outcomes":[],' +
        '"apiPlan":{"syncLeadCalls":0,"addToListCalls":0,"totalCalls":0,"dailyQuotaShare":0,"minimumSeconds":0,' +
        '"perList":[{"listId":"seg-winback","members":0,"calls":0,"removed":0,"removeCalls":0}],' +
        '"leadLookupCalls":0,"removeFromListCalls":0},"warnings":[]}',
    );
  });
});
