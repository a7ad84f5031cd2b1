/**
 * The HTML of the Flow Service plan panel, and the messages its page posts. Pure (no `vscode`
 * import) so it can be rendered and checked without an editor.
 *
 * Security as in the simulation panel: a strict Content-Security-Policy (default-src 'none',
 * only the nonce'd script, the stylesheet from the extension), no inline handlers, and every
 * value (flow names, ids, notes: all from Experience Platform or a saved file) HTML-escaped,
 * cut to a length and with its bidirectional controls made visible (webviewText.ts), inside an
 * element the stylesheet isolates and wraps.
 */
import type { FlowPlan } from '../../../common/flowServiceTypes';
import { escapeHtml } from '../simulation/resultsHtml';
import { shownValue } from '../webviewText';

/** Longest value shown in the header, its tooltip, and a line of the plan (UTF-16 units). */
export const LIMITS = { header: 300, tooltip: 2_000, line: 10_000 } as const;

/** What the panel shows: the plan as `aep-dest plan` prints it, and where it came from. */
export interface PlanView {
  configName: string;
  configPath: string;
  /** The flow the plan is against: a file path, or `GET …/flows/{id}` when fetched. */
  flowSource: string;
  plan: FlowPlan;
  /** The server's plan text (formatPlan). */
  text: string;
  /** The flow was fetched from Experience Platform: the plan can be applied. */
  canApply: boolean;
}

export interface PlanPageResources {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

export type PlanWebviewMessage = { type: 'openPatch' } | { type: 'apply' };

export function parsePlanMessage(raw: unknown): PlanWebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const type = (raw as { type?: unknown }).type;
  return type === 'openPatch' || type === 'apply' ? { type } : undefined;
}

export type PlanLineKind = 'add' | 'remove' | 'replace' | 'note' | 'text';

/** One line of the plan text and how it is coloured: `+` added, `-` removed, `~` replaced, `!` a note. */
export function classifyPlanLine(line: string): { kind: PlanLineKind; sign: string; text: string } {
  const match = /^ {2}([+\-~!]) (.*)$/.exec(line);
  if (!match) return { kind: 'text', sign: '', text: line };
  const sign = match[1] as '+' | '-' | '~' | '!';
  const kinds = { '+': 'add', '-': 'remove', '~': 'replace', '!': 'note' } as const;
  return { kind: kinds[sign], sign, text: match[2] ?? '' };
}

/** The plan text's lines, without the trailing empty one. */
export function planLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The panel's (tab's) title. */
export function planTitle(configName: string): string {
  return `Plan: ${shownValue(configName, 100)}`;
}

/** A value in the page: cut, its bidi controls visible, HTML-escaped. */
function text(value: string, max: number): string {
  return escapeHtml(shownValue(value, max));
}

export function renderPlanHtml(view: PlanView, page: PlanPageResources): string {
  const nonce = escapeHtml(page.nonce);
  const cspSource = escapeHtml(page.cspSource);
  const csp =
    `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; ` +
    `script-src 'nonce-${nonce}'; font-src ${cspSource};`;
  const field = (label: string, value: string): string =>
    `<div><dt>${escapeHtml(label)}</dt><dd class="mono value" title="${text(value, LIMITS.tooltip)}">${text(value, LIMITS.header)}</dd></div>`;
  const lines = planLines(view.text)
    .map((line) => {
      const classified = classifyPlanLine(line);
      if (classified.kind === 'text') {
        return line === ''
          ? `<div class="line blank" aria-hidden="true"></div>`
          : `<div class="line line-text"><span class="value">${text(classified.text, LIMITS.line)}</span></div>`;
      }
      return (
        `<div class="line line-${classified.kind}"><span class="sign" aria-hidden="true">${escapeHtml(classified.sign)}</span> ` +
        `<span class="change value">${text(classified.text, LIMITS.line)}</span></div>`
      );
    })
    .join('\n');
  const { summary } = view.plan;
  const operations = view.plan.patch.length;
  const applyButton = view.canApply
    ? `<button type="button" data-action="apply"${summary.unchanged ? ' disabled' : ''}>Apply…</button>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(planTitle(view.configName))}</title>
</head>
<body>
<header>
<h1><span class="eyebrow">Flow Service plan</span> <bdi class="value">${text(view.configName, LIMITS.header)}</bdi></h1>
<dl class="inputs">${field('Config', view.configPath)}${field('Flow', view.flowSource)}${field('If-Match', view.plan.ifMatch ?? '(none)')}<div><dt>Operations</dt><dd>${operations}</dd></div></dl>
</header>
<div class="toolbar" role="toolbar" aria-label="Plan">
<button type="button" class="secondary" data-action="openPatch"${operations ? '' : ' disabled'}>Open JSON Patch</button>
${applyButton}
</div>
<main class="plan" aria-label="Changes">
${lines}
</main>
<script nonce="${nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}
