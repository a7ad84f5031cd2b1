/**
 * Hover: the schema's description on property names, enum value descriptions,
 * and Marketo knowledge on mapping targets, sources and the dedupe field.
 */
import * as l10n from '@vscode/l10n';
import { findNodeAtOffset, getNodePath } from 'jsonc-parser';
import { type DestinationDocument, type JsonNode, isKey } from '../engine/document';
import { type SchemaNode, describeEnumValue, schemaAt } from '../engine/schema';
import { schemaText } from '../engine/schemaText';
import type { HoverLike } from '../engine/types';
import type { BlockedState, CatalogState, PartitionState } from '../engine/catalogLoader';
import { pathMatches } from './completionValues';
import {
  activeCatalog,
  dedupeValueMarkdown,
  firstSentence,
  propertyMarkdown,
  sourceMarkdown,
  targetMarkdown,
} from './knowledgeText';

export interface HoverContext {
  catalog: CatalogState;
  partitions?: PartitionState;
}

export function getHover(
  doc: DestinationDocument,
  offset: number,
  ctx: HoverContext,
): HoverLike | null {
  if (!doc.root || doc.notParsed) return null;
  const node = findNodeAtOffset(doc.root, offset, false);
  if (!node || node.type === 'object' || node.type === 'array' || node.type === 'property')
    return null;
  // A shared mappings file's array is a config's `mappings`.
  const path = doc.isMappingsFile ? ['mappings', ...getNodePath(node)] : getNodePath(node);
  const schema = schemaAt(path);
  const markdown = isKey(node)
    ? schema
      ? propertyMarkdown(schema)
      : undefined
    : valueMarkdown(node, path, schema, ctx);
  return markdown
    ? { contents: { kind: 'markdown', value: markdown }, range: doc.rangeOf(node) }
    : null;
}

function valueMarkdown(
  node: JsonNode,
  path: (string | number)[],
  schema: SchemaNode | undefined,
  ctx: HoverContext,
): string | undefined {
  const value: unknown = node.value;
  if (typeof value === 'string') {
    if (pathMatches(path, ['mappings', '*', 'target']))
      return targetMarkdown(value, activeCatalog(ctx.catalog));
    if (pathMatches(path, ['mappings', '*', 'source'])) {
      return sourceMarkdown(value) ?? (schema ? propertyMarkdown(schema) : undefined);
    }
    if (pathMatches(path, ['dedupeField']))
      return dedupeValueMarkdown(value, activeCatalog(ctx.catalog));
    if (pathMatches(path, ['marketoFields'])) return catalogMarkdown(ctx.catalog, schema);
    if (pathMatches(path, ['marketoPartitions']))
      return partitionsMarkdown(ctx.partitions ?? { status: 'none' }, schema);
  }
  if (!schema) return undefined;
  if (schema.enum) return enumMarkdown(schema, value);
  return propertyMarkdown(schema);
}

function enumMarkdown(schema: SchemaNode, value: unknown): string | undefined {
  const short = firstSentence(schemaText(schema.description));
  const described = describeEnumValue(schema, value);
  if (described) return short ? `${described}\n\n---\n\n${short}` : described;
  const allowed = (schema.enum ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  return (
    l10n.t('{0} is not an allowed value. Allowed: {1}.', JSON.stringify(value), allowed) +
    (short ? `\n\n---\n\n${short}` : '')
  );
}

/** The `marketoFields` value: the property's description and what was loaded. */
function catalogMarkdown(state: CatalogState, schema: SchemaNode | undefined): string {
  const head = schema ? (propertyMarkdown(schema) ?? '') : '';
  let status: string;
  switch (state.status) {
    case 'loaded':
      status = state.catalog.knowsSearchable
        ? l10n.t(
            'Loaded **{0}** fields ({1}.json format, with searchable fields).',
            state.catalog.fields.length,
            state.catalog.origin,
          )
        : l10n.t(
            'Loaded **{0}** fields ({1}.json format).',
            state.catalog.fields.length,
            state.catalog.origin,
          );
      // Said here rather than as a finding: skipped SOAP-only fields are normal in a describe
      // output, but a user wondering why a field is "unknown" should be able to find out.
      if (state.catalog.skipped > 0)
        status +=
          ' ' +
          (state.catalog.skipped === 1
            ? l10n.t(
                '1 entry has no `rest` name (not usable through the REST API) and was skipped.',
              )
            : l10n.t(
                '{0} entries have no `rest` name (not usable through the REST API) and were skipped.',
                state.catalog.skipped,
              ));
      if (state.catalog.morePages)
        status +=
          ' ' +
          l10n.t(
            'The file is one page of a paged answer (`nextPageToken` is set): fields on later pages are missing; save every page into one array.',
          );
      break;
    case 'error':
      status = l10n.t('Cannot use the field catalog: {0}', state.message);
      break;
    case 'blocked':
      status = blockedText(state) + ' ' + l10n.t('The standard Marketo lead fields are used.');
      break;
    default:
      status = l10n.t('No field catalog loaded: the standard Marketo lead fields are used.');
  }
  return head ? `${head}\n\n---\n\n${status}` : status;
}

/** The `marketoPartitions` value: the property's description and what was loaded. */
function partitionsMarkdown(state: PartitionState, schema: SchemaNode | undefined): string {
  const head = schema ? (propertyMarkdown(schema) ?? '') : '';
  const status =
    state.status === 'loaded'
      ? l10n.t(
          'Loaded **{0}** partitions: {1}.',
          state.value.partitions.length,
          state.value.partitions.map((p) => `\`${p.name}\` (${p.id})`).join(', '),
        )
      : state.status === 'error'
        ? l10n.t('Cannot use the partitions file: {0}', state.message)
        : state.status === 'blocked'
          ? blockedText(state)
          : l10n.t('No partitions file loaded.');
  return head ? `${head}\n\n---\n\n${status}` : status;
}

/** Why a file the config names was not read (Restricted Mode, or outside the workspace). */
function blockedText(state: BlockedState): string {
  return state.decision.reason === 'untrusted'
    ? l10n.t('`{0}` is not read: the workspace is not trusted (Restricted Mode).', state.path)
    : l10n.t('`{0}` is not read: it is outside the workspace folder.', state.path);
}
