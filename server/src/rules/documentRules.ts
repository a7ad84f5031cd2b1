import * as l10n from '@vscode/l10n';
import type { JsonNode } from '../engine/document';
import { removeNodeEdits } from '../engine/edits';
import type { RuleDefinition } from './ruleTypes';

export const syntaxRule: RuleDefinition = {
  code: 'syntax',
  severity: 'error',
  title: 'The text is not valid JSON with comments',
  source: 'Marketo Engage Connection page: the destination details are one object of named fields',
  check(ctx) {
    for (const problem of ctx.doc.syntaxErrors) {
      ctx.report(
        ctx.doc.rangeOfOffsets(problem.offset, problem.offset + Math.max(problem.length, 0)),
        problem.message,
      );
    }
    // A shared mappings file holds an array: mappingsFileShapeRule checks it.
    if (
      !ctx.doc.notParsed &&
      ctx.doc.root &&
      ctx.doc.root.type !== 'object' &&
      !ctx.doc.isMappingsFile
    ) {
      ctx.report(
        ctx.doc.root,
        ctx.doc.root.type === 'array'
          ? l10n.t('A destination config is a JSON object, not an array.')
          : l10n.t('A destination config is a JSON object, not a {0}.', ctx.doc.root.type),
      );
    }
  },
};

export const fileTooLargeRule: RuleDefinition = {
  code: 'file-too-large',
  severity: 'information',
  title: 'The file is larger than the validation size limit; rules were skipped',
  source:
    'Guardrails: a destination has at most 50 mapped attributes and 250 audiences, so a config is small',
  check(ctx) {
    if (ctx.doc.notParsed !== 'too-large') return;
    const chars = ctx.doc.text.length;
    ctx.report(
      ctx.doc.rangeOfOffsets(0, 0),
      l10n.t(
        'This file is {0} MB, above the validation limit (setting aepDestination.maxFileSizeMB); it was not validated.',
        (chars / 1024 / 1024).toFixed(1),
      ),
    );
  },
};

export const duplicateKeyRule: RuleDefinition = {
  code: 'duplicate-key',
  severity: 'warning',
  title: 'The same property appears twice in one object; only the last one counts',
  source: 'Marketo Engage Connection page: each destination detail has one value',
  keysOnly: true,
  check(ctx) {
    const objects = ctx.doc.nodeIndex.objects;
    for (let o = 0; o < objects.length; o++) {
      const properties = (objects[o] as JsonNode).children ?? [];
      // Almost every object has distinct keys: settled without building anything.
      if (!hasDuplicateKey(properties)) continue;
      const keys = properties.map(keyOf);
      const lastIndex = new Map<string, number>();
      keys.forEach((key, i) => lastIndex.set(key, i));
      keys.forEach((key, i) => {
        const keyNode = properties[i]?.children?.[0];
        const last = lastIndex.get(key) as number;
        if (!keyNode || last === i) return;
        const line = ctx.doc.positionAt((properties[last] as JsonNode).offset).line + 1;
        ctx.report(
          keyNode,
          l10n.t('"{0}" is set again on line {1}; this value is ignored.', key, line),
          {
            property: key,
          },
        );
      });
    }
  },
  fix({ doc, range }) {
    const key = doc.root && findKeyNode(doc.root, doc.offsetAt(range.start));
    if (!key?.parent) return [];
    return [
      {
        title: l10n.t('Remove this duplicate "{0}"', String(key.value)),
        edits: removeNodeEdits(doc, key.parent),
        isPreferred: true,
      },
    ];
  },
};

function keyOf(property: JsonNode): string {
  return String(property.children?.[0]?.value);
}

/** Whether two of `properties` have the same key: pairwise when few, else through one Set. */
function hasDuplicateKey(properties: JsonNode[]): boolean {
  const count = properties.length;
  if (count < 2) return false;
  if (count === 2) return keyOf(properties[0] as JsonNode) === keyOf(properties[1] as JsonNode);
  if (count <= 12) {
    for (let i = 1; i < count; i++) {
      const key = keyOf(properties[i] as JsonNode);
      for (let j = 0; j < i; j++) if (keyOf(properties[j] as JsonNode) === key) return true;
    }
    return false;
  }
  const seen = new Set<string>();
  for (const property of properties) {
    const key = keyOf(property);
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function findKeyNode(root: JsonNode, offset: number): JsonNode | undefined {
  const stack = [root];
  while (stack.length) {
    const node = stack.pop() as JsonNode;
    if (node.type === 'property' && node.children?.[0]?.offset === offset) return node.children[0];
    if (node.offset <= offset && offset < node.offset + node.length)
      stack.push(...(node.children ?? []));
  }
  return undefined;
}
