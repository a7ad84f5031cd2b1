/**
 * Hover: the schema's description on property names, enum value descriptions,
 * and Marketo knowledge on mapping targets, sources and the dedupe field.
 */
import { findNodeAtOffset, getNodePath } from 'jsonc-parser';
import type { DestinationDocument, JsonNode } from '../engine/document';
import { type SchemaNode, describeEnumValue, schemaAt } from '../engine/schema';
import type { HoverLike } from '../engine/types';
import type { CatalogState } from '../engine/catalogLoader';
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
  const parent = node.parent;
  const path = getNodePath(node);
  const schema = schemaAt(path);
  const isKey = parent?.type === 'property' && parent.children?.[0] === node;
  const markdown = isKey
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
  }
  if (!schema) return undefined;
  if (schema.enum) return enumMarkdown(schema, value);
  return propertyMarkdown(schema);
}

function enumMarkdown(schema: SchemaNode, value: unknown): string | undefined {
  const short = firstSentence(schema.description);
  const described = describeEnumValue(schema, value);
  if (described) return short ? `${described}\n\n---\n\n${short}` : described;
  const allowed = (schema.enum ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  return `${JSON.stringify(value)} is not an allowed value. Allowed: ${allowed}.${short ? `\n\n---\n\n${short}` : ''}`;
}

/** The `marketoFields` value: the property's description and what was loaded. */
function catalogMarkdown(state: CatalogState, schema: SchemaNode | undefined): string {
  const head = schema ? (propertyMarkdown(schema) ?? '') : '';
  let status: string;
  switch (state.status) {
    case 'loaded':
      status = `Loaded **${state.catalog.fields.length}** fields (${state.catalog.origin}.json format${
        state.catalog.knowsSearchable ? ', with searchable fields' : ''
      }).`;
      break;
    case 'error':
      status = `Cannot use the field catalog: ${state.message}`;
      break;
    default:
      status = 'No field catalog loaded: the standard Marketo lead fields are used.';
  }
  return head ? `${head}\n\n---\n\n${status}` : status;
}
