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
  for (const mapping of doc.mappings) {
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
  if (syncType === 'audienceOnly') return 'syncType "audienceOnly" never creates a lead';
  if (
    (syncType === 'profileOnly' || syncType === 'audienceAndProfile') &&
    doc.stringValue('personAction')?.value === 'updateExistingOnly'
  )
    return 'personAction "updateExistingOnly" never creates a lead';
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
          ? ` With dedupeField "${dedupeField}", email must be mapped explicitly.`
          : '';
      // The page requires the three "för att Marketo ska kunna skapa leads": where no lead can
      // be created nothing fails today, but a later change of sync type or person action would.
      if (noCreate) {
        ctx.report(
          anchor,
          `Required field "${field}" is not mapped. Marketo needs firstName, lastName and email to create leads; ${noCreate}, so nothing fails today, but it would once the destination creates leads.${why}`,
          { field },
          'warning',
        );
      } else {
        ctx.report(
          anchor,
          `Required field "${field}" is not mapped: Marketo needs firstName, lastName and email to create the leads this destination creates.${why}`,
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
        addMappingsFix(doc, [field], `Map ${DEFAULT_SOURCE_FOR_FIELD[field]} to "${field}"`, true),
      );
    }
    if (missing.length > 1) {
      proposals.push(
        addMappingsFix(doc, missing, `Add all ${missing.length} missing required mappings`, false),
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
    for (const mapping of ctx.doc.mappings) {
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
        `"${target.value}" is already written by mappings[${earlier.index}] on line ${line}: Marketo would receive two values for one field.`,
      );
    }
  },
  fix({ doc, startsAt }) {
    const mapping = doc.mappings.find((m) => m.target && startsAt(m.target.node));
    if (!mapping) return [];
    return [
      {
        title: 'Remove this mapping',
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
      `${count} mappings: Experience Platform's guardrail for a destination is ${MAX_MAPPED_ATTRIBUTES} mapped attributes (a soft limit; activation may be refused or slow).`,
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
    for (const mapping of ctx.doc.mappings) {
      const reason = mapping.source && arraySourceReason(mapping.source.value);
      if (reason && mapping.source) {
        ctx.report(
          mapping.source.node,
          `"${mapping.source.value}" cannot be exported: ${reason}. Only single values and identityMap.<Namespace> can be mapped.`,
        );
      }
    }
  },
};
