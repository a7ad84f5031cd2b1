/**
 * The HTML document of the Simulate Export results panel, and the message protocol
 * between its webview and the extension. Pure (no `vscode` import, no DOM types) so the
 * unit tests can render it and poke at it.
 *
 * Security: the page has a strict Content-Security-Policy (no inline style, only nonce'd
 * scripts); every value that comes from the data files is HTML-escaped, and the first page
 * of outcomes (the others come from the language server, page by page) is embedded as JSON
 * whose `<`, `>`, `&`, U+2028 and U+2029 are `\u` escapes, so no value can close the data
 * element or start markup.
 */
import {
  MAX_PAGE_ROWS,
  type OutcomePage,
  type OutcomeQuery,
  type SimulationOverview,
  sanitizeQuery,
} from '../../../common/outcomePages';
import type {
  ApiPlan,
  SimulationAction,
  SimulationSummary,
} from '../../../common/simulationReport';
import {
  CALLS_PER_WINDOW,
  DAILY_CALL_QUOTA,
  LEADS_PER_LIST_CALL,
  RECORDS_PER_SYNC_CALL,
  WINDOW_SECONDS,
} from '../../../common/apiLimits';
import { formatDuration as formatSeconds, formatPercent } from '../../../common/reportFormats';

/** One simulation run as the panel shows it. */
export interface RunView {
  configName: string;
  configPath: string;
  profilesFile: string;
  leadsFile: string;
  durationMs: number;
  /** The server's name of the run, for page requests. */
  runId: string;
  result: SimulationOverview;
  /** The first page in file order, shown before any page request. */
  firstPage: OutcomePage;
}

/** What the page needs from the webview: the script nonce and the resource URIs. */
export interface PageResources {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

/** The JSON the page embeds for its script (`#data`). */
export interface EmbeddedData {
  firstPage: OutcomePage;
  rowsWithWarnings: number;
}

export type ExportFormat = 'json' | 'csv' | 'markdown';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'markdown'];

/** Messages the webview posts to the extension. */
export type WebviewMessage =
  | { type: 'export'; format: ExportFormat }
  | { type: 'rerun' }
  | { type: 'openProfile'; line: number }
  /** A page of outcomes; the answer (`PanelMessage`) carries the same `requestId`. */
  | ({ type: 'page'; requestId: number; offset: number; limit: number } & OutcomeQuery);

/** Messages the extension posts to the webview: the answer to a `page` message. */
export type PanelMessage =
  | { type: 'page'; requestId: number; page: OutcomePage }
  | { type: 'pageError'; requestId: number; message: string };

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The message if `raw` is a well-formed one, otherwise undefined (unknown types, bad
 * formats, lines that are not positive integers are all ignored).
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'export':
      return typeof message.format === 'string' &&
        (EXPORT_FORMATS as readonly string[]).includes(message.format)
        ? { type: 'export', format: message.format as ExportFormat }
        : undefined;
    case 'rerun':
      return { type: 'rerun' };
    case 'openProfile':
      return typeof message.line === 'number' &&
        Number.isSafeInteger(message.line) &&
        message.line > 0
        ? { type: 'openProfile', line: message.line }
        : undefined;
    case 'page':
      return isCount(message.requestId) &&
        isCount(message.offset) &&
        isCount(message.limit) &&
        message.limit <= MAX_PAGE_ROWS
        ? {
            type: 'page',
            requestId: message.requestId,
            offset: message.offset,
            limit: message.limit,
            ...sanitizeQuery(message),
          }
        : undefined;
    default:
      return undefined;
  }
}

/** File extension of an export format. */
export function exportExtension(format: ExportFormat): string {
  return format === 'markdown' ? 'md' : format;
}

/** Default file name of an export: `<config-name>-simulation.<ext>`, safe on every OS. */
export function exportFileName(configName: string, format: ExportFormat): string {
  const base =
    configName
      .replace(/\.destination\.jsonc?$/i, '')
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 100) || 'destination';
  return `${base}-simulation.${exportExtension(format)}`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON safe inside a `<script type="application/json">` element: `<`, `>`, `&`,
 * U+2028 and U+2029 become `\u` escapes (they only ever occur inside JSON strings, where
 * the escapes mean the same characters).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** An integer with thousands separators (`100,000`), independent of the locale. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A run duration: `850 ms`, `2.4 s`, `3 min 05 s`. */
export function formatRunDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

export const ACTION_LABELS: Readonly<Record<SimulationAction, string>> = {
  create: 'Create',
  update: 'Update',
  addToList: 'Add to list',
  removeFromList: 'Remove from list',
  skip: 'Skip',
};

function summaryCards(summary: SimulationSummary): string {
  const card = (action: SimulationAction | 'all', label: string, count: number): string =>
    `<button type="button" class="card card-${action}" data-action="${action}" ` +
    `aria-label="${escapeHtml(`${label}: ${formatCount(count)} — show these rows`)}">` +
    `<span class="card-count">${formatCount(count)}</span>` +
    `<span class="card-label">${escapeHtml(label)}</span></button>`;
  return (
    `<section class="cards" aria-label="Summary">` +
    card('all', 'Profiles', summary.profiles) +
    card('create', ACTION_LABELS.create, summary.create) +
    card('update', ACTION_LABELS.update, summary.update) +
    // Leads added to lists in every sync type (creates and updates too), not only the
    // audienceOnly action; the card's filter shows the rows with lists (tableModel).
    card('addToList', ACTION_LABELS.addToList, summary.addedToLists ?? summary.addToList) +
    card('removeFromList', ACTION_LABELS.removeFromList, summary.removedFromLists ?? 0) +
    card('skip', ACTION_LABELS.skip, summary.skip) +
    `</section>`
  );
}

function apiPlanSection(plan: ApiPlan): string {
  const row = (label: string, value: string, note = ''): string =>
    `<tr><th scope="row">${escapeHtml(label)}</th><td class="num">${escapeHtml(value)}</td>` +
    `<td class="note">${escapeHtml(note)}</td></tr>`;
  const lists = plan.perList.length
    ? `<table class="plan-lists"><caption>Add-to-list calls per list</caption>` +
      `<thead><tr><th scope="col">List</th><th scope="col" class="num">Members</th>` +
      `<th scope="col" class="num">Calls</th><th scope="col" class="num">Removed</th>` +
      `<th scope="col" class="num">Remove calls</th></tr></thead><tbody>` +
      plan.perList
        .map(
          (entry) =>
            `<tr><td class="mono">${escapeHtml(entry.listId)}</td>` +
            `<td class="num">${formatCount(entry.members)}</td>` +
            `<td class="num">${formatCount(entry.calls)}</td>` +
            `<td class="num">${formatCount(entry.removed ?? 0)}</td>` +
            `<td class="num">${formatCount(entry.removeCalls ?? 0)}</td></tr>`,
        )
        .join('') +
      `</tbody></table>`
    : '';
  return (
    `<section class="plan" aria-labelledby="plan-title"><h2 id="plan-title">API plan</h2>` +
    `<table class="plan-totals"><tbody>` +
    row(
      'Sync-lead calls',
      formatCount(plan.syncLeadCalls),
      `creates and updates, ${RECORDS_PER_SYNC_CALL} a call`,
    ) +
    row(
      'Add-to-list calls',
      formatCount(plan.addToListCalls),
      `${LEADS_PER_LIST_CALL} lead ids a call, per list`,
    ) +
    row(
      'Remove-from-list calls',
      formatCount(plan.removeFromListCalls ?? 0),
      `${LEADS_PER_LIST_CALL} lead ids a call, per list (audiences exited)`,
    ) +
    row(
      'Lead look-up calls',
      formatCount(plan.leadLookupCalls ?? 0),
      'audienceOnly: 300 dedupe values a call, to find the lead ids',
    ) +
    row('Total calls', formatCount(plan.totalCalls)) +
    row(
      'Daily quota',
      formatPercent(plan.dailyQuotaShare),
      `of the default ${formatCount(DAILY_CALL_QUOTA)} calls a day`,
    ) +
    row(
      'Minimum time',
      formatSeconds(plan.minimumSeconds),
      `at ${CALLS_PER_WINDOW} calls per ${WINDOW_SECONDS} s`,
    ) +
    `</tbody></table>${lists}</section>`
  );
}

function warningsSection(warnings: readonly string[]): string {
  if (!warnings.length) return '';
  return (
    `<section class="global-warnings" aria-labelledby="warnings-title">` +
    `<h2 id="warnings-title">Warnings (${formatCount(warnings.length)})</h2><ul>` +
    warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('') +
    `</ul></section>`
  );
}

/** Why every profile is skipped, when it is (a line above the table). */
function allSkippedLine(reason: string | null): string {
  if (reason === null) return '';
  return `<p class="all-skipped" role="note">${escapeHtml(reason)}</p>`;
}

function toolbar(rowsWithWarnings: number): string {
  const options = (['all', 'create', 'update', 'addToList', 'removeFromList', 'skip'] as const)
    .map(
      (action) =>
        `<option value="${action}">${action === 'all' ? 'All actions' : ACTION_LABELS[action]}</option>`,
    )
    .join('');
  return (
    `<div class="toolbar" role="toolbar" aria-label="Outcome table">` +
    `<label class="field"><span>Action</span><select id="action-filter">${options}</select></label>` +
    `<label class="field grow"><span>Search</span><input id="search" type="search" ` +
    `placeholder="Dedupe value, lead id, partition, reason, list, field" ` +
    `autocomplete="off" spellcheck="false"></label>` +
    `<label class="check"><input id="warnings-only" type="checkbox"${rowsWithWarnings ? '' : ' disabled'}>` +
    `<span>With warnings (${formatCount(rowsWithWarnings)})</span></label>` +
    `<span class="toolbar-actions">` +
    `<button type="button" class="secondary" data-export="json">Export JSON</button>` +
    `<button type="button" class="secondary" data-export="csv">Export CSV</button>` +
    `<button type="button" class="secondary" data-export="markdown">Export Markdown</button>` +
    `<button type="button" id="rerun">Re-run</button>` +
    `</span></div>`
  );
}

function pager(): string {
  return (
    `<div class="pager" role="navigation" aria-label="Pages of outcomes">` +
    `<button type="button" class="secondary" id="page-first" aria-label="First page">«</button>` +
    `<button type="button" class="secondary" id="page-prev" aria-label="Previous page">‹ Previous</button>` +
    `<span id="row-count" class="row-count" role="status" aria-live="polite"></span>` +
    `<button type="button" class="secondary" id="page-next" aria-label="Next page">Next ›</button>` +
    `<button type="button" class="secondary" id="page-last" aria-label="Last page">»</button>` +
    `</div>`
  );
}

/** The full HTML document of the results panel for one run. */
export function renderResultsHtml(run: RunView, page: PageResources): string {
  const { result } = run;
  const nonce = escapeHtml(page.nonce);
  const cspSource = escapeHtml(page.cspSource);
  const csp =
    `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; ` +
    `script-src 'nonce-${nonce}'; font-src ${cspSource};`;
  const data: EmbeddedData = {
    firstPage: run.firstPage,
    rowsWithWarnings: result.rowsWithWarnings,
  };
  const input = (label: string, value: string): string =>
    `<div><dt>${escapeHtml(label)}</dt><dd class="mono" title="${escapeHtml(value)}">${escapeHtml(value)}</dd></div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>Simulation: ${escapeHtml(run.configName)}</title>
</head>
<body>
<header class="run-header">
<h1><span class="eyebrow">Simulate Export</span> ${escapeHtml(run.configName)}</h1>
<dl class="inputs">${input('Config', run.configPath)}${input('Profiles', run.profilesFile)}${input('Leads', run.leadsFile)}<div><dt>Duration</dt><dd>${escapeHtml(formatRunDuration(run.durationMs))}</dd></div></dl>
</header>
<main>
${summaryCards(result.summary)}
<div class="overview">
${apiPlanSection(result.apiPlan)}
${warningsSection(result.warnings)}
</div>
${allSkippedLine(result.allSkippedBecause)}
${toolbar(result.rowsWithWarnings)}
<div class="results">
<div id="table" class="table-container">${pager()}<div id="no-match" class="empty" hidden><p id="no-match-text"></p><button type="button" id="clear-filter">Clear filter</button></div></div>
<aside id="details" class="details" aria-label="Profile details" hidden></aside>
</div>
</main>
<script type="application/json" id="data" nonce="${nonce}">${jsonForScript(data)}</script>
<script nonce="${nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}
