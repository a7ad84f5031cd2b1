import * as l10n from '@vscode/l10n';
import { closest, distance } from 'fastest-levenshtein';
import { setValueEdits } from '../engine/edits';
import { unreadableFileRule } from './catalogRules';
import type { RuleDefinition } from './ruleTypes';

const PARTITIONS = 'GET /rest/v1/leads/partitions.json (public docs: Marketo lead database API)';
const PICKER =
  'Marketo Engage Connection page, "Fill in destination details" (Partition: a partition associated with the selected workspace)';

export const marketoPartitionsUnreadableRule = unreadableFileRule(
  {
    code: 'marketo-partitions-unreadable',
    title: 'The marketoPartitions file is missing or is not a partitions.json output',
    source: PARTITIONS,
  },
  'marketoPartitions',
  (message) => l10n.t('Cannot use the partitions file: {0}', message),
  (ctx) => ctx.partitions,
);

export const unknownPartitionRule: RuleDefinition = {
  code: 'unknown-partition',
  severity: 'error',
  title: 'partition is not a lead partition of the Marketo instance',
  source: `${PICKER}; ${PARTITIONS}`,
  check(ctx) {
    if (ctx.partitions.status !== 'loaded') return;
    const partition = ctx.doc.stringValue('partition');
    // audienceOnly: partition-not-allowed already says the property must go.
    if (!partition || ctx.doc.stringValue('syncType')?.value === 'audienceOnly') return;
    const list = ctx.partitions.value;
    if (list.byName.has(partition.value)) return;
    const names = list.partitions.map((p) => p.name);
    const lower = partition.value.trim().toLowerCase();
    // Same name but for case or surrounding blanks first: that is almost surely the one meant.
    const near =
      names.find((n) => n.toLowerCase() === lower) ??
      (names.length ? closest(partition.value, names) : undefined);
    const meant =
      near && distance(partition.value.toLowerCase(), near.toLowerCase()) <= 3 ? near : undefined;
    const path = ctx.partitions.path;
    const message = meant
      ? l10n.t(
          '"{0}" is not a lead partition of this Marketo instance ({1}): new leads cannot be created in it. Did you mean "{2}"?',
          partition.value,
          path,
          meant,
        )
      : names.length
        ? l10n.t(
            '"{0}" is not a lead partition of this Marketo instance ({1}): new leads cannot be created in it. Its partitions: {2}.',
            partition.value,
            path,
            names.map((n) => `"${n}"`).join(', '),
          )
        : l10n.t(
            '"{0}" is not a lead partition of this Marketo instance ({1}): new leads cannot be created in it. The file lists no partition.',
            partition.value,
            path,
          );
    ctx.report(partition.node, message, meant ? { replacements: [meant] } : undefined);
  },
  fix({ doc, data }) {
    const replacement = data?.replacements?.[0];
    if (!replacement || !doc.stringValue('partition')) return [];
    return [
      {
        title: l10n.t('Change to "{0}"', replacement),
        edits: setValueEdits(doc, ['partition'], replacement),
        isPreferred: true,
      },
    ];
  },
};
