/**
 * The dedupe key: the Marketo field leads are matched on (`dedupeField`) and the values the
 * DedupeField mapping sends for it. The two must agree, or every export matches leads by the
 * wrong value and creates duplicates; so must every quick fix that changes either of them.
 */
import * as l10n from '@vscode/l10n';
import type {
  DestinationDocument,
  JsonNode,
  MappingEntry,
  StringProperty,
} from '../engine/document';
import { appendItemsEdits, replaceNodeEdit, setValueEdits } from '../engine/edits';
import type { TextEdit } from '../engine/types';
import {
  type UnsupportedIdentifier,
  carriesEmail,
  unsupportedDedupeField,
  unsupportedDedupeSource,
} from '../knowledge/dedupeIdentifiers';
import { DEDUPE_TARGET } from '../knowledge/marketoFields';
import { dedupeMappings, filled, mappingsAnchor } from './mappingAccess';
import type { FixProposal, RuleDefinition } from './ruleTypes';

const IDENTITIES = 'Marketo Engage Connection page, "Supported identities" (DedupeField)';
const REQUIRED_MAPPINGS = 'Marketo Engage Connection page, "Required mappings"';
const EMAIL_IDENTITY = 'identityMap.Email';

/** The sources of the DedupeField mappings (blank ones left out). */
function dedupeSources(doc: DestinationDocument): StringProperty[] {
  const sources: StringProperty[] = [];
  for (const mapping of dedupeMappings(doc)) {
    const source = filled(mapping.source);
    if (source) sources.push(source);
  }
  return sources;
}

function dedupeFieldOf(doc: DestinationDocument): string | undefined {
  return filled(doc.stringValue('dedupeField'))?.value.trim();
}

/** The first mapping that writes `field` from a usable source, other than DedupeField's. */
function sourceWriting(doc: DestinationDocument, field: string): string | undefined {
  const mappings = doc.mappings;
  for (let i = 0; i < mappings.length; i++) {
    const mapping = mappings[i] as MappingEntry;
    const source = filled(mapping.source)?.value.trim();
    if (mapping.target?.value.trim() === field && source && !unsupportedDedupeSource(source))
      return source;
  }
  return undefined;
}

const NAMES: Record<UnsupportedIdentifier, string> = {
  'Lead ID': 'Marketo Lead ID',
  ECID: 'ECID (Experience Cloud ID)',
};

/**
 * "Use email": `dedupeField` becomes `email` and every DedupeField source that does not carry
 * an email address reads identityMap.Email, so the key and its values agree.
 */
function useEmailFix(doc: DestinationDocument): FixProposal | undefined {
  const dedupeField = doc.stringValue('dedupeField');
  const edits: TextEdit[] = [];
  if (dedupeField && dedupeField.value !== 'email')
    edits.push(replaceNodeEdit(doc, dedupeField.node, 'email'));
  const wrong = dedupeSources(doc).filter((s) => carriesEmail(s.value) !== 'yes');
  for (const source of wrong) edits.push(replaceNodeEdit(doc, source.node, EMAIL_IDENTITY));
  if (!edits.length) return undefined;
  return {
    title: wrong.length
      ? l10n.t('Use "email" as dedupe field, matched by {0}', EMAIL_IDENTITY)
      : l10n.t('Use "email" as dedupe field'),
    edits,
    isPreferred: true,
  };
}

/** Points one DedupeField source at `value`. */
function readInstead(source: StringProperty, value: string, doc: DestinationDocument): FixProposal {
  return {
    title: l10n.t('Read {0} instead', value),
    edits: [replaceNodeEdit(doc, source.node, value)],
    isPreferred: true,
  };
}

/**
 * What the DedupeField source should read for this dedupe field, when that is clear: the
 * source a mapping already writes the field from (so the two agree), else for email the
 * Email namespace.
 */
function consistentSource(doc: DestinationDocument): string | undefined {
  const field = dedupeFieldOf(doc);
  if (field === undefined || unsupportedDedupeField(field)) return undefined;
  const written = sourceWriting(doc, field);
  if (field !== 'email') return written;
  return written && carriesEmail(written) !== 'no' ? written : EMAIL_IDENTITY;
}

function sourceAt(
  doc: DestinationDocument,
  startsAt: (node: JsonNode) => boolean,
): StringProperty | undefined {
  return dedupeSources(doc).find((s) => startsAt(s.node));
}

export const missingDedupeMappingRule: RuleDefinition = {
  code: 'missing-dedupe-mapping',
  severity: 'error',
  title: 'No mapping targets the DedupeField identity',
  source: `${IDENTITIES}; ${REQUIRED_MAPPINGS}`,
  check(ctx) {
    const anchor = mappingsAnchor(ctx.doc);
    if (!anchor || dedupeSources(ctx.doc).length) return;
    ctx.report(
      anchor,
      l10n.t(
        'No mapping targets "DedupeField": Marketo has nothing to match existing leads by. Map the source of your dedupe field (e.g. identityMap.Email) to "DedupeField".',
      ),
    );
  },
  fix({ doc }) {
    const source = consistentSource(doc);
    if (!source || dedupeMappings(doc).length) return [];
    const edits = appendItemsEdits(doc, ['mappings'], [{ source, target: DEDUPE_TARGET }]);
    return edits.length
      ? [{ title: l10n.t('Map "{0}" to DedupeField', source), edits, isPreferred: true }]
      : [];
  },
};

export const unsupportedDedupeFieldRule: RuleDefinition = {
  code: 'unsupported-dedupe-field',
  severity: 'error',
  title: 'dedupeField or the DedupeField mapping is Lead ID or ECID, in any spelling',
  source:
    'Marketo Engage Connection page, "Marketo deduplication field" note and "Supported identities"',
  check(ctx) {
    const dedupeField = filled(ctx.doc.stringValue('dedupeField'));
    const kind = dedupeField && unsupportedDedupeField(dedupeField.value);
    if (dedupeField && kind) {
      ctx.report(
        dedupeField.node,
        l10n.t(
          '"{0}" is {1}, which cannot deduplicate: Marketo Lead ID and ECID are not supported as deduplication fields. Use a searchable field that every profile has, such as "email".',
          dedupeField.value,
          NAMES[kind],
        ),
        { property: 'dedupeField' },
      );
    }
    for (const source of dedupeSources(ctx.doc)) {
      const sourceKind = unsupportedDedupeSource(source.value);
      if (!sourceKind) continue;
      ctx.report(
        source.node,
        l10n.t(
          'The DedupeField mapping reads {0}: Marketo Lead ID and ECID are not supported as deduplication values. Map the source of your dedupe field instead (identityMap.Email for "email").',
          NAMES[sourceKind],
        ),
        { property: 'source' },
      );
    }
  },
  fix({ doc, data, startsAt }) {
    const field = dedupeFieldOf(doc);
    // An unsupported dedupe field is replaced together with its sources, never alone.
    if (data?.property === 'dedupeField' || (field && unsupportedDedupeField(field))) {
      const fix = useEmailFix(doc);
      return fix ? [fix] : [];
    }
    const source = sourceAt(doc, startsAt);
    const value = consistentSource(doc);
    return source && value ? [readInstead(source, value, doc)] : [];
  },
};

export const dedupeSourceMismatchRule: RuleDefinition = {
  code: 'dedupe-source-mismatch',
  severity: 'error',
  title: 'The DedupeField mapping sends values of another kind than the dedupe field',
  source: `${IDENTITIES}; "Marketo deduplication field"`,
  check(ctx) {
    const field = dedupeFieldOf(ctx.doc);
    if (!field || unsupportedDedupeField(field)) return;
    for (const source of dedupeSources(ctx.doc)) {
      if (unsupportedDedupeSource(source.value)) continue; // unsupported-dedupe-field says it
      const email = carriesEmail(source.value);
      // "Email" is marketo-field-case's finding; the kind of its values is this rule's.
      const matchesEmail = field.toLowerCase() === 'email';
      if (matchesEmail && email === 'no') {
        ctx.report(
          source.node,
          l10n.t(
            'Leads are matched on "email", but this DedupeField source ({0}) is not an email address: no lead would match, and every profile would create a lead with it as its email. Map identityMap.Email (or another email source) to DedupeField.',
            source.value,
          ),
        );
      } else if (!matchesEmail && email === 'yes') {
        ctx.report(
          source.node,
          l10n.t(
            'Leads are matched on "{0}", but this DedupeField source ({1}) sends email addresses: they never equal a lead\'s {0}, so every profile would create a new lead. Map the source of {0} to DedupeField, or set "dedupeField": "email".',
            field,
            source.value,
          ),
        );
      }
    }
  },
  fix({ doc, startsAt }) {
    const source = sourceAt(doc, startsAt);
    const value = consistentSource(doc);
    const proposals: FixProposal[] = [];
    if (source && value && value !== source.value) proposals.push(readInstead(source, value, doc));
    if (source && carriesEmail(source.value) === 'yes' && dedupeFieldOf(doc) !== 'email') {
      const email = useEmailFix(doc);
      if (email) proposals.push({ ...email, isPreferred: !proposals.length });
    }
    return proposals;
  },
};

export const dedupeFieldOverwrittenRule: RuleDefinition = {
  code: 'dedupe-field-overwritten',
  severity: 'warning',
  title: 'A second mapping writes the dedupe field from another source',
  source: `${IDENTITIES}; ${REQUIRED_MAPPINGS} (email is carried by the DedupeField mapping)`,
  check(ctx) {
    const field = dedupeFieldOf(ctx.doc);
    const sources = dedupeSources(ctx.doc);
    if (!field || !sources.length || unsupportedDedupeField(field)) return;
    if (sources.some((s) => unsupportedDedupeSource(s.value))) return;
    const keys = new Set(sources.map((s) => s.value.trim()));
    const mappings = ctx.doc.mappings;
    for (let i = 0; i < mappings.length; i++) {
      const mapping = mappings[i] as MappingEntry;
      const source = filled(mapping.source);
      const target = mapping.target;
      if (!source || target?.value.trim() !== field || keys.has(source.value.trim())) continue;
      ctx.report(
        target.node,
        l10n.t(
          'Leads are matched on "{0}" by the DedupeField mapping ({1}), and this mapping writes {0} from {2}: where the two differ, the export changes the lead\'s {0}, and the next export no longer finds that lead.',
          field,
          [...keys].join(', '),
          source.value,
        ),
      );
    }
  },
  fix({ doc, startsAt }) {
    const mapping = doc.mappings.find((m) => m.target && startsAt(m.target.node));
    if (!mapping) return [];
    // The DedupeField mapping already writes the dedupe field of every lead it creates.
    return [
      {
        title: l10n.t('Remove this mapping: the DedupeField mapping carries the value'),
        edits: setValueEdits(doc, ['mappings', mapping.index], undefined),
        isPreferred: true,
      },
    ];
  },
};
