// The Swedish phase: a short code-server run started with `--locale sv` (and "locale": "sv" in
// its argv.json) and the setting "aepDestination.locale": "sv", after the Restricted Mode phase
// (test/e2e/runCodeServer.ts). VS Code has no Swedish language pack, so it resolves its display
// language to English (its UI, and the extension's own texts through vscode.l10n, stay English);
// the setting makes the language server's diagnostics and hover Swedish, in the words of Adobe's
// Swedish Marketo Engage Connection page.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  type UiCheck,
  goTo,
  hidePanel,
  locate,
  quickOpen,
  restMouse,
  runFromPalette,
  shownText,
} from './ui.spec';

const isMac = process.platform === 'darwin';
const MOD = isMac ? 'Meta' : 'Control';

/** The workbench waits for this name in the explorer (waitForWorkbench). */
export const SWEDISH_CONFIG = 'winback.destination.json';

/** Lead ID as the dedupe field: one error, unsupported-dedupe-field, and no file to read. */
const CONFIG_TEXT = `{
  "connector": "marketo-engage",
  "name": "Återvinn kända leads",
  "munchkinId": "123-ABC-456",
  "workspace": "Default",
  "syncType": "audienceAndProfile",
  "dedupeField": "leadId",
  "personAction": "updateExistingOnly",
  "mappings": [
    { "source": "identityMap.Email", "target": "DedupeField" },
    { "source": "person.name.firstName", "target": "firstName" },
    { "source": "person.name.lastName", "target": "lastName" }
  ],
  "audiences": [
    { "id": "seg-winback", "name": "Winback 90 dagar", "origin": "segmentationService",
      "type": "people", "evaluation": "streaming", "entities": ["person"] }
  ]
}
`;

/** The message of unsupported-dedupe-field in Swedish, up to its first sentence's end. */
export const SWEDISH_MESSAGE =
  '"leadId" är Marketo Lead ID, som inte kan deduplicera: Marketo Lead ID och ECID stöds inte som dedupliceringsfält.';

export async function makeSwedishWorkspace(root: string): Promise<string> {
  const workspace = path.join(root, 'workspace');
  await fs.mkdir(workspace, { recursive: true });
  await fs.writeFile(path.join(workspace, SWEDISH_CONFIG), CONFIG_TEXT);
  return workspace;
}

/** The language VS Code's workbench runs in (`<html lang>`), for the log. */
export async function workbenchLanguage(page: Page): Promise<string> {
  return (await page.locator('html').getAttribute('lang')) ?? '(none)';
}

export const SWEDISH_CHECKS: readonly UiCheck[] = [
  {
    title: 'shows a Swedish diagnostic in the Problems panel; the rule code is unchanged',
    async run({ page, screenshot }) {
      await quickOpen(page, SWEDISH_CONFIG);
      await page.keyboard.press(`${MOD}+Shift+M`);
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible' });
      const row = panel
        .locator('.monaco-list-row', { hasText: 'dedupliceringsfält' })
        .filter({ hasText: 'unsupported-dedupe-field' });
      await row.first().waitFor({ state: 'visible' });
      assert.ok(
        (await shownText(row.first())).includes(SWEDISH_MESSAGE),
        await shownText(row.first()),
      );
      assert.equal(
        await panel.locator('.monaco-list-row', { hasText: 'are not supported' }).count(),
        0,
        'no English message',
      );
      await restMouse(page);
      await screenshot('swedish-diagnostic');
    },
  },
  {
    title: 'the hover on the dedupe field says it in Swedish too',
    async run({ page, workspace }) {
      await hidePanel(page);
      const { line, column } = locate(path.join(workspace, SWEDISH_CONFIG), '"leadId"');
      await quickOpen(page, SWEDISH_CONFIG);
      await goTo(page, line, column + 2);
      await runFromPalette(page, 'Show or Focus Hover', 'Show or Focus Hover');
      const hover = page.locator('.monaco-hover', { hasText: 'dedupliceringsfält' });
      await hover.first().waitFor({ state: 'visible' });
      assert.match(await shownText(hover.first()), /kan inte deduplicera/);
      await page.keyboard.press('Escape');
    },
  },
];
