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
import {
  ACTION_LABELS,
  allSkippedLine,
  apiPlanSection,
  escapeHtml,
  formatCount,
  runInputs,
  summaryCards,
  warningsSection,
} from './resultsOverviewHtml';

export { ACTION_LABELS, escapeHtml, formatCount } from './resultsOverviewHtml';

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

/** A run duration: `850 ms`, `2.4 s`, `3 min 05 s`. */
export function formatRunDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
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
    `</div>`
  );
}

/** Export and Re-run, beside the title: short labels, so they fit a narrow panel's first line. */
function runActions(): string {
  const exportButton = (format: string, label: string): string =>
    `<button type="button" class="secondary" data-export="${format}" ` +
    `aria-label="Export ${label}" title="Export the simulation as ${label}">${label}</button>`;
  return (
    `<div class="run-actions" role="group" aria-label="Export and re-run">` +
    `<span class="export-label" aria-hidden="true">Export</span>` +
    exportButton('json', 'JSON') +
    exportButton('csv', 'CSV') +
    exportButton('markdown', 'Markdown') +
    `<button type="button" id="rerun">Re-run</button></div>`
  );
}

function pager(): string {
  return (
    `<div class="pager" role="navigation" aria-label="Pages of outcomes">` +
    `<button type="button" class="secondary" id="page-first" aria-label="First page">«</button>` +
    `<button type="button" class="secondary" id="page-prev" aria-label="Previous page">‹<span class="pager-word"> Previous</span></button>` +
    `<span id="row-count" class="row-count" role="status" aria-live="polite"></span>` +
    `<button type="button" class="secondary" id="page-next" aria-label="Next page"><span class="pager-word">Next </span>›</button>` +
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
  const inputs = [
    { label: 'Config', value: run.configPath },
    { label: 'Profiles', value: run.profilesFile },
    { label: 'Leads', value: run.leadsFile },
  ];
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
<div class="title-row">
<h1><span class="eyebrow">Simulate Export</span> ${escapeHtml(run.configName)}</h1>
${runActions()}
</div>
${runInputs(inputs, formatRunDuration(run.durationMs))}
</header>
<main>
${summaryCards(result.summary)}
${apiPlanSection(result.apiPlan)}
${warningsSection(result.warnings)}
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
