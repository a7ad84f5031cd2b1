import type { DestinationDocument, MappingEntry } from '../engine/document';
import { appendItemsEdits, setValueEdits } from '../engine/edits';
import {
  DEDUPE_TARGET,
  REQUIRED_LEAD_FIELDS,
  isUnsupportedDedupeField,
} from '../knowledge/marketoFields';
import {
  DEFAULT_SOURCE_FOR_FIELD,
  arraySourceReason,
  identityNamespaceOf,
} from '../knowledge/xdmPaths';
import type { FixProposal, RuleDefinition } from './ruleTypes';

const REQUIRED_MAPPINGS = 'Marketo Engage Connection page, "Required mappings"';
const IDENTITIES = 'Marketo Engage Connection page, "Supported identities" (DedupeField)';
export const MAX_MAPPED_ATTRIBUTES = 50;

export function dedupeMappings(doc: DestinationDocument): MappingEntry[] {
  return doc.mappings.filter((m) => m.target?.value === DEDUPE_TARGET);
}

/** The required Marketo fields no mapping writes, in the order Marketo lists them. */
export function missingRequiredFields(doc: DestinationDocument): string[] {
  const targets = new Set(doc.mappings.map((m) => m.target?.value));
  const dedupeField = doc.stringValue('dedupeField')?.value.trim();
  // With email as dedupe field, the DedupeField mapping carries the email address.
  if (dedupeField === 'email' && targets.has(DEDUPE_TARGET)) targets.add('email');
  return REQUIRED_LEAD_FIELDS.filter((field) => !targets.has(field));
}

function mappingsAnchor(doc: DestinationDocument) {
  return doc.value('mappings')?.type === 'array'
    ? (doc.key('mappings') ?? doc.value('mappings'))
    : undefined;
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

export const missingDedupeMappingRule: RuleDefinition = {
  code: 'missing-dedupe-mapping',
  severity: 'error',
  title: 'No mapping targets the DedupeField identity',
  source: `${IDENTITIES}; ${REQUIRED_MAPPINGS}`,
  check(ctx) {
    const anchor = mappingsAnchor(ctx.doc);
    if (!anchor || dedupeMappings(ctx.doc).length) return;
    ctx.report(
      anchor,
      'No mapping targets "DedupeField": Marketo has nothing to match existing leads by. Map the source of your dedupe field (e.g. identityMap.Email) to "DedupeField".',
    );
  },
  fix({ doc }) {
    const dedupeField = doc.stringValue('dedupeField')?.value.trim();
    const existing = doc.mappings.find((m) => m.target?.value === dedupeField && m.source)?.source
      ?.value;
    const source =
      existing ?? (dedupeField === 'email' ? DEFAULT_SOURCE_FOR_FIELD[DEDUPE_TARGET] : undefined);
    if (!source) return [];
    const edits = appendItemsEdits(doc, ['mappings'], [{ source, target: DEDUPE_TARGET }]);
    return edits.length
      ? [{ title: `Map "${source}" to DedupeField`, edits, isPreferred: true }]
      : [];
  },
};

export const unsupportedDedupeFieldRule: RuleDefinition = {
  code: 'unsupported-dedupe-field',
  severity: 'error',
  title: 'dedupeField is Lead ID or ECID, or the DedupeField mapping reads the ECID namespace',
  source:
    'Marketo Engage Connection page, "Marketo deduplication field" note and "Supported identities"',
  check(ctx) {
    const dedupeField = ctx.doc.stringValue('dedupeField');
    if (dedupeField && isUnsupportedDedupeField(dedupeField.value)) {
      ctx.report(
        dedupeField.node,
        `"${dedupeField.value}" cannot deduplicate: Marketo Lead ID and ECID are not supported as deduplication fields. Use a searchable field that every profile has, such as "email".`,
        { property: 'dedupeField' },
      );
    }
    for (const mapping of dedupeMappings(ctx.doc)) {
      if (mapping.source && identityNamespaceOf(mapping.source.value)?.toUpperCase() === 'ECID') {
        ctx.report(
          mapping.source.node,
          'The DedupeField mapping reads the ECID namespace: ECID is not supported as a deduplication field. Map identityMap.Email (or another unique identifier) instead.',
          { property: 'source' },
        );
      }
    }
  },
  fix({ doc, data, range }) {
    if (data?.property === 'dedupeField') {
      return [
        {
          title: 'Use "email" as dedupe field',
          edits: setValueEdits(doc, ['dedupeField'], 'email'),
          isPreferred: true,
        },
      ];
    }
    const offset = doc.offsetAt(range.start);
    const mapping = dedupeMappings(doc).find((m) => m.source?.node.offset === offset);
    if (!mapping) return [];
    return [
      {
        title: 'Read identityMap.Email instead',
        edits: setValueEdits(doc, ['mappings', mapping.index, 'source'], 'identityMap.Email'),
        isPreferred: true,
      },
    ];
  },
};

export const missingRequiredMappingRule: RuleDefinition = {
  code: 'missing-required-mapping',
  severity: 'error',
  title: 'firstName, lastName or email is not mapped',
  source: REQUIRED_MAPPINGS,
  check(ctx) {
    const anchor = mappingsAnchor(ctx.doc);
    if (!anchor) return;
    const dedupeField = ctx.doc.stringValue('dedupeField')?.value.trim();
    for (const field of missingRequiredFields(ctx.doc)) {
      const why =
        field === 'email' && dedupeField && dedupeField !== 'email'
          ? ` With dedupeField "${dedupeField}", email must be mapped explicitly.`
          : '';
      ctx.report(
        anchor,
        `Required field "${field}" is not mapped: Marketo needs firstName, lastName and email to create leads.${why}`,
        {
          field,
        },
      );
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
      const line = ctx.doc.positionAt(earlier.node.offset).line + 1;
      ctx.report(
        target.node,
        `"${target.value}" is already written by mappings[${earlier.index}] on line ${line}: Marketo would receive two values for one field.`,
      );
    }
  },
  fix({ doc, range }) {
    const offset = doc.offsetAt(range.start);
    const mapping = doc.mappings.find((m) => m.target?.node.offset === offset);
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
