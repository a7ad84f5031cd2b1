/**
 * Issue 10, part 6 "Simulation semantics": what a user sees for membership statuses (exited
 * leaves the list), a new dedupe value shared by two profiles, leads tied on `updatedAt`, and
 * the API plan (minimum time, audienceOnly look-ups, leads added to lists in every sync type),
 * in the result, the text plan, the JSON, CSV and Markdown reports and the results view.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NO_MEMBERSHIP_WARNING,
  leadsFromObjects,
  profilesFromCsvText,
  profilesFromObjects,
  simulate,
  toJsonReport,
} from '../../server/src/simulation/simulate';
import { minimumSecondsFor } from '../../server/src/simulation/apiPlan';
import { toCsvReport, toMarkdownReport, toTextPlan } from '../../common/reportFormats';
import { renderResultsHtml } from '../../client/src/simulation/resultsHtml';
import { type ActionFilter, sanitizeQuery } from '../../common/outcomePages';
import type { ProfileOutcome } from '../../common/simulationReport';
import { localRun } from '../../common/simulationOverview';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import { baseConfig, brief, csv, lead, xdmProfile } from '../fixtures/simulation/simulationHelpers';

/** Positions of the outcomes the results view shows under an action filter and a search. */
function filterRows(outcomes: ProfileOutcome[], outcome: ActionFilter, search: string): number[] {
  const index = new OutcomeIndex('test', outcomes);
  return Array.from(index.matching(sanitizeQuery({ filter: { outcome, search } })));
}

const META = {
  configName: 'Semantics',
  configPath: 'semantics.destination.json',
  profilesFile: 'p.json',
  leadsFile: 'l.json',
};
const TWO = baseConfig({ audiences: [{ id: 'seg-a' }, { id: 'seg-b' }] });
const LEADS = leadsFromObjects([
  lead({ id: 1, email: 'a@x.com', updatedAt: '2024-01-01T00:00:00Z' }),
  lead({ id: 2, email: 'b@x.com', updatedAt: '2024-01-01T00:00:00Z' }),
]);

/** A profile Marketo has no lead for, with the names a created lead needs. */
function newPerson(email: string, segments: Record<string, string>): ReturnType<typeof xdmProfile> {
  return xdmProfile({ email, firstName: 'N', lastName: 'N', segments });
}

describe('semantics: exited leaves the list', () => {
  const profiles = profilesFromObjects([
    xdmProfile({ email: 'a@x.com', segments: { 'seg-a': 'realized', 'seg-b': 'exited' } }),
    xdmProfile({ email: 'b@x.com', segments: { 'seg-a': 'exited' } }),
    newPerson('new@x.com', { 'seg-a': 'exited' }),
  ]);
  const result = simulate(TWO, profiles, LEADS);

  test('a member that exited another audience is updated, added to one list, removed from the other', () => {
    assert.deepEqual(result.outcomes[0]?.lists, ['seg-a']);
    assert.deepEqual(result.outcomes[0]?.removeFromLists, ['seg-b']);
    assert.equal(result.outcomes[0]?.action, 'update');
  });

  test('a matched lead that only exited: removeFromList, nothing written; unmatched: skipped', () => {
    assert.deepEqual(brief(result), [
      'update lead=1 partition=Default lists=[seg-a]',
      'removeFromList lead=2 partition=Default lists=[]',
      'skip lead=- partition=- lists=[] reason=not a member of any audience of this destination',
    ]);
    assert.deepEqual(result.outcomes[1]?.removeFromLists, ['seg-a']);
    assert.deepEqual(result.outcomes[1]?.changes, []);
    assert.equal(result.summary.removeFromList, 1);
    assert.equal(result.summary.removedFromLists, 2);
    assert.equal(result.summary.addedToLists, 1);
  });

  test('the API plan counts the remove-from-list calls per list', () => {
    assert.deepEqual(result.apiPlan.perList, [
      { listId: 'seg-a', members: 1, calls: 1, removed: 1, removeCalls: 1 },
      { listId: 'seg-b', members: 0, calls: 0, removed: 1, removeCalls: 1 },
    ]);
    assert.equal(result.apiPlan.removeFromListCalls, 2);
    assert.equal(result.apiPlan.totalCalls, 1 + 1 + 2);
  });

  test('the text plan shows the removal, its calls and the summary', () => {
    const text = toTextPlan(result, META);
    assert.ok(
      text.includes('\n< removeFromList (1)\n  < lead 2 (Default) b@x.com  leaves lists: seg-a\n'),
    );
    assert.ok(
      text.includes(
        '  ~ lead 1 (Default) a@x.com  no changes; lists: seg-a; leaves lists: seg-b\n',
      ),
    );
    assert.ok(
      text.includes(
        '  list removal calls  2\n    seg-a  1 (1 lead removed)\n    seg-b  1 (1 lead removed)\n',
      ),
    );
    assert.ok(
      text.endsWith(
        'Plan: 0 to create, 1 to update, 1 to add to lists, 2 to remove from lists, 1 to skip (3 profiles).\n',
      ),
    );
  });

  test('CSV has a last column removeFromLists; Markdown shows the removal and the counts', () => {
    const rows = toCsvReport(result).split('\r\n');
    assert.ok(rows[0]?.endsWith(',warnings,removeFromLists'));
    assert.equal(rows[2], '1,2,b@x.com,removeFromList,2,Default,,,,,,seg-a');
    const md = toMarkdownReport(result, META);
    assert.ok(md.includes('| removeFromList | 1 |\n'));
    assert.ok(md.includes('Leads added to lists: 1; removed from lists: 2.'));
    assert.ok(md.includes('| remove-from-list seg-b (1 lead) | 1 |'));
    assert.ok(md.includes('| 1 | 2 | b@x.com | removeFromList | 2 | Default | leaves: seg-a |'));
  });

  test('the results view: a Remove from list card, its filter, and search finds the list left', () => {
    const html = renderResultsHtml(
      { ...META, durationMs: 5, ...localRun(result) },
      { nonce: 'n', cspSource: 's', scriptUri: 'x.js', styleUri: 'x.css' },
    );
    assert.match(
      html,
      /class="card card-removeFromList" data-action="removeFromList"[^>]*><span class="card-count">2<\/span><span class="card-label">Remove from list<\/span>/,
    );
    assert.match(html, /<option value="removeFromList">Remove from list<\/option>/);
    assert.deepEqual(filterRows(result.outcomes, 'removeFromList', ''), [0, 1]);
    assert.deepEqual(filterRows(result.outcomes, 'all', 'seg-b'), [0]);
  });

  test('profileOnly has no list: an exited-only profile is not a member and removes nothing', () => {
    const r = simulate({ ...TWO, syncType: 'profileOnly' }, profiles, LEADS);
    assert.equal(r.outcomes[1]?.action, 'skip');
    assert.equal(r.outcomes[0]?.removeFromLists, undefined);
    assert.equal(r.apiPlan.removeFromListCalls, 0);
  });

  test('audienceOnly removes an exited lead from the list too', () => {
    const r = simulate(
      { ...TWO, syncType: 'audienceOnly', personAction: undefined },
      profiles,
      LEADS,
    );
    assert.equal(r.outcomes[1]?.action, 'removeFromList');
    assert.equal(r.summary.removeFromList, 1);
  });
});

describe('semantics: blank statuses and files without membership', () => {
  test('a CSV with membership columns: blank cells are not membership', () => {
    const profiles = profilesFromCsvText(
      csv([
        ['identityMap.Email', 'segmentMembership.ups.seg-a.status'],
        ['a@x.com', ''],
        ['b@x.com', 'realized'],
      ]),
    );
    const result = simulate(TWO, profiles, LEADS);
    assert.equal(result.outcomes[0]?.reason, 'not a member of any audience of this destination');
    assert.deepEqual(result.outcomes[1]?.lists, ['seg-a']);
    assert.equal(result.warnings.includes(NO_MEMBERSHIP_WARNING), false);
  });

  test('JSON profiles where one has segmentMembership: the others are not members', () => {
    const profiles = profilesFromObjects([
      xdmProfile({ email: 'a@x.com' }),
      xdmProfile({ email: 'b@x.com', segments: { 'seg-b': 'existing' } }),
    ]);
    const result = simulate(TWO, profiles, LEADS);
    assert.equal(result.outcomes[0]?.action, 'skip');
    assert.deepEqual(result.outcomes[1]?.lists, ['seg-b']);
  });

  test('a file with no membership at all: every profile is a member of every audience, and the plan says so', () => {
    const profiles = profilesFromCsvText(csv([['identityMap.Email'], ['a@x.com']]));
    const result = simulate(TWO, profiles, LEADS);
    assert.deepEqual(result.outcomes[0]?.lists, ['seg-a', 'seg-b']);
    assert.deepEqual(result.warnings, [NO_MEMBERSHIP_WARNING]);
    assert.ok(toTextPlan(result, META).includes(`Warnings:\n  ! ${NO_MEMBERSHIP_WARNING}\n`));
  });
});

describe('semantics: one new dedupe value in two profiles', () => {
  const profiles = profilesFromObjects([
    xdmProfile({
      email: 'new@x.com',
      firstName: 'Nina',
      lastName: 'New',
      segments: { 'seg-a': 'realized' },
    }),
    xdmProfile({
      email: 'NEW@x.com',
      firstName: 'Nina',
      lastName: 'Newer',
      segments: { 'seg-b': 'realized' },
    }),
  ]);
  const result = simulate(TWO, profiles, leadsFromObjects([]));

  test('the first creates the lead, the second updates that new lead, with a warning', () => {
    assert.deepEqual(brief(result), [
      'create lead=- partition=EMEA lists=[seg-a]',
      'update lead=- partition=EMEA lists=[seg-b]',
    ]);
    assert.deepEqual(result.outcomes[1]?.changes, [
      { field: 'lastName', from: 'New', to: 'Newer' },
    ]);
    assert.deepEqual(result.outcomes[1]?.warnings, [
      'the lead with email "NEW@x.com" is created by the profile at line 1 earlier in this export: ' +
        'this profile updates that new lead (the destination matches on the dedupe field and now finds it), ' +
        'it does not create a second one',
    ]);
    assert.equal(result.summary.create, 1);
    assert.equal(result.summary.update, 1);
    assert.equal(result.summary.addedToLists, 2);
    assert.ok(result.warnings.includes('2 profiles share the dedupe value new@x.com'));
  });

  test('the text plan shows one create and one update of the new lead', () => {
    const text = toTextPlan(result, META);
    assert.ok(text.includes('+ create (1)\n'));
    assert.ok(
      text.includes(
        '~ update (1)\n  ~ new lead (EMEA) NEW@x.com  lastName: "New" → "Newer"; lists: seg-b\n',
      ),
    );
  });

  test('updateExistingOnly still creates nothing: both are skipped', () => {
    const r = simulate(
      { ...TWO, personAction: 'updateExistingOnly' },
      profiles,
      leadsFromObjects([]),
    );
    assert.deepEqual(
      r.outcomes.map((o) => o.action),
      ['skip', 'skip'],
    );
  });
});

describe('semantics: leads tied on updatedAt', () => {
  test('named as a tie, the higher id chosen, and why', () => {
    const leads = leadsFromObjects([
      lead({ id: 9, email: 't@x.com', partition: 'EMEA', updatedAt: '2024-05-01T00:00:00Z' }),
      lead({ id: 10, email: 't@x.com', partition: 'APAC', updatedAt: '2024-05-01T00:00:00Z' }),
      lead({ id: 11, email: 't@x.com', updatedAt: '2023-01-01T00:00:00Z' }),
    ]);
    const profiles = profilesFromObjects([
      xdmProfile({ email: 't@x.com', segments: { 'seg-a': 'realized' } }),
    ]);
    const result = simulate(TWO, profiles, leads);
    assert.equal(result.outcomes[0]?.leadId, '10');
    assert.deepEqual(result.outcomes[0]?.warnings, [
      '3 leads match email "t@x.com" and lead 10 is tied with lead 9 on the most recent update ' +
        '(updatedAt 2024-05-01T00:00:00Z): the documented rule (the most recently updated lead) does not ' +
        'decide a tie, so the simulation uses the higher id, lead 10 in partition APAC (Marketo assigns ids ' +
        'in ascending order: the most recently created; the same choice whatever the file order); the raw ' +
        'Marketo REST API would refuse such an update with reason 1007 (multiple leads match the lookup criteria)',
    ]);
  });

  test('no tie: the most recently updated one, as before', () => {
    const leads = leadsFromObjects([
      lead({ id: 9, email: 't@x.com', updatedAt: '2024-06-01T00:00:00Z' }),
      lead({ id: 10, email: 't@x.com', updatedAt: '2024-05-01T00:00:00Z' }),
    ]);
    const profiles = profilesFromObjects([
      xdmProfile({ email: 't@x.com', segments: { 'seg-a': 'realized' } }),
    ]);
    const warning = simulate(TWO, profiles, leads).outcomes[0]?.warnings[0] ?? '';
    assert.match(
      warning,
      /^2 leads match email "t@x.com": the destination uses the most recently updated one \(lead 9 /,
    );
    assert.doesNotMatch(warning, /tied/);
  });
});

describe('semantics: the API plan', () => {
  test('minimum time is 20 s × ⌊(calls − 1) / 100⌋', () => {
    assert.deepEqual(
      [0, 1, 2, 100, 101, 200, 201, 50_001].map(minimumSecondsFor),
      [0, 0, 0, 0, 20, 20, 40, 10_000],
    );
  });

  test('audienceOnly counts the look-ups (300 values a call) before add-to-list', () => {
    const leads = leadsFromObjects(
      Array.from({ length: 301 }, (_, i) => lead({ id: i + 1, email: `p${i}@x.com` })),
    );
    const profiles = profilesFromObjects(
      Array.from({ length: 302 }, (_, i) =>
        xdmProfile({ email: `p${i}@x.com`, segments: { 'seg-a': 'realized' } }),
      ),
    );
    const config = { ...TWO, syncType: 'audienceOnly' as const, personAction: undefined };
    const result = simulate(config, profiles, leads);
    // 302 values looked up (the last finds no lead): 2 look-up calls; 301 leads: 2 add-to-list calls.
    assert.equal(result.apiPlan.leadLookupCalls, 2);
    assert.equal(result.apiPlan.addToListCalls, 2);
    assert.equal(result.apiPlan.totalCalls, 4);
    assert.ok(
      toTextPlan(result, META).includes(
        'API plan:\n  lead look-up calls  2\n  sync-lead calls     0\n',
      ),
    );
    assert.ok(toMarkdownReport(result, META).includes('| lead look-up | 2 |'));
    // audienceAndProfile gets the ids from sync-lead: no look-up.
    assert.equal(simulate(TWO, profiles, leads).apiPlan.leadLookupCalls, 0);
  });

  test('audienceAndProfile: the summary counts the leads added to lists (text, JSON, Markdown, results view)', () => {
    const profiles = profilesFromObjects([
      xdmProfile({ email: 'a@x.com', segments: { 'seg-a': 'realized' } }),
      newPerson('n@x.com', { 'seg-b': 'realized' }),
    ]);
    const result = simulate(TWO, profiles, LEADS);
    assert.equal(result.summary.addToList, 0);
    assert.equal(result.summary.addedToLists, 2);
    assert.ok(
      toTextPlan(result, META).endsWith(
        'Plan: 1 to create, 1 to update, 2 to add to lists, 0 to skip (2 profiles).\n',
      ),
    );
    // New keys come last in their objects (the documented JSON key order).
    const json = toJsonReport(result);
    assert.ok(
      json.startsWith(
        '{"summary":{"profiles":2,"create":1,"update":1,"addToList":0,"skip":0,"removeFromList":0,"addedToLists":2,"removedFromLists":0},',
      ),
    );
    assert.ok(
      json.includes(
        '"minimumSeconds":0,"perList":[{"listId":"seg-a","members":1,"calls":1,"removed":0,"removeCalls":0},' +
          '{"listId":"seg-b","members":1,"calls":1,"removed":0,"removeCalls":0}],"leadLookupCalls":0,"removeFromListCalls":0},',
      ),
    );
    assert.ok(
      toMarkdownReport(result, META).includes('Leads added to lists: 2; removed from lists: 0.'),
    );
    const html = renderResultsHtml(
      { ...META, durationMs: 5, ...localRun(result) },
      { nonce: 'n', cspSource: 's', scriptUri: 'x.js', styleUri: 'x.css' },
    );
    assert.match(
      html,
      /class="card card-addToList" data-action="addToList"[^>]*><span class="card-count">2<\/span>/,
    );
    assert.match(
      html,
      /class="card card-removeFromList" data-action="removeFromList"[^>]*><span class="card-count">0<\/span>/,
    );
    // The card's filter shows the rows that add a lead to lists, whatever their action.
    assert.equal(filterRows(result.outcomes, 'addToList', '').length, 2);
    assert.equal(filterRows(result.outcomes, 'removeFromList', '').length, 0);
  });
});
