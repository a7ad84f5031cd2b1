/**
 * The parts of the Simulate Export results page above the outcome table: the run's inputs, the
 * summary cards, the API plan, the run's warnings and the all-skipped line. A user opens the
 * panel to see what happens to the leads, so everything here is compact: the inputs, the plan
 * and the warnings are `<details>` whose one-line summary says the gist, and the table's first
 * rows are in view on opening at the default side-by-side width (about 450–520 px).
 *
 * Pure string building (no `vscode`, no DOM); every value from the data files is escaped.
 */
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

/** An integer with thousands separators (`100,000`), independent of the locale. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export const ACTION_LABELS: Readonly<Record<SimulationAction, string>> = {
  create: 'Create',
  update: 'Update',
  addToList: 'Add to list',
  removeFromList: 'Remove from list',
  skip: 'Skip',
};

/** The last segment of a path or URI (`/a/b/profiles.csv` → `profiles.csv`). */
export function fileName(file: string): string {
  return /[^/\\]*$/.exec(file.replace(/[/\\]+$/, ''))?.[0] || file;
}

/**
 * The run's inputs: one line of file names (and the duration) that opens to the full paths,
 * which are long and would take four lines of a narrow panel.
 */
export function runInputs(
  inputs: readonly { label: string; value: string }[],
  duration: string,
): string {
  const gist = [...inputs.slice(1).map((input) => fileName(input.value)), duration].join(' · ');
  const rows = inputs
    .map(
      ({ label, value }) =>
        `<div><dt>${escapeHtml(label)}</dt><dd class="mono" title="${escapeHtml(value)}">` +
        `${escapeHtml(value)}</dd></div>`,
    )
    .join('');
  return (
    `<details class="run-inputs" id="inputs-section"><summary><span class="gist">${escapeHtml(gist)}</span></summary>` +
    `<dl class="inputs">${rows}<div><dt>Duration</dt><dd>${escapeHtml(duration)}</dd></div></dl>` +
    `</details>`
  );
}

export function summaryCards(summary: SimulationSummary): string {
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

function perListTable(plan: ApiPlan): string {
  if (!plan.perList.length) return '';
  return (
    `<table class="plan-lists"><caption>Add-to-list calls per list</caption>` +
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
  );
}

/** The plan's gist for its closed summary: the calls, the quota share, the minimum time. */
export function apiPlanGist(plan: ApiPlan): string {
  const calls = `${formatCount(plan.totalCalls)} call${plan.totalCalls === 1 ? '' : 's'}`;
  return (
    `${calls} · ${formatPercent(plan.dailyQuotaShare)} of the daily quota · ` +
    `at least ${formatSeconds(plan.minimumSeconds)}`
  );
}

/** The Marketo API plan, closed on opening (its gist in the summary line). */
export function apiPlanSection(plan: ApiPlan): string {
  const row = (label: string, value: string, note = ''): string =>
    `<tr><th scope="row">${escapeHtml(label)}</th><td class="num">${escapeHtml(value)}</td>` +
    `<td class="note">${escapeHtml(note)}</td></tr>`;
  return (
    `<details class="plan" id="plan-section"><summary>` +
    `<h2 id="plan-title">API plan</h2><span class="gist">${escapeHtml(apiPlanGist(plan))}</span>` +
    `</summary><div class="section-body"><table class="plan-totals"><tbody>` +
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
    `</tbody></table>${perListTable(plan)}</div></details>`
  );
}

/** The run's warnings, closed on opening: the count and the first warning in the summary. */
export function warningsSection(warnings: readonly string[]): string {
  if (!warnings.length) return '';
  return (
    `<details class="global-warnings" id="warnings-section"><summary>` +
    `<h2 id="warnings-title">Warnings (${formatCount(warnings.length)})</h2>` +
    `<span class="gist">${escapeHtml(warnings[0]!)}</span></summary>` +
    `<ul class="section-body">` +
    warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('') +
    `</ul></details>`
  );
}

/** Why every profile is skipped, when it is (a line above the table, always shown). */
export function allSkippedLine(reason: string | null): string {
  if (reason === null) return '';
  return `<p class="all-skipped" role="note">${escapeHtml(reason)}</p>`;
}
