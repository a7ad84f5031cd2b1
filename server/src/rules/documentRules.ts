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
    if (!ctx.doc.notParsed && ctx.doc.root && ctx.doc.root.type !== 'object') {
      ctx.report(
        ctx.doc.root,
        `A destination config is a JSON object, not ${ctx.doc.root.type === 'array' ? 'an array' : `a ${ctx.doc.root.type}`}.`,
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
      `This file is ${(chars / 1024 / 1024).toFixed(1)} MB, above the validation limit (setting aepDestination.maxFileSizeMB); it was not validated.`,
    );
  },
};

export const duplicateKeyRule: RuleDefinition = {
  code: 'duplicate-key',
  severity: 'warning',
  title: 'The same property appears twice in one object; only the last one counts',
  source: 'Marketo Engage Connection page: each destination detail has one value',
  check(ctx) {
    const root = ctx.doc.root;
    if (!root) return;
    const stack: JsonNode[] = [root];
    while (stack.length) {
      const node = stack.pop() as JsonNode;
      if (!node.children) continue;
      if (node.type === 'object') {
        const lastIndex = new Map<string, number>();
        node.children.forEach((property, i) =>
          lastIndex.set(String(property.children?.[0]?.value), i),
        );
        node.children.forEach((property, i) => {
          const key = property.children?.[0];
          if (key && lastIndex.get(String(key.value)) !== i) {
            const later = node.children?.[lastIndex.get(String(key.value)) as number];
            const line = later ? ctx.doc.positionAt(later.offset).line + 1 : 0;
            ctx.report(
              key,
              `"${String(key.value)}" is set again on line ${line}; this value is ignored.`,
              {
                property: String(key.value),
              },
            );
          }
        });
      }
      for (const child of node.children) stack.push(child);
    }
  },
  fix({ doc, range }) {
    const key = doc.root && findKeyNode(doc.root, doc.offsetAt(range.start));
    if (!key?.parent) return [];
    return [
      {
        title: `Remove this duplicate "${String(key.value)}"`,
        edits: removeNodeEdits(doc, key.parent),
        isPreferred: true,
      },
    ];
  },
};

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
