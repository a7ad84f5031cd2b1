import type { JSONPath } from 'jsonc-parser';
import schemaJson from '../../../schemas/destination.schema.json';
import { schemaText } from './schemaText';

/** The subset of JSON Schema the destination schema uses (no $ref, no combinators). */
export interface SchemaNode {
  type?: string | string[];
  title?: string;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  uniqueItems?: boolean;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  default?: unknown;
  examples?: unknown[];
  pattern?: string;
  minLength?: number;
  defaultSnippets?: { label?: string; description?: string; body: unknown }[];
  /** Not offered by key completion (VS Code's JSON schema extension). */
  doNotSuggest?: boolean;
}

export const destinationSchema = schemaJson as unknown as SchemaNode;

/** The subschema that describes the value at `path`, or undefined when the schema says nothing. */
export function schemaAt(
  path: JSONPath,
  root: SchemaNode = destinationSchema,
): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.items;
    else {
      const next: SchemaNode | boolean | undefined =
        node.properties?.[segment] ??
        (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
      node = typeof next === 'object' ? next : undefined;
    }
  }
  return node;
}

/** The markdown description of a subschema, falling back to the plain one, in the user's language. */
export function describe(node: SchemaNode | undefined): string | undefined {
  return schemaText(node?.markdownDescription ?? node?.description);
}

/** The markdown description of one enum value of a subschema, in the user's language. */
export function describeEnumValue(
  node: SchemaNode | undefined,
  value: unknown,
): string | undefined {
  const index = node?.enum?.indexOf(value) ?? -1;
  if (!node || index < 0) return undefined;
  return schemaText(node.markdownEnumDescriptions?.[index] ?? node.enumDescriptions?.[index]);
}

/** `mappings[2].target` for messages. */
export function formatPath(path: JSONPath): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out ? `.${segment}` : segment;
  }
  return out || 'the config';
}
