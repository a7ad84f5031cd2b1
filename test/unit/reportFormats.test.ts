import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CSV_HEADER,
  type ReportMeta,
  csvField,
  formatDuration,
  formatPercent,
  toCsvReport,
  toMarkdownReport,
  toTextPlan,
} from '../../common/reportFormats';
import type { ProfileOutcome, SimulationResult } from '../../server/src/simulation/simulate';
import { outcome } from '../fixtures/simulation/results';

const META: ReportMeta = {
  configName: 'Winback',
  configPath: 'examples/winback.destination.json',
  profilesFile: 'p.csv',
  leadsFile: 'l.json',
};

function result(outcomes: ProfileOutcome[], warnings: string[] = []): SimulationResult {
  const count = (action: ProfileOutcome['action']) =>
    outcomes.filter((o) => o.action === action).length;
  return {
    summary: {
      profiles: outcomes.length,
      create: count('create'),
      update: count('update'),
      addToList: count('addToList'),
      skip: count('skip'),
    },
    outcomes,
    apiPlan: {
      syncLeadCalls: 1,
      addToListCalls: 1,
      totalCalls: 2,
      dailyQuotaShare: 2 / 50_000,
      minimumSeconds: 20,
      perList: [{ listId: 'seg-winback', members: 2, calls: 1 }],
    },
    warnings,
  };
}

const UPDATE = outcome({
  dedupeValue: 'a@x.com',
  action: 'update',
  leadId: '101',
  partition: 'EMEA',
  lists: ['seg-winback'],
  changes: [
    { field: 'lastName', from: 'A', to: 'Andersson' },
    { field: 'title', from: null, to: 'CTO' },
  ],
  otherMatches: [{ leadId: '7', partition: 'APAC', updatedAt: '2023-01-01T00:00:00Z' }],
  warnings: ['2 leads match email "a@x.com"'],
});
const CREATE = outcome({
  index: 1,
  line: 3,
  dedupeValue: 'n@x.com',
  action: 'create',
  partition: 'EMEA',
  lists: ['seg-winback'],
  changes: [
    { field: 'email', from: null, to: 'n@x.com' },
    { field: 'firstName', from: null, to: 'Nina' },
  ],
});
const SKIP = outcome({
  index: 2,
  line: 4,
  dedupeValue: null,
  reason: 'no value for the dedupe field',
});

describe('text plan', () => {
  test('header, groups, API plan and summary line', () => {
    const plan = toTextPlan(result([UPDATE, CREATE, SKIP], ['a global warning']), META);
    assert.equal(
      plan,
      [
        'Simulate Export: Winback',
        '  config    examples/winback.destination.json',
        '  profiles  p.csv',
        '  leads     l.json',
        '',
        '+ create (1)',
        '  + new lead (EMEA) n@x.com  firstName: "Nina"; lists: seg-winback',
        '',
        '~ update (1)',
        '  ~ lead 101 (EMEA) a@x.com  lastName: "A" → "Andersson"; title: (empty) → "CTO"; lists: seg-winback',
        '      ! 2 leads match email "a@x.com"',
        '',
        '- skip (1): no value for the dedupe field',
        '  - line 4 (no dedupe value)',
        '',
        'Warnings:',
        '  ! a global warning',
        '',
        'API plan:',
        '  sync-lead calls     1',
        '  add-to-list calls   1',
        '    seg-winback  1 (2 members)',
        '  total               2 calls, 0.004% of the 50,000/day quota',
        '  minimum time        20 s at 100 calls per 20 s',
        '',
        'Plan: 1 to create, 1 to update, 0 to add to lists, 1 to skip (3 profiles).',
        '',
      ].join('\n'),
    );
  });

  test('at most maxPerGroup lines a group, then "… and N more"', () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      outcome({ index: i, line: i + 2, dedupeValue: `p${i}@x.com`, reason: 'exited' }),
    );
    const plan = toTextPlan(result(many), META);
    assert.equal((plan.match(/^ {2}- line /gm) ?? []).length, 20);
    assert.ok(plan.includes('  - line 21 p19@x.com\n  … and 5 more\n'));
    const three = toTextPlan(result(many), META, { maxPerGroup: 3 });
    assert.ok(three.includes('  - line 4 p2@x.com\n  … and 22 more\n'));
  });

  test('colours only when asked; values cannot inject terminal sequences', () => {
    const evil = outcome({ dedupeValue: 'x\x1b[31m@x.com\n', reason: 'exited' });
    const plain = toTextPlan(result([UPDATE, evil]), META);
    assert.ok(!plain.includes('\x1b'));
    assert.ok(plain.includes('  - line 2 x\\u001b[31m@x.com\\u000a\n'));
    const colored = toTextPlan(result([UPDATE]), META, { color: true });
    assert.ok(colored.includes('\x1b[33m~ update (1)\x1b[0m'));
    assert.ok(colored.includes('\x1b[1mPlan: 0 to create, 1 to update'));
  });

  test('percent and duration formats', () => {
    assert.equal(formatDuration(80), '1 min 20 s');
    assert.equal(formatDuration(0), '0 s');
    assert.equal(formatDuration(120), '2 min');
    assert.equal(formatDuration(3600 + 340), '1 h 5 min 40 s');
    assert.equal(formatPercent(3 / 50_000), '0.006%');
    assert.equal(formatPercent(0.1234), '12%');
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatPercent(2.5), '250%');
  });
});

describe('markdown report', () => {
  test('summary and API plan tables, warnings, escaped outcome cells', () => {
    const piped = outcome({
      dedupeValue: 'a|b@x.com',
      action: 'update',
      leadId: '101',
      partition: 'EMEA',
      changes: [{ field: 'company', from: 'A|B', to: 'Line1\nLine2 <b>' }],
    });
    const md = toMarkdownReport(result([piped, SKIP], ['w|1']), META);
    assert.match(md, /^# Simulate Export: Winback\n/);
    assert.ok(
      md.includes(
        '| create | 0 |\n| update | 1 |\n| addToList | 0 |\n| removeFromList | 0 |\n| skip | 1 |\n| total | 2 |',
      ),
    );
    assert.ok(
      md.includes('| sync-lead | 1 |\n| add-to-list seg-winback (2 members) | 1 |\n| total | 2 |'),
    );
    assert.ok(md.includes('| share of the 50,000/day quota | 0.004% |'));
    assert.ok(md.includes('## Warnings\n\n- w\\|1\n'));
    assert.ok(
      md.includes(
        '| 0 | 2 | a\\|b@x.com | update | 101 | EMEA |  | company: A\\|B → Line1<br>Line2 &lt;b&gt; |  |\n',
      ),
      md,
    );
    assert.ok(md.includes('| 2 | 4 |  | skip |  |  |  |  | no value for the dedupe field |\n'));
    // Every outcome row has exactly the header's number of unescaped pipes.
    const rows = md.split('\n').filter((l) => l.startsWith('| 0 |') || l.startsWith('| 2 |'));
    for (const line of rows) assert.equal(line.replace(/\\\|/g, '').split('|').length, 11);
  });
});

describe('CSV report', () => {
  test('header and one CRLF row per outcome, lists/changes/matches joined with ;', () => {
    const csv = toCsvReport(result([UPDATE, CREATE, SKIP]));
    assert.equal(
      csv,
      [
        CSV_HEADER,
        '0,2,a@x.com,update,101,EMEA,seg-winback,lastName: A → Andersson;title: → CTO,' +
          '"7 (APAC, 2023-01-01T00:00:00Z)",,"2 leads match email ""a@x.com""",',
        '1,3,n@x.com,create,,EMEA,seg-winback,email: → n@x.com;firstName: → Nina,,,,',
        '2,4,,skip,,,,,,no value for the dedupe field,,',
        '',
      ].join('\r\n'),
    );
  });

  test('RFC 4180 quoting and formula-injection protection', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('=SUM(A1:A9)'), "'=SUM(A1:A9)");
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-1'), "'-1");
    assert.equal(csvField('@cmd'), "'@cmd");
    assert.equal(csvField('\tx'), "'\tx");
    assert.equal(csvField('\rx'), '"\'\rx"');
    assert.equal(csvField('=HYPERLINK("x"),y'), '"\'=HYPERLINK(""x""),y"');
    const hostile = outcome({ dedupeValue: '=1+1,"q"\nz', reason: '-exited' });
    const row = toCsvReport(result([hostile])).split('\r\n')[1];
    assert.equal(row, `0,2,"'=1+1,""q""\nz",skip,,,,,,'-exited,,`);
  });
});
