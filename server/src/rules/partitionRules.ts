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
  'the partitions file',
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
    const known = names.length
      ? ` Its partitions: ${names.map((n) => `"${n}"`).join(', ')}.`
      : ' The file lists no partition.';
    ctx.report(
      partition.node,
      `"${partition.value}" is not a lead partition of this Marketo instance (${ctx.partitions.path}): new leads cannot be created in it.` +
        (meant ? ` Did you mean "${meant}"?` : known),
      meant ? { replacements: [meant] } : undefined,
    );
  },
  fix({ doc, data }) {
    const replacement = data?.replacements?.[0];
    if (!replacement || !doc.stringValue('partition')) return [];
    return [
      {
        title: `Change to "${replacement}"`,
        edits: setValueEdits(doc, ['partition'], replacement),
        isPreferred: true,
      },
    ];
  },
};
