// UI checks, as a person would use the extension: playwright-core drives the code-server page
// (keyboard, Quick Open, the command palette, the Problems panel, the suggest widget, the
// results webview). Run by test/e2e/runCodeServer.ts after the integration suite, in the same
// code-server; each check counts in the runner's `N passed, M failed` line.
import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { configText, importDataflow } from '../../server/src/flowService/importFlow';

export interface UiContext {
  page: Page;
  /** The workspace folder code-server opened (a fresh copy of examples/). */
  workspace: string;
  /** Saves a screenshot of the page under this name (docs/images/<name>.png) when asked to. */
  screenshot: (name: string) => Promise<void>;
}

export interface UiCheck {
  title: string;
  run(context: UiContext): Promise<void>;
}

const isMac = process.platform === 'darwin';
const MOD = isMac ? 'Meta' : 'Control';

/** The text of a DOM node as shown (non-breaking spaces as spaces). */
export async function shownText(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** What a check reads of a table cell in the page (the root tsconfig has no DOM types). */
export interface CellNode {
  scrollWidth: number;
  clientWidth: number;
  className: string;
  textContent: string | null;
  getClientRects(): { length: number };
}

/** The cells among `cells` that are shown and whose text is cut (wider than the cell). */
export async function cutCells(cells: Locator): Promise<string[]> {
  return cells.evaluateAll((nodes: CellNode[]) =>
    nodes
      .filter((cell) => cell.getClientRects().length > 0 && cell.scrollWidth > cell.clientWidth)
      .map((cell) => `${cell.className}: ${cell.textContent ?? ''}`),
  );
}

/** Waits until the workbench is up with the workspace folder open. */
export async function waitForWorkbench(page: Page, timeoutMs: number): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  // The explorer lists the workspace: the folder is open.
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: 'winback.destination.json' })
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press(`${MOD}+P`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: fileName })
    .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await activeTab(page, fileName).waitFor({ state: 'visible' });
  // Focus is in the editor once its text area has it.
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible' });
}

export function activeTab(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab.active', { hasText: label });
}

/**
 * Runs a command from the command palette (F1), choosing the row whose label is exactly `label`.
 * `opensQuickInput`: the command asks with a quick input of its own, which may show before the
 * palette is seen hidden, so the caller waits for that input instead.
 */
export async function runFromPalette(
  page: Page,
  search: string,
  label: string,
  options: { opensQuickInput?: boolean } = {},
): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(search);
  const row = page.locator('.quick-input-list .monaco-list-row', {
    has: page.locator('.monaco-highlighted-label', {
      hasText: new RegExp(`^${escapeRegExp(label)}$`),
    }),
  });
  await row.first().waitFor({ state: 'visible' });
  await row.first().click();
  if (!options.opensQuickInput)
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await restMouse(page);
}

/**
 * Types a path into VS Code's own open dialog (a quick input in the browser) and accepts it. The
 * dialog fills in its folder a moment after it shows, which can overwrite what was typed: the
 * path is typed again until the input holds it, and accepted again until the dialog closes.
 */
async function chooseInSimpleDialog(page: Page, file: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  for (let attempt = 1; attempt <= 4; attempt++) {
    await input.fill(file);
    if ((await input.inputValue()) !== file) continue;
    await page.keyboard.press('Enter');
    try {
      await widget.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch {
      // Still open: the dialog took the Enter for its own folder; type the path again.
    }
  }
  throw new Error(`the open dialog did not take ${file}`);
}

/** Moves the mouse to the (empty) middle of the status bar, so no hover or tooltip shows. */
export async function restMouse(page: Page): Promise<void> {
  const box = await page.locator('.part.statusbar').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

/** Hides the bottom panel (Problems, Output…) when it is open. */
export async function hidePanel(page: Page): Promise<void> {
  const panel = page.locator('.part.panel.basepanel');
  if (!(await panel.isVisible())) return;
  await page.keyboard.press(`${MOD}+J`);
  await panel.waitFor({ state: 'hidden' });
}

/** Puts the cursor of the active editor at a 1-based line and column (Go to Line). */
export async function goTo(page: Page, line: number, column?: number): Promise<void> {
  await page.keyboard.press(`${MOD}+G`);
  await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
  await page.keyboard.type(column === undefined ? String(line) : `${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The visible lines of the active editor, top to bottom. */
async function editorLines(page: Page): Promise<string[]> {
  const lines = page.locator('.editor-instance .monaco-editor.focused .view-lines .view-line');
  const tops = await lines.evaluateAll((nodes) =>
    nodes.map(
      (node: { getAttribute(name: string): string | null; textContent: string | null }) => ({
        top: Number(/top:\s*(-?[\d.]+)px/.exec(node.getAttribute('style') ?? '')?.[1] ?? 0),
        text: node.textContent ?? '',
      }),
    ),
  );
  return tops.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' '));
}

/** The 1-based line and column of the first occurrence of `search` in a file. */
export function locate(file: string, search: string): { line: number; column: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(search));
  assert.ok(index >= 0, `"${search}" not in ${file}`);
  return { line: index + 1, column: (lines[index] ?? '').indexOf(search) + 1 };
}

/** The results webview's document: the panel's iframe, then the page's active frame inside it. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/**
 * Waits for the rule page of `code` rendered in the Markdown preview (a webview editor): its
 * heading in the page, and no text editor showing the page's Markdown source.
 */
async function waitForRenderedRulePage(page: Page, code: string): Promise<void> {
  await activeTab(page, code).waitFor({ state: 'visible' });
  await webviewFrame(page)
    .locator('h1', { hasText: new RegExp(`^${escapeRegExp(code)}$`) })
    .waitFor({ state: 'visible' });
  const source = page.locator('.editor-instance .monaco-editor .view-line', {
    hasText: `# ${code}`,
  });
  assert.equal(await source.count(), 0, `a text editor shows the Markdown of ${code}.md`);
}

/** A row of the suggest widget whose label is exactly `label` (the focused one, if asked). */
function suggestRow(page: Page, label: string, options: { focused?: boolean } = {}): Locator {
  return page
    .locator('.suggest-widget.visible')
    .locator(options.focused ? '.monaco-list-row.focused' : '.monaco-list-row', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    });
}

/**
 * A fresh copy of an example under a new name, for a check that edits it: code-server saves
 * edits by itself, so editing an example would change it for the checks after. Resolves once
 * the explorer lists it (Quick Open finds it from then on).
 */
async function scratchCopy(
  page: Page,
  workspace: string,
  example: string,
  name: string,
): Promise<string> {
  copyFileSync(path.join(workspace, example), path.join(workspace, name));
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: name })
    .first()
    .waitFor({ state: 'visible' });
  // Quick Open may first answer from the file list it cached before the copy: ask until it
  // lists the new file.
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(`${MOD}+P`);
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    const found = await row
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    if (found) return name;
    assert.ok(attempt < 5, `Quick Open does not find ${name}`);
  }
}

/** Waits until the visible lines of the active editor pass `check` (typing renders later). */
async function waitForLines(
  page: Page,
  check: (lines: string[]) => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = await editorLines(page);
    if (check(lines)) return;
    if (Date.now() > deadline) assert.fail(`${what} in:\n${lines.join('\n')}`);
    await page.waitForTimeout(200);
  }
}

/** Opens the suggestions, types a filter, accepts the focused row `label`. */
async function acceptSuggestion(page: Page, typed: string, label: string): Promise<void> {
  const widget = page.locator('.suggest-widget.visible');
  await page.keyboard.press('Control+Space');
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(typed);
  await suggestRow(page, label, { focused: true }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/** Opens `name` with the cursor on a new line after the one holding `anchor` (a mapping). */
async function newLineAfter(
  page: Page,
  workspace: string,
  name: string,
  anchor: string,
): Promise<void> {
  const { line } = locate(path.join(workspace, name), anchor);
  await quickOpen(page, name);
  await hidePanel(page);
  await goTo(page, line);
  await page.keyboard.press('End');
  await page.keyboard.type(',');
  await page.keyboard.press('Enter');
}

/** A fresh copy of the winback example, open, with the cursor on a new line after its last mapping. */
async function newLineAfterLastMapping(page: Page, workspace: string, copy: string): Promise<void> {
  const name = await scratchCopy(page, workspace, 'winback.destination.json', copy);
  await newLineAfter(page, workspace, name, '"target": "title"');
}

export const UI_CHECKS: readonly UiCheck[] = [
  {
    title: 'shows the rule findings of broken.destination.jsonc in the Problems panel',
    async run({ page, screenshot }) {
      await quickOpen(page, 'broken.destination.jsonc');
      await page.keyboard.press(`${MOD}+Shift+M`);
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible' });
      const rows = panel.locator('.monaco-list-row');
      // The file's row, then its problems (errors first, in document order).
      for (const text of [
        'invalid-munchkin-id',
        'partition-not-allowed',
        'person-action-not-applicable',
        '"123-abc-45" is not a Munchkin ID',
      ]) {
        await rows.filter({ hasText: text }).first().waitFor({ state: 'visible' });
      }
      const fileRow = rows.filter({ hasText: 'broken.destination.jsonc' }).first();
      const count = await shownText(fileRow.locator('.monaco-count-badge'));
      assert.equal(count.trim(), '10', 'the file row counts 10 problems');
      await screenshot('problems');
    },
  },
  {
    title: 'completes a mapping target with a Marketo field from the suggest widget',
    async run({ page, workspace, screenshot }) {
      const name = 'webinar-audience-only.destination.json';
      // Go to the end of the last mapping and start a new one.
      await newLineAfter(page, workspace, name, '"target": "lastName"');
      // The runner turns auto-closing of brackets and quotes off, so the text is exactly what
      // is typed (auto-closing depends on tokenization timing); then the cursor goes between
      // the target's quotes and completion is asked for, as with Ctrl+Space by hand.
      await page.keyboard.type('{ "source": "b2b.companyName", "target": "" }');
      await page.keyboard.press('Escape');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
      // Closed (moving the cursor out of a word ends any suggestion session), so Ctrl+Space
      // opens it rather than toggling its details.
      const widget = page.locator('.suggest-widget.visible');
      await widget.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+Space');
      await widget.waitFor({ state: 'visible' });
      // The Marketo lead fields that are not mapped yet.
      const row = (label: string): Locator =>
        widget.locator('.monaco-list-row', {
          has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }),
        });
      for (const field of ['email', 'company', 'title', 'phone']) {
        await row(field).waitFor({ state: 'visible' });
      }
      await screenshot('completion');
      await page.keyboard.type('comp');
      await widget
        .locator('.monaco-list-row.focused', {
          has: page.locator('.label-name', { hasText: /^company$/ }),
        })
        .waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      const lines = await editorLines(page);
      assert.ok(
        lines.some((l) =>
          /^\s*\{ "source": "b2b\.companyName", "target": "company" \}\s*$/.test(l),
        ),
        `the new mapping in:\n${lines.join('\n')}`,
      );
    },
  },
  {
    title: 'accepting a property key opens the suggestions for its value',
    async run({ page, workspace }) {
      await newLineAfterLastMapping(page, workspace, 'retrigger.destination.json');
      // A mapping still without its target; the cursor where the key goes.
      await page.keyboard.type('{ "source": "workPhone.number",  }');
      await page.keyboard.press('Escape');
      for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
      const widget = page.locator('.suggest-widget.visible');
      await widget.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+Space');
      await suggestRow(page, 'target', { focused: true }).waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      // Nothing typed, no key pressed: the key item itself reopened the widget on the fields.
      await suggestRow(page, 'phone', { focused: true }).waitFor({ state: 'visible' });
      await waitForLines(
        page,
        (lines) =>
          lines.some((l) => /^\s*\{ "source": "workPhone\.number", "target": "" \}\s*$/.test(l)),
        'the key inserted with an empty value',
      );
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      await waitForLines(
        page,
        (lines) =>
          lines.some((l) =>
            /^\s*\{ "source": "workPhone\.number", "target": "phone" \}\s*$/.test(l),
          ),
        'the completed mapping',
      );
    },
  },
  {
    title: 'Tab goes from source to target in the New mapping snippet after a source completion',
    async run({ page, workspace }) {
      await newLineAfterLastMapping(page, workspace, 'tab-flow.destination.json');
      const widget = page.locator('.suggest-widget.visible');
      await widget.waitFor({ state: 'hidden' });
      await acceptSuggestion(page, 'New', 'New mapping');
      // The cursor is in the source's placeholder: complete a source path there.
      await acceptSuggestion(page, 'workPh', 'workPhone.number');
      // Tab reaches the target only while the snippet is still active.
      await page.keyboard.press('Tab');
      await page.keyboard.type('phone');
      await page.keyboard.press('Escape');
      await waitForLines(
        page,
        (lines) => {
          const at = lines.findIndex((l) => /^\s*"source": "workPhone\.number",\s*$/.test(l));
          return at >= 0 && /^\s*"target": "phone"\s*$/.test(lines[at + 1] ?? '');
        },
        "the snippet's source, then the target typed after Tab",
      );
    },
  },
  {
    title:
      'scopes "dedupeField" as a destination key (Developer: Inspect Editor Tokens and Scopes)',
    async run({ page, workspace }) {
      const name = 'winback.destination.json';
      const { line, column } = locate(path.join(workspace, name), '"dedupeField"');
      await quickOpen(page, name);
      await goTo(page, line, column + 3);
      await runFromPalette(
        page,
        'Inspect Editor Tokens',
        'Developer: Inspect Editor Tokens and Scopes',
      );
      const widget = page.locator('.token-inspect-widget');
      await widget
        .filter({ hasText: 'keyword.other.destination-key.aep-destination' })
        .waitFor({ state: 'visible' });
      const text = await shownText(widget);
      assert.match(text, /dedupeField/);
      assert.match(text, /source\.aep-destination/);
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    },
  },
  {
    title: 'runs Simulate Export from the command palette and shows the summary',
    async run({ page, screenshot }) {
      await quickOpen(page, 'winback.destination.json');
      await hidePanel(page);
      await runFromPalette(page, 'Simulate Export', 'AEP Destination: Simulate Export');
      const view = webviewFrame(page);
      const cards = view.locator('.cards .card');
      await view.locator('.cards .card-skip .card-count').waitFor({ state: 'visible' });
      const shown: Record<string, string> = {};
      for (const card of await cards.all()) {
        const label = await shownText(card.locator('.card-label'));
        shown[label] = await shownText(card.locator('.card-count'));
      }
      assert.deepEqual(shown, {
        Profiles: '9',
        Create: '2',
        Update: '5',
        // Leads added to lists by the creates and updates (audienceAndProfile).
        'Add to list': '7',
        'Remove from list': '0',
        Skip: '2',
      });
      // On opening, the table's first rows are in view with the summary: the API plan is a
      // closed section whose summary line says the gist.
      assert.equal(
        await shownText(view.locator('#plan-section > summary .gist')),
        '3 calls · 0.006% of the daily quota · at least 0 s',
      );
      const firstRows = view.locator('.body-row');
      await firstRows.first().waitFor({ state: 'visible' });
      const windowHeight = page.viewportSize()?.height ?? 900;
      const third = await firstRows.nth(2).boundingBox();
      assert.ok(
        third && third.y + third.height <= windowHeight,
        `row 3 in view: ${JSON.stringify(third)}`,
      );
      await activeTab(page, 'Simulation: Winback known leads').waitFor({ state: 'visible' });
      await restMouse(page);
      await screenshot('simulate-export');
      // The plan opens in full, and closes again.
      const planSummary = view.locator('#plan-section > summary');
      await planSummary.click();
      await view.locator('.plan-totals').waitFor({ state: 'visible' });
      await planSummary.click();
      await view.locator('.plan-totals').waitFor({ state: 'hidden' });
    },
  },
  {
    title:
      'pages, sorts and filters the results through the server; details beside the grid at the side-by-side width',
    async run({ page }) {
      // The results view of the check before: its first page came with the result.
      const view = webviewFrame(page);
      const count = view.locator('#row-count');
      await view.locator('.body-row').first().waitFor({ state: 'visible' });
      assert.equal(await shownText(count), '1–9 of 9 profiles');
      assert.equal(await view.locator('#page-next').isDisabled(), true, 'one page of 9');
      assert.equal(await shownText(view.locator('.body-row .col-index').first()), '2');
      // Sorting asks the server for a page: the last line of the file comes first.
      await view.locator('.head-row button[data-sort="index"]').click();
      await view
        .locator('.body-row')
        .first()
        .locator('.col-index', { hasText: /^10$/ })
        .waitFor({ state: 'visible' });
      assert.equal(await shownText(view.locator('.body-row .col-index').first()), '10');
      // A row's details open beside the grid at the default side-by-side width (the panel is
      // about 520 px wide in this window), in view.
      await view.locator('.body-row').first().click();
      const details = view.locator('#details');
      await details.waitFor({ state: 'visible' });
      const grid = await view.locator('.grid').boundingBox();
      const pane = await details.boundingBox();
      const width = (await view.locator('main').boundingBox())?.width ?? 0;
      assert.ok(grid && pane, 'grid and details pane are laid out');
      const layout = JSON.stringify({ width, grid, pane });
      console.log(`results view layout: ${layout}`);
      assert.ok(width < 700, `the panel is beside the editor, not full width: ${layout}`);
      assert.ok(pane.x >= grid.x + grid.width - 1, `beside: ${layout}`);
      assert.ok(pane.y < (page.viewportSize()?.height ?? 900) - 40, `in view: ${layout}`);
      // Nothing a user reads is cut: the lines, the dedupe values, the actions, the reasons.
      const cut = await cutCells(
        view.locator('.body-row :is(.col-index, .col-dedupe, .col-action, .col-reason)'),
      );
      assert.deepEqual(cut, [], 'cells whose text is cut');
      // A search matching nothing says so and offers to clear the filter.
      await view.locator('#search').fill('nobody@nowhere.example');
      await view.locator('#no-match').waitFor({ state: 'visible' });
      assert.match(
        await shownText(view.locator('#no-match-text')),
        /^No profile matches the search/,
      );
      await view.locator('#clear-filter').click();
      await view.locator('#no-match').waitFor({ state: 'hidden' });
      assert.equal(await shownText(count), '1–9 of 9 profiles');
      // Rows with a warning are marked (the duplicate leads of carl.carlsson).
      await view
        .locator('.body-row.has-warnings .warning-mark[aria-label]')
        .first()
        .waitFor({ state: 'visible' });
    },
  },
  {
    title: 'opens a rule code link (Problems panel, hover) as the rendered rule page',
    async run({ page, workspace, screenshot }) {
      const code = 'invalid-munchkin-id';
      const name = 'broken.destination.jsonc';
      // One webview at a time (an earlier check leaves the simulation results open).
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
      await quickOpen(page, name);
      const panel = page.locator('.markers-panel');
      if (!(await panel.isVisible())) await page.keyboard.press(`${MOD}+Shift+M`);
      await panel.waitFor({ state: 'visible' });
      const link = panel.locator('.monaco-list-row a.monaco-link', { hasText: code }).first();
      await link.click();
      await waitForRenderedRulePage(page, code);
      await restMouse(page);
      await screenshot('rule-page');

      // The hover's link opens the same way (it does not run `command:` links).
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
      await hidePanel(page);
      const { line, column } = locate(path.join(workspace, name), '"123-abc-45"');
      await quickOpen(page, name);
      await goTo(page, line, column + 2);
      await runFromPalette(page, 'Show or Focus Hover', 'Show or Focus Hover');
      const hoverLink = page.locator('.monaco-hover a.code-link', { hasText: code });
      await hoverLink.waitFor({ state: 'visible' });
      await hoverLink.click();
      await waitForRenderedRulePage(page, code);
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
    },
  },
  {
    title: 'shows the Flow Service plan beside a config and opens its JSON Patch',
    async run({ page, workspace, screenshot }) {
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
      const flowFile = path.join(workspace, 'flow-plan.flow.json');
      copyFileSync(path.join(FLOW_FIXTURES, 'flow.json'), flowFile);
      // Written as a copy of an example first, so Quick Open is known to list it.
      const name = await scratchCopy(
        page,
        workspace,
        'winback.destination.json',
        'flow-plan.destination.json',
      );
      writeFileSync(path.join(workspace, name), plannedConfigText());
      await quickOpen(page, name);
      await waitForLines(
        page,
        (lines) => lines.some((l) => l.includes('Winback known leads (EMEA)')),
        'the planned config',
      );
      await hidePanel(page);
      await runFromPalette(
        page,
        'Show Flow Service Plan',
        'AEP Destination: Show Flow Service Plan',
        { opensQuickInput: true },
      );
      const input = page.locator('.quick-input-widget .quick-input-box input');
      const title = page.locator('.quick-input-widget .quick-input-title', {
        hasText: /plan against|the saved dataflow/,
      });
      await title.waitFor({ state: 'visible' });
      // After the suite, which read this flow from its fake Experience Platform, the command
      // first asks which flow to plan against: a saved file.
      // (Both titles end in "plan against": the file's names the saved dataflow.)
      if (!(await shownText(title)).includes('the saved dataflow')) {
        await input.fill('saved flow');
        await page
          .locator('.quick-input-list .monaco-list-row.focused', {
            hasText: 'A saved flow JSON file',
          })
          .waitFor({ state: 'visible' });
        await page.keyboard.press('Enter');
      }
      // The browser's open dialog is VS Code's own: a path in a quick input.
      await page
        .locator('.quick-input-widget .quick-input-title', { hasText: 'the saved dataflow' })
        .waitFor({ state: 'visible' });
      await chooseInSimpleDialog(page, flowFile);
      const view = webviewFrame(page);
      await view.locator('.line-replace').first().waitFor({ state: 'visible' });
      assert.equal(
        await shownText(view.locator('.line-replace .change').first()),
        'name: "Winback known leads" → "Winback known leads (EMEA)"',
      );
      assert.equal(await view.locator('.line-add').count(), 1);
      assert.equal(await view.locator('.line-remove').count(), 1);
      await activeTab(page, 'Plan: Winback known leads (EMEA)').waitFor({ state: 'visible' });
      await restMouse(page);
      await screenshot('flow-plan');

      await view.locator('button[data-action="openPatch"]').click();
      await page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor({
        state: 'visible',
      });
      await waitForLines(
        page,
        (lines) => lines.some((l) => l.includes('"op": "replace"')),
        'the JSON Patch',
      );
      await runFromPalette(page, 'Revert and Close Editor', 'View: Revert and Close Editor');
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');
    },
  },
];

// The saved Flow Service answers live with the examples (test/fixtures/flowFixtures.ts).
const FLOW_FIXTURES = path.join(__dirname, '..', '..', 'examples', 'flow-service');

/** The fixture flow imported, then changed: renamed, a mapping added, an audience removed. */
function plannedConfigText(): string {
  const read = (name: string) => ({
    value: JSON.parse(readFileSync(path.join(FLOW_FIXTURES, name), 'utf8')) as unknown,
    source: name,
  });
  const { config } = importDataflow({
    flow: read('flow.json'),
    targetConnection: read('target-connection.json'),
    audiences: read('audiences.json'),
  });
  const changed = config as { name: string; mappings: unknown[]; audiences: unknown[] };
  changed.name = 'Winback known leads (EMEA)';
  changed.mappings.push({ source: 'person.birthDate', target: 'dateOfBirth' });
  changed.audiences.pop();
  return configText(config);
}
