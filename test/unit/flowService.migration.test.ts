// Importing a dataflow of the older Marketo cards gives a Marketo Engage Connection config and a
// migration report (issue 11, point 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importDataflow } from '../../server/src/flowService/importFlow';
import { importReportLines } from '../../common/importReportText';
import { detectLegacyCard } from '../../server/src/flowService/migration';
import { saved } from '../fixtures/flowFixtures';
import { service, textDocument } from '../helpers';

function errorCodes(config: unknown): string[] {
  return service()
    .validate(textDocument(JSON.stringify(config, null, 2)))
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.code}: ${f.message}`);
}

test('(V2) Marketo Engage: person creation → personAction, Email identity → DedupeField, ECID and list ids not carried', () => {
  const { config, report } = importDataflow({
    flow: saved('v2-flow.json'),
    targetConnection: saved('v2-target-connection.json'),
  });
  assert.equal(config.connector, 'marketo-engage');
  assert.equal(config.syncType, 'audienceAndProfile');
  assert.equal(config.personAction, 'updateExistingAndCreateNew');
  assert.equal(config.dedupeField, 'email');
  assert.deepEqual(config.mappings, [
    { source: 'identityMap.Email', target: 'DedupeField' },
    { source: 'person.name.firstName', target: 'firstName' },
    { source: 'person.name.lastName', target: 'lastName' },
  ]);
  const migration = report.migration;
  assert.equal(migration?.from, 'marketoEngageV2');
  assert.match(
    migration?.carried.join('\n') ?? '',
    /person creation "Match Existing Marketo People and Create Missing People in Marketo" → personAction updateExistingAndCreateNew/,
  );
  assert.match(migration?.notCarried.join('\n') ?? '', /ECID: Marketo cannot deduplicate on ECID/);
  assert.match(
    migration?.notCarried.join('\n') ?? '',
    /static-list mapping id "1042" of audience 9f7d37fd/,
  );
  assert.match(
    migration?.notCarried.join('\n') ?? '',
    /workspace: the \(V2\) Marketo Engage connection has none/,
  );
  // What the report says is missing is all that is wrong.
  assert.deepEqual(errorCodes(config), ['schema: Missing required property "workspace".']);
  assert.equal(
    (config.flowService as { migratedFrom: { card: string } }).migratedFrom.card,
    'marketoEngageV2',
  );
});

test('"Match Existing Marketo People Only" → updateExistingOnly', () => {
  const tc = saved('v2-target-connection.json');
  const item = (tc.value as { items: { params: Record<string, unknown> }[] }).items[0]!;
  item.params.personCreation = 'Match Existing Marketo People Only';
  const { config } = importDataflow({ flow: saved('v2-flow.json'), targetConnection: tc });
  assert.equal(config.personAction, 'updateExistingOnly');
});

test('Marketo Engage Person Sync: first searchable field → dedupeField, its mapping → DedupeField, the second not carried', () => {
  const { config, report } = importDataflow({
    flow: saved('person-sync-flow.json'),
    targetConnection: saved('person-sync-target-connection.json'),
  });
  assert.equal(config.syncType, 'profileOnly');
  assert.equal(config.dedupeField, 'email');
  assert.equal(config.partition, 'EMEA');
  assert.deepEqual((config.mappings as unknown[])[0], {
    source: 'workEmail.address',
    target: 'DedupeField',
  });
  assert.equal(report.migration?.from, 'marketoEngagePersonSync');
  assert.match(
    report.migration?.notCarried.join('\n') ?? '',
    /searchable field sfdcLeadId: the Connection deduplicates on one field only/,
  );
  assert.deepEqual(errorCodes(config), []);
  const lines = importReportLines(report);
  assert.ok(
    lines.includes(
      'migrated from Marketo Engage Person Sync to Marketo Engage Connection (Adobe migrates nothing itself):',
    ),
  );
  assert.ok(lines.some((line) => line.startsWith('  not carried: searchable field sfdcLeadId')));
});

test('the card is detected from the params, and a Connection target connection is not migrated', () => {
  assert.equal(detectLegacyCard({ personCreation: 'x' }), 'marketoEngageV2');
  assert.equal(
    detectLegacyCard({ 'Person creation': 'Match Existing Marketo People Only' }),
    'marketoEngageV2',
  );
  assert.equal(
    detectLegacyCard({ searchable_fields: 'email,sfdcLeadId' }),
    'marketoEngagePersonSync',
  );
  assert.equal(detectLegacyCard({ munchkinId: '1', syncType: 'PROFILE_ONLY' }), 'connection');
  const { report } = importDataflow({
    flow: saved('flow.json'),
    targetConnection: saved('target-connection.json'),
  });
  assert.equal(report.migration, undefined);
});

test('--card overrides the detection', () => {
  const { report } = importDataflow({
    flow: saved('person-sync-flow.json'),
    targetConnection: saved('person-sync-target-connection.json'),
    card: 'connection',
  });
  assert.equal(report.migration, undefined);
  assert.ok(report.kept.includes('searchableFields'));
});
