import * as l10n from '@vscode/l10n';
import { asStringProperty, nodeAtPath } from '../engine/document';
import type { AccessDecision } from '../engine/fileAccess';
import type { RuleDefinition } from './ruleTypes';

/** Every value of a config that names a file (relative to the config). */
const PATH_KEYS: readonly (readonly string[])[] = [
  ['marketoFields'],
  ['mappings'],
  ['marketoPartitions'],
  ['simulation', 'profiles'],
  ['simulation', 'leads'],
];

const WHY =
  'Marketo Engage Connection page, "Fill in destination details" (the deduplication field picker lists the fields marked searchable in Marketo: the saved catalog stands for it)';

type Refusal = Exclude<AccessDecision, { allowed: true }>;

/** A rule that reports, on each path value, the editor's refusal to read it for one reason. */
function refusedPathRule<R extends Refusal['reason']>(
  rule: Pick<RuleDefinition, 'code' | 'severity' | 'title' | 'source'>,
  reason: R,
  message: (value: string, decision: Extract<Refusal, { reason: R }>) => string,
): RuleDefinition {
  return {
    ...rule,
    check(ctx) {
      for (const keys of PATH_KEYS) {
        const property = asStringProperty(nodeAtPath(ctx.doc.rootObject, [...keys]));
        if (!property || !property.value.trim()) continue;
        const decision = ctx.access(property.value);
        if (decision && !decision.allowed && decision.reason === reason) {
          ctx.report(
            property.node,
            message(property.value, decision as Extract<Refusal, { reason: R }>),
          );
        }
      }
    },
  };
}

export const untrustedWorkspaceFileRule = refusedPathRule(
  {
    code: 'untrusted-workspace-file',
    severity: 'information',
    title: 'In Restricted Mode the files a config names are not read',
    source: `${WHY}; VS Code workspace trust`,
  },
  'untrusted',
  (value) =>
    l10n.t(
      '"{0}" is not read: this workspace is not trusted (Restricted Mode), and a config from someone else must not make the editor read files. Trust the workspace to check the config against it.',
      value,
    ),
);

export const pathOutsideWorkspaceRule = refusedPathRule(
  {
    code: 'path-outside-workspace',
    severity: 'warning',
    title: 'A file the config names is outside the workspace folder',
    source: `${WHY}; VS Code workspace folders`,
  },
  'outsideWorkspace',
  (value, decision) =>
    l10n.t(
      '"{0}" resolves to {1}, outside the workspace folder ({2}): it is not read. Keep the files a config names in the repository beside it.',
      value,
      decision.absolute,
      decision.roots.join(', '),
    ),
);
