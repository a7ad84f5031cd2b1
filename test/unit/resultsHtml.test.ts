import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type RunView,
  escapeHtml,
  exportFileName,
  jsonForScript,
  parseWebviewMessage,
  renderResultsHtml,
} from '../../client/src/simulation/resultsHtml';
import { fileName } from '../../client/src/simulation/resultsOverviewHtml';
import type { SimulationResult } from '../../common/simulationReport';
import { localRun } from '../../common/simulationOverview';
import { outcome } from '../fixtures/simulation/results';
import { type HtmlTag, TAG, htmlTags } from '../htmlTags';

const IMG = '<img src=x onerror=alert(1)>';
const CLOSE_SCRIPT = '</script><script>alert(1)</script>';
const QUOTES = `"'&`;
const SEPARATORS = 'a\u2028b\u2029c';
const COMMENT = '<!-- <script>';
const NONCE = 'n0nce+/AbC==';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const SCRIPT_URI =
  'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/simulationView.js';
const STYLE_URI =
  'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/simulationView.css';

function hostileResult(): SimulationResult {
  return {
    summary: { profiles: 12345, create: 1, update: 2, addToList: 3, skip: 4 },
    outcomes: [
      outcome({
        index: 0,
        line: 2,
        dedupeValue: IMG,
        action: 'create',
        partition: QUOTES,
        lists: [CLOSE_SCRIPT],
        changes: [{ field: `<b>${IMG}</b>`, from: null, to: CLOSE_SCRIPT }],
        warnings: [SEPARATORS, COMMENT],
      }),
      outcome({
        index: 1,
        line: 3,
        dedupeValue: CLOSE_SCRIPT,
        action: 'update',
        leadId: `${QUOTES}${IMG}`,
        partition: 'Default',
        lists: ['aud-1'],
        changes: [{ field: 'firstName', from: SEPARATORS, to: QUOTES }],
        otherMatches: [{ leadId: IMG, partition: CLOSE_SCRIPT, updatedAt: null }],
      }),
      outcome({
        index: 2,
        line: 4,
        dedupeValue: SEPARATORS,
        action: 'skip',
        reason: `<i>no match</i> ${IMG} ${CLOSE_SCRIPT}`,
        warnings: [COMMENT],
      }),
    ],
    apiPlan: {
      syncLeadCalls: 1,
      addToListCalls: 2,
      totalCalls: 3,
      dailyQuotaShare: 3 / 50_000,
      minimumSeconds: 20,
      perList: [
        { listId: CLOSE_SCRIPT, members: 1, calls: 1 },
        { listId: `aud-1${IMG}`, members: 1, calls: 1 },
      ],
    },
    warnings: [`dedupe field ${IMG} ${CLOSE_SCRIPT} ${QUOTES}`],
  };
}

function hostileRun(): RunView {
  return {
    configName: `<b>Acme</b> ${IMG}`,
    configPath: `/work/"><script>alert(1)</script>/acme.destination.json`,
    profilesFile: `/data/${IMG}.csv`,
    leadsFile: `/data/${QUOTES}.json`,
    durationMs: 1234,
    ...localRun(hostileResult(), `run-${CLOSE_SCRIPT}`),
  };
}

function render(run: RunView = hostileRun()): string {
  return renderResultsHtml(run, {
    nonce: NONCE,
    cspSource: CSP_SOURCE,
    scriptUri: SCRIPT_URI,
    styleUri: STYLE_URI,
  });
}

/** Every opening tag of the document, with its attributes. */
function openingTags(html: string): HtmlTag[] {
  return htmlTags(html).filter((tag) => !tag.closing);
}

function dataElement(html: string): { nonce: string; text: string } {
  const match =
    /<script type="application\/json" id="data" nonce="([^"]*)">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(match, 'the #data element is present');
  return { nonce: match[1]!, text: match[2]! };
}

describe('renderResultsHtml with hostile data', () => {
  const html = render();

  test('every "<" in the document starts a real tag: no markup comes from the data', () => {
    const stray = html.replace(TAG, '').replace(/<!DOCTYPE html>/, '');
    assert.equal(stray.includes('<'), false, 'no "<" outside tags');
    const names = new Set(openingTags(html).map((tag) => tag.name));
    assert.equal(names.has('img'), false);
    assert.equal(names.has('b'), false);
    assert.equal(names.has('i'), false);
  });

  test('no unescaped <img, </script><script> or onerror= anywhere', () => {
    assert.equal(/<img/i.test(html), false);
    assert.equal(html.includes('</script><script>'), false);
    assert.equal(html.includes('<!--'), false);
    for (const match of html.matchAll(/onerror=/g)) {
      const before = html.slice(Math.max(0, match.index - 20), match.index);
      assert.ok(
        before.endsWith('&lt;img src=x ') || before.endsWith('\\u003cimg src=x '),
        `onerror= only inside escaped text, found after ${JSON.stringify(before)}`,
      );
    }
  });

  test('values shown in HTML are escaped', () => {
    assert.ok(html.includes(`&lt;b&gt;Acme&lt;/b&gt; ${escapeHtml(IMG)}`), 'config name');
    assert.ok(html.includes(escapeHtml(hostileRun().configPath)), 'config path');
    assert.ok(
      html.includes(escapeHtml(`dedupe field ${IMG} ${CLOSE_SCRIPT} ${QUOTES}`)),
      'warning',
    );
    assert.ok(html.includes(escapeHtml(CLOSE_SCRIPT)), 'list id of the API plan');
    assert.ok(html.includes('&quot;&#39;&amp;'), 'quotes and ampersand');
  });

  test('the embedded JSON parses back to exactly the first page of the original outcomes', () => {
    const { nonce, text } = dataElement(html);
    assert.equal(nonce, NONCE);
    assert.equal(/[<>&\u2028\u2029]/.test(text), false, 'no raw <, >, &, U+2028, U+2029');
    const { outcomes } = hostileResult();
    assert.deepEqual(JSON.parse(text), {
      firstPage: {
        runId: `run-${CLOSE_SCRIPT}`,
        offset: 0,
        total: 3,
        matching: 3,
        rows: outcomes,
      },
      rowsWithWarnings: 2,
    });
  });

  test('a strict CSP with the nonce and no unsafe-inline', () => {
    const meta = openingTags(html).filter(
      (tag) =>
        tag.name === 'meta' &&
        tag.attributes.get('http-equiv')?.toLowerCase() === 'content-security-policy',
    );
    assert.equal(meta.length, 1);
    const csp = meta[0]!.attributes.get('content')!;
    assert.match(csp, /default-src 'none';/);
    assert.ok(csp.includes(`script-src 'nonce-${NONCE}';`));
    assert.ok(csp.includes(`style-src ${CSP_SOURCE};`));
    assert.ok(csp.includes(`img-src ${CSP_SOURCE} data:;`));
    assert.ok(csp.includes(`font-src ${CSP_SOURCE};`));
    assert.equal(csp.includes('unsafe-inline'), false);
    assert.equal(csp.includes('unsafe-eval'), false);
    assert.equal(html.includes('unsafe-inline'), false);
  });

  test('every <script> carries the nonce; the only executable one is the script file', () => {
    const scripts = openingTags(html).filter((tag) => tag.name === 'script');
    assert.equal((html.match(/<script/gi) ?? []).length, scripts.length);
    assert.equal(scripts.length, 2);
    for (const script of scripts) assert.equal(script.attributes.get('nonce'), NONCE);
    const executable = scripts.filter((s) => s.attributes.get('type') !== 'application/json');
    assert.equal(executable.length, 1);
    assert.equal(executable[0]!.attributes.get('src'), SCRIPT_URI);
    const link = openingTags(html).find((tag) => tag.name === 'link');
    assert.equal(link?.attributes.get('href'), STYLE_URI);
  });

  test('no style attribute, no on… handler attribute, no <style> element', () => {
    for (const tag of openingTags(html)) {
      for (const name of tag.attributes.keys()) {
        assert.notEqual(name, 'style', tag.source);
        assert.equal(name.startsWith('on'), false, tag.source);
      }
    }
    assert.equal(/<style/i.test(html), false);
    assert.equal(/\sstyle\s*=/i.test(html), false);
  });

  test('summary cards show the numbers and filter by action', () => {
    const expected: Record<string, string> = {
      all: '12,345',
      create: '1',
      update: '2',
      addToList: '3',
      skip: '4',
    };
    for (const [action, count] of Object.entries(expected)) {
      const card = new RegExp(
        `<button type="button" class="card card-${action}" data-action="${action}"[^>]*>` +
          `<span class="card-count">${count}</span>`,
      );
      assert.match(html, card, action);
    }
  });

  test('API plan, toolbar and the empty table container are rendered', () => {
    assert.match(html, /Sync-lead calls<\/th><td class="num">1</);
    assert.match(html, /Total calls<\/th><td class="num">3</);
    assert.match(html, /Minimum time<\/th><td class="num">20 s</);
    assert.match(html, /Daily quota<\/th><td class="num">0\.006%</);
    for (const format of ['json', 'csv', 'markdown']) {
      assert.ok(html.includes(`data-export="${format}"`), format);
    }
    assert.ok(html.includes('id="rerun"'));
    assert.ok(html.includes('id="action-filter"'));
    assert.ok(html.includes('id="search"'));
    assert.ok(html.includes('<div id="table" class="table-container"><div class="pager"'));
    assert.ok(html.includes('id="no-match"') && html.includes('id="clear-filter"'));
    assert.ok(html.includes('With warnings (2)'));
  });

  test('the inputs, the API plan and the warnings are closed sections whose summary says the gist', () => {
    // Closed on opening, so the table's first rows are in view in a side-by-side panel.
    const inputs =
      /<details class="run-inputs" id="inputs-section"><summary><span class="gist">([^<]*)<\/span><\/summary>/.exec(
        html,
      );
    assert.ok(inputs, 'the inputs section');
    assert.equal(
      inputs[1],
      `${escapeHtml(`${IMG}.csv`)} · ${escapeHtml(`${QUOTES}.json`)} · 1.2 s`,
    );
    assert.ok(html.includes(`title="${escapeHtml(hostileRun().configPath)}"`), 'full path kept');
    assert.match(
      html,
      /<details class="plan" id="plan-section"><summary><h2 id="plan-title">API plan<\/h2><span class="gist">3 calls · 0\.006% of the daily quota · at least 20 s<\/span><\/summary>/,
    );
    assert.match(
      html,
      new RegExp(
        `<details class="global-warnings" id="warnings-section"><summary><h2 id="warnings-title">Warnings \\(1\\)</h2>` +
          `<span class="gist">${escapeHtml(`dedupe field ${IMG}`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    assert.equal(/<details[^>]* open/.test(html), false, 'no section open on opening');
  });

  test('Export and Re-run are short buttons beside the title, named in full for screen readers', () => {
    for (const [format, label] of [
      ['json', 'JSON'],
      ['csv', 'CSV'],
      ['markdown', 'Markdown'],
    ]) {
      assert.ok(
        html.includes(
          `data-export="${format}" aria-label="Export ${label}" title="Export the simulation as ${label}">${label}</button>`,
        ),
        format,
      );
    }
    assert.match(html, /<div class="title-row">\s*<h1>[\s\S]*?<\/h1>\s*<div class="run-actions"/);
  });

  test('a nonce or resource URI with quotes cannot break out of its attribute', () => {
    const out = renderResultsHtml(hostileRun(), {
      nonce: `x" onload="alert(1)`,
      cspSource: `"><img src=x onerror=alert(1)>`,
      scriptUri: `"><img>`,
      styleUri: `'><img>`,
    });
    assert.equal(/<img/i.test(out), false);
    for (const tag of openingTags(out)) {
      for (const name of tag.attributes.keys()) assert.equal(name.startsWith('on'), false);
    }
  });
});

describe('fileName', () => {
  test('is the last segment of a POSIX path, a Windows path or a URI', () => {
    assert.equal(fileName('/a/b/profiles.csv'), 'profiles.csv');
    assert.equal(fileName('C:\\data\\leads.json'), 'leads.json');
    assert.equal(fileName('vscode-vfs://github/o/r/samples/p.csv'), 'p.csv');
    assert.equal(fileName('/a/dir/'), 'dir');
    assert.equal(fileName('plain.csv'), 'plain.csv');
  });
});

describe('escapeHtml and jsonForScript', () => {
  test('escapeHtml escapes the five characters', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    assert.equal(escapeHtml('plain text'), 'plain text');
  });

  test('jsonForScript escapes <, >, &, U+2028, U+2029 and round-trips', () => {
    const value = { a: CLOSE_SCRIPT, b: SEPARATORS, c: QUOTES, d: [IMG, null, 1.5] };
    const json = jsonForScript(value);
    assert.equal(/[<>&\u2028\u2029]/.test(json), false);
    assert.ok(json.includes('\\u003c/script\\u003e'));
    assert.ok(json.includes('\\u2028'));
    assert.ok(json.includes('\\u0026'));
    assert.deepEqual(JSON.parse(json), value);
  });
});

describe('parseWebviewMessage', () => {
  test('accepts the three well-formed messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'rerun' }), { type: 'rerun' });
    for (const format of ['json', 'csv', 'markdown'] as const) {
      assert.deepEqual(parseWebviewMessage({ type: 'export', format }), { type: 'export', format });
    }
    assert.deepEqual(parseWebviewMessage({ type: 'openProfile', line: 7 }), {
      type: 'openProfile',
      line: 7,
    });
  });

  test('drops extra properties', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'openProfile', line: 3, path: '/etc/passwd' }), {
      type: 'openProfile',
      line: 3,
    });
  });

  test('ignores malformed and unknown messages', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'rerun',
      42,
      [],
      {},
      { type: 'delete' },
      { type: 'export' },
      { type: 'export', format: 'pdf' },
      { type: 'export', format: 'toString' },
      { type: 'openProfile' },
      { type: 'openProfile', line: 0 },
      { type: 'openProfile', line: -1 },
      { type: 'openProfile', line: 1.5 },
      { type: 'openProfile', line: '3' },
      { type: 'openProfile', line: Number.NaN },
      { type: 'openProfile', line: Number.POSITIVE_INFINITY },
      { type: 'openProfile', line: 2 ** 60 },
    ];
    for (const message of bad) {
      assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
    }
  });
});

describe('exportFileName', () => {
  test('names the export after the config', () => {
    assert.equal(exportFileName('acme', 'json'), 'acme-simulation.json');
    assert.equal(exportFileName('acme', 'csv'), 'acme-simulation.csv');
    assert.equal(exportFileName('acme', 'markdown'), 'acme-simulation.md');
    assert.equal(exportFileName('acme.destination.json', 'json'), 'acme-simulation.json');
  });

  test('keeps the name safe as a file name', () => {
    assert.equal(exportFileName('../../etc/passwd', 'csv'), 'etc-passwd-simulation.csv');
    assert.equal(exportFileName('EMEA: <Leads> / "Q3"', 'json'), 'EMEA-Leads-Q3-simulation.json');
    assert.equal(exportFileName('', 'json'), 'destination-simulation.json');
  });
});
