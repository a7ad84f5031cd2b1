/**
 * Human-facing reports of a simulation: a text plan in the spirit of `terraform plan`,
 * a Markdown report and a CSV with one row per profile. Pure: no vscode or LSP import.
 * (The machine-readable JSON report is `toJsonReport` / `jsonReportChunks` in report.ts.)
 */
import { CALLS_PER_WINDOW, DAILY_CALL_QUOTA, WINDOW_SECONDS } from './apiLimits';
import { changeText } from './csvReport';
import type {
  ApiPlan,
  FieldChange,
  ProfileOutcome,
  SimulationResult,
  SimulationSummary,
} from './simulationReport';

export { CSV_HEADER, csvField, csvReportChunks, toCsvReport } from './csvReport';

/** What the report names: the config and its inputs, as the user should see them. */
export interface ReportMeta {
  configName: string;
  configPath: string;
  profilesFile: string;
  leadsFile: string;
}

export interface TextPlanOptions {
  /** ANSI colours (only for a terminal). */
  color?: boolean;
  /** Outcome lines shown per group before `… and N more` (default 20). */
  maxPerGroup?: number;
  /**
   * Instead of `result.outcomes`: the first outcomes of each group in file order, and each
   * group's size by action (`skip:<reason>` for a skip), for a result too large to hold.
   */
  groups?: { shown: readonly ProfileOutcome[]; counts: ReadonlyMap<string, number> };
}

const ANSI = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36, gray: 90 } as const;
type Style = keyof typeof ANSI;

/** Control characters (incl. ESC, so no value can inject terminal sequences) as escapes. */
function visible(text: string): string {
  return text.replace(
    /[\x00-\x1f\x7f-\x9f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** `0.006%`: two significant digits below 100 %, whole numbers above. */
export function formatPercent(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (p < 0.001) return '<0.001%';
  return `${p >= 100 ? p.toFixed(0) : String(Number(p.toPrecision(2)))}%`;
}

/** `1 min 20 s`, `2 h 5 min`, `0 s`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} h`);
  if (min > 0) parts.push(`${min} min`);
  if (s > 0 || parts.length === 0) parts.push(`${s} s`);
  return parts.join(' ');
}

/** `1,234,567` (locale-independent). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `field: "from" → "to"`; a created field (or an empty one) has no `from`. */
function textChange(c: FieldChange, created: boolean): string {
  const to = visible(JSON.stringify(c.to));
  if (created) return `${visible(c.field)}: ${to}`;
  const from = c.from === null ? '(empty)' : visible(JSON.stringify(c.from));
  return `${visible(c.field)}: ${from} → ${to}`;
}

const GROUPS = [
  { action: 'create', marker: '+', style: 'green' },
  { action: 'update', marker: '~', style: 'yellow' },
  { action: 'addToList', marker: '>', style: 'cyan' },
  { action: 'removeFromList', marker: '<', style: 'red' },
] as const;

interface Group {
  shown: ProfileOutcome[];
  count: number;
}

function addTo(groups: Map<string, Group>, key: string, o: ProfileOutcome, max: number): void {
  let group = groups.get(key);
  if (!group) groups.set(key, (group = { shown: [], count: 0 }));
  group.count++;
  if (group.shown.length < max) group.shown.push(o);
}

/** The details of an outcome line: changes, then lists. */
function outcomeDetails(o: ProfileOutcome): string {
  const created = o.action === 'create';
  // A new lead's first change is its dedupe value, already shown on the line.
  const changes = created && o.changes[0]?.to === o.dedupeValue ? o.changes.slice(1) : o.changes;
  const parts = changes.map((c) => textChange(c, created));
  if (o.action === 'update' && changes.length === 0) parts.push('no changes');
  if (o.lists.length > 0) parts.push(`lists: ${o.lists.map(visible).join(', ')}`);
  const removed = o.removeFromLists ?? [];
  if (removed.length > 0) parts.push(`leaves lists: ${removed.map(visible).join(', ')}`);
  return parts.join('; ');
}

/** The plan a person reads at a glance, like `terraform plan`. */
export function toTextPlan(
  result: SimulationResult,
  meta: ReportMeta,
  options: TextPlanOptions = {},
): string {
  const paint = (style: Style, text: string): string =>
    options.color ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text;
  const max = Math.max(0, options.maxPerGroup ?? 20);
  const byAction = new Map<string, Group>();
  const skips = new Map<string, Group>();
  const grouped = options.groups;
  for (const o of grouped?.shown ?? result.outcomes) {
    if (o.action === 'skip') addTo(skips, o.reason ?? 'no reason given', o, max);
    else addTo(byAction, o.action, o, max);
  }
  if (grouped) {
    // The outcomes were only those shown: the groups' sizes come with them.
    for (const [action, group] of byAction) group.count = grouped.counts.get(action) ?? group.count;
    for (const [reason, group] of skips)
      group.count = grouped.counts.get(`skip:${reason}`) ?? group.count;
  }
  const out: string[] = [
    paint('bold', `Simulate Export: ${visible(meta.configName)}`),
    `  config    ${visible(meta.configPath)}`,
    `  profiles  ${visible(meta.profilesFile)}`,
    `  leads     ${visible(meta.leadsFile)}`,
    '',
  ];
  const more = (group: Group, indent: string): void => {
    if (group.count > group.shown.length)
      out.push(`${indent}… and ${group.count - group.shown.length} more`);
  };
  const warningLines = (o: ProfileOutcome, indent: string): void => {
    for (const w of o.warnings) out.push(`${indent}${paint('yellow', '!')} ${visible(w)}`);
  };
  for (const { action, marker, style } of GROUPS) {
    const group = byAction.get(action);
    if (!group) continue;
    out.push(paint(style, `${marker} ${action} (${group.count})`));
    for (const o of group.shown) {
      const who = o.leadId === null ? 'new lead' : `lead ${visible(o.leadId)}`;
      const where = o.partition === null ? '' : ` (${visible(o.partition)})`;
      const details = outcomeDetails(o);
      out.push(
        `  ${paint(style, marker)} ${who}${where} ${visible(o.dedupeValue ?? '')}` +
          (details ? `  ${details}` : ''),
      );
      warningLines(o, '      ');
    }
    more(group, '  ');
    out.push('');
  }
  for (const [reason, group] of skips) {
    out.push(paint('gray', `- skip (${group.count}): ${visible(reason)}`));
    for (const o of group.shown) {
      const value = o.dedupeValue === null ? '(no dedupe value)' : visible(o.dedupeValue);
      out.push(`  ${paint('gray', '-')} line ${o.line} ${value}`);
      warningLines(o, '      ');
    }
    more(group, '  ');
    out.push('');
  }
  if (result.warnings.length > 0) {
    out.push(paint('yellow', 'Warnings:'));
    for (const w of result.warnings) out.push(`  ${paint('yellow', '!')} ${visible(w)}`);
    out.push('');
  }
  out.push(...apiPlanLines(result.apiPlan, paint('bold', 'API plan:')), '');
  const s = result.summary;
  out.push(
    paint(
      'bold',
      `Plan: ${s.create} to create, ${s.update} to update, ${addedToLists(s)} to add to lists, ` +
        (s.removedFromLists ? `${s.removedFromLists} to remove from lists, ` : '') +
        `${s.skip} to skip (${plural(s.profiles, 'profile')}).`,
    ),
  );
  return out.join('\n') + '\n';
}

/**
 * Leads added to lists, in every sync type: creates and updates of audienceAndProfile too,
 * not only audienceOnly's `addToList` action (a result without the count: the action's).
 */
function addedToLists(s: SimulationSummary): number {
  return s.addedToLists ?? s.addToList;
}

function apiPlanLines(plan: ApiPlan, title: string): string[] {
  const lines = [title];
  if (plan.leadLookupCalls) lines.push(`  lead look-up calls  ${plan.leadLookupCalls}`);
  lines.push(`  sync-lead calls     ${plan.syncLeadCalls}`);
  lines.push(`  add-to-list calls   ${plan.addToListCalls}`);
  const width = Math.max(0, ...plan.perList.map((l) => l.listId.length));
  for (const l of plan.perList) {
    lines.push(
      `    ${visible(l.listId).padEnd(width)}  ${l.calls} (${plural(l.members, 'member')})`,
    );
  }
  if (plan.removeFromListCalls) {
    lines.push(`  list removal calls  ${plan.removeFromListCalls}`);
    for (const l of plan.perList) {
      if (!l.removed) continue;
      lines.push(
        `    ${visible(l.listId).padEnd(width)}  ${l.removeCalls ?? 0} (${plural(l.removed, 'lead')} removed)`,
      );
    }
  }
  lines.push(
    `  total               ${plural(plan.totalCalls, 'call')}, ${formatPercent(plan.dailyQuotaShare)} of the ${grouped(DAILY_CALL_QUOTA)}/day quota`,
    `  minimum time        ${formatDuration(plan.minimumSeconds)} at ${CALLS_PER_WINDOW} calls per ${WINDOW_SECONDS} s`,
  );
  return lines;
}

/** A Markdown table cell: `|` escaped, newlines as `<br>`, HTML inert. */
export function markdownCell(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>')
    .replace(/[\x00-\x1f\x7f]/g, ' ');
}

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.map((c) => (typeof c === 'number' ? String(c) : markdownCell(c))).join(' | ')} |`;
}

/** A Markdown report: summary, API plan, warnings and one table row per profile. */
export function toMarkdownReport(result: SimulationResult, meta: ReportMeta): string {
  let out = '';
  for (const chunk of markdownReportChunks(result, meta)) out += chunk;
  return out;
}

/** Rows per chunk of the streamed Markdown report. */
const ROWS_PER_CHUNK = 1000;

/** The Markdown report in chunks (its head, then the table rows a thousand at a time). */
export function* markdownReportChunks(
  result: SimulationResult,
  meta: ReportMeta,
): Generator<string> {
  const s = result.summary;
  const plan = result.apiPlan;
  const out: string[] = [
    `# Simulate Export: ${markdownCell(meta.configName)}`,
    '',
    `- Config: ${markdownCell(meta.configPath)}`,
    `- Profiles: ${markdownCell(meta.profilesFile)}`,
    `- Leads: ${markdownCell(meta.leadsFile)}`,
    '',
    '## Summary',
    '',
    '| action | profiles |',
    '|---|---:|',
    row(['create', s.create]),
    row(['update', s.update]),
    row(['addToList', s.addToList]),
    row(['removeFromList', s.removeFromList ?? 0]),
    row(['skip', s.skip]),
    row(['total', s.profiles]),
    '',
    `Leads added to lists: ${addedToLists(s)}; removed from lists: ${s.removedFromLists ?? 0}.`,
    '',
    '## API plan',
    '',
    '| calls | count |',
    '|---|---:|',
    ...(plan.leadLookupCalls ? [row(['lead look-up', plan.leadLookupCalls])] : []),
    row(['sync-lead', plan.syncLeadCalls]),
    ...plan.perList.map((l) =>
      row([`add-to-list ${l.listId} (${plural(l.members, 'member')})`, l.calls]),
    ),
    ...plan.perList
      .filter((l) => l.removed)
      .map((l) =>
        row([
          `remove-from-list ${l.listId} (${plural(l.removed ?? 0, 'lead')})`,
          l.removeCalls ?? 0,
        ]),
      ),
    row(['total', plan.totalCalls]),
    row([
      `share of the ${grouped(DAILY_CALL_QUOTA)}/day quota`,
      formatPercent(plan.dailyQuotaShare),
    ]),
    row([
      `minimum time at ${CALLS_PER_WINDOW} calls per ${WINDOW_SECONDS} s`,
      formatDuration(plan.minimumSeconds),
    ]),
    '',
    '## Warnings',
    '',
    ...(result.warnings.length > 0
      ? result.warnings.map((w) => `- ${markdownCell(w)}`)
      : ['None.']),
    '',
    '## Outcomes',
    '',
    '| index | line | dedupe value | action | lead id | partition | lists | changes | reason |',
    '|---:|---:|---|---|---|---|---|---|---|',
  ];
  yield out.join('\n') + '\n';
  for (let start = 0; start < result.outcomes.length; start += ROWS_PER_CHUNK) {
    yield result.outcomes
      .slice(start, start + ROWS_PER_CHUNK)
      .map((o) => markdownRow(o) + '\n')
      .join('');
  }
}

/** One outcome as a row of the Markdown report's table. */
function markdownRow(o: ProfileOutcome): string {
  return row([
    o.index,
    o.line,
    o.dedupeValue ?? '',
    o.action,
    o.leadId ?? '',
    o.partition ?? '',
    [
      o.lists.join(', '),
      ...(o.removeFromLists?.length ? [`leaves: ${o.removeFromLists.join(', ')}`] : []),
    ]
      .filter(Boolean)
      .join('; '),
    o.changes.map(changeText).join('; '),
    [o.reason ?? '', ...o.warnings.map((w) => `warning: ${w}`)].filter(Boolean).join('; '),
  ]);
}
