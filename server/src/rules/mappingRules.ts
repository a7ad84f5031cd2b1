import * as l10n from '@vscode/l10n';
import type { DestinationDocument, MappingEntry } from '../engine/document';
import { appendItemsEdits, setValueEdits } from '../engine/edits';
import { DEDUPE_TARGET, REQUIRED_LEAD_FIELDS } from '../knowledge/marketoFields';
import { DEFAULT_SOURCE_FOR_FIELD, arraySourceReason } from '../knowledge/xdmPaths';
import { filled, mappingsAnchor } from './mappingAccess';
import type { FixProposal, RuleDefinition } from './ruleTypes';

const REQUIRED_MAPPINGS = 'Marketo Engage Connection page, "Required mappings"';
export const MAX_MAPPED_ATTRIBUTES = 50;

/** The required Marketo fields no mapping writes, in the order Marketo lists them. */
const COUNTED_TARGETS: ReadonlySet<string> = new Set([...REQUIRED_LEAD_FIELDS, DEDUPE_TARGET]);

export function missingRequiredFields(doc: DestinationDocument): string[] {
  // A mapping with a blank source writes nothing. Only the targets asked about below count.
  const targets = new Set<string>();
  const mappings = doc.mappings;
  for (let i = 0; i < mappings.length; i++) {
    const mapping = mappings[i] as MappingEntry;
    const target = mapping.target?.value;
    if (target !== undefined && COUNTED_TARGETS.has(target) && filled(mapping.source))
      targets.add(target);
  }
  const dedupeField = doc.stringValue('dedupeField')?.value.trim();
  // With email as dedupe field, the DedupeField mapping carries the email address.
  if (dedupeField === 'email' && targets.has(DEDUPE_TARGET)) targets.add('email');
  return REQUIRED_LEAD_FIELDS.filter((field) => !targets.has(field));
}

/** Why this config never creates a lead, or undefined when it may (or cannot be told). */
function whyNoLeadIsCreated(doc: DestinationDocument): string | undefined {
  const syncType = doc.stringValue('syncType')?.value;
  if (syncType === 'audienceOnly') return l10n.t('syncType "audienceOnly" never creates a lead');
  if (
    (syncType === 'profileOnly' || syncType === 'audienceAndProfile') &&
    doc.stringValue('personAction')?.value === 'updateExistingOnly'
  )
    return l10n.t('personAction "updateExistingOnly" never creates a lead');
  return undefined;
}

function addMappingsFix(
  doc: DestinationDocument,
  targets: string[],
  title: string,
  isPreferred: boolean,
): FixProposal | undefined {
  const items = targets.map((target) => ({
    source: DEFAULT_SOURCE_FOR_FIELD[target] ?? '',
    target,
  }));
  const edits = appendItemsEdits(doc, ['mappings'], items);
  return edits.length ? { title, edits, isPreferred } : undefined;
}

export const missingRequiredMappingRule: RuleDefinition = {
  code: 'missing-required-mapping',
  severity: 'error',
  title: 'firstName, lastName or email is not mapped',
  source: REQUIRED_MAPPINGS,
  check(ctx) {
    const anchor = mappingsAnchor(ctx.doc);
    if (!anchor) return;
    const dedupeField = ctx.doc.stringValue('dedupeField')?.value.trim();
    const noCreate = whyNoLeadIsCreated(ctx.doc);
    for (const field of missingRequiredFields(ctx.doc)) {
      const why =
        field === 'email' && dedupeField && dedupeField !== 'email'
          ? ' ' + l10n.t('With dedupeField "{0}", email must be mapped explicitly.', dedupeField)
          : '';
      // The page requires the three "för att Marketo ska kunna skapa leads": where no lead can
      // be created nothing fails today, but a later change of sync type or person action would.
      if (noCreate) {
        ctx.report(
          anchor,
          l10n.t(
            'Required field "{0}" is not mapped. Marketo needs firstName, lastName and email to create leads; {1}, so nothing fails today, but it would once the destination creates leads.',
            field,
            noCreate,
          ) + why,
          { field },
          'warning',
        );
      } else {
        ctx.report(
          anchor,
          l10n.t(
            'Required field "{0}" is not mapped: Marketo needs firstName, lastName and email to create the leads this destination creates.',
            field,
          ) + why,
          { field },
        );
      }
    }
  },
  fix({ doc, data }) {
    const missing = missingRequiredFields(doc);
    const field = data?.field;
    const proposals: (FixProposal | undefined)[] = [];
    if (field && missing.includes(field)) {
      proposals.push(
        addMappingsFix(
          doc,
          [field],
          l10n.t('Map {0} to "{1}"', String(DEFAULT_SOURCE_FOR_FIELD[field]), field),
          true,
        ),
      );
    }
    if (missing.length > 1) {
      proposals.push(
        addMappingsFix(
          doc,
          missing,
          l10n.t('Add all {0} missing required mappings', missing.length),
          false,
        ),
      );
    }
    return proposals.filter((p): p is FixProposal => p !== undefined);
  },
};

export const duplicateMappingTargetRule: RuleDefinition = {
  code: 'duplicate-mapping-target',
  severity: 'error',
  title: 'Two mappings write the same Marketo field',
  source: 'Marketo Engage Connection page, "Mapping": one source per target attribute',
  check(ctx) {
    const first = new Map<string, MappingEntry>();
    const mappings = ctx.doc.mappings;
    for (let i = 0; i < mappings.length; i++) {
      const mapping = mappings[i] as MappingEntry;
      const target = mapping.target;
      // Several sources may feed the DedupeField identity ("map all source fields … to DedupeField").
      if (!target || target.value === DEDUPE_TARGET) continue;
      const earlier = first.get(target.value);
      if (!earlier) {
        first.set(target.value, mapping);
        continue;
      }
      const line = ctx.doc.ownerOf(earlier.node).positionAt(earlier.node.offset).line + 1;
      ctx.report(
        target.node,
        l10n.t(
          '"{0}" is already written by mappings[{1}] on line {2}: Marketo would receive two values for one field.',
          target.value,
          earlier.index,
          line,
        ),
      );
    }
  },
  fix({ doc, startsAt }) {
    const mapping = doc.mappings.find((m) => m.target && startsAt(m.target.node));
    if (!mapping) return [];
    return [
      {
        title: l10n.t('Remove this mapping'),
        edits: setValueEdits(doc, ['mappings', mapping.index], undefined),
        isPreferred: true,
      },
    ];
  },
};

export const tooManyMappedAttributesRule: RuleDefinition = {
  code: 'too-many-mapped-attributes',
  severity: 'warning',
  title: `More than ${MAX_MAPPED_ATTRIBUTES} mapped attributes`,
  source:
    'domain.md, Identity and mappings (public docs: activation guardrails, 50 mapped attributes, soft limit)',
  check(ctx) {
    const count = ctx.doc.mappings.length;
    const anchor = mappingsAnchor(ctx.doc);
    if (!anchor || count <= MAX_MAPPED_ATTRIBUTES) return;
    ctx.report(
      anchor,
      l10n.t(
        "{0} mappings: Experience Platform's guardrail for a destination is {1} mapped attributes (a soft limit; activation may be refused or slow).",
        count,
        MAX_MAPPED_ATTRIBUTES,
      ),
    );
  },
};

export const unsupportedArraySourceRule: RuleDefinition = {
  code: 'unsupported-array-source',
  severity: 'error',
  title: 'A mapping reads an array or map attribute, which cannot be exported',
  source:
    'domain.md, Identity and mappings (public docs: array and map attributes are not exportable except identityMap)',
  check(ctx) {
    const mappings = ctx.doc.mappings;
    for (let i = 0; i < mappings.length; i++) {
      const mapping = mappings[i] as MappingEntry;
      const reason = mapping.source && arraySourceReason(mapping.source.value);
      if (reason && mapping.source) {
        ctx.report(
          mapping.source.node,
          l10n.t(
            '"{0}" cannot be exported: {1}. Only single values and identityMap.<Namespace> can be mapped.',
            mapping.source.value,
            reason,
          ),
        );
      }
    }
  },
};
