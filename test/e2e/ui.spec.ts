// UI checks, as a person would use the extension: playwright-core drives the code-server page
// (keyboard, Quick Open, the command palette, the Problems panel, the suggest widget, the
// results webview). Run by test/e2e/runCodeServer.ts after the integration suite, in the same
// code-server; each check counts in the runner's `N passed, M failed` line.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

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
async function shownText(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
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

async function quickOpen(page: Page, fileName: string): Promise<void> {
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

function activeTab(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab.active', { hasText: label });
}

/** Runs a command from the command palette (F1), choosing the row whose label is exactly `label`. */
async function runFromPalette(page: Page, search: string, label: string): Promise<void> {
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
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await restMouse(page);
}

/** Moves the mouse to the (empty) middle of the status bar, so no hover or tooltip shows. */
async function restMouse(page: Page): Promise<void> {
  const box = await page.locator('.part.statusbar').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

/** Hides the bottom panel (Problems, Output…) when it is open. */
async function hidePanel(page: Page): Promise<void> {
  const panel = page.locator('.part.panel.basepanel');
  if (!(await panel.isVisible())) return;
  await page.keyboard.press(`${MOD}+J`);
  await panel.waitFor({ state: 'hidden' });
}

/** Puts the cursor of the active editor at a 1-based line and column (Go to Line). */
async function goTo(page: Page, line: number, column?: number): Promise<void> {
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
function locate(file: string, search: string): { line: number; column: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(search));
  assert.ok(index >= 0, `"${search}" not in ${file}`);
  return { line: index + 1, column: (lines[index] ?? '').indexOf(search) + 1 };
}

/** The results webview's document: the panel's iframe, then the page's active frame inside it. */
function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
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
      const { line } = locate(path.join(workspace, name), '"target": "lastName"');
      await quickOpen(page, name);
      await hidePanel(page);
      // Go to the end of the last mapping and start a new one.
      await goTo(page, line);
      await page.keyboard.press('End');
      await page.keyboard.type(',');
      await page.keyboard.press('Enter');
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
        'Add to list': '0',
        Skip: '2',
      });
      await view.locator('.plan-totals').waitFor({ state: 'visible' });
      await activeTab(page, 'Simulation: Winback known leads').waitFor({ state: 'visible' });
      await screenshot('simulate-export');
    },
  },
];
