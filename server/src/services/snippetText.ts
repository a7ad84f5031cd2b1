/**
 * Snippet text (LSP snippet syntax) for property values and the schema's
 * `defaultSnippets` bodies, whose strings already are snippet text.
 */
import type { SchemaNode } from '../engine/schema';

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

/** The value part of a `"name": value` snippet, shaped by the property's schema. */
export function propertyValueSnippet(schema: SchemaNode): string {
  const values = schema.enum;
  if (values?.length === 1) return escapeSnippet(JSON.stringify(values[0]));
  if (values?.length && values.every((v) => typeof v === 'string')) {
    return `"\${1|${values.map((v) => escapeChoice(JSON.stringify(v).slice(1, -1))).join(',')}|}"`;
  }
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
