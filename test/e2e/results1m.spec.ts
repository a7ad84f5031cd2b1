// The results view at a million profiles (issue 12): a sample of 1,000,000 profiles and as many
// leads is generated into the workspace at run time (never committed), simulated from the
// command palette, and paged, sorted, searched and opened as a person would. What the view
// shows is checked against the same simulation run here, in the runner's process, by the
// engine's own function (the numbers on the cards, the rows a search finds) and against plain
// scans of its outcomes (the first value of a sort). Run by test/e2e/runCodeServer.ts after the
// UI checks, in the same code-server; every wait is for a state, with room for a loaded machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { compareText, searchText } from '../../common/outcomePages';
import type { ProfileOutcome, SimulationSummary } from '../../common/simulationReport';
import {
  configFromJson,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import { writeSimulationFiles } from '../fixtures/generate';
import {
  type UiCheck,
  activeTab,
  cutCells,
  hidePanel,
  restMouse,
  runFromPalette,
  shownText,
  webviewFrame,
} from './ui.spec';

const isMac = process.platform === 'darwin';
const MOD = isMac ? 'Meta' : 'Control';

export const PROFILES = 1_000_000;
const FOLDER = 'million';
const CONFIG = `simulation-${PROFILES}.destination.json`;
/** The simulation of a million profiles in the language server's worker, on a shared machine. */
const RUN_TIMEOUT_MS = 8 * 60_000;
/** A sort, a search or a page of the server's index over a million rows. */
const QUERY_TIMEOUT_MS = 2 * 60_000;

/** A check with its own time limit (the runner's default is for checks of a few seconds). */
export interface TimedUiCheck extends UiCheck {
  timeoutMs: number;
}

/** What the view should show, from the runner's own simulation of the generated sample. */
interface Expected {
  summary: SimulationSummary;
  /** The smallest dedupe value (compareText), the first row of the ascending sort. */
  firstDedupe: string;
  /** A dedupe value to search for, and how many rows hold it. */
  needle: string;
  needleRows: number;
}

let expected: Expected | undefined;

const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const say = (line: string): void => console.log(`e2e: ${line}`);
const elapsed = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Generates the sample into `<workspace>/million/` and simulates it here, once. */
function prepare(workspace: string, log: (line: string) => void): Expected {
  if (expected) return expected;
  const dir = path.join(workspace, FOLDER);
  fs.mkdirSync(dir, { recursive: true });
  let started = Date.now();
  const files = writeSimulationFiles(dir, PROFILES, 12);
  log(`generated ${count(PROFILES)} profiles and leads in ${elapsed(started)}`);
  started = Date.now();
  const config = configFromJson(JSON.parse(fs.readFileSync(files.config, 'utf8')));
  const result = simulate(config, readProfiles(files.profiles), readLeads(files.leads));
  log(`simulated them in the runner (the expected numbers) in ${elapsed(started)}`);
  const { outcomes } = result;
  let firstDedupe: string | undefined;
  for (const outcome of outcomes) {
    const value = outcome.dedupeValue;
    if (value !== null && (firstDedupe === undefined || compareText(value, firstDedupe) < 0))
      firstDedupe = value;
  }
  // A created lead near the end of the file: its address is new, so few rows hold it.
  let target: ProfileOutcome | undefined;
  for (let i = Math.min(outcomes.length, PROFILES - 1000) - 1; i >= 0 && !target; i--) {
    if (outcomes[i]!.action === 'create') target = outcomes[i];
  }
  assert.ok(firstDedupe !== undefined && target?.dedupeValue, 'the sample has dedupe values');
  const needle = target.dedupeValue;
  const lower = needle.toLowerCase();
  const needleRows = outcomes.filter((o) => searchText(o).includes(lower)).length;
  expected = { summary: result.summary, firstDedupe, needle, needleRows };
  return expected;
}

/** Opens a file created after the workbench started: Quick Open may list it a moment later. */
async function openNewFile(page: Page, name: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(`${MOD}+P`);
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    const found = await row
      .waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (found) break;
    await page.keyboard.press('Escape');
    assert.ok(attempt < 12, `Quick Open does not find ${name}`);
  }
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await activeTab(page, name).waitFor({ state: 'visible' });
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible' });
}

/** The line number a row shows (after the ⚠ of a row with warnings). */
async function lineOf(cell: Locator): Promise<string> {
  return /(\d+)\s*$/.exec(await shownText(cell))?.[1] ?? '';
}

/** Waits until the row-count line says `text` (the server answered the page). */
async function waitForCount(count: Locator, text: string): Promise<void> {
  const deadline = Date.now() + QUERY_TIMEOUT_MS;
  for (;;) {
    const shown = await shownText(count);
    if (shown === text) return;
    if (Date.now() > deadline) assert.fail(`the row count says "${shown}", not "${text}"`);
    await count.page().waitForTimeout(250);
  }
}

export const RESULTS_1M_CHECKS: readonly TimedUiCheck[] = [
  {
    title: `simulates ${count(PROFILES)} profiles from the palette and pages, sorts, searches and opens the results`,
    timeoutMs: 20 * 60_000,
    async run({ page, workspace, screenshot }) {
      const want = prepare(workspace, say);
      // One webview at a time: the checks before leave editors open.
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
      await openNewFile(page, CONFIG);
      await hidePanel(page);
      const started = Date.now();
      await runFromPalette(page, 'Simulate Export', 'AEP Destination: Simulate Export');

      // The progress notification closes when the server answers (the panel opens on it).
      const progress = page.locator('.notifications-toasts .notification-toast', {
        hasText: 'Simulate Export',
      });
      const answered = await progress
        .waitFor({ state: 'visible', timeout: 60_000 })
        .then(() => progress.waitFor({ state: 'hidden', timeout: RUN_TIMEOUT_MS }))
        .then(() => Date.now())
        .catch(() => undefined);

      // The overview: the cards the server's summary fills in.
      const view = webviewFrame(page);
      await view
        .locator('.cards .card-skip .card-count')
        .waitFor({ state: 'visible', timeout: RUN_TIMEOUT_MS });
      await activeTab(page, 'Simulation: Simulation benchmark').waitFor({ state: 'visible' });
      say(
        `the results panel showed ${elapsed(started)} after the command (the run included)` +
          (answered ? `, ${elapsed(answered)} after the server's answer` : ''),
      );
      const shown: Record<string, string> = {};
      for (const card of await view.locator('.cards .card').all()) {
        shown[await shownText(card.locator('.card-label'))] = await shownText(
          card.locator('.card-count'),
        );
      }
      const { summary } = want;
      assert.deepEqual(shown, {
        Profiles: count(PROFILES),
        Create: count(summary.create),
        Update: count(summary.update),
        'Add to list': count(summary.addedToLists ?? summary.addToList),
        'Remove from list': count(summary.removedFromLists ?? 0),
        Skip: count(summary.skip),
      });

      // The first page came with the result; the others come from the server.
      const rowCount = view.locator('#row-count');
      const firstLine = view.locator('.body-row .col-index').first();
      await waitForCount(rowCount, `1–100 of ${count(PROFILES)} profiles`);
      assert.equal(await lineOf(firstLine), '2', 'line 2: the first profile');
      await view.locator('#page-next').click();
      await waitForCount(rowCount, `101–200 of ${count(PROFILES)} profiles`);
      assert.equal(await lineOf(firstLine), '102');
      await view.locator('#page-last').click();
      await waitForCount(
        rowCount,
        `${count(PROFILES - 99)}–${count(PROFILES)} of ${count(PROFILES)} profiles`,
      );
      assert.equal(await lineOf(view.locator('.body-row .col-index').last()), String(PROFILES + 1));
      const cutLines = await cutCells(view.locator('.body-row .col-index'));
      assert.deepEqual(cutLines, [], 'line numbers cut');
      assert.equal(await view.locator('#page-next').isDisabled(), true, 'the last page');

      // Sorting by the dedupe value: back to the first page, the smallest value first.
      const sorting = Date.now();
      await view.locator('.head-row button[data-sort="dedupeValue"]').click();
      await waitForCount(rowCount, `1–100 of ${count(PROFILES)} profiles`);
      const firstDedupe = view.locator('.body-row').first().locator('.col-dedupe');
      await firstDedupe
        .filter({ hasText: want.firstDedupe })
        .waitFor({ state: 'visible', timeout: QUERY_TIMEOUT_MS });
      say(`sorted by dedupe value in ${elapsed(sorting)}`);
      const values = await view.locator('.body-row .col-dedupe').allTextContents();
      for (let k = 1; k < values.length; k++) {
        assert.ok(
          compareText(values[k - 1]!.trim(), values[k]!.trim()) <= 0,
          `sorted: "${values[k - 1]}" before "${values[k]}"`,
        );
      }

      // A search: the rows that hold one address, found among the million.
      const searching = Date.now();
      await view.locator('#search').fill(want.needle.toUpperCase());
      const matching = `${count(want.needleRows)} matching (of ${count(PROFILES)})`;
      await waitForCount(rowCount, `1–${count(want.needleRows)} of ${matching} profiles`);
      say(`searched in ${elapsed(searching)}`);
      const row = view.locator('.body-row').first();
      assert.equal((await shownText(row.locator('.col-dedupe'))).trim(), want.needle);

      // Its details: the profile's line and what the export does with it.
      await row.click();
      const details = view.locator('#details');
      await details.waitFor({ state: 'visible' });
      await details.locator('h2', { hasText: /^Profile on line \d/ }).waitFor({ state: 'visible' });
      assert.ok((await shownText(details)).includes(want.needle), 'the details name the address');
      const grid = await view.locator('.grid').boundingBox();
      const pane = await details.boundingBox();
      assert.ok(grid && pane && pane.x >= grid.x + grid.width - 1, 'the details beside the grid');
      await restMouse(page);
      await screenshot('results-1m');
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
    },
  },
];
