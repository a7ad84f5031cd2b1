// The AEP Destinations view in the Explorer, as a person uses it: a colleague's config that
// matches leads on another dedupe field and activates the same audience appears in the
// workspace; the view shows Marketo instance → workspace → destination → audiences with the
// counts; clicking a destination opens it, an audience reveals its line; the Problems panel
// names the other file; deleting the config puts the counts back. Run by
// test/e2e/runCodeServer.ts after the other UI checks, in the same code-server (a fresh copy of
// examples/).
import * as assert from 'node:assert/strict';
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  type UiCheck,
  activeTab,
  hidePanel,
  restMouse,
  runFromPalette,
  shownText,
} from './ui.spec';

const isMac = process.platform === 'darwin';
const MOD = isMac ? 'Meta' : 'Control';

const CRM_FILE = 'crm-sync.destination.json';

/** A colleague's destination: the winback instance and workspace, customerId, seg-winback. */
const CRM_CONFIG = `{
  "connector": "marketo-engage",
  "name": "CRM sync",
  "munchkinId": "123-ABC-456",
  "workspace": "Default",
  "syncType": "audienceAndProfile",
  "dedupeField": "customerId",
  "personAction": "updateExistingAndCreateNew",
  "mappings": [
    { "source": "person.crmId", "target": "DedupeField" },
    { "source": "workEmail.address", "target": "email" },
    { "source": "person.name.firstName", "target": "firstName" },
    { "source": "person.name.lastName", "target": "lastName" }
  ],
  "audiences": [
    { "id": "seg-winback", "name": "Winback 90 days", "origin": "segmentationService",
      "type": "people", "evaluation": "streaming", "entities": ["person"] }
  ]
}
`;

function pane(page: Page): Locator {
  return page.locator('.pane', {
    has: page.locator('.pane-header', { hasText: /^AEP Destinations/i }),
  });
}

interface Row {
  level: number;
  label: string;
  description: string;
}

/** What the row reader needs of a DOM element (the tests compile without the DOM library). */
interface RowElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { textContent: string | null } | null;
}

/**
 * The view's rows as shown: depth (1 = Marketo instance), label and description, read in one
 * pass (the list re-renders as the server's index changes) and put in list order.
 */
async function rows(page: Page): Promise<Row[]> {
  const list = pane(page).locator('.pane-body .monaco-list-row');
  const read = await list.evaluateAll((nodes: RowElement[]) =>
    nodes.map((node) => ({
      index: Number(node.getAttribute('data-index')),
      level: Number(node.getAttribute('aria-level')),
      label: node.querySelector('.label-name')?.textContent ?? '',
      description: node.querySelector('.label-description')?.textContent ?? '',
    })),
  );
  return read
    .sort((a, b) => a.index - b.index)
    .map(({ level, label, description }) => ({
      level,
      label: label.replace(/\u00a0/g, ' ').trim(),
      description: description.replace(/\u00a0/g, ' ').trim(),
    }));
}

function rowOf(page: Page, label: string): Locator {
  return pane(page).locator('.pane-body .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }),
  });
}

/** Waits until the view shows `expected` (the server and the watcher take their time). */
async function waitForRows(page: Page, expected: string[]): Promise<void> {
  const render = (all: Row[]): string[] =>
    all.map(
      (r) => `${'  '.repeat(r.level - 1)}${r.label}${r.description ? ` — ${r.description}` : ''}`,
    );
  let last: string[] = [];
  for (let attempt = 0; attempt < 120; attempt++) {
    last = render(await rows(page));
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await page.waitForTimeout(500);
  }
  assert.deepEqual(last, expected);
}

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The configs of examples/, as in the repository: the other checks' scratch copies are removed
 * and an edited example is put back, so the tree is known.
 */
const EXAMPLES = new Set([
  'broken.destination.jsonc',
  'emea-reactivation.destination.json',
  'webinar-audience-only.destination.json',
  'winback.destination.json',
]);

function resetConfigs(workspace: string): void {
  for (const name of readdirSync(workspace)) {
    if (/\.destination\.jsonc?$/.test(name) && !EXAMPLES.has(name)) {
      rmSync(path.join(workspace, name));
    }
  }
  for (const name of EXAMPLES) {
    copyFileSync(path.join(REPO, 'examples', name), path.join(workspace, name));
  }
}

/** Shows the view with room for its rows: the folder tree above it is collapsed. */
async function showView(page: Page, workspace: string): Promise<void> {
  await page.keyboard.press(`${MOD}+Shift+E`);
  const header = pane(page).locator('.pane-header').first();
  await header.waitFor({ state: 'visible' });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const folders = page
    .locator('.pane-header', {
      has: page.locator('.title', { hasText: new RegExp(`^${path.basename(workspace)}$`, 'i') }),
    })
    .first();
  if ((await folders.count()) && (await folders.getAttribute('aria-expanded')) === 'true') {
    await folders.click();
  }
  await pane(page).locator('.pane-body').waitFor({ state: 'visible' });
}

const BEFORE = [
  '123-ABC-456 — no findings',
  '  Default — no findings',
  '    EMEA reactivation — no findings · emea-reactivation.destination.json',
  '      Lapsed EMEA buyers — seg-reactivation',
  '    Webinar registrants — no findings · webinar-audience-only.destination.json',
  '      Product webinar registrants — seg-webinar-registrants',
  '    Winback known leads — no findings · winback.destination.json',
  '      Winback 90 days — seg-winback',
  '      Contacts on open opportunities — seg-open-opportunities',
];

/** broken.destination.jsonc: its Munchkin ID is not one, so it is compared with nothing. */
const BROKEN = [
  'No valid Munchkin ID — 7 errors, 3 warnings',
  '  Default — 7 errors, 3 warnings',
  '    Webinar attendees — 7 errors, 3 warnings · broken.destination.jsonc',
  '      Enterprise accounts — acct-enterprise',
  '      People on open opportunities — seg-pipeline',
];

export const DESTINATIONS_VIEW_CHECKS: readonly UiCheck[] = [
  {
    title:
      'the AEP Destinations view shows a conflicting config: instance → workspace → destination → audiences with counts',
    async run({ page, workspace, screenshot }) {
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
      await hidePanel(page);
      resetConfigs(workspace);
      await showView(page, workspace);
      writeFileSync(path.join(workspace, CRM_FILE), CRM_CONFIG);
      await waitForRows(page, [
        '123-ABC-456 — 6 errors, 2 warnings',
        '  Default — 6 errors, 2 warnings',
        '    CRM sync — 3 errors, 1 warning · crm-sync.destination.json',
        '      Winback 90 days — seg-winback',
        '    EMEA reactivation — 1 error · emea-reactivation.destination.json',
        '      Lapsed EMEA buyers — seg-reactivation',
        '    Webinar registrants — 1 error · webinar-audience-only.destination.json',
        '      Product webinar registrants — seg-webinar-registrants',
        '    Winback known leads — 1 error, 1 warning · winback.destination.json',
        '      Winback 90 days — seg-winback',
        '      Contacts on open opportunities — seg-open-opportunities',
        ...BROKEN,
      ]);
      await restMouse(page);
      await screenshot('destinations-view');
    },
  },
  {
    title: 'clicking a destination opens it; its finding names the other file and line',
    async run({ page, workspace }) {
      await showView(page, workspace);
      await rowOf(page, 'Winback known leads').first().click();
      await activeTab(page, 'winback.destination.json').waitFor({ state: 'visible' });
      // Go to Next Problem from the top: the dedupe field, with its related information.
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press(`${MOD}+Home`);
      await page.keyboard.press('F8');
      const widget = page.locator('.monaco-editor .marker-widget');
      await widget.waitFor({ state: 'visible' });
      const text = await shownText(widget);
      assert.match(text, /conflicting-dedupe-field/);
      assert.match(text, /Destination "CRM sync" \(crm-sync\.destination\.json\)/);
      assert.match(
        text,
        /crm-sync\.destination\.json\(7, 18\): the dedupe field "customerId" of "CRM sync"/,
      );
      await page.keyboard.press('Escape');
    },
  },
  {
    title: 'clicking an audience reveals its line in the config',
    async run({ page, workspace }) {
      await showView(page, workspace);
      const audience = pane(page).locator('.pane-body .monaco-list-row', {
        has: page.locator('.label-description', { hasText: /^seg-open-opportunities$/ }),
      });
      await audience.first().click();
      await activeTab(page, 'winback.destination.json').waitFor({ state: 'visible' });
      // The selection is the audience's id ("seg-open-opportunities", line 30 from column 13).
      await page
        .locator('.part.statusbar .statusbar-item', { hasText: /^Ln 30, Col 37 \(24 selected\)/ })
        .first()
        .waitFor({ state: 'visible' });
    },
  },
  {
    title: 'deleting the conflicting config puts the view and the findings back',
    async run({ page, workspace }) {
      await showView(page, workspace);
      rmSync(path.join(workspace, CRM_FILE));
      await waitForRows(page, [...BEFORE, ...BROKEN]);
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
    },
  },
];
