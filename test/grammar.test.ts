// Checks the TextMate grammar of *.destination.json(c) files without vscode-textmate / vscode-oniguruma
// (not installed): every regex must compile as a JavaScript RegExp, and a small TextMate-style
// tokenizer (begin/end stack, earliest match wins, end pattern first on ties) runs the grammar on a
// sample config so nesting, comments and trailing commas are checked too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  patterns?: Rule[];
  repository?: Record<string, Rule>;
  [key: string]: unknown;
}

interface Grammar extends Rule {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const root = join(__dirname, '..');
const grammar = JSON.parse(
  readFileSync(join(root, 'syntaxes', 'aep-destination.tmLanguage.json'), 'utf8'),
) as Grammar;
const schema = JSON.parse(
  readFileSync(join(root, 'schemas', 'destination.schema.json'), 'utf8'),
) as SchemaNode;

const KEY_SCOPE = 'keyword.other.destination-key.aep-destination';
const PROPERTY_SCOPE = 'support.type.property-name.json';
const DEDUPE_SCOPE = 'constant.language.dedupe-field.aep-destination';
const IDENTITY_SCOPE = 'entity.name.namespace.identity.aep-destination';

/** Every rule object of the grammar, with a readable path. */
function allRules(): { path: string; rule: Rule }[] {
  const out: { path: string; rule: Rule }[] = [];
  const visit = (rule: Rule, path: string): void => {
    out.push({ path, rule });
    rule.patterns?.forEach((p, i) => visit(p, `${path}.patterns[${i}]`));
    for (const [k, r] of Object.entries(rule.repository ?? {})) visit(r, `${path}.repository.${k}`);
  };
  visit(grammar, '$');
  return out;
}

/** Oniguruma features JavaScript does not have (or reads differently). */
const ONIGURUMA_ONLY: [RegExp, string][] = [
  [/\(\?[imx-]+[):]/, 'inline option group such as (?x)'],
  [/\(\?>/, 'atomic group'],
  [/\\[AGzZhH]/, 'Oniguruma anchor or \\h escape'],
  [/[*+?}]\+/, 'possessive quantifier'],
  [/\\p\{/, 'property escape (needs the u flag in JS)'],
];

function toJsRegExp(source: string, flags = ''): RegExp {
  for (const [construct, what] of ONIGURUMA_ONLY) {
    assert.equal(construct.test(source), false, `${what} in ${JSON.stringify(source)}`);
  }
  return new RegExp(source, flags);
}

function fullMatch(source: string, text: string): boolean {
  const m = toJsRegExp(source, 'y').exec(text);
  return m !== null && m[0] === text;
}

function findRule(scope: string): Rule {
  const hits = allRules().filter((r) => r.rule.name?.split(/\s+/).includes(scope));
  assert.equal(hits.length, 1, `exactly one rule named with ${scope}`);
  return hits[0]!.rule;
}

// ---------------------------------------------------------------------------------------------
// A minimal TextMate tokenizer: enough of the algorithm for this grammar (match / begin-end,
// includes of #repository entries and $self, name scopes; captures are not split out).

interface Token {
  text: string;
  scopes: string[];
}

interface Frame {
  scopes: string[];
  end: RegExp | null;
  patterns: Rule[];
}

function resolve(patterns: Rule[] | undefined, seen = new Set<Rule>()): Rule[] {
  const out: Rule[] = [];
  for (const p of patterns ?? []) {
    if (p.include !== undefined) {
      const target =
        p.include === '$self' || p.include === '$base'
          ? grammar
          : grammar.repository[p.include.replace(/^#/, '')];
      assert.ok(target, `include ${p.include} resolves`);
      if (seen.has(target)) continue;
      const next = new Set(seen).add(target);
      if (target.match !== undefined || target.begin !== undefined) out.push(target);
      else out.push(...resolve(target.patterns, next));
    } else if (p.match !== undefined || p.begin !== undefined) {
      out.push(p);
    } else {
      out.push(...resolve(p.patterns, seen));
    }
  }
  return out;
}

const compiled = new Map<string, RegExp>();
function re(source: string): RegExp {
  let r = compiled.get(source);
  if (!r) {
    r = toJsRegExp(source, 'g');
    compiled.set(source, r);
  }
  return r;
}

function execAt(r: RegExp, line: string, pos: number): RegExpExecArray | null {
  r.lastIndex = pos;
  return r.exec(line);
}

const scopesOf = (name: string | undefined): string[] => (name ? name.split(/\s+/) : []);

function tokenize(text: string): { lines: Token[][]; depth: number } {
  const stack: Frame[] = [
    { scopes: [grammar.scopeName], end: null, patterns: resolve(grammar.patterns) },
  ];
  const lines: Token[][] = [];
  for (const line of text.split('\n')) {
    const tokens: Token[] = [];
    let pos = 0;
    for (let guard = 0; ; guard++) {
      assert.ok(guard < 10_000, `tokenizer stuck on ${JSON.stringify(line)}`);
      const top = stack[stack.length - 1]!;
      let best: { m: RegExpExecArray; rule: Rule | null } | null = null;
      if (top.end) {
        const m = execAt(top.end, line, pos);
        if (m) best = { m, rule: null };
      }
      for (const rule of top.patterns) {
        const m = execAt(re((rule.match ?? rule.begin)!), line, pos);
        if (m && (best === null || m.index < best.m.index)) best = { m, rule };
      }
      if (!best) {
        if (pos < line.length) tokens.push({ text: line.slice(pos), scopes: top.scopes });
        break;
      }
      const { m, rule } = best;
      if (m.index > pos) tokens.push({ text: line.slice(pos, m.index), scopes: top.scopes });
      if (rule === null) {
        if (m[0]) tokens.push({ text: m[0], scopes: top.scopes });
        stack.pop();
      } else if (rule.match !== undefined) {
        assert.ok(m[0].length > 0, `match rule ${rule.match} matched an empty string`);
        tokens.push({ text: m[0], scopes: [...top.scopes, ...scopesOf(rule.name)] });
      } else {
        assert.ok(rule.end !== undefined, `begin rule ${rule.begin} has an end`);
        const scopes = [...top.scopes, ...scopesOf(rule.name)];
        if (m[0]) tokens.push({ text: m[0], scopes });
        stack.push({
          scopes: [...scopes, ...scopesOf(rule.contentName)],
          end: re(rule.end),
          patterns: resolve(rule.patterns),
        });
      }
      pos = m.index + m[0].length;
    }
    lines.push(tokens);
  }
  return { lines, depth: stack.length };
}

// ---------------------------------------------------------------------------------------------

test('grammar has the scopeName and name of the destination language', () => {
  assert.equal(grammar.scopeName, 'source.aep-destination');
  assert.equal(grammar.name, 'AEP Destination');
});

test('every match/begin/end/while regex compiles as a JavaScript RegExp', () => {
  let count = 0;
  for (const { path, rule } of allRules()) {
    for (const key of ['match', 'begin', 'end', 'while'] as const) {
      const source = rule[key];
      if (source === undefined) continue;
      assert.equal(typeof source, 'string', `${path}.${key} is a string`);
      assert.doesNotThrow(() => toJsRegExp(source), `${path}.${key}: ${source}`);
      count++;
    }
  }
  assert.ok(count >= 15, `found ${count} regexes`);
});

test('every include points at an existing repository entry', () => {
  for (const { path, rule } of allRules()) {
    if (rule.include === undefined || rule.include.startsWith('$')) continue;
    const key = rule.include.replace(/^#/, '');
    assert.ok(key in grammar.repository, `${path}: include ${rule.include}`);
  }
});

test('the destination-key rule matches keys of the format and nothing else', () => {
  const rule = findRule(KEY_SCOPE);
  assert.ok(rule.match, 'the key rule is a match rule');
  assert.ok(rule.name!.split(' ').includes(PROPERTY_SCOPE));
  assert.ok(fullMatch(rule.match, '"dedupeField"'));
  assert.equal(toJsRegExp(rule.match).exec('"foo"'), null);
  assert.equal(fullMatch(rule.match, '"dedupeFieldX"'), false);
  assert.equal(fullMatch(rule.match, '"DedupeField"'), false);

  // every property name the schema defines (except $schema) is highlighted as a key
  const names = new Set<string>();
  const walk = (node: SchemaNode): void => {
    for (const [k, child] of Object.entries(node.properties ?? {})) {
      names.add(k);
      walk(child);
    }
    if (node.items) walk(node.items);
  };
  walk(schema);
  names.delete('$schema');
  assert.ok(names.size >= 20, `schema defines ${names.size} property names`);
  for (const n of names) assert.ok(fullMatch(rule.match, `"${n}"`), `key "${n}" is highlighted`);
});

test('the DedupeField rule matches exactly "DedupeField"', () => {
  const rule = findRule(DEDUPE_SCOPE);
  assert.ok(rule.match, 'the DedupeField rule is a match rule');
  assert.ok(rule.name!.split(' ').includes('string.quoted.double.json'));
  assert.ok(fullMatch(rule.match, '"DedupeField"'));
  assert.equal(fullMatch(rule.match, '"dedupeField"'), false);
  assert.equal(toJsRegExp(rule.match).exec('"DedupeFields"'), null);
});

const SAMPLE = `// Winback destination
{
  "$schema": "./schemas/destination.schema.json",
  "connector": "marketo-engage",
  /* a block comment
     over two lines */
  "name": "name",
  "munchkinId": "123-ABC-456",
  "mappings": [
    { "source": "identityMap.Email", "target": "DedupeField" },
    { "source": "person.name.firstName", "target": "firstName", }, // trailing comma
  ],
  "audiences": [{ "id": "a\\"b", "entities": ["person"], "nested": { "deep": [1, -2.5e3, true, null] } }],
}
`;

function tokensWith(text: string): Token[] {
  return tokenize(SAMPLE)
    .lines.flat()
    .filter((t) => t.text === text);
}

function hasScope(t: Token, scope: string): boolean {
  return t.scopes.includes(scope);
}

test('tokenizing a sample config: structure, comments and trailing commas', () => {
  const { lines, depth } = tokenize(SAMPLE);
  assert.equal(depth, 1, 'every object and array was closed');
  const all = lines.flat();
  const invalid = all.filter((t) => t.scopes.some((s) => s.startsWith('invalid.')));
  assert.deepEqual(invalid, [], 'no invalid tokens');
  assert.ok(all.every((t) => t.scopes[0] === 'source.aep-destination'));

  assert.ok(lines[0]!.every((t) => hasScope(t, 'comment.line.double-slash.js')));
  assert.ok(
    lines[5]!.some((t) => hasScope(t, 'comment.block.json')),
    'block comment continues',
  );
  assert.ok(
    tokensWith('// trailing comma').every((t) => hasScope(t, 'comment.line.double-slash.js')),
  );

  const deep = tokensWith('deep');
  assert.equal(deep.length, 1);
  assert.equal(deep[0]!.scopes.filter((s) => s === 'meta.structure.dictionary.json').length, 3);
  assert.equal(deep[0]!.scopes.filter((s) => s === 'meta.structure.array.json').length, 1);

  assert.ok(hasScope(tokensWith('-2.5e3')[0]!, 'constant.numeric.json'));
  assert.ok(hasScope(tokensWith('true')[0]!, 'constant.language.json'));
  assert.ok(hasScope(tokensWith('null')[0]!, 'constant.language.json'));
  assert.ok(hasScope(tokensWith('\\"')[0]!, 'constant.character.escape.json'));
});

test('tokenizing a sample config: keys, DedupeField and identityMap values', () => {
  for (const key of ['"connector"', '"munchkinId"', '"source"', '"target"', '"id"', '"entities"']) {
    const [t] = tokensWith(key);
    assert.ok(t, `${key} is one token`);
    assert.ok(hasScope(t, KEY_SCOPE) && hasScope(t, PROPERTY_SCOPE), `${key} scopes`);
    assert.ok(hasScope(t, 'string.json'));
  }
  // "name": "name" — the key is a destination key, the value is a plain string
  const nameKeys = tokensWith('"name"');
  assert.equal(nameKeys.length, 1);
  assert.ok(hasScope(nameKeys[0]!, KEY_SCOPE));
  const nameValues = tokensWith('name');
  assert.equal(nameValues.length, 1);
  assert.ok(hasScope(nameValues[0]!, 'string.quoted.double.json'));
  assert.ok(!hasScope(nameValues[0]!, KEY_SCOPE) && !hasScope(nameValues[0]!, PROPERTY_SCOPE));

  for (const other of ['$schema', 'nested', 'deep']) {
    const [t] = tokensWith(other);
    assert.ok(t && hasScope(t, PROPERTY_SCOPE) && !hasScope(t, KEY_SCOPE), `${other} scopes`);
  }

  const [dedupe] = tokensWith('"DedupeField"');
  assert.ok(
    dedupe && hasScope(dedupe, DEDUPE_SCOPE) && hasScope(dedupe, 'string.quoted.double.json'),
  );
  assert.equal(tokensWith('"firstName"').filter((t) => hasScope(t, DEDUPE_SCOPE)).length, 0);

  const [identity] = tokensWith('identityMap.Email');
  assert.ok(identity && hasScope(identity, IDENTITY_SCOPE));
  assert.ok(hasScope(identity, 'string.quoted.double.json'));
  const [plain] = tokensWith('person.name.firstName');
  assert.ok(plain && !hasScope(plain, IDENTITY_SCOPE));
});
