// The Restricted Mode phase: a second, short code-server run with workspace trust enabled, on a
// workspace that is not trusted (test/e2e/runCodeServer.ts starts it after the first phase).
// The checks run in order, each on what the one before left: Restricted Mode is on and the
// config's files are not read; Simulate Export says it is disabled; the user trusts the
// workspace from that message; the files are read, except one outside the workspace folder,
// and Simulate Export works.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  type UiCheck,
  activeTab,
  hidePanel,
  quickOpen,
  restMouse,
  runFromPalette,
  shownText,
  webviewFrame,
} from './ui.spec';

const isMac = process.platform === 'darwin';
const MOD = isMac ? 'Meta' : 'Control';

export const OUTSIDE_CONFIG = 'outside-catalog.destination.json';

/**
 * `<root>/workspace`: winback.destination.json with its marketo/ and samples/ files, and a
 * config whose `marketoFields` is `../outside/describe2.json`, a file in `<root>/outside`.
 */
export async function makeRestrictedWorkspace(
  examples: string,
  root: string,
): Promise<{ workspace: string; outside: string }> {
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'outside');
  await fs.mkdir(workspace, { recursive: true });
  await fs.mkdir(outside, { recursive: true });
  await fs.copyFile(
    path.join(examples, 'winback.destination.json'),
    path.join(workspace, 'winback.destination.json'),
  );
  for (const folder of ['marketo', 'samples']) {
    await fs.cp(path.join(examples, folder), path.join(workspace, folder), { recursive: true });
  }
  await fs.copyFile(
    path.join(examples, 'marketo', 'describe2.json'),
    path.join(outside, 'describe2.json'),
  );
  const config = JSON.parse(
    await fs.readFile(path.join(examples, 'winback.destination.json'), 'utf8'),
  ) as Record<string, unknown>;
  delete config.$schema;
  delete config.simulation;
  config.name = 'Catalog outside the workspace';
  config.marketoFields = '../outside/describe2.json';
  await fs.writeFile(path.join(workspace, OUTSIDE_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
  return { workspace, outside };
}

/** The Problems panel, open. */
async function problems(page: Page): Promise<Locator> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press(`${MOD}+Shift+M`);
  await panel.waitFor({ state: 'visible' });
  return panel.locator('.monaco-list-row');
}

function restrictedModeIndicator(page: Page): Locator {
  return page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' });
}

function toast(page: Page, text: string): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

function simulateButton(page: Page): Locator {
  return page.locator('.editor-actions [aria-label^="Simulate Export"]').first();
}

const DISABLED = 'Simulate Export is disabled in Restricted Mode';

export const RESTRICTED_CHECKS: readonly UiCheck[] = [
  {
    title:
      'opens the untrusted workspace in Restricted Mode; the files the config names are not read',
    async run({ page }) {
      await restrictedModeIndicator(page).first().waitFor({ state: 'visible' });
      await quickOpen(page, 'winback.destination.json');
      const rows = await problems(page);
      // One information finding on each of the three path values; nothing else.
      const findings = rows.filter({ hasText: 'untrusted-workspace-file' });
      await findings.first().waitFor({ state: 'visible' });
      await rows
        .filter({ hasText: '"./marketo/describe2.json" is not read' })
        .first()
        .waitFor({ state: 'visible' });
      assert.equal(await findings.count(), 3, 'marketoFields, simulation.profiles and .leads');
      assert.equal(await rows.filter({ hasText: 'marketo-fields-unreadable' }).count(), 0);
      assert.equal(await simulateButton(page).count(), 0, 'no ▶ in the editor title');
      // The code lens (above the "simulation" block near the end) says so too. The editor only
      // renders what is in view: go to the end of the file first.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press(`${MOD}+End`);
      await page
        .locator('.codelens-decoration', { hasText: DISABLED })
        .first()
        .waitFor({ state: 'attached' });
      await page.keyboard.press(`${MOD}+Home`);
    },
  },
  {
    title: 'Simulate Export from the palette says it is disabled in Restricted Mode',
    async run({ page, screenshot }) {
      await quickOpen(page, 'winback.destination.json');
      await runFromPalette(page, 'Simulate Export', 'AEP Destination: Simulate Export');
      const message = toast(page, DISABLED);
      await message.waitFor({ state: 'visible' });
      assert.match(
        await shownText(message.locator('.notification-list-item-message')),
        /^Simulate Export is disabled in Restricted Mode: it reads files the config names\. Trust the workspace to enable it\.$/,
      );
      await message
        .locator('.monaco-button', { hasText: 'Manage Workspace Trust' })
        .waitFor({ state: 'visible' });
      // One message: no error, no second notification, no results view.
      assert.equal(await page.locator('.notifications-toasts .notification-toast').count(), 1);
      assert.equal(await page.locator('iframe.webview').count(), 0);
      await restMouse(page);
      await screenshot('restricted-mode');
    },
  },
  {
    title:
      'trusts the workspace from the message: the catalog is read, one outside the folder is not',
    async run({ page, workspace }) {
      await toast(page, DISABLED)
        .locator('.monaco-button', { hasText: 'Manage Workspace Trust' })
        .click();
      const editor = page.locator('.workspace-trust-editor');
      await editor.waitFor({ state: 'visible' });
      await editor
        .locator('.workspace-trust-buttons-row .monaco-button', { hasText: /^Trust/ })
        .first()
        .click();
      await restrictedModeIndicator(page).waitFor({ state: 'hidden' });
      await runFromPalette(page, 'Close All Editors', 'View: Close All Editors');

      await quickOpen(page, 'winback.destination.json');
      const rows = await problems(page);
      // The editor title's ▶ Simulate Export (its menu item needs isWorkspaceTrusted) is back.
      await simulateButton(page).waitFor({ state: 'visible' });
      await rows.filter({ hasText: 'untrusted-workspace-file' }).first().waitFor({
        state: 'hidden',
      });

      await quickOpen(page, OUTSIDE_CONFIG);
      const outside = rows.filter({ hasText: 'path-outside-workspace' });
      await outside.first().waitFor({ state: 'visible' });
      const text = await shownText(outside.first());
      const resolved = path.join(path.dirname(workspace), 'outside', 'describe2.json');
      assert.ok(text.includes(resolved), `names ${resolved}: ${text}`);
      assert.equal(await rows.filter({ hasText: 'untrusted-workspace-file' }).count(), 0);
      // Not read: its fields do not reach the config (no catalog finding either way).
      assert.equal(await rows.filter({ hasText: 'marketo-fields-unreadable' }).count(), 0);
    },
  },
  {
    title: 'Simulate Export works once the workspace is trusted',
    async run({ page }) {
      await quickOpen(page, 'winback.destination.json');
      await hidePanel(page);
      await runFromPalette(page, 'Simulate Export', 'AEP Destination: Simulate Export');
      const view = webviewFrame(page);
      await view.locator('.cards .card-create .card-count').waitFor({ state: 'visible' });
      assert.equal(await shownText(view.locator('.cards .card-create .card-count')), '2');
      await activeTab(page, 'Simulation: Winback known leads').waitFor({ state: 'visible' });
    },
  },
];
