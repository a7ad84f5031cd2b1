import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, type Operation } from 'fast-json-patch';
import { main } from '../../server/src/cli/aep-dest';
import { runCli } from '../cliRunner';
import { REPO_ROOT, tempFiles } from '../helpers';

const run = runCli;
const FIXTURES = path.join(REPO_ROOT, 'examples/flow-service');
const fixture = (name: string): string => path.join(FIXTURES, name);
const WINBACK = path.join(REPO_ROOT, 'examples/winback.destination.json');

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
}

function parsed(text: string): Json {
  return JSON.parse(text) as Json;
}

/** The one object of a saved GET answer `{"items": [one]}`. */
function item(file: string): Json {
  return (readJson(fixture(file)).items as Json[])[0] as Json;
}

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

/** `import flow.json --target-connection … --audiences …` in a fresh directory, config in dest.json. */
async function imported(
  flow = 'flow.json',
  tc = 'target-connection.json',
): Promise<{ cwd: string; config: Json }> {
  const cwd = tempFiles();
  const r = await run(
    cwd,
    'import',
    fixture(flow),
    '--target-connection',
    fixture(tc),
    '--audiences',
    fixture('audiences.json'),
    '--out',
    'dest.json',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  return { cwd, config: readJson(path.join(cwd, 'dest.json')) };
}

const WINBACK_ID = '9f7d37fd-7039-4454-94ef-2b0cd6c3206a';
const OPPORTUNITIES_ID = 'f52a3785-2e7c-40a7-8137-9be99af7794e';
const WEBINAR_ID = '32a83b5d-a118-4bd6-b3cb-3aee2f4c30a1';
const NEW_AUDIENCE = { id: '0c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5', name: 'Trial sign-ups' };
const NEW_MAPPING = { source: 'mobilePhone.number', target: 'mobilePhone' };
const BASE = '/transformations/0/params';

/** The imported config renamed, an audience and two mappings dropped, one of each added. */
function edited(config: Json): Json {
  const audiences = (config.audiences as Json[]).filter((a) => a.id !== OPPORTUNITIES_ID);
  const mappings = (config.mappings as Json[]).filter((_, index) => index !== 3 && index !== 4);
  return {
    ...config,
    name: 'Winback known leads (EMEA)',
    audiences: [...audiences, NEW_AUDIENCE],
    mappings: [...mappings, NEW_MAPPING],
  };
}

describe('aep-dest import', () => {
  test('flow + target connection + audiences: the config and what was mapped and kept', async () => {
    const cwd = tempFiles();
    const r = await run(
      cwd,
      'import',
      fixture('flow.json'),
      '--target-connection',
      fixture('target-connection.json'),
      '--audiences',
      fixture('audiences.json'),
    );
    assert.equal(r.code, 0, r.stderr);
    const config = parsed(r.stdout);
    assert.ok(r.stdout.endsWith('}\n'));
    assert.deepEqual(
      {
        connector: config.connector,
        name: config.name,
        munchkinId: config.munchkinId,
        workspace: config.workspace,
        syncType: config.syncType,
        partition: config.partition,
        dedupeField: config.dedupeField,
        personAction: config.personAction,
      },
      {
        connector: 'marketo-engage',
        name: 'Winback known leads',
        munchkinId: '123-ABC-456',
        workspace: 'Default',
        syncType: 'audienceAndProfile',
        partition: 'EMEA',
        dedupeField: 'email',
        personAction: 'updateExistingAndCreateNew',
      },
    );
    assert.deepEqual(config.mappings, [
      { source: 'identityMap.Email', target: 'DedupeField' },
      { source: 'person.name.firstName', target: 'firstName' },
      { source: 'person.name.lastName', target: 'lastName' },
      { source: 'b2b.companyName', target: 'company' },
      { source: 'extendedWorkDetails.jobTitle', target: 'title' },
    ]);
    assert.deepEqual(config.audiences, [
      {
        id: WINBACK_ID,
        name: 'Winback 90 days',
        origin: 'segmentationService',
        type: 'people',
        evaluation: 'streaming',
      },
      {
        id: OPPORTUNITIES_ID,
        name: 'Contacts on open opportunities',
        origin: 'segmentationService',
        type: 'people',
        evaluation: 'batch',
      },
      { id: WEBINAR_ID, name: 'Webinar attendees (CRM upload)', origin: 'customUpload' },
    ]);
    const block = config.flowService as Json;
    assert.equal(block.flowId, '226fb2e1-db69-4760-b67e-9e671e05abfc');
    assert.equal(block.etag, '"8b0351ca-0000-0200-0000-61c4d6700000"');
    assert.deepEqual(lines(r.stderr), [
      'aep-dest: mapped param munchkinId → munchkinId "123-ABC-456"',
      'aep-dest: mapped param workspaceId → workspace "Default"',
      'aep-dest: mapped param syncType → syncType "audienceAndProfile"',
      'aep-dest: mapped param partition → partition "EMEA"',
      'aep-dest: mapped param deduplicationField → dedupeField "email"',
      'aep-dest: mapped param personAction → personAction "updateExistingAndCreateNew"',
      'aep-dest: kept as they were (flowService.targetConnection.params): alertsDestinationFlowRunFailure',
    ]);
  });

  test('the imported config validates without findings', async () => {
    const { cwd } = await imported();
    const r = await run(cwd, 'validate', 'dest.json');
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, '1 file checked: 0 errors, 0 warnings\n');
  });

  test('flow.single.json (one flow object) imports as the GET answer does', async () => {
    const cwd = tempFiles();
    const single = await run(cwd, 'import', fixture('flow.single.json'));
    const answer = await run(cwd, 'import', fixture('flow.json'));
    assert.equal(single.code, 0, single.stderr);
    assert.equal(single.stdout, answer.stdout);
    assert.equal(parsed(single.stdout).name, 'Winback known leads');
    // Without a target connection the connection keys are missing, and stderr says so.
    assert.equal(parsed(single.stdout).munchkinId, undefined);
    assert.match(single.stderr, /^aep-dest: warning: no target connection was read/m);
  });

  test('a POST body with UI-label param names and values gives the same connection keys', async () => {
    const cwd = tempFiles();
    const keys = [
      'munchkinId',
      'workspace',
      'syncType',
      'partition',
      'dedupeField',
      'personAction',
    ];
    const pick = (config: Json) => Object.fromEntries(keys.map((key) => [key, config[key]]));
    const post = await run(
      cwd,
      'import',
      fixture('flow.json'),
      '--target-connection',
      fixture('target-connection.post.json'),
    );
    const get = await run(
      cwd,
      'import',
      fixture('flow.json'),
      '--target-connection',
      fixture('target-connection.json'),
    );
    assert.equal(post.code, 0, post.stderr);
    assert.deepEqual(pick(parsed(post.stdout)), pick(parsed(get.stdout)));
    assert.equal(parsed(post.stdout).syncType, 'audienceAndProfile');
    assert.match(
      post.stderr,
      /^aep-dest: mapped param Sync type → syncType "audienceAndProfile"$/m,
    );
    assert.match(post.stderr, /^aep-dest: mapped param Munchkin ID → munchkinId "123-ABC-456"$/m);
  });

  test('--out that exists is refused without --force, and replaced with it', async () => {
    const cwd = tempFiles({ 'dest.json': 'mine\n' });
    const refused = await run(cwd, 'import', fixture('flow.json'), '--out', 'dest.json');
    assert.equal(refused.code, 2);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr, 'aep-dest: dest.json exists: give --force to overwrite it\n');
    assert.equal(fs.readFileSync(path.join(cwd, 'dest.json'), 'utf8'), 'mine\n');
    const forced = await run(cwd, 'import', fixture('flow.json'), '--out', 'dest.json', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readJson(path.join(cwd, 'dest.json')).name, 'Winback known leads');
  });

  test('malformed JSON: one line with file:line:column, exit 2, no output file', async () => {
    const cwd = tempFiles({ 'flow.json': '{\n  "items": [\n    {"id": "x",}\n  ]\n}\n' });
    const r = await run(cwd, 'import', 'flow.json', '--out', 'dest.json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'aep-dest: flow.json:3:16: invalid JSON (PropertyNameExpected)\n');
    assert.equal(fs.existsSync(path.join(cwd, 'dest.json')), false);
  });

  test('a malformed --target-connection file is named', async () => {
    const cwd = tempFiles({ 'tc.json': '{"params": ' });
    const r = await run(cwd, 'import', fixture('flow.json'), '--target-connection', 'tc.json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'aep-dest: tc.json:1:12: invalid JSON (ValueExpected)\n');
  });

  test('a JSON array instead of a flow: the file and the pointer', async () => {
    const cwd = tempFiles({ 'flow.json': '[{"id": "x"}]\n' });
    const r = await run(cwd, 'import', 'flow.json', '--out', 'dest.json');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'aep-dest: flow.json: (top level): expected a JSON object (flow)\n');
    assert.equal(fs.existsSync(path.join(cwd, 'dest.json')), false);
  });

  test('a flow without a GeneralTransform names the pointer', async () => {
    const cwd = tempFiles({
      'flow.json': JSON.stringify({ items: [{ id: 'x', transformations: [{ name: 'Other' }] }] }),
    });
    const r = await run(cwd, 'import', 'flow.json');
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'aep-dest: flow.json: /items/0/transformations: no "GeneralTransform" transformation: is this a destination dataflow?\n',
    );
  });

  test('a missing file: one line, exit 2', async () => {
    const cwd = tempFiles();
    const r = await run(cwd, 'import', 'nope.json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'aep-dest: cannot read nope.json: no such file\n');
  });

  test('usage errors: no flow, an unknown --card', async () => {
    const cwd = tempFiles();
    const none = await run(cwd, 'import');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^aep-dest: no flow file given$/m);
    const card = await run(cwd, 'import', fixture('flow.json'), '--card', 'v1');
    assert.equal(card.code, 2);
    assert.match(card.stderr, /unknown card 'v1' \(expected v2, person-sync, connection\)/);
  });

  test('--help says what is read and the exit codes', async () => {
    const r = await run(tempFiles(), 'import', '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: aep-dest import <flow\.json>/);
    assert.match(r.stdout, /--target-connection <file>/);
    assert.match(r.stdout, /Exit codes: 0 imported, 2 usage or file error/);
  });
});

describe('aep-dest import: older cards', () => {
  test('(V2) Marketo Engage: carried and not carried; only the missing workspace fails validation', async () => {
    const cwd = tempFiles();
    const r = await run(
      cwd,
      'import',
      fixture('v2-flow.json'),
      '--target-connection',
      fixture('v2-target-connection.json'),
      '--audiences',
      fixture('audiences.json'),
      '--out',
      'dest.json',
    );
    assert.equal(r.code, 0, r.stderr);
    const err = lines(r.stderr);
    assert.ok(
      err.includes(
        'aep-dest: migrated from (V2) Marketo Engage to Marketo Engage Connection (Adobe migrates nothing itself):',
      ),
      r.stderr,
    );
    assert.ok(
      err.includes(
        'aep-dest:   carried over: person creation "Match Existing Marketo People and Create Missing People in Marketo" → personAction updateExistingAndCreateNew',
      ),
      r.stderr,
    );
    assert.ok(
      err.includes(
        'aep-dest:   not carried: identity identityMap.ECID → ECID: Marketo cannot deduplicate on ECID, and the Connection sends no ECID',
      ),
      r.stderr,
    );
    assert.ok(
      err.includes(
        'aep-dest:   not carried: workspace: the (V2) Marketo Engage connection has none: set it in the config',
      ),
      r.stderr,
    );
    const config = readJson(path.join(cwd, 'dest.json'));
    assert.equal(config.personAction, 'updateExistingAndCreateNew');
    assert.equal(config.workspace, undefined);
    assert.deepEqual((config.flowService as Json).migratedFrom, {
      card: 'marketoEngageV2',
      flowId: '3d2e1f0a-9b8c-4d7e-a6f5-e4d3c2b1a098',
      targetConnectionParams: item('v2-target-connection.json').params,
    });
    // Validated as a Connection config, the one error is the workspace the report says is missing.
    const v = await run(cwd, 'validate', 'dest.json');
    assert.equal(v.code, 1);
    assert.deepEqual(lines(v.stdout), [
      'dest.json:1:1 error schema Missing required property "workspace".',
      '1 file checked: 1 error, 0 warnings',
    ]);
    // With the workspace set, it is a valid Marketo Engage Connection config.
    fs.writeFileSync(
      path.join(cwd, 'dest.json'),
      JSON.stringify({ ...config, workspace: 'Default' }),
    );
    const fixed = await run(cwd, 'validate', 'dest.json');
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.match(fixed.stdout, /0 errors/);
  });

  test('Marketo Engage Person Sync: carried and not carried; the config has no errors', async () => {
    const cwd = tempFiles();
    const r = await run(
      cwd,
      'import',
      fixture('person-sync-flow.json'),
      '--target-connection',
      fixture('person-sync-target-connection.json'),
      '--out',
      'dest.json',
    );
    assert.equal(r.code, 0, r.stderr);
    const err = lines(r.stderr);
    assert.ok(
      err.includes(
        'aep-dest: migrated from Marketo Engage Person Sync to Marketo Engage Connection (Adobe migrates nothing itself):',
      ),
      r.stderr,
    );
    assert.ok(
      err.includes(
        'aep-dest:   carried over: person records → syncType profileOnly (Person Sync kept leads in step, without lists)',
      ),
      r.stderr,
    );
    assert.ok(err.includes('aep-dest:   carried over: searchable field email → dedupeField email'));
    assert.ok(
      err.includes(
        'aep-dest:   not carried: searchable field sfdcLeadId: the Connection deduplicates on one field only',
      ),
      r.stderr,
    );
    const config = readJson(path.join(cwd, 'dest.json'));
    assert.equal(config.syncType, 'profileOnly');
    assert.equal(config.dedupeField, 'email');
    const v = await run(cwd, 'validate', 'dest.json');
    assert.equal(v.code, 0, v.stdout);
    // Its only finding is the warning that a config without audiences sends nothing.
    assert.deepEqual(
      lines(v.stdout).map((line) => line.split(' ').slice(1, 3).join(' ')),
      ['warning no-audiences', 'file checked:'],
    );
  });

  test('--card overrides the detection: a v2 dataflow read as a Connection keeps a flowService block', async () => {
    const cwd = tempFiles();
    const r = await run(
      cwd,
      'import',
      fixture('v2-flow.json'),
      '--target-connection',
      fixture('v2-target-connection.json'),
      '--card',
      'connection',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /migrated from/);
    const block = parsed(r.stdout).flowService as Json;
    assert.equal(block.migratedFrom, undefined);
    assert.equal(block.flowId, '3d2e1f0a-9b8c-4d7e-a6f5-e4d3c2b1a098');
  });
});

describe('aep-dest export', () => {
  test('import → export --out-dir gives back the target connection and the flow', async () => {
    const { cwd } = await imported();
    const r = await run(cwd, 'export', 'dest.json', '--out-dir', 'payloads');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'payloads/target-connection.json\npayloads/flow.json\n');
    assert.equal(r.stderr, '', 'an imported config needs no placeholder');
    const tcText = fs.readFileSync(path.join(cwd, 'payloads/target-connection.json'), 'utf8');
    const flowText = fs.readFileSync(path.join(cwd, 'payloads/flow.json'), 'utf8');
    assert.equal(tcText, `${JSON.stringify(JSON.parse(tcText), null, 2)}\n`, 'two-space JSON');
    assert.equal(flowText, `${JSON.stringify(JSON.parse(flowText), null, 2)}\n`, 'two-space JSON');
    const tc = parsed(tcText);
    const flow = parsed(flowText);
    const tcIn = item('target-connection.json');
    const flowIn = item('flow.json');
    assert.deepEqual(tc.params, tcIn.params);
    for (const key of ['name', 'baseConnectionId', 'connectionSpec', 'data']) {
      assert.deepEqual(tc[key], tcIn[key], key);
    }
    assert.deepEqual(flow.transformations, flowIn.transformations);
    for (const key of [
      'name',
      'description',
      'flowSpec',
      'sourceConnectionIds',
      'targetConnectionIds',
    ]) {
      assert.deepEqual(flow[key], flowIn[key], key);
    }
    // Without --out-dir: the same two bodies on stdout.
    const out = await run(cwd, 'export', 'dest.json');
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(parsed(out.stdout), { targetConnection: tc, flow });
  });

  test('a config never imported: placeholders on stderr and a valid GeneralTransform', async () => {
    const cwd = tempFiles();
    const r = await run(cwd, 'export', WINBACK);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stderr), [
      'aep-dest: placeholder {BASE_CONNECTION_ID}: the id of the Marketo account connection (GET /connections)',
      "aep-dest: placeholder {MARKETO_ENGAGE_CONNECTION_SPEC_ID}: Adobe does not publish the Marketo Engage Connection card's connection spec id (GET /connectionSpecs)",
      'aep-dest: placeholder {PROFILE_SOURCE_CONNECTION_ID}: the source connection to the Profile store',
      'aep-dest: placeholder {TARGET_CONNECTION_ID}: the id POST /targetConnections answers',
    ]);
    const { targetConnection, flow } = parsed(r.stdout) as { targetConnection: Json; flow: Json };
    assert.equal(targetConnection.baseConnectionId, '{BASE_CONNECTION_ID}');
    assert.deepEqual(flow.sourceConnectionIds, ['{PROFILE_SOURCE_CONNECTION_ID}']);
    const transformations = flow.transformations as Json[];
    assert.equal(transformations.length, 1);
    const transform = transformations[0] as Json;
    assert.equal(transform.name, 'GeneralTransform');
    const params = transform.params as Json;
    const profile = (params.profileSelectors as Json).selectors as Json[];
    const segment = (params.segmentSelectors as Json).selectors as Json[];
    assert.equal(profile.length, 5);
    for (const selector of profile) {
      assert.equal(selector.type, 'JSON_PATH');
      const value = selector.value as Json;
      assert.equal(value.operator, 'EXISTS');
      assert.equal(typeof (value.mapping as Json).destination, 'string');
    }
    assert.deepEqual(
      segment.map((s) => [s.type, (s.value as Json).id, (s.value as Json).name]),
      [
        ['PLATFORM_SEGMENT', 'seg-winback', 'Winback 90 days'],
        ['PLATFORM_SEGMENT', 'seg-open-opportunities', 'Contacts on open opportunities'],
      ],
    );
    // Importing the exported flow gives back the config's mappings and audience ids.
    const winback = readJson(WINBACK);
    fs.writeFileSync(path.join(cwd, 'flow.json'), JSON.stringify(flow));
    const back = await run(cwd, 'import', 'flow.json');
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(parsed(back.stdout).mappings, winback.mappings);
    assert.deepEqual(
      (parsed(back.stdout).audiences as Json[]).map((a) => a.id),
      (winback.audiences as Json[]).map((a) => a.id),
    );
  });

  test('a config with errors is refused: exit 1, the errors, nothing written', async () => {
    const cwd = tempFiles({ 'dest.json': '{ "connector": "marketo-engage", "mappings": 3 }\n' });
    const r = await run(cwd, 'export', 'dest.json', '--out-dir', 'payloads');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^dest\.json:\d+:\d+ error /m);
    assert.match(r.stderr, /^aep-dest: dest\.json has errors: fix them before exporting$/m);
    assert.equal(fs.existsSync(path.join(cwd, 'payloads')), false);
  });

  test('all or nothing: when flow.json cannot be written, target-connection.json is not left', async () => {
    const { cwd } = await imported();
    // A non-empty directory where flow.json should go: renaming onto it fails.
    fs.mkdirSync(path.join(cwd, 'payloads/flow.json/inside'), { recursive: true });
    const r = await run(cwd, 'export', 'dest.json', '--out-dir', 'payloads');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^aep-dest: cannot write payloads\/flow\.json: .* \(nothing written\)\n$/,
    );
    assert.deepEqual(fs.readdirSync(path.join(cwd, 'payloads')), ['flow.json']);
  });

  test('--out-dir is created with its parents', async () => {
    const { cwd } = await imported();
    const r = await run(cwd, 'export', 'dest.json', '--out-dir', 'a/b/c');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(cwd, 'a/b/c')).sort(), [
      'flow.json',
      'target-connection.json',
    ]);
  });
});

describe('aep-dest plan', () => {
  test('no change: "No changes" and an empty patch, exit 0', async () => {
    const { cwd } = await imported();
    const text = await run(cwd, 'plan', 'dest.json', '--flow', fixture('flow.json'));
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      'No changes: flow "Winback known leads" (226fb2e1-db69-4760-b67e-9e671e05abfc) already matches the config.\n',
    );
    assert.equal(text.stderr, '');
    const json = await run(cwd, 'plan', 'dest.json', '--flow', fixture('flow.json'), '-f', 'json');
    assert.equal(json.code, 0, json.stderr);
    const plan = parsed(json.stdout);
    assert.deepEqual(plan.patch, []);
    assert.equal(plan.ifMatch, '"8b0351ca-0000-0200-0000-61c4d6700000"');
    assert.equal((plan.summary as Json).unchanged, true);
  });

  test('after editing the config: the changes as text and as a patch that imports back', async () => {
    const { cwd, config } = await imported();
    const wanted = edited(config);
    fs.writeFileSync(path.join(cwd, 'edited.json'), JSON.stringify(wanted, null, 2));

    const text = await run(cwd, 'plan', 'edited.json', '--flow', fixture('flow.json'));
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(lines(text.stdout), [
      'Plan for flow "Winback known leads" (226fb2e1-db69-4760-b67e-9e671e05abfc), If-Match "8b0351ca-0000-0200-0000-61c4d6700000":',
      '  ~ name: "Winback known leads" → "Winback known leads (EMEA)"',
      `  - audience ${OPPORTUNITIES_ID} "Contacts on open opportunities" (segment selector 1)`,
      `  + audience ${NEW_AUDIENCE.id} "Trial sign-ups"`,
      '  - mapping extendedWorkDetails.jobTitle → title (profile selector 4)',
      '  - mapping b2b.companyName → company (profile selector 3)',
      '  + mapping mobilePhone.number → mobilePhone',
      '6 operations: 1 audience to add, 1 audience to remove, 1 mapping to add, 2 mappings to remove, name to replace.',
    ]);
    assert.doesNotMatch(text.stdout, /\u001b\[/, 'no colour off a terminal');

    const json = await run(
      cwd,
      'plan',
      'edited.json',
      '--flow',
      fixture('flow.json'),
      '-f',
      'json',
    );
    assert.equal(json.code, 0, json.stderr);
    const plan = parsed(json.stdout) as { ifMatch: string; patch: Operation[] };
    assert.equal(plan.ifMatch, '"8b0351ca-0000-0200-0000-61c4d6700000"');
    assert.deepEqual(
      plan.patch.map((op) => [op.op, op.path]),
      [
        ['replace', '/name'],
        ['remove', `${BASE}/segmentSelectors/selectors/1`],
        ['add', `${BASE}/segmentSelectors/selectors/-`],
        ['remove', `${BASE}/profileSelectors/selectors/4`],
        ['remove', `${BASE}/profileSelectors/selectors/3`],
        ['add', `${BASE}/profileSelectors/selectors/-`],
      ],
    );

    // The patch, applied to the flow as Experience Platform would, imports as the edited config.
    const flow = applyPatch(
      structuredClone(item('flow.json')),
      plan.patch,
      true,
      false,
    ).newDocument;
    fs.writeFileSync(path.join(cwd, 'patched.json'), JSON.stringify({ items: [flow] }));
    const back = await run(
      cwd,
      'import',
      'patched.json',
      '--target-connection',
      fixture('target-connection.json'),
      '--audiences',
      fixture('audiences.json'),
    );
    assert.equal(back.code, 0, back.stderr);
    const reimported = parsed(back.stdout);
    assert.equal(reimported.name, wanted.name);
    assert.deepEqual(reimported.mappings, wanted.mappings);
    assert.deepEqual(reimported.audiences, wanted.audiences);
    // And planning the edited config against the patched flow finds nothing left to do.
    const again = await run(cwd, 'plan', 'edited.json', '--flow', 'patched.json', '-f', 'json');
    assert.deepEqual(parsed(again.stdout).patch, []);
  });

  test('a target connection whose syncType differs: the note, and no patch for it', async () => {
    const { cwd } = await imported();
    const tc = readJson(fixture('target-connection.json'));
    const only = (tc.items as Json[])[0] as Json;
    only.params = { ...(only.params as Json), syncType: 'PROFILE_ONLY' };
    fs.writeFileSync(path.join(cwd, 'tc.json'), JSON.stringify(tc));
    const r = await run(
      cwd,
      'plan',
      'dest.json',
      '--flow',
      fixture('flow.json'),
      '--target-connection',
      'tc.json',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      'No changes: flow "Winback known leads" (226fb2e1-db69-4760-b67e-9e671e05abfc) already matches the config.',
      'Not in this plan:',
      '  ! syncType is audienceAndProfile in the config but "PROFILE_ONLY" in the target connection (param syncType): PATCH /flows cannot change it; edit the destination\'s connection in Experience Platform',
    ]);
  });

  test('colour only on a terminal, and not with --no-color or NO_COLOR', async () => {
    const { cwd, config } = await imported();
    fs.writeFileSync(path.join(cwd, 'edited.json'), JSON.stringify(edited(config)));
    const plan = async (env: Record<string, string>, ...extra: string[]): Promise<string> => {
      let stdout = '';
      const code = await main(['plan', 'edited.json', '--flow', fixture('flow.json'), ...extra], {
        stdout: (s) => (stdout += s),
        stderr: () => undefined,
        cwd,
        isTTY: true,
        env,
      });
      assert.equal(code, 0);
      return stdout;
    };
    const colored = await plan({});
    assert.match(colored, /^ {2}\u001b\[31m- mapping b2b\.companyName → company .*\u001b\[0m$/m);
    assert.match(
      colored,
      /^ {2}\u001b\[32m\+ mapping mobilePhone\.number → mobilePhone\u001b\[0m$/m,
    );
    assert.doesNotMatch(await plan({}, '--no-color'), /\u001b\[/);
    assert.doesNotMatch(await plan({ NO_COLOR: '1' }), /\u001b\[/);
  });

  test('plan refuses a config with errors (exit 1) and needs --flow', async () => {
    const cwd = tempFiles({ 'dest.json': '{ "connector": "marketo-engage", "mappings": 3 }\n' });
    const bad = await run(cwd, 'plan', 'dest.json', '--flow', fixture('flow.json'));
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^aep-dest: dest\.json has errors: fix them before planning$/m);
    const none = await run(cwd, 'plan', WINBACK);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^aep-dest: no --flow given/);
  });

  test('a malformed --flow file is named with its line and column', async () => {
    const cwd = tempFiles({ 'flow.json': '{"items": [\n' });
    const r = await run(cwd, 'plan', WINBACK, '--flow', 'flow.json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^aep-dest: flow\.json:2:1: invalid JSON \(\w+\)\n$/);
  });
});
