// marketoPartitions: the partitions.json format, unknown-partition (fire / no fire, ranges, quick
// fix), marketo-partitions-unreadable, completion and hover of partition, and the simulation's
// naming of leadPartitionId, in the editor and with `aep-dest simulate --partitions`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parsePartitions } from '../../server/src/knowledge/marketoPartitions';
import { CatalogFormatError } from '../../server/src/knowledge/marketoFields';
import { runCli } from '../cliRunner';
import { labels } from './completionHelpers';
import {
  REPO_ROOT,
  VALID_CONFIG,
  applyEdits,
  edit,
  findingsOf,
  insertAfter,
  memoryHost,
  service,
  tempFiles,
  textAt,
  textDocument,
  withCursor,
} from '../helpers';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'marketo-partitions');
const PARTITIONS = fs.readFileSync(join(DIR, 'partitions.json'), 'utf8');
const CONFIG_PATH = resolve('/partitions/dest.destination.json');
const URI = pathToFileURL(CONFIG_PATH).href;
const FILE = resolve('/partitions/marketo/partitions.json');

/** VALID_CONFIG (partition "EMEA") with marketoPartitions and `partition` replaced. */
function config(partition = 'EMEA', file = './marketo/partitions.json'): string {
  const withFile = insertAfter(
    VALID_CONFIG,
    '"connector": "marketo-engage",',
    `\n  "marketoPartitions": ${JSON.stringify(file)},`,
  );
  return edit(withFile, '"partition": "EMEA"', `"partition": ${JSON.stringify(partition)}`);
}

function run(text: string, files: Record<string, string> = { [FILE]: PARTITIONS }) {
  const svc = service(memoryHost(files));
  const doc = textDocument(text, URI);
  return { svc, doc, findings: svc.validate(doc) };
}

describe('partitions.json format', () => {
  test('the fixture: ids as text, names, descriptions', () => {
    const list = parsePartitions(JSON.parse(PARTITIONS));
    assert.deepEqual(
      list.partitions.map((p) => [p.id, p.name]),
      [
        ['1', 'Default'],
        ['2', 'EMEA'],
        ['3', 'Americas'],
      ],
    );
    assert.equal(list.nameById.get('2'), 'EMEA');
    assert.equal(list.byName.get('Default')?.description, 'Initial system lead partition');
  });

  test('the bare result array', () => {
    assert.equal(parsePartitions([{ id: 4, name: 'APAC' }]).nameById.get('4'), 'APAC');
  });

  test('not a partitions answer: a reason naming the entry', () => {
    assert.throws(
      () => parsePartitions({ result: [{ id: 1 }] }),
      /result\[0\] has no string "name"/,
    );
    assert.throws(() => parsePartitions({ result: [{ name: 'X' }] }), /no integer "id"/);
    assert.throws(() => parsePartitions({ fields: [] }), CatalogFormatError);
  });
});

describe('unknown-partition', () => {
  test('fires on a partition the file does not list, on the value, with did-you-mean', () => {
    const text = config('EMAE');
    const [finding, ...rest] = findingsOf(run(text).findings, 'unknown-partition');
    assert.ok(finding);
    assert.deepEqual(rest, []);
    assert.equal(finding.severity, 'error');
    assert.equal(textAt(text, finding.range), '"EMAE"');
    assert.match(
      finding.message,
      /"EMAE" is not a lead partition .*partitions\.json.*Did you mean "EMEA"\?/,
    );
    assert.deepEqual(finding.data?.replacements, ['EMEA']);
  });

  test('a case slip suggests the name in its case', () => {
    const [finding] = findingsOf(run(config('emea')).findings, 'unknown-partition');
    assert.deepEqual(finding?.data?.replacements, ['EMEA']);
  });

  test('far from every name: lists the partitions, no fix', () => {
    const [finding] = findingsOf(run(config('Nordics Sales')).findings, 'unknown-partition');
    assert.ok(finding);
    assert.match(finding.message, /Its partitions: "Default", "EMEA", "Americas"\./);
    assert.equal(finding.data, undefined);
  });

  test('quick fix: replaces the value, and the finding goes', () => {
    const text = config('EMAE');
    const { svc, doc, findings } = run(text);
    const [finding] = findingsOf(findings, 'unknown-partition');
    assert.ok(finding);
    const [action] = svc.codeActions(doc, finding.range, [finding]);
    assert.equal(action?.title, 'Change to "EMEA"');
    const fixed = applyEdits(text, action?.edit.changes[URI] ?? []);
    assert.equal(fixed, config('EMEA'));
    assert.deepEqual(findingsOf(run(fixed).findings, 'unknown-partition'), []);
  });

  test('does not fire: a listed partition, no partition, no file, audienceOnly', () => {
    assert.deepEqual(findingsOf(run(config('EMEA')).findings, 'unknown-partition'), []);
    assert.deepEqual(findingsOf(run(config('Default')).findings, 'unknown-partition'), []);
    const noPartition = edit(config(), '"partition": "EMEA",\n', '');
    assert.deepEqual(findingsOf(run(noPartition).findings, 'unknown-partition'), []);
    assert.deepEqual(
      findingsOf(run(edit(VALID_CONFIG, '"EMEA"', '"Nowhere"')).findings, 'unknown-partition'),
      [],
    );
    const audienceOnly = edit(config('Nowhere'), '"audienceAndProfile"', '"audienceOnly"');
    assert.deepEqual(findingsOf(run(audienceOnly).findings, 'unknown-partition'), []);
  });
});

describe('marketo-partitions-unreadable', () => {
  test('a missing file: one error on the value, naming the path', () => {
    const text = config('EMEA', './nope.json');
    const { findings } = run(text);
    const found = findingsOf(findings, 'marketo-partitions-unreadable');
    assert.equal(found.length, 1);
    assert.equal(textAt(text, found[0]!.range), '"./nope.json"');
    assert.match(found[0]!.message, /nope\.json does not exist/);
    assert.deepEqual(findingsOf(findings, 'unknown-partition'), []);
  });

  test('invalid JSON: the line and column', () => {
    const { findings } = run(config(), { [FILE]: '{\n  "result": [\n    { "id": 1, }\n  ' });
    const [finding] = findingsOf(findings, 'marketo-partitions-unreadable');
    assert.match(finding?.message ?? '', /partitions\.json:\d+:\d+: invalid JSON/);
  });

  test('not a partitions answer: says why', () => {
    const { findings } = run(config(), { [FILE]: '{"result":[{"id":1}]}' });
    const [finding] = findingsOf(findings, 'marketo-partitions-unreadable');
    assert.match(finding?.message ?? '', /result\[0\] has no string "name"/);
  });

  test('silent when the file loads or is not set', () => {
    assert.deepEqual(findingsOf(run(config()).findings, 'marketo-partitions-unreadable'), []);
    assert.deepEqual(findingsOf(run(VALID_CONFIG).findings, 'marketo-partitions-unreadable'), []);
  });
});

describe('partition completion and hover', () => {
  test('partition values come from the partitions file', () => {
    const { text, position } = withCursor(config('|'));
    const svc = service(memoryHost({ [FILE]: PARTITIONS }));
    const list = svc.complete(textDocument(text, URI), position);
    assert.deepEqual(labels(list), ['Default', 'EMEA', 'Americas']);
    assert.match(list.items[1]?.detail ?? '', /partition 2 — Leads of the EMEA workspace/);
  });

  test('without the file: the schema default, as before', () => {
    const { text, position } = withCursor(edit(VALID_CONFIG, '"EMEA"', '"|"'));
    const list = service().complete(textDocument(text), position);
    assert.ok(labels(list).includes('Default'), JSON.stringify(labels(list)));
    assert.ok(!labels(list).includes('Americas'));
  });

  test('hover on marketoPartitions lists what was loaded', () => {
    const text = config();
    const doc = textDocument(text, URI);
    const svc = service(memoryHost({ [FILE]: PARTITIONS }));
    const hover = svc.hover(doc, doc.positionAt(text.indexOf('./marketo/partitions.json') + 3));
    assert.match(hover?.contents.value ?? '', /Loaded \*\*3\*\* partitions: `Default` \(1\)/);
  });
});

describe('simulation: leadPartitionId named through the partitions', () => {
  const PROFILES = `identityMap.Email,person.name.firstName,person.name.lastName,segmentMembership.ups.seg-winback.status
ann@x.com,Ann,Andersson,realized
bo@x.com,Bo,Berg,realized
`;
  const LEADS = fs.readFileSync(join(DIR, 'bulk-extract.csv'), 'utf8');
  const simulated = (text: string, ...args: string[]) => {
    const dir = tempFiles({
      'dest.json': text,
      'profiles.csv': PROFILES,
      'leads.csv': LEADS,
      'marketo/partitions.json': PARTITIONS,
    });
    return runCli(
      dir,
      'simulate',
      'dest.json',
      '--profiles',
      'profiles.csv',
      '--leads',
      'leads.csv',
      '--format',
      'json',
      ...args,
    );
  };
  const partitions = (stdout: string): unknown[] =>
    (JSON.parse(stdout) as { outcomes: { partition: unknown }[] }).outcomes.map((o) => o.partition);

  test('--partitions FILE names the ids; an unknown id stays an id', async () => {
    const r = await simulated(VALID_CONFIG, '--partitions', 'marketo/partitions.json');
    assert.equal(r.code, 0, r.stderr);
    const [ann, bo] = partitions(r.stdout);
    assert.equal(ann, 'EMEA');
    assert.notEqual(bo, 'Default');
    assert.match(String(bo), /9/);
  });

  test("the config's marketoPartitions does the same", async () => {
    const r = await simulated(config());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(partitions(r.stdout)[0], 'EMEA');
  });

  test('--partitions with a missing or broken file: one line naming it, exit 2', async () => {
    const missing = await simulated(VALID_CONFIG, '--partitions', 'nope.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^aep-dest: nope\.json does not exist/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    const dir = tempFiles({ 'p.json': '{\n "result": [\n' });
    const broken = await runCli(dir, 'simulate', 'nothing.json', '--partitions', 'p.json');
    assert.equal(broken.code, 2);
  });

  test('--partitions is in the help', async () => {
    const r = await runCli(REPO_ROOT, 'simulate', '--help');
    assert.match(r.stdout, /--partitions <file>/);
  });
});
