// The results view's pages over the protocol: simulate, then page requests (the first page, a
// filtered, a searched and a sorted page, past the end), an unknown run, bad params, a re-run,
// closing the results panel and closing the config (each forgets the run), and Export's whole
// report.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  SimulateResponse,
  SimulationPageParams,
  SimulationPageResponse,
  SimulationReportResponse,
} from '../../common/protocol';
import { VALID_CONFIG, tempFiles } from '../helpers';
import { LspTestClient } from '../lspClient';

const PROFILES = 250;
/** 250 profiles: every 5th has no email (skipped), every 10th is already a lead (updated). */
function profilesCsv(): string {
  const rows = Array.from({ length: PROFILES }, (_, i) =>
    i % 5 === 4 ? `,F${i},L${i}` : `p${i}@x.com,F${i},L${i}`,
  );
  return `identityMap.Email,person.name.firstName,person.name.lastName\n${rows.join('\n')}\n`;
}
function leadsJson(): string {
  const leads = Array.from({ length: PROFILES / 10 }, (_, k) => ({
    id: 1000 + k,
    email: `p${k * 10}@x.com`,
    firstName: 'Old',
    partition: 'EMEA',
    updatedAt: '2026-01-01T00:00:00Z',
  }));
  return JSON.stringify(leads);
}

type Page = Extract<SimulationPageResponse, { kind: 'page' }>;

describe('aepDestination/simulationPage over the protocol', () => {
  let client: LspTestClient;
  let uri: string;
  let dir: string;
  let result: Extract<SimulateResponse, { kind: 'result' }>;

  const simulate = async (): Promise<Extract<SimulateResponse, { kind: 'result' }>> => {
    const response = await client.connection.sendRequest<SimulateResponse>(
      'aepDestination/simulate',
      { uri, profiles: path.join(dir, 'p.csv'), leads: path.join(dir, 'l.json') },
    );
    assert.equal(response.kind, 'result');
    if (response.kind !== 'result') throw new Error('unreachable');
    return response;
  };
  const page = (params: Partial<SimulationPageParams>): Promise<SimulationPageResponse> =>
    client.connection.sendRequest<SimulationPageResponse>('aepDestination/simulationPage', {
      uri,
      runId: result.runId,
      offset: 0,
      limit: 100,
      filter: {},
      sort: { column: 'index', direction: 'asc' },
      ...params,
    });
  const pageOf = async (params: Partial<SimulationPageParams>): Promise<Page> => {
    const response = await page(params);
    assert.equal(response.kind, 'page', JSON.stringify(response).slice(0, 300));
    return response;
  };

  before(async () => {
    dir = tempFiles({ 'p.csv': profilesCsv(), 'l.json': leadsJson() });
    client = new LspTestClient();
    await client.initialize();
    uri = pathToFileURL(path.join(dir, 'pages.destination.json')).href;
    await client.open(uri, VALID_CONFIG);
    result = await simulate();
  });
  after(async () => assert.equal(await client.stop(), 0));

  test('the simulate answer carries the overview and the first page, not every outcome', () => {
    assert.equal('outcomes' in result.result, false);
    assert.equal(result.result.summary.profiles, PROFILES);
    assert.equal(result.result.summary.skip, PROFILES / 5);
    assert.equal(result.firstPage.total, PROFILES);
    assert.equal(result.firstPage.rows.length, 100);
    assert.deepEqual(
      result.firstPage.rows.slice(0, 3).map((o) => o.line),
      [2, 3, 4],
    );
  });

  test('the first page and the next ones, then past the end', async () => {
    const first = await pageOf({});
    assert.deepEqual(first.rows, result.firstPage.rows);
    const third = await pageOf({ offset: 200 });
    assert.deepEqual([third.offset, third.matching, third.rows.length], [200, PROFILES, 50]);
    assert.equal(third.rows[0]!.index, 200);
    const past = await pageOf({ offset: 10_000 });
    assert.deepEqual([past.offset, past.rows.length, past.matching], [PROFILES, 0, PROFILES]);
  });

  test('a filtered, a searched and a sorted page', async () => {
    const skips = await pageOf({ filter: { outcome: 'skip' } });
    assert.equal(skips.matching, PROFILES / 5);
    assert.ok(skips.rows.every((o) => o.action === 'skip' && o.reason !== null));
    const updates = await pageOf({ filter: { outcome: 'update', search: 'p10' } });
    assert.deepEqual(
      updates.rows.map((o) => o.dedupeValue),
      ['p10@x.com', 'p100@x.com'],
    );
    const byLead = await pageOf({ sort: { column: 'leadId', direction: 'desc' }, limit: 3 });
    assert.deepEqual(
      byLead.rows.map((o) => o.leadId),
      ['1024', '1023', '1022'],
    );
    const none = await pageOf({ filter: { search: 'nobody@nowhere' } });
    assert.deepEqual([none.matching, none.rows.length, none.total], [0, 0, PROFILES]);
  });

  test('an unknown run answers unknownRun; bad params an error; the server lives on', async () => {
    const unknown = await page({ runId: 'not-a-run' });
    assert.equal(unknown.kind, 'unknownRun');
    if (unknown.kind === 'unknownRun') assert.match(unknown.message, /run Simulate Export again/);
    await assert.rejects(page({ offset: -1 }), (error: { code?: number }) => error.code === -32603);
    await assert.rejects(
      client.connection.sendRequest('aepDestination/simulationPage', null),
      (error: { code?: number }) => error.code === -32603,
    );
    assert.equal((await pageOf({ limit: 1 })).rows.length, 1);
  });

  test('Export gets the whole report of the run', async () => {
    const report = await client.connection.sendRequest<SimulationReportResponse>(
      'aepDestination/simulationReport',
      { uri, runId: result.runId, format: 'csv', meta: {} },
    );
    assert.equal(report.kind, 'report');
    if (report.kind === 'report')
      assert.equal(report.text.trimEnd().split('\n').length, 1 + PROFILES);
  });

  test('closing the results panel forgets its run, not a newer one', async () => {
    const closed = (runId: string): Promise<void> =>
      client.connection.sendNotification('aepDestination/simulationClosed', { uri, runId });
    const before = result.runId;
    result = await simulate();
    await closed(before);
    assert.equal((await page({})).kind, 'page', 'the panel of an older run closed');
    await closed(result.runId);
    assert.equal((await page({})).kind, 'unknownRun');
    result = await simulate();
  });

  test('a re-run and closing the config forget the run', async () => {
    const before = result.runId;
    result = await simulate();
    assert.notEqual(result.runId, before);
    assert.equal((await page({ runId: before })).kind, 'unknownRun');
    assert.equal((await page({})).kind, 'page');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.equal((await page({})).kind, 'unknownRun');
  });
});
