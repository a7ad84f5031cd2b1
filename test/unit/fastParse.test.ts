/**
 * `fastParseTree` against jsonc-parser's `parseTree` (the options document.ts uses). The
 * contract: where parseTree reports any error, fastParseTree returns undefined (fall back);
 * where it reports none, fastParseTree returns the identical tree: same node types, offsets,
 * lengths, values (-0 and 0 told apart), colonOffset, children order, the same own keys in the
 * same order in every node, and parent links to the same places. fastParseTree handles every
 * text parseTree accepts, so a fallback there fails too (it would only cost speed, but it would
 * be a regression).
 *
 * Corpora: the examples, the hostile fixtures, the benchmark's generated configs, hand-written
 * edge cases, and fast-check properties (fixed seed): random JSON values printed with random
 * whitespace, comments, trailing commas, escapes and numbers of every shape; and random
 * character deletions, insertions and replacements in such texts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { type Node, type ParseError, parseTree } from 'jsonc-parser';
import { configText, smallConfig } from '../fixtures/generate';
import { type NodeIndex, fastParseTree } from '../../server/src/engine/fastParse';
import { isKey, nodeValue } from '../../server/src/engine/document';
import { strictJsonValue } from '../../server/src/engine/parseText';

const ROOT = path.resolve(__dirname, '..', '..');
const SEED = 20_251_123;
const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

/** What is compared of one node: its own keys in order and every field but `parent`. */
function fields(node: Node): unknown[] {
  return [
    Object.keys(node),
    node.type,
    node.offset,
    node.length,
    node.colonOffset,
    node.value as unknown,
    node.children?.length,
  ];
}

/**
 * The two trees are identical: node by node (iteratively, so deep trees are fine), the same
 * fields (deepStrictEqual: -0 and 0 differ) and the parents in the same places.
 */
function assertSameTree(actual: Node, expected: Node, text: string): void {
  const pending: [Node, Node, string][] = [[actual, expected, '$']];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [a, e, where] = pair;
    assert.deepStrictEqual(fields(a), fields(e), `nodes differ at ${where}: ${show(text)}`);
    const children = a.children ?? [];
    children.forEach((child, i) => {
      assert.equal(child.parent, a, `wrong parent at ${where}/${i}: ${show(text)}`);
      pending.push([child, e.children?.[i] as Node, `${where}/${i}`]);
    });
  }
  assert.equal(Object.prototype.hasOwnProperty.call(actual, 'parent'), false, 'root has a parent');
}

/** How deep objects and arrays nest (the root object or array is depth 1). */
function depthOf(node: Node): number {
  const inner = Math.max(0, ...(node.children ?? []).map(depthOf));
  return node.type === 'object' || node.type === 'array' ? inner + 1 : inner;
}

function show(text: string): string {
  return text.length > 200 ? `${JSON.stringify(text.slice(0, 200))}…` : JSON.stringify(text);
}

/** Checks the contract on one text; tells which way it went. */
function checkText(text: string): 'tree' | 'fallback' {
  const errors: ParseError[] = [];
  const expected = parseTree(text, errors, OPTIONS);
  const index: NodeIndex = { objects: [], properties: [], stringValues: [] };
  const actual = fastParseTree(text, Infinity, index);
  if (errors.length > 0) {
    assert.equal(actual, undefined, `a tree for a text with syntax errors: ${show(text)}`);
    return 'fallback';
  }
  assert.ok(expected, `parseTree gave no tree and no error: ${show(text)}`);
  assert.ok(actual, `fastParseTree fell back on a text parseTree accepts: ${show(text)}`);
  assertSameTree(actual, expected, text);
  assertIndexOf(actual, index, text);
  return 'tree';
}

/** The index the parser gathered is the one a walk of its tree gives: the same nodes, in order. */
function assertIndexOf(root: Node, index: NodeIndex, text: string): void {
  const walked: NodeIndex = { objects: [], properties: [], stringValues: [] };
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'object') walked.objects.push(node);
    else if (node.type === 'property') walked.properties.push(node);
    else if (node.type === 'string' && !isKey(node)) walked.stringValues.push(node);
    for (let i = (node.children?.length ?? 0) - 1; i >= 0; i--)
      stack.push(node.children?.[i] as Node);
  }
  for (const list of ['objects', 'properties', 'stringValues'] as const) {
    assert.equal(index[list].length, walked[list].length, `${list}: ${show(text)}`);
    const at = index[list].findIndex((node, i) => node !== walked[list][i]);
    assert.equal(at, -1, `${list} differ at ${at}: ${show(text)}`);
  }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => fs.statSync(file).isFile())
    .sort();
}

describe('fastParseTree: files', () => {
  test('every file in examples/ (JSON and JSONC give trees; CSV and NDJSON fall back)', () => {
    const files = filesUnder(path.join(ROOT, 'examples'));
    assert.ok(files.length >= 5);
    const outcomes = files.map((file) => checkText(fs.readFileSync(file, 'utf8')));
    assert.ok(outcomes.filter((o) => o === 'tree').length >= 5);
  });

  test('the hostile fixtures', () => {
    for (const file of filesUnder(path.join(ROOT, 'test', 'fixtures', 'hostile')))
      checkText(fs.readFileSync(file, 'utf8'));
  });

  test("the benchmark's generated configs (50, 1,000, 10,000 mappings), LF, CRLF and tabs", () => {
    for (const [mappings, audiences] of [
      [50, 3],
      [1_000, 20],
      [10_000, 200],
    ] as const) {
      const text = configText(1000 + mappings, mappings, audiences);
      assert.equal(checkText(text), 'tree');
      if (mappings <= 1_000) {
        assert.equal(checkText(text.replace(/\n/g, '\r\n')), 'tree');
        assert.equal(checkText(text.replace(/ {2}/g, '\t')), 'tree');
      }
    }
    for (let seed = 1; seed <= 60; seed++) assert.equal(checkText(smallConfig(seed).text), 'tree');
  });
});

describe('fastParseTree: edge cases', () => {
  const ACCEPTED = [
    '{}',
    '[]',
    ' \t\r\n{ } \r\n',
    '0',
    '-0',
    '[-0, 0, -0.0, 0e0, -0E+0]',
    '1e400',
    '-1e400',
    '1e-400',
    '[1E5, 1e+5, 1e-5, 2.5E-3, 0.000001, 123.456e7]',
    '9007199254740993',
    '123456789012345678901234567890123456789',
    '0.1000000000000000055511151231257827',
    'true',
    'false',
    'null',
    'true// comment',
    'null/* c */',
    '[true,false,null]',
    '"plain"',
    '""',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
    '"\\u00e9\\u00E9\\uFFFF\\u0000\\u001f"',
    '"\\ud83d\\ude00 \\uD83D \\uDE00 \\ude00\\ud83d"',
    '"😀 é \u2028 \u2029 \u00a0 \ufeff \u007f \ud800 \udfff"',
    '"a very long string with no escapes at all, longer than thirteen characters"',
    '{"a":1,}',
    '[1,]',
    '[[],{},[{}],]',
    '{"a":{"b":{"c":[1,[2,[3,]],],},},}',
    '{"a" /* c */ : /* c */ 1 /* c */ , /* c */ }',
    '{"a"\n:\n1\n,\n"b"\r\n:\r[\r]\r}',
    '// leading comment\n{"a": 1} // trailing comment',
    '/* leading */ [1] /* trailing */',
    '/**/[/***/1/****/]/* * / ** */',
    '[1 // line comment ending at CR\r, 2]',
    '{"": "", " ": " "}',
    '{"__proto__": {"constructor": 1}, "prototype": null}',
    '{"a": 1, "a": 2, "a": {"a": [3]}}',
    '{"k\\"ey\\u00e9": "v\\nal"}',
    '/* comment with \u0000 NUL and \u0001 */ 1',
    '// comment with \u000b and \u000c\n2',
  ];
  const REJECTED = [
    '',
    ' ',
    '// only a comment',
    '/* only a comment */',
    '/*',
    '/* unclosed',
    '/',
    '1/',
    '1 /x',
    '{,}',
    '[,]',
    '[1,,]',
    '[1,,2]',
    '{"a":1,,}',
    '{"a":1 "b":2}',
    '[1 2]',
    '{"a" 1}',
    '{"a":}',
    '{"a"}',
    '{a:1}',
    "{'a':1}",
    '[1]]',
    '[[1]',
    '{',
    '[',
    '{"a":1',
    '{} {}',
    '1 2',
    '"abc',
    '"abc\ndef"',
    '"tab\tinside"',
    '"nul\u0000inside"',
    '"\u001f"',
    '"\\x"',
    '"\\u12"',
    '"\\u12g4"',
    '"\\U0041"',
    '"\\',
    '"\\u',
    '-',
    '--1',
    '-a',
    '+1',
    '01',
    '-01',
    '00',
    '1.',
    '.5',
    '1.e5',
    '1e',
    '1e+',
    '1E-',
    '1.5.3',
    '1x',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    'tru',
    'truex',
    'true1',
    'nul',
    'nulll',
    'False',
    'undefined',
    '\ufeff{}',
    '{}\ufeff',
    '\u00a0{}',
    '\f{}',
    '\v{}',
    '{}\u0000',
    '\u2028{}',
    '{"a":1}x',
    '[1,]]',
  ];
  test('texts parseTree accepts give its tree', () => {
    for (const text of ACCEPTED) assert.equal(checkText(text), 'tree', show(text));
  });
  test('texts parseTree reports errors on fall back', () => {
    for (const text of REJECTED) assert.equal(checkText(text), 'fallback', show(text));
  });
  test('every prefix of a config with every kind of token', () => {
    const text =
      '// c\n{"a": [1, -2.5e+3, true, false, null, "s\\u00e9\\n"], /* d */ "b": {"c": {},},}\n';
    for (let end = 0; end <= text.length; end++) checkText(text.slice(0, end));
  });
  test('nesting: equal to parseTree at depth 500, no stack overflow at depth 200,000', () => {
    for (const depth of [1, 2, 50, 500]) {
      checkText('['.repeat(depth) + ']'.repeat(depth));
      checkText('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
      checkText('[{"a":'.repeat(depth) + '[]' + '}]'.repeat(depth));
    }
    const depth = 200_000;
    const root = fastParseTree('['.repeat(depth) + '0' + ']'.repeat(depth));
    let levels = 0;
    for (let node = root; node; node = node.children?.[0]) {
      assert.equal(node.offset, levels);
      levels++;
    }
    assert.equal(levels, depth + 1);
    assert.equal(fastParseTree('['.repeat(depth) + ']'.repeat(depth - 1)), undefined);
  });
  test('maxDepth: undefined when objects and arrays nest deeper (the root is depth 1)', () => {
    const cases: [string, number][] = [
      ['1', 0],
      ['[]', 1],
      ['{"a": 1, "b": [2]}', 2],
      ['{"a": {"b": {}}, "c": [[[]]]}', 4],
      ['[[{"a": [ {} ]}], []]', 5],
    ];
    for (const [text, depth] of cases) {
      const tree = fastParseTree(text, depth);
      assert.ok(tree, text);
      assertSameTree(tree, parseTree(text, [], OPTIONS) as Node, text);
      if (depth > 0) assert.equal(fastParseTree(text, depth - 1), undefined, text);
    }
    // config → audiences → audience → entities
    const config = configText(1050, 50, 3);
    assert.ok(fastParseTree(config, 4));
    assert.equal(fastParseTree(config, 3), undefined);
  });
});

describe('fastParseTree: memory', () => {
  test('keeps no tree alive after it returns', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    // Escapes, and a key as the last thing parsed: the paths that use module-level state.
    const weak = ((): WeakRef<Node> => {
      const root = fastParseTree('{"a": ["\\u00e9 escaped", {"last key": 1}]}');
      assert.ok(root);
      return new WeakRef(root);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(weak.deref(), undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// Random JSONC texts.

type Value =
  | { kind: 'scalar'; raw: string }
  | { kind: 'array'; items: Value[]; trailingComma: boolean }
  | { kind: 'object'; members: [string, Value][]; trailingComma: boolean };

const hex4 = (code: number, upper: boolean): string => {
  const digits = code.toString(16).padStart(4, '0');
  return upper ? digits.toUpperCase() : digits;
};

/** A piece of a string literal's source text: plain characters or an escape. */
const stringPiece: fc.Arbitrary<string> = fc.oneof(
  // Plain text from all of Unicode; what may not appear raw is written as a \u escape.
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 6 })
    .map((s) =>
      s.replace(
        /["\\\u0000-\u001f]/g,
        (ch) => `\\u${hex4(ch.charCodeAt(0), ch.charCodeAt(0) % 2 === 0)}`,
      ),
    ),
  fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 })
    .map((s) => s.replace(/["\\]/g, '')),
  fc.constantFrom(
    '\\n',
    '\\"',
    '\\\\',
    '\\/',
    '\\b',
    '\\f',
    '\\r',
    '\\t',
    '\\u00e9',
    '\\u00E9',
    '\\ud83d\\ude00',
    '\\uD83D',
    '\\uDE00',
    '\\u0000',
    '\\uffff',
    'é',
    '😀',
    '\u2028',
    '\u00a0',
    '\ufeff',
    '\u007f',
    '/',
    '*',
    '//',
    '/*',
  ),
  fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.boolean()).map(([u, up]) => `\\u${hex4(u, up)}`),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
);

const stringToken: fc.Arbitrary<string> = fc
  .array(stringPiece, { maxLength: 6 })
  .map((pieces) => `"${pieces.join('')}"`);

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

const numberToken: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '-'),
      fc.oneof(
        fc.constant('0'),
        fc.tuple(fc.constantFrom(...'123456789'), digits(0, 30)).map(([a, b]) => a + b),
      ),
      fc.option(
        digits(1, 25).map((d) => `.${d}`),
        { nil: '' },
      ),
      fc.option(
        fc
          .tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4))
          .map((parts) => parts.join('')),
        { nil: '' },
      ),
    )
    .map((parts) => parts.join('')),
  fc.constantFrom('-0', '1e400', '-1e400', '1e-400', '9007199254740993', '5e-324', '2e-324'),
  fc
    .double()
    .filter(Number.isFinite)
    .map((n) => JSON.stringify(n)),
);

const scalar: fc.Arbitrary<Value> = fc
  .oneof(stringToken, numberToken, fc.constantFrom('true', 'false', 'null'))
  .map((raw) => ({ kind: 'scalar', raw }));

const { value: valueArb } = fc.letrec<{ value: Value; array: Value; object: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('array'),
    tie('object'),
  ),
  array: fc
    .tuple(fc.array(tie('value'), { maxLength: 5 }), fc.boolean())
    .map(([items, trailingComma]) => ({ kind: 'array', items, trailingComma })),
  object: fc
    .tuple(fc.array(fc.tuple(stringToken, tie('value')), { maxLength: 5 }), fc.boolean())
    .map(([members, trailingComma]) => ({ kind: 'object', members, trailingComma })),
}));

const TRIVIA = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\n    ',
  '// line comment\n',
  '// "quoted" /* not a block */ {[,:]}\r\n',
  '//\n',
  '/* block */',
  '/**/',
  '/***/',
  '/* * / ** /* nested-looking */',
  '/* multi\nline\r\ncomment */',
  '/* \u2028 é 😀 \u0000 */',
];

/** mulberry32: the trivia between tokens comes from a seed fast-check chooses. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Prints a value with random trivia (density 0..1) between all tokens. */
function print(value: Value, seed: number, density: number): string {
  const random = rng(seed);
  const out: string[] = [];
  const trivia = (): void => {
    while (random() < density) out.push(TRIVIA[Math.floor(random() * TRIVIA.length)] as string);
  };
  // Iterative, as a deep random value could be deep.
  const walk = (v: Value): void => {
    trivia();
    if (v.kind === 'scalar') {
      out.push(v.raw);
    } else if (v.kind === 'array') {
      out.push('[');
      v.items.forEach((item, i) => {
        if (i > 0) out.push(',');
        walk(item);
        trivia();
      });
      if (v.trailingComma && v.items.length > 0) out.push(',');
      trivia();
      out.push(']');
    } else {
      out.push('{');
      v.members.forEach(([key, item], i) => {
        if (i > 0) out.push(',');
        trivia();
        out.push(key);
        trivia();
        out.push(':');
        walk(item);
        trivia();
      });
      if (v.trailingComma && v.members.length > 0) out.push(',');
      trivia();
      out.push('}');
    }
  };
  walk(value);
  trivia();
  if (random() < 0.2) out.push('// a line comment at the very end, without a line break');
  return out.join('');
}

const jsoncText: fc.Arbitrary<string> = fc
  .tuple(valueArb, fc.integer(), fc.constantFrom(0, 0.1, 0.3, 0.6))
  .map(([value, seed, density]) => print(value, seed, density));

const INSERTED = [
  ...'{}[],:"\\/*\n\r\t -+.0123456789eEtrufalsn',
  '//',
  '/*',
  '*/',
  '\u0000',
  '\u0001',
  '\u001f',
  '\f',
  '\ufeff',
  '\u00a0',
  '\u2028',
  'é',
  '\ud800',
  'x',
  '\\u',
  '\\u00e',
];

interface Mutation {
  kind: 'delete' | 'insert' | 'replace';
  at: number;
  span: number;
  text: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace'),
  at: fc.nat(),
  span: fc.integer({ min: 1, max: 3 }),
  text: fc.constantFrom(...INSERTED),
});

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = m.at % (out.length + 1);
    if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.span);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else out = out.slice(0, at) + m.text + out.slice(at + m.span);
  }
  return out;
}

const SMALL_CONFIGS = [
  ...[1, 2, 3, 7, 11].map((seed) => smallConfig(seed).text),
  ...filesUnder(path.join(ROOT, 'examples'))
    .filter((file) => /\.jsonc?$/.test(file))
    .map((file) => fs.readFileSync(file, 'utf8')),
];

describe('fastParseTree: properties (fast-check, fixed seed)', () => {
  test('random JSONC values with random trivia, escapes and numbers: the same tree', () => {
    fc.assert(
      fc.property(jsoncText, fc.nat(6), (text, maxDepth) => {
        assert.equal(checkText(text), 'tree');
        // With a depth limit: the same tree when the nesting is within it, else undefined.
        const limited = fastParseTree(text, maxDepth);
        const expected = parseTree(text, [], OPTIONS) as Node;
        if (depthOf(expected) <= maxDepth) {
          assert.ok(limited, show(text));
          assertSameTree(limited, expected, text);
        } else {
          assert.equal(limited, undefined, show(text));
        }
      }),
      { seed: SEED, numRuns: 1500, includeErrorInReport: true },
    );
  });

  test('random mutations of random JSONC: undefined exactly when parseTree reports errors', () => {
    let trees = 0;
    let fallbacks = 0;
    fc.assert(
      fc.property(jsoncText, fc.array(mutation, { minLength: 1, maxLength: 4 }), (text, ms) => {
        if (checkText(mutate(text, ms)) === 'tree') trees++;
        else fallbacks++;
      }),
      { seed: SEED + 1, numRuns: 3000, includeErrorInReport: true },
    );
    // Both outcomes must be well represented for the property to mean something.
    assert.ok(trees > 300 && fallbacks > 300, `trees ${trees}, fallbacks ${fallbacks}`);
  });

  test('random mutations of real configs: undefined exactly when parseTree reports errors', () => {
    let trees = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...SMALL_CONFIGS),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (text, ms) => {
          if (checkText(mutate(text, ms)) === 'tree') trees++;
        },
      ),
      { seed: SEED + 2, numRuns: 1500, includeErrorInReport: true },
    );
    assert.ok(trees > 100, `trees ${trees}`);
  });

  test('random text from a JSON-ish alphabet: undefined exactly when parseTree reports errors', () => {
    const alphabet = fc.constantFrom(...INSERTED, '"a"', '1', 'true', 'null', '"k":', ' ');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        checkText(parts.join(''));
      }),
      { seed: SEED + 3, numRuns: 3000, includeErrorInReport: true },
    );
  });
});

/**
 * Whether two plain values are the same data: the same own keys in the same order, the same
 * scalars by Object.is (so -0 is not 0); prototypes aside (JSON.parse's objects have Object's,
 * the tree's none).
 */
function sameData(a: unknown, b: unknown, where = '$'): void {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    assert.ok(Object.is(a, b), `${where}: ${String(a)} vs ${String(b)}`);
    return;
  }
  assert.equal(Array.isArray(a), Array.isArray(b), `${where}: array or object`);
  const keys = Object.keys(a);
  assert.deepStrictEqual(keys, Object.keys(b), `${where}: keys`);
  for (const key of keys) {
    sameData(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${where}.${key}`,
    );
  }
}

describe('the value of an error-free text (strictJsonValue)', () => {
  test("JSON.parse's value is the tree's, or JSON.parse refuses the text (JSONC)", () => {
    let parsed = 0;
    let refused = 0;
    const hostile = filesUnder(path.join(ROOT, 'test', 'fixtures', 'hostile')).map((f) =>
      fs.readFileSync(f, 'utf8'),
    );
    const check = (text: string): void => {
      const tree = fastParseTree(text);
      if (!tree) return;
      const value = strictJsonValue(text);
      if (value === undefined) refused++;
      else {
        parsed++;
        sameData(value, nodeValue(tree));
      }
    };
    hostile.forEach(check);
    ['{"__proto__": {"x": 1}, "constructor": 2, "a": 1, "a": 2, "1": 3}', '[-0, 1e400]'].forEach(
      check,
    );
    fc.assert(
      fc.property(jsoncText, (text) => check(text)),
      { seed: SEED + 4, numRuns: 1500, includeErrorInReport: true },
    );
    assert.ok(parsed > 100 && refused > 100, `parsed ${parsed}, refused ${refused}`);
  });
});
