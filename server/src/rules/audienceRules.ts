import * as l10n from '@vscode/l10n';
import {
  type AudienceEntry,
  type DestinationDocument,
  type JsonNode,
  findProperty,
  propertyValue,
} from '../engine/document';
import { setValueEdits } from '../engine/edits';
import type { FixProposal, RuleDefinition } from './ruleTypes';

const AUDIENCES = 'Marketo Engage Connection page, "Supported audiences"';
export const MAX_AUDIENCES = 250;
const UNSUPPORTED_TYPES: Record<string, () => string> = {
  account: () =>
    l10n.t(
      'Marketo Engage does not support account audiences: only people audiences can be activated to this destination.',
    ),
  prospect: () =>
    l10n.t(
      'Marketo Engage does not support prospect audiences: only people audiences can be activated to this destination.',
    ),
  datasetExport: () =>
    l10n.t(
      'Marketo Engage does not support dataset exports: only people audiences can be activated to this destination.',
    ),
};
/** Entities that make a B2B audience multi-entity, hence batch-evaluated. */
const MULTI_ENTITY = new Set(['account', 'opportunity', 'lead']);

export const unsupportedAudienceTypeRule: RuleDefinition = {
  code: 'unsupported-audience-type',
  severity: 'error',
  title: 'An audience is an account, prospect or dataset-export audience',
  source: `${AUDIENCES} (supported audiences by audience data type)`,
  check(ctx) {
    for (const audience of ctx.doc.audiences) {
      const type = propertyValue(audience.node, 'type');
      const message = typeof type?.value === 'string' ? UNSUPPORTED_TYPES[type.value] : undefined;
      if (type && message) ctx.report(type, message());
    }
  },
  fix: ({ doc, range }) => removeAudienceFix(doc, doc.offsetAt(range.start)),
};

/** The audience whose extent holds `offset`. */
function audienceAt(doc: DestinationDocument, offset: number): AudienceEntry | undefined {
  return doc.audiences.find(
    (a) => a.node.offset <= offset && offset < a.node.offset + a.node.length,
  );
}

function removeAudienceFix(doc: DestinationDocument, offset: number): FixProposal[] {
  const audience = audienceAt(doc, offset);
  if (!audience) return [];
  const id: unknown = propertyValue(audience.node, 'id')?.value;
  return [
    {
      title:
        typeof id === 'string'
          ? l10n.t('Remove audience "{0}"', id)
          : l10n.t('Remove this audience'),
      edits: setValueEdits(doc, ['audiences', audience.index], undefined),
      isPreferred: true,
    },
  ];
}

export const duplicateAudienceRule: RuleDefinition = {
  code: 'duplicate-audience',
  severity: 'warning',
  title: 'The same audience is listed twice',
  source: `${AUDIENCES}; "Activate audiences to this destination" (each audience is one Marketo list)`,
  check(ctx) {
    const first = new Map<string, number>();
    for (const audience of ctx.doc.audiences) {
      const id = propertyValue(audience.node, 'id');
      if (typeof id?.value !== 'string' || !id.value.trim()) continue;
      const key = id.value.trim();
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, audience.index);
        continue;
      }
      ctx.report(
        id,
        l10n.t(
          'Audience "{0}" is already listed as audiences[{1}]: it is one Marketo list, activated once; a second entry only makes the two disagree when one of them is edited.',
          key,
          earlier,
        ),
      );
    }
  },
  fix: ({ doc, range }) => removeAudienceFix(doc, doc.offsetAt(range.start)),
};

export const batchOnlyAudienceRule: RuleDefinition = {
  code: 'batch-only-audience',
  severity: 'warning',
  title: 'A B2B multi-entity audience is evaluated in batch once a day, not streamed',
  source:
    'B2B activation blueprint, Guardrails ("Profile and segmentation guardrails", "Marketo destination connector")',
  check(ctx) {
    for (const audience of ctx.doc.audiences) {
      const entities = propertyValue(audience.node, 'entities');
      const multi = (entities?.children ?? [])
        .map((e): unknown => e.value)
        .filter((v): v is string => typeof v === 'string' && MULTI_ENTITY.has(v));
      if (!multi.length) continue;
      const evaluation = propertyValue(audience.node, 'evaluation');
      if (evaluation?.value === 'batch') continue;
      const uses = [...new Set(multi)].join(', ');
      const anchor: JsonNode =
        evaluation ?? findProperty(audience.node, 'entities')?.children?.[0] ?? audience.node;
      ctx.report(
        anchor,
        evaluation
          ? l10n.t(
              'This audience uses {0} (B2B multi-entity relationships) and says "evaluation": "{1}": it is evaluated in batch and shared to Marketo once a day on the segmentation schedule, not streamed within minutes.',
              uses,
              String(evaluation.value),
            )
          : l10n.t(
              'This audience uses {0} (B2B multi-entity relationships) and does not say how it is evaluated: it is evaluated in batch and shared to Marketo once a day on the segmentation schedule, not streamed within minutes.',
              uses,
            ),
      );
    }
  },
  fix({ doc, range }) {
    const audience = audienceAt(doc, doc.offsetAt(range.start));
    if (!audience) return [];
    return [
      {
        title: l10n.t('Set "evaluation": "batch"'),
        edits: setValueEdits(doc, ['audiences', audience.index, 'evaluation'], 'batch'),
        isPreferred: true,
      },
    ];
  },
};

export const tooManyAudiencesRule: RuleDefinition = {
  code: 'too-many-audiences',
  severity: 'warning',
  title: `More than ${MAX_AUDIENCES} audiences on one destination`,
  source:
    'domain.md, Identity and mappings (public docs: activation guardrails, 250 audiences per destination, soft limit)',
  check(ctx) {
    const count = ctx.doc.audiences.length;
    if (count <= MAX_AUDIENCES) return;
    ctx.report(
      ctx.doc.key('audiences') ?? (ctx.doc.value('audiences') as JsonNode),
      l10n.t(
        "{0} audiences: Experience Platform's guardrail is {1} audiences per destination (a soft limit). Split them over several destinations.",
        count,
        MAX_AUDIENCES,
      ),
    );
  },
};

export const noAudiencesRule: RuleDefinition = {
  code: 'no-audiences',
  severity: 'warning',
  title: 'No audience is activated, so the destination exports nothing',
  source:
    'Marketo Engage Connection page, "Activate audiences to this destination" and "Export type" (audience export)',
  check(ctx) {
    const root = ctx.doc.rootObject;
    if (!root) return;
    const audiences = ctx.doc.value('audiences');
    if (audiences && audiences.type !== 'array') return;
    if (audiences?.children?.length) return;
    ctx.report(
      audiences ?? ctx.doc.rangeOfOffsets(root.offset, root.offset + 1),
      l10n.t(
        'No audiences: this destination exports the members of its audiences, so with none it sends nothing to Marketo.',
      ),
    );
  },
};
