// The client's editor details that need no VS Code to check: where a rule link points, what
// the language status item says, and when a crashed server is restarted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CrashHistory, MAX_RESTARTS, RESTART_WINDOW_MS } from '../../client/src/crashHistory';
import {
  RULE_PAGES_DIR,
  RULE_PAGE_SCHEME,
  rulePageFile,
  rulePageLinkPath,
} from '../../client/src/rulePageLink';
import { MAX_DETAIL_LENGTH, describeStatus } from '../../client/src/statusText';
import type { DocumentStatus } from '../../common/protocol';
import { REPO_ROOT } from '../helpers';

const DOCS = '/home/u/.vscode/extensions/aep-dest-tools.aep-marketo-destination-0.1.0/docs/rules';

describe('rule links in the editor', () => {
  test("the server's link to a rule page becomes the same page under the read-only scheme", () => {
    assert.equal(
      rulePageLinkPath(
        { scheme: 'file', path: `${DOCS}/invalid-munchkin-id.md` },
        'invalid-munchkin-id',
      ),
      '/docs/rules/invalid-munchkin-id.md',
    );
    assert.equal(rulePageFile('/docs/rules/invalid-munchkin-id.md'), 'invalid-munchkin-id.md');
  });

  test('any other link is left as it is', () => {
    assert.equal(
      rulePageLinkPath({ scheme: 'https', path: `${DOCS}/schema.md` }, 'schema'),
      undefined,
    );
    assert.equal(
      rulePageLinkPath({ scheme: 'file', path: `${DOCS}/schema.md` }, 'syntax'),
      undefined,
    );
    assert.equal(
      rulePageLinkPath({ scheme: 'file', path: '/elsewhere/schema.md' }, 'schema'),
      undefined,
    );
    assert.equal(
      rulePageLinkPath({ scheme: 'file', path: `${DOCS}/../../x.md` }, '../../x'),
      undefined,
    );
  });

  test('only pages of docs/rules are served, never another path', () => {
    assert.equal(rulePageFile('/docs/rules/README.md'), 'README.md');
    for (const bad of [
      '/docs/rules/../../package.json',
      '/docs/rules/a/b.md',
      '/x.md',
      '/docs/rules/.md',
    ]) {
      assert.equal(rulePageFile(bad), undefined, bad);
    }
  });

  test('package.json opens that scheme in the Markdown preview, and activates for it', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      activationEvents: string[];
      contributes: { configurationDefaults: Record<string, Record<string, string>> };
    };
    const associations = pkg.contributes.configurationDefaults['workbench.editorAssociations'];
    // VS Code matches a pattern with a "/" against `scheme:path`.
    assert.equal(
      associations?.[`${RULE_PAGE_SCHEME}:${RULE_PAGES_DIR}*.md`],
      'vscode.markdown.preview.editor',
    );
    assert.ok(pkg.activationEvents.includes(`onFileSystem:${RULE_PAGE_SCHEME}`));
  });
});

function status(errors: number, warnings: number, name = 'Winback known leads'): DocumentStatus {
  return {
    uri: 'file:///w/a.destination.json',
    version: 1,
    connector: 'marketo-engage',
    name,
    errors,
    warnings,
  };
}

describe('language status item', () => {
  test('errors and warnings are counted alike, on one line', () => {
    assert.deepEqual(
      [status(2, 1), status(1, 0), status(0, 3), status(0, 0)].map((s) => {
        const view = describeStatus(s);
        return [view.text, view.severity];
      }),
      [
        ['$(error) 2 errors, 1 warning', 'error'],
        ['$(error) 1 error, 0 warnings', 'error'],
        ['$(warning) 0 errors, 3 warnings', 'warning'],
        ['$(check) 0 errors, 0 warnings', 'information'],
      ],
    );
    assert.equal(describeStatus(status(2, 1)).detail, 'Marketo Engage · Winback known leads');
  });

  test('a long or multi-line name is cut to fit; the screen-reader label keeps all of it', () => {
    const name = `Winback   known\nleads ${'and a very long tail '.repeat(10)}`;
    const view = describeStatus(status(0, 1, name));
    assert.ok([...view.detail].length <= MAX_DETAIL_LENGTH, view.detail);
    assert.match(view.detail, /^Marketo Engage · Winback known leads and .*…$/);
    assert.ok(view.accessibilityLabel.includes('Winback known leads and a very long tail'));
    assert.ok(view.accessibilityLabel.endsWith('0 errors, 1 warning'), view.accessibilityLabel);
  });

  test('icon syntax in a name stays text; a missing name or connector is said so', () => {
    assert.equal(
      describeStatus(status(0, 0, '$(zap) Fast')).detail,
      'Marketo Engage · \\$(zap) Fast',
    );
    const bare = describeStatus({ ...status(0, 0), connector: undefined, name: undefined });
    assert.equal(bare.detail, 'no connector · unnamed destination');
  });
});

describe('crashed server', () => {
  test(`restarts up to ${MAX_RESTARTS} times in 3 minutes, telling the user once`, () => {
    const history = new CrashHistory();
    const decisions = Array.from({ length: MAX_RESTARTS }, (_, i) => history.closed(i * 1000));
    assert.deepEqual(
      decisions.map((d) => [d.restart, d.restart && d.tellUser]),
      [
        [true, true],
        [true, false],
        [true, false],
        [true, false],
      ],
    );
    const stop = history.closed(MAX_RESTARTS * 1000);
    assert.equal(stop.restart, false);
    assert.match(
      stop.restart ? '' : stop.message,
      /crashed 5 times in 3 minutes and will not be restarted/,
    );
  });

  test('exits older than 3 minutes no longer count', () => {
    const history = new CrashHistory();
    for (let i = 0; i < MAX_RESTARTS; i++) history.closed(i);
    assert.equal(history.closed(RESTART_WINDOW_MS + MAX_RESTARTS).restart, true);
  });

  test('after a manual restart the count starts again: no "will not be restarted" carried over', () => {
    const history = new CrashHistory();
    for (let i = 0; i <= MAX_RESTARTS; i++) history.closed(i);
    history.reset();
    const next = history.closed(MAX_RESTARTS + 1);
    assert.deepEqual(next, { restart: true, crashes: 1, tellUser: true });
  });
});
