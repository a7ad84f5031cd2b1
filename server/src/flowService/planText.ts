/**
 * The plan a person reads at a glance, as `terraform plan` prints one: a header naming the
 * flow, one line per change (`+` added, `-` removed, `~` replaced), a count, and notes on what
 * differs but is not in the patch.
 */
import type { FlowPlan, PlanChange } from '../../../common/flowServiceTypes';

export interface PlanTextOptions {
  /** ANSI colours (green +, red -, yellow ~). */
  color?: boolean;
}

const COLORS = { '+': '\u001b[32m', '-': '\u001b[31m', '~': '\u001b[33m' } as const;
const RESET = '\u001b[0m';

function quoted(text: string | undefined): string {
  return text === undefined ? '(none)' : JSON.stringify(text);
}

function changeLine(change: PlanChange): [keyof typeof COLORS, string] {
  switch (change.kind) {
    case 'nameChanged':
      return ['~', `name: ${quoted(change.from)} → ${quoted(change.to)}`];
    case 'descriptionChanged':
      return ['~', `description: ${quoted(change.from)} → ${quoted(change.to)}`];
    case 'audienceAdded':
      return [
        '+',
        `audience ${change.id}${change.name === undefined ? '' : ` ${quoted(change.name)}`}`,
      ];
    case 'audienceRemoved':
      return [
        '-',
        `audience ${change.id}${change.name === undefined ? '' : ` ${quoted(change.name)}`} (segment selector ${change.index})`,
      ];
    case 'mappingAdded':
      return ['+', `mapping ${change.source} → ${change.target}`];
    case 'mappingRemoved':
      return [
        '-',
        `mapping ${change.source} → ${change.target} (profile selector ${change.index})`,
      ];
    case 'profileFieldsChanged':
      return ['~', `${change.field}: ${fieldList(change.from)} → ${fieldList(change.to)}`];
  }
}

/** `["Email", "person.name.firstName"]`, `{identityNamespace: "Email"}` → short text. */
function fieldList(list: unknown[] | undefined): string {
  if (list === undefined) return '(none)';
  return `[${list
    .map((item) => {
      if (typeof item === 'string') return item;
      const field = item as { identityNamespace?: unknown; attributePath?: unknown };
      return typeof field.identityNamespace === 'string'
        ? `identity ${field.identityNamespace}`
        : typeof field.attributePath === 'string'
          ? `attribute ${field.attributePath}`
          : JSON.stringify(item);
    })
    .join(', ')}]`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatPlan(plan: FlowPlan, options: PlanTextOptions = {}): string {
  const { summary } = plan;
  const flow = `${summary.flowName === undefined ? 'flow' : `flow ${quoted(summary.flowName)}`}${summary.flowId === undefined ? '' : ` (${summary.flowId})`}`;
  const lines: string[] = [];
  if (summary.unchanged) {
    lines.push(`No changes: ${flow} already matches the config.`);
  } else {
    lines.push(
      `Plan for ${flow}${plan.ifMatch === undefined ? '' : `, If-Match ${plan.ifMatch}`}:`,
      '',
    );
    for (const change of plan.changes) {
      const [sign, text] = changeLine(change);
      lines.push(options.color ? `  ${COLORS[sign]}${sign} ${text}${RESET}` : `  ${sign} ${text}`);
    }
    const parts = [
      summary.audiencesAdded ? `${plural(summary.audiencesAdded, 'audience')} to add` : '',
      summary.audiencesRemoved ? `${plural(summary.audiencesRemoved, 'audience')} to remove` : '',
      summary.mappingsAdded ? `${plural(summary.mappingsAdded, 'mapping')} to add` : '',
      summary.mappingsRemoved ? `${plural(summary.mappingsRemoved, 'mapping')} to remove` : '',
      summary.nameChanged ? 'name to replace' : '',
      summary.descriptionChanged ? 'description to replace' : '',
      ...plan.changes.flatMap((change) =>
        change.kind === 'profileFieldsChanged' ? [`${change.field} to replace`] : [],
      ),
    ].filter(Boolean);
    lines.push('', `${plural(plan.patch.length, 'operation')}: ${parts.join(', ')}.`);
  }
  if (summary.notes.length) {
    lines.push('', 'Not in this plan:');
    for (const note of summary.notes) lines.push(`  ! ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--format json`: what PATCH /flows/{id} takes, with its If-Match and the counts. */
export function planJson(plan: FlowPlan): string {
  return `${JSON.stringify({ ifMatch: plan.ifMatch ?? null, patch: plan.patch, summary: plan.summary }, null, 2)}\n`;
}
