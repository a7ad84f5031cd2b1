/**
 * Snippet text (LSP snippet syntax) for property values and the schema's
 * `defaultSnippets` bodies, whose strings already are snippet text.
 */
import type { SchemaNode } from '../engine/schema';
import type { CommandLike } from '../engine/types';

/**
 * The editor command an item runs after its insertion to open the suggestions again, where the
 * inserted text leaves the cursor at a value with choices (VS Code's JSON support does the same).
 */
export const TRIGGER_SUGGEST: CommandLike = {
  title: 'Suggest',
  command: 'editor.action.triggerSuggest',
};

/** Escapes literal text for snippet syntax. */
export function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

function escapeChoice(text: string): string {
  return text.replace(/[$}\\,|]/g, '\\$&');
}

function schemaType(schema: SchemaNode): string | undefined {
  return Array.isArray(schema.type) ? schema.type[0] : schema.type;
}

/**
 * The value part of a `"name": value` snippet, shaped by the property's schema. A string enum
 * leaves the quotes empty: the key item reopens the suggestions there, whose values carry their
 * documentation (a snippet choice list shows bare names).
 */
export function propertyValueSnippet(schema: SchemaNode): string {
  const values = schema.enum;
  if (values?.length === 1) return escapeSnippet(JSON.stringify(values[0]));
  if (values?.length && values.every((v) => typeof v === 'string')) return '"$1"';
  switch (schemaType(schema)) {
    case 'string':
      return typeof schema.default === 'string'
        ? `"\${1:${escapeChoice(JSON.stringify(schema.default).slice(1, -1))}}"`
        : '"$1"';
    case 'array':
      return '[$1]';
    case 'object':
      return '{$1}';
    case 'boolean':
      return '${1|true,false|}';
    case 'number':
    case 'integer':
      return '${1:0}';
    default:
      return '$1';
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

/** A snippet body as indented JSON text (tab indentation; editors adapt it). */
export function bodyToSnippet(body: unknown, indent = ''): string {
  if (Array.isArray(body)) {
    if (body.length === 0) return '[]';
    if (body.every(isPrimitive)) return `[${body.map((v) => bodyToSnippet(v)).join(', ')}]`;
    return `[\n${bodyLines(body, indent + '\t')}\n${indent}]`;
  }
  if (body !== null && typeof body === 'object') {
    if (Object.keys(body).length === 0) return '{}';
    return `{\n${bodyLines(body, indent + '\t')}\n${indent}}`;
  }
  // Body strings are snippet text already; JSON.stringify only adds the quotes.
  return JSON.stringify(body) ?? 'null';
}

/** The members of an object or array body, one a line, without the brackets. */
export function bodyLines(body: object, indent = ''): string {
  const lines = Array.isArray(body)
    ? body.map((v) => indent + bodyToSnippet(v, indent))
    : Object.entries(body).map(
        ([k, v]) => `${indent}${escapeSnippet(JSON.stringify(k))}: ${bodyToSnippet(v, indent)}`,
      );
  return lines.join(',\n');
}
