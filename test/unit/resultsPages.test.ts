// The results view's pages: the page messages the webview posts (validated before they reach
// the server), hostile values in page rows and in the all-skipped line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  jsonForScript,
  parseWebviewMessage,
  renderResultsHtml,
} from '../../client/src/simulation/resultsHtml';
import { DEFAULT_QUERY, MAX_PAGE_ROWS, MAX_SEARCH_LENGTH } from '../../common/outcomePages';
import { explainAllSkipped, localRun } from '../../common/simulationOverview';
import type { SimulationResult } from '../../common/simulationReport';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import { outcome } from '../fixtures/simulation/results';
import { resultOf } from '../fixtures/simulation/resultOf';

const IMG = '<img src=x onerror=alert(1)>';
const CLOSE_SCRIPT = '</script><script>alert(1)</script>';
const PAGE = { nonce: 'n', cspSource: 's', scriptUri: 'x.js', styleUri: 'x.css' };

function skippedResult(reasons: string[]): SimulationResult {
  const outcomes = reasons.map((reason, index) =>
    outcome({ index, line: index + 2, action: 'skip', reason, dedupeValue: `${IMG}${index}` }),
  );
  return resultOf(outcomes, { summary: { skip: reasons.length } });
}

describe('page messages from the webview', () => {
  test('a well-formed page message keeps only a sanitized query', () => {
    const message = parseWebviewMessage({
      type: 'page',
      requestId: 3,
      offset: 200,
      limit: 100,
      filter: { outcome: 'skip', search: 'x'.repeat(10_000), warningsOnly: true, extra: 1 },
      sort: { column: 'reason', direction: 'desc' },
      __proto__: { polluted: true },
    });
    assert.ok(message?.type === 'page');
    assert.equal(message.filter.search?.length, MAX_SEARCH_LENGTH);
    assert.deepEqual(
      { ...message, filter: { ...message.filter, search: '' } },
      {
        type: 'page',
        requestId: 3,
        offset: 200,
        limit: 100,
        filter: { outcome: 'skip', search: '', warningsOnly: true },
        sort: { column: 'reason', direction: 'desc' },
      },
    );
  });

  test('unknown filters and sorts fall back to the defaults', () => {
    const message = parseWebviewMessage({
      type: 'page',
      requestId: 0,
      offset: 0,
      limit: 1,
      filter: { outcome: 'constructor', search: 42, warningsOnly: 'yes' },
      sort: { column: '__proto__', direction: 'sideways' },
    });
    assert.ok(message?.type === 'page');
    assert.deepEqual({ filter: message.filter, sort: message.sort }, DEFAULT_QUERY);
  });

  test('bad offsets, limits and request ids are ignored', () => {
    const base = { type: 'page', requestId: 1, offset: 0, limit: 100 };
    for (const bad of [
      { offset: -1 },
      { offset: 1.5 },
      { offset: '0' },
      { limit: MAX_PAGE_ROWS + 1 },
      { limit: Number.NaN },
      { requestId: null },
      { requestId: 2 ** 60 },
    ]) {
      assert.equal(parseWebviewMessage({ ...base, ...bad }), undefined, JSON.stringify(bad));
    }
  });
});

describe('hostile values in pages', () => {
  test('rows of a page carry the values exactly, and embed safely', () => {
    const result = skippedResult([`<i>${IMG}</i>`, CLOSE_SCRIPT, 'a\u2028b']);
    const index = new OutcomeIndex('r', result.outcomes);
    const page = index.page(
      { filter: { search: '<i>' }, sort: { column: 'reason', direction: 'asc' } },
      0,
      10,
    );
    assert.deepEqual(
      page.rows.map((row) => row.reason),
      [`<i>${IMG}</i>`],
    );
    const json = jsonForScript(page);
    assert.equal(/[<>&\u2028\u2029]/.test(json), false);
    assert.deepEqual(JSON.parse(json), page);
  });

  test('the all-skipped line escapes the reason it names', () => {
    const result = skippedResult([CLOSE_SCRIPT, CLOSE_SCRIPT, IMG]);
    const html = renderResultsHtml(
      {
        configName: 'c',
        configPath: 'c',
        profilesFile: 'p',
        leadsFile: 'l',
        durationMs: 1,
        ...localRun(result),
      },
      PAGE,
    );
    assert.equal(/<img/i.test(html), false);
    assert.equal(html.includes('</script><script>'), false);
    assert.match(
      html,
      /<p class="all-skipped" role="note">Every profile is skipped; the most common reason \(2 of 3 profiles\): &lt;\/script&gt;/,
    );
  });
});

describe('why every profile is skipped', () => {
  test('names the audience ids and the dedupe column, from the engine reasons', () => {
    assert.match(
      explainAllSkipped(skippedResult(['not a member of any audience of this destination']))!,
      /none of the config's audience ids occurs in the sample \(all 1 profiles/,
    );
    assert.match(
      explainAllSkipped(
        skippedResult([
          'no value for the dedupe field (source identityMap.Email)',
          'no value for the dedupe field (source identityMap.Email)',
          'not a member of any audience of this destination',
        ]),
      )!,
      /the dedupe source column identityMap\.Email is missing from the profiles or empty \(2 of 3 profiles/,
    );
  });

  test('says nothing when some profile is not skipped, or there are none', () => {
    assert.equal(explainAllSkipped(skippedResult([])), null);
    const result = skippedResult(['x']);
    result.outcomes.push(outcome({ index: 1, line: 3, action: 'create' }));
    assert.equal(explainAllSkipped(result), null);
  });
});
