import type { ErrorObject } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import type { JSONPath } from 'jsonc-parser';
import { type JsonNode, findProperty, nodeAtPath } from '../engine/document';
import { destinationSchema, formatPath } from '../engine/schema';
import { setValueEdits } from '../engine/edits';
import { isCredentialProperty } from './connectionRules';
import type { RuleContext, RuleDefinition } from './ruleTypes';
import { validateDestination } from './schemaValidator';

/** Compiled at run time, or precompiled in the bundles (schemaValidator.ts). */
const validateValue = validateDestination;

/** Keywords about a value's content, moot when the value has the wrong type. */
const VALUE_KEYWORDS = new Set(['enum', 'pattern', 'minLength', 'const', 'format']);

/** The schema's "not blank" pattern: a string needs one character that is not white space. */
const NOT_BLANK = '\\S';

/** Keywords whose error another rule reports with a better message and range. */
const COVERED_ELSEWHERE: { keyword: string; path: string }[] = [
  { keyword: 'pattern', path: '/munchkinId' },
];

export const schemaRule: RuleDefinition = {
  code: 'schema',
  severity: 'error',
  title: 'A property is missing, of the wrong type, or not an allowed value',
  source:
    'Marketo Engage Connection page, "Fill in destination details" (required and optional fields)',
  check(ctx) {
    // With `mappings` resolved: the shared file's array is checked as the config's mappings.
    const value = ctx.doc.resolvedValue;
    if (value === undefined || validateValue(value)) return;
    const errors = validateValue.errors ?? [];
    // A value of the wrong type also fails its enum or pattern: one finding says it all.
    const mistyped = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
    const seen = new Set<string>();
    for (const error of errors) {
      if (
        COVERED_ELSEWHERE.some((c) => c.keyword === error.keyword && c.path === error.instancePath)
      )
        continue;
      if (VALUE_KEYWORDS.has(error.keyword) && mistyped.has(error.instancePath)) continue;
      const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reportError(ctx, error);
    }
  },
  fix({ doc, data, range }) {
    if (!data?.replacements?.length || !data.property) return [];
    const path = JSON.parse(data.property) as JSONPath;
    const node = nodeAtPath(doc.root, path);
    if (!node || doc.offsetAt(range.start) !== node.offset) return [];
    return data.replacements.map((replacement, i) => ({
      title: `Change to "${replacement}"`,
      edits: setValueEdits(doc, path, replacement),
      isPreferred: i === 0,
    }));
  },
};

function reportError(ctx: RuleContext, error: ErrorObject): void {
  const path = pointerToPath(error.instancePath);
  const node = ctx.doc.resolvedNodeAt(path);
  if (!node) return;
  const where = formatPath(path);
  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      // The root object's extent is the whole file: point at its opening brace instead.
      const at =
        node === ctx.doc.root
          ? ctx.doc.rangeOfOffsets(node.offset, node.offset + 1)
          : keyOrNode(node);
      ctx.report(
        at,
        `Missing required property "${missing}"${path.length ? ` in ${where}` : ''}.`,
        {
          property: missing,
        },
      );
      return;
    }
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const property = findProperty(node, extra);
      if (property && isCredentialProperty(property)) return; // secret-in-config says more
      const allowed = Object.keys(propertiesAt(path));
      const suggestion = allowed.length ? closest(extra, allowed) : undefined;
      const hint =
        suggestion && distance(extra, suggestion) <= 3 ? ` Did you mean "${suggestion}"?` : '';
      ctx.report(
        property?.children?.[0] ?? node,
        `Property "${extra}" is not allowed${path.length ? ` in ${where}` : ''}.${hint}`,
      );
      return;
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(
        String,
      );
      const got = JSON.stringify(node.value ?? null);
      const replacements =
        typeof node.value === 'string' ? rankByCloseness(node.value, allowed) : [];
      ctx.report(
        node,
        `${got} is not an allowed value of ${where}. Allowed: ${allowed.join(', ')}.`,
        {
          property: JSON.stringify(path),
          replacements,
        },
      );
      return;
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type).replace(
        ',',
        ' or ',
      );
      ctx.report(
        node,
        `${where} must be ${article(expected)} ${expected}, not ${describeJsonType(node)}.`,
      );
      return;
    }
    case 'minLength':
      ctx.report(node, `${where} must not be empty.`);
      return;
    case 'minItems':
      ctx.report(node, `${where} must not be empty.`);
      return;
    case 'uniqueItems':
      ctx.report(node, `${where} lists the same value more than once.`);
      return;
    case 'pattern':
      if ((error.params as { pattern: string }).pattern === NOT_BLANK) {
        ctx.report(
          node,
          typeof node.value === 'string' && node.value.length
            ? `${where} must not be blank: only spaces count as empty.`
            : `${where} must not be empty.`,
        );
        return;
      }
      ctx.report(
        node,
        `${where} does not match the pattern ${String((error.params as { pattern: string }).pattern)}.`,
      );
      return;
    default:
      ctx.report(node, `${where} ${error.message ?? 'is invalid'}.`);
  }
}

function propertiesAt(path: JSONPath): Record<string, unknown> {
  let node = destinationSchema;
  for (const segment of path) {
    const next = typeof segment === 'number' ? node.items : node.properties?.[segment];
    if (!next) return {};
    node = next;
  }
  return node.properties ?? {};
}

/** Closest allowed values first; only those plausibly meant (or all, when the list is short). */
function rankByCloseness(value: string, allowed: string[]): string[] {
  const lower = value.toLowerCase();
  const ranked = [...allowed].sort(
    (a, b) => distance(lower, a.toLowerCase()) - distance(lower, b.toLowerCase()),
  );
  const near = ranked.filter(
    (a) => distance(lower, a.toLowerCase()) <= Math.max(3, Math.floor(a.length / 2)),
  );
  return near.length ? near : ranked.slice(0, 3);
}

function keyOrNode(node: JsonNode): JsonNode {
  return node.parent?.type === 'property' ? (node.parent.children?.[0] ?? node) : node;
}

function describeJsonType(node: JsonNode): string {
  if (node.type === 'null') return 'null';
  return article(node.type) + ' ' + node.type;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

export function pointerToPath(pointer: string): JSONPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
    });
}
