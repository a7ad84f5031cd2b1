import * as l10n from '@vscode/l10n';
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
      title: l10n.t('Change to "{0}"', replacement),
      edits: setValueEdits(doc, path, replacement),
      isPreferred: i === 0,
    }));
  },
};

function reportError(ctx: RuleContext, error: ErrorObject): void {
  const path = pointerToPath(error.instancePath);
  const node = ctx.doc.resolvedNodeAt(path);
  if (!node) return;
  const where = path.length ? formatPath(path) : l10n.t('the config');
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
        path.length
          ? l10n.t('Missing required property "{0}" in {1}.', missing, where)
          : l10n.t('Missing required property "{0}".', missing),
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
        suggestion && distance(extra, suggestion) <= 3
          ? ' ' + l10n.t('Did you mean "{0}"?', suggestion)
          : '';
      ctx.report(
        property?.children?.[0] ?? node,
        (path.length
          ? l10n.t('Property "{0}" is not allowed in {1}.', extra, where)
          : l10n.t('Property "{0}" is not allowed.', extra)) + hint,
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
        l10n.t('{0} is not an allowed value of {1}. Allowed: {2}.', got, where, allowed.join(', ')),
        {
          property: JSON.stringify(path),
          replacements,
        },
      );
      return;
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type).split(',');
      const phrase = expected.map(typePhrase).reduce((a, b) => l10n.t('{0} or {1}', a, b));
      ctx.report(node, l10n.t('{0} must be {1}, not {2}.', where, phrase, typePhrase(node.type)));
      return;
    }
    case 'minLength':
      ctx.report(node, l10n.t('{0} must not be empty.', where));
      return;
    case 'minItems':
      ctx.report(node, l10n.t('{0} must not be empty.', where));
      return;
    case 'uniqueItems':
      ctx.report(node, l10n.t('{0} lists the same value more than once.', where));
      return;
    case 'pattern':
      if ((error.params as { pattern: string }).pattern === NOT_BLANK) {
        ctx.report(
          node,
          typeof node.value === 'string' && node.value.length
            ? l10n.t('{0} must not be blank: only spaces count as empty.', where)
            : l10n.t('{0} must not be empty.', where),
        );
        return;
      }
      ctx.report(
        node,
        l10n.t(
          '{0} does not match the pattern {1}.',
          where,
          String((error.params as { pattern: string }).pattern),
        ),
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

/** A JSON type with its article ("a string", "an object"), as the messages name it. */
function typePhrase(type: string): string {
  switch (type) {
    case 'string':
      return l10n.t('a string');
    case 'number':
      return l10n.t('a number');
    case 'integer':
      return l10n.t('an integer');
    case 'boolean':
      return l10n.t('a boolean');
    case 'array':
      return l10n.t('an array');
    case 'object':
      return l10n.t('an object');
    case 'null':
      return 'null';
    default:
      return (/^[aeiou]/.test(type) ? 'an ' : 'a ') + type;
  }
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
