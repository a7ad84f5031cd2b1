/**
 * The robustness properties, shared by `properties.test.ts` (a fixed seed and a few runs, in
 * the unit suite) and `scripts/fuzz.ts` (many runs, any seed). Deliberately free of
 * `test/helpers.ts`, which registers node:test hooks on import.
 *
 * Language service: random and mutated configs through validate, completion, hover, symbols,
 * code actions and formatting: nothing throws, every range lies inside the document, a quick fix
 * never breaks a text that parsed, formatting never changes the token sequence.
 * Simulation: random CSV / JSON / NDJSON inputs either read or fail with a SimulationInputError
 * that names the file and a line of it; what reads simulates.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { SyntaxKind, createScanner } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileHost } from '../../server/src/engine/catalogLoader';
import { DestinationLanguageService } from '../../server/src/languageService';
import type {
  CodeActionLike,
  DiagnosticRef,
  DocumentSymbolLike,
  Finding,
  Position,
  Range,
  TextEdit,
} from '../../server/src/engine/types';
import { docsBaseUriFor } from '../../server/src/host/packageInfo';
import { REQUIRED_MAPPINGS, SYNC_SETTINGS } from '../fixtures/generate';
import { VALID_CONFIG } from '../fixtures/validConfig';
import { ALL_RULES } from '../../server/src/rules/ruleTable';
import { profilesFromCsvText } from '../../server/src/simulation/profiles';
import {
  type SimulationConfig,
  SimulationInputError,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DOCS_BASE = docsBaseUriFor(REPO_ROOT);
const RULE_CODES = new Set(ALL_RULES.map((rule) => rule.code));

// ---------------------------------------------------------------------------------------------
// Seeds: the examples and a few hand-written configs (valid, commented, CRLF, with a catalog).

/** The directory fuzzed configs live in; it does not exist, so nothing on disk is read. */
const CONFIG_DIR = '/aep-dest-fuzz/configs';
const CONFIG_URI = `file://${CONFIG_DIR}/fuzz.destination.json`;

const VALID = VALID_CONFIG;

const COMMENTED = `// Every property, with comments and trailing commas.
{
  "$schema": "../schemas/destination.schema.json",
  "connector": "marketo-engage", // required
  "name": "All of it",
  "description": "optional /* not a comment */ text",
  "munchkinId": "123-ABC-456",
  /* block
     comment */
  "workspace": "Default",
  "syncType": "profileOnly",
  "partition": "Default",
  "dedupeField": "email",
  "personAction": "updateExistingOnly",
  "alerts": ["destinationFlowRunFailure", "destinationFlowRunDelay",],
  "mappings": [
    { "source": "identityMap.Email", "target": "DedupeField" }, // dedupe
    { "source": "person.name.firstName", "target": "firstName" },
    { "source": "person.name.lastName", "target": "lastName" },
    { "source": "workEmail.address", "target": "email" },
    { "source": "b2b.companyName", "target": "company" },
  ],
  "audiences": [
    {
      "id": "seg-a",
      "name": "A",
      "origin": "customUpload",
      "type": "people",
      "evaluation": "batch",
      "entities": ["person"],
    },
  ],
  "marketoFields": "./marketo/describe2.json",
  "simulation": { "profiles": "./samples/profiles.csv", "leads": "./samples/leads.json" },
}
`;

/** Mistakes every fixable rule reports. */
const BROKEN = `{
  "connector": "marketo-engage",
  "name": "Broken",
  "munchkinId": "123-abc-45",
  "workspace": "Default",
  "syncType": "audienceOnly",
  "partition": "EMEA",
  "dedupeField": "leadId",
  "personAction": "updateExistingAndCreateNew",
  "clientSecret": "0123456789abcdef0123456789abcdef",
  "name": "Broken twice",
  "mappings": [
    { "source": "identityMap.ECID", "target": "DedupeField" },
    { "source": "person.name.firstName", "target": "firstName" },
    { "source": "person.name.firstName", "target": "firstName" },
    { "source": "segmentMembership", "target": "lastName" },
    { "source": "person.name.lastName", "target": "createdAt" }
  ],
  "audiences": [
    { "id": "acct", "name": "Accounts", "origin": "segmentationService", "type": "account",
      "evaluation": "streaming", "entities": ["account", "opportunity"] },
    { "id": "x", "name": "X", "origin": "segmentationServic", "type": "peple", "evaluation": "edge",
      "entities": ["person"] }
  ],
  "marketoFields": "./marketo/describe2.json"
}
`;

const MISSING_LOTS = `{
  "connector": "marketo",
  "syncType": "profileOnly",
  "dedupeField": "email",
  "partition": "EMEA",
  "mappings": [],
  "audiences": []
}`;

function readExample(name: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8');
}

function exampleSeeds(): string[] {
  const dir = path.join(REPO_ROOT, 'examples');
  return fs
    .readdirSync(dir)
    .filter((name) => /\.destination\.jsonc?$/.test(name))
    .sort()
    .map(readExample);
}

export const SEEDS: readonly string[] = (() => {
  const base = [VALID, COMMENTED, BROKEN, MISSING_LOTS, ...exampleSeeds()];
  return [...base, VALID.replace(/\n/g, '\r\n'), BROKEN.replace(/\n/g, '\r\n'), '{}', ''];
})();

/** The example catalog, where the seeds' `./marketo/describe2.json` resolves. */
function fuzzFileHost(): FileHost {
  const files: Record<string, string> = {
    [path.join(CONFIG_DIR, 'marketo', 'describe2.json')]: readExample('marketo/describe2.json'),
  };
  return {
    stat: (p) =>
      Object.prototype.hasOwnProperty.call(files, p)
        ? { size: (files[p] as string).length, mtimeMs: 1, isFile: true }
        : undefined,
    readFile: (p) => {
      if (!Object.prototype.hasOwnProperty.call(files, p)) throw new Error(`ENOENT: ${p}`);
      return files[p] as string;
    },
  };
}

export function fuzzService(): DestinationLanguageService {
  return new DestinationLanguageService({ docsBaseUri: DOCS_BASE, fileHost: fuzzFileHost() });
}

// ---------------------------------------------------------------------------------------------
// Text arbitraries: a seed or a generated config, then a few mutations.

/** Characters that mean something to JSON with comments, and some that break things. */
const CHARS = [
  ...'{}[]":,/*\\\n\r\t aeE10-+.unltx\'#',
  '\r\n',
  '\u00e9',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  '\u0007',
];

const SNIPPETS = [
  '"__proto__"',
  '"constructor"',
  '"prototype"',
  '"__proto__": {"polluted": true},',
  '"constructor": {"prototype": {"polluted": true}},',
  '1e400',
  '-1e400',
  '1'.repeat(100),
  '0.' + '0'.repeat(50) + '1',
  '"DedupeField"',
  '"email"',
  '"id"',
  '"leadId"',
  '"ecid"',
  '"identityMap.ECID"',
  '"audienceOnly"',
  '"profileOnly"',
  '"partition": "X",',
  '"personAction": "updateExistingOnly",',
  '"mappings": [],',
  '"mappings": [{"source": "a.b", "target": "email"}],',
  '"audiences": [{"type": "account", "entities": ["lead"]}],',
  '"password": "hunter2hunter2",',
  '"marketoFields": "./marketo/describe2.json",',
  '"marketoFields": "../",',
  '"simulation": {"profiles": "./", "leads": 1},',
  'null',
  'true',
  '[]',
  '{}',
  '""',
  '//',
  '/*',
  '*/',
  '// comment\n',
  '/* c */',
  '\\u00',
  '"\\ud800"',
  '"a\\"b"',
];

const LITERALS = [
  '"x"',
  '""',
  '1',
  '-0.5e3',
  '1e400',
  '1'.repeat(100),
  'true',
  'false',
  'null',
  '[]',
  '{}',
  '[1, "a", null]',
  '{"a": 1}',
  '"DedupeField"',
  '"email"',
  '"leadId"',
  '"identityMap.ECID"',
  '"audienceOnly"',
  '"people"',
  '"account"',
  '"streaming"',
  '"__proto__"',
];

export type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'swapTokens'; a: number; b: number }
  | { kind: 'replaceToken'; token: number; text: string }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'copyRange'; from: number; length: number; to: number }
  | { kind: 'lineEnds'; eol: '\r\n' | '\r' | '\n' };

const position = fc.nat({ max: 100_000 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: position,
      length: fc.integer({ min: 1, max: 24 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: position,
      text: fc.oneof(
        fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
        fc.constantFrom(...SNIPPETS),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('swapTokens' as const), a: position, b: position }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('replaceToken' as const),
      token: position,
      text: fc.constantFrom(...LITERALS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('duplicateLine' as const), line: position }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('copyRange' as const),
      from: position,
      length: fc.integer({ min: 1, max: 80 }),
      to: position,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('lineEnds' as const),
      eol: fc.constantFrom('\r\n' as const, '\r' as const, '\n' as const),
    }),
  },
);

interface TokenSpan {
  start: number;
  end: number;
}

function tokenSpans(text: string): TokenSpan[] {
  const scanner = createScanner(text, true);
  const spans: TokenSpan[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    spans.push({ start, end: start + scanner.getTokenLength() });
  }
  return spans;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

export function applyMutation(text: string, m: Mutation): string {
  const at = (n: number) => n % (text.length + 1);
  switch (m.kind) {
    case 'delete': {
      const start = at(m.at);
      return splice(text, start, start + m.length, '');
    }
    case 'insert': {
      const start = at(m.at);
      return splice(text, start, start, m.text);
    }
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'swapTokens': {
      const tokens = tokenSpans(text);
      if (tokens.length < 2) return text;
      let a = tokens[m.a % tokens.length] as TokenSpan;
      let b = tokens[m.b % tokens.length] as TokenSpan;
      if (a.start === b.start) return text;
      if (b.start < a.start) [a, b] = [b, a];
      const ta = text.slice(a.start, a.end);
      const tb = text.slice(b.start, b.end);
      return text.slice(0, a.start) + tb + text.slice(a.end, b.start) + ta + text.slice(b.end);
    }
    case 'replaceToken': {
      const tokens = tokenSpans(text);
      if (!tokens.length) return m.text;
      const t = tokens[m.token % tokens.length] as TokenSpan;
      return splice(text, t.start, t.end, m.text);
    }
    case 'duplicateLine': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i] as string);
      return lines.join('\n');
    }
    case 'copyRange': {
      const from = at(m.from);
      const piece = text.slice(from, from + m.length);
      const to = at(m.to);
      return splice(text, to, to, piece);
    }
    case 'lineEnds':
      return text.replace(/\r\n|\r|\n/g, m.eol);
  }
}

const word = fc.constantFrom('a', 'x y', '', ' ', 'Default', 'EMEA', '\u00e9t\u00e9', '"q"', '\\');

/** A value that is sometimes right for the key and often not. */
function valueFor(...good: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

const mappingArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        source: valueFor(
          'identityMap.Email',
          'identityMap.ECID',
          'person.name.firstName',
          'person.name.lastName',
          'workEmail.address',
          'segmentMembership',
          'identityMap',
          'a..b',
          '',
        ),
        target: valueFor(
          'DedupeField',
          'email',
          'firstName',
          'lastName',
          'company',
          'createdAt',
          'id',
          'nope',
          '',
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);

const audienceArb = fc.record(
  {
    id: valueFor('seg-a', 'seg-b', ''),
    name: valueFor('A', ''),
    origin: valueFor('segmentationService', 'customUpload', 'lookalike', 'bogus'),
    type: valueFor('people', 'account', 'prospect', 'datasetExport', 'peple'),
    evaluation: valueFor('streaming', 'batch', 'edge'),
    entities: fc.array(fc.constantFrom('person', 'event', 'account', 'opportunity', 'lead', 'x'), {
      maxLength: 3,
    }),
  },
  { requiredKeys: [] },
);

/** A config object built from the schema's vocabulary, with extra and hostile keys. */
export const configObjectArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      {
        connector: valueFor('marketo-engage', 'marketo'),
        name: valueFor('N', ''),
        description: word,
        munchkinId: valueFor('123-ABC-456', '123-abc-45', '123-abc-456', ' 123-ABC-456', ''),
        workspace: valueFor('Default'),
        syncType: valueFor('audienceAndProfile', 'profileOnly', 'audienceOnly', 'audienceOnlyy'),
        partition: valueFor('EMEA', 'Default', ''),
        dedupeField: valueFor('email', 'id', 'leadId', 'ecid', 'sfdcLeadId', 'emial'),
        personAction: valueFor('updateExistingAndCreateNew', 'updateExistingOnly', 'create'),
        alerts: fc.array(fc.constantFrom('destinationFlowRunFailure', 'nope'), { maxLength: 3 }),
        mappings: fc.oneof(
          { weight: 6, arbitrary: fc.array(mappingArb, { maxLength: 7 }) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
        ),
        audiences: fc.oneof(
          { weight: 6, arbitrary: fc.array(audienceArb, { maxLength: 3 }) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
        ),
        marketoFields: valueFor('./marketo/describe2.json', './missing.json', '../', ''),
        simulation: valueFor({ profiles: './p.csv', leads: './l.json' }, {}),
        clientSecret: fc.constant('0123456789abcdef0123456789abcdef'),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x', ''),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 2 },
    ),
  )
  .map(([known, extra]) => {
    const object: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(known)) object[k] = v;
    for (const [k, v] of Object.entries(extra)) object[k] = v;
    return object;
  });

/** Serialises like a person would, sometimes with comments and trailing commas. */
const serialisedConfigArb: fc.Arbitrary<string> = fc
  .tuple(configObjectArb, fc.constantFrom<string | number>(0, 1, 2, 4, '\t'), fc.boolean())
  .map(([object, indent, comments]) => {
    let text = JSON.stringify(object, null, indent);
    if (comments) text = text.replace(/,\n/g, ', // note\n').replace(/\{\n/, '{ /* c */\n');
    return text;
  });

export const configTextArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...SEEDS) },
      { weight: 2, arbitrary: serialisedConfigArb },
    ),
    fc.array(mutationArb, { maxLength: 4 }),
  )
  .map(([seed, mutations]) => mutations.reduce(applyMutation, seed));

/** Only JSON-level changes: the text keeps parsing, so every fix must keep it parsing. */
export const parsingConfigTextArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...SEEDS.filter((s) => s.trim() !== '')) },
      { weight: 3, arbitrary: serialisedConfigArb },
    ),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('duplicateLine' as const), line: position }),
        fc.record({
          kind: fc.constant('lineEnds' as const),
          eol: fc.constantFrom('\r\n' as const, '\n' as const),
        }),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([seed, mutations]) => mutations.reduce(applyMutation, seed));

export const uriArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(CONFIG_URI) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'untitled:Untitled-1',
      'file://remote-host/share/x.destination.json',
      'file:///aep-dest-fuzz/%2F/x.destination.json',
      'vscode-notebook-cell:/x#1',
      '/aep-dest-fuzz/configs/plain-path.destination.json',
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// Invariants.

/** Line lengths without their line ends, as TextDocument splits lines (CR, LF, CRLF). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

export class DocumentBounds {
  readonly lines: number[];
  constructor(readonly text: string) {
    this.lines = lineLengths(text);
  }

  checkPosition(p: Position, what: string): void {
    assert.ok(
      Number.isInteger(p.line) && Number.isInteger(p.character),
      `${what}: non-integer position ${JSON.stringify(p)}`,
    );
    assert.ok(
      p.line >= 0 && p.line < this.lines.length,
      `${what}: line ${p.line} outside 0..${this.lines.length - 1}`,
    );
    const length = this.lines[p.line] as number;
    assert.ok(
      p.character >= 0 && p.character <= length,
      `${what}: character ${p.character} outside 0..${length} on line ${p.line}`,
    );
  }

  checkRange(r: Range, what: string): void {
    assert.ok(r && r.start && r.end, `${what}: no range`);
    this.checkPosition(r.start, `${what} start`);
    this.checkPosition(r.end, `${what} end`);
    assert.ok(!before(r.end, r.start), `${what}: range ends before it starts ${JSON.stringify(r)}`);
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function containsPosition(r: Range, p: Position): boolean {
  return !before(p, r.start) && !before(r.end, p);
}

function containsRange(outer: Range, inner: Range): boolean {
  return containsPosition(outer, inner.start) && containsPosition(outer, inner.end);
}

/** Significant tokens (comments included, white space not) as `kind:text`. */
export function tokenSequence(text: string): string[] {
  const scanner = createScanner(text, false);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    const start = scanner.getTokenOffset();
    out.push(`${kind}:${text.slice(start, start + scanner.getTokenLength())}`);
  }
  return out;
}

function applyEdits(doc: TextDocument, edits: TextEdit[], what: string): string {
  try {
    return TextDocument.applyEdits(doc, edits);
  } catch (error) {
    assert.fail(`${what}: edits cannot be applied (${String(error)}): ${JSON.stringify(edits)}`);
  }
}

function syntaxFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.code === 'syntax');
}

function assertNoPollution(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), OBJECT_PROTOTYPE_KEYS);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype polluted');
}
const OBJECT_PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

export interface ServiceCheckOptions {
  /** Offsets for completion and hover; every offset when the text is at most this long. */
  everyOffsetUpTo: number;
}

/** The cursor offsets to try: all of them for a short text, else the sample plus both ends. */
function offsetsFor(text: string, sample: readonly number[], everyUpTo: number): number[] {
  if (text.length <= everyUpTo) return Array.from({ length: text.length + 1 }, (_, i) => i);
  const set = new Set([0, text.length, ...sample.map((n) => n % (text.length + 1))]);
  return [...set].sort((a, b) => a - b);
}

export function checkSymbols(bounds: DocumentBounds, symbols: DocumentSymbolLike[]): void {
  const stack = [...symbols];
  for (let symbol = stack.pop(); symbol; symbol = stack.pop()) {
    bounds.checkRange(symbol.range, `symbol ${symbol.name} range`);
    bounds.checkRange(symbol.selectionRange, `symbol ${symbol.name} selectionRange`);
    assert.ok(
      containsRange(symbol.range, symbol.selectionRange),
      `symbol ${symbol.name}: selectionRange outside range`,
    );
    assert.equal(typeof symbol.name, 'string');
    stack.push(...(symbol.children ?? []));
  }
}

/** Every feature of the language service on one text; throws (an assertion) on a violation. */
export function checkServiceOnText(
  text: string,
  uri: string,
  offsetSample: readonly number[],
  options: ServiceCheckOptions,
): void {
  const svc = fuzzService();
  const doc = TextDocument.create(uri, 'aep-destination', 1, text);
  const bounds = new DocumentBounds(text);
  assert.equal(doc.lineCount, bounds.lines.length, 'line count');

  // Validation.
  const findings = svc.validate(doc);
  for (const f of findings) {
    bounds.checkRange(f.range, `finding ${f.code}`);
    assert.ok(RULE_CODES.has(f.code), `unknown code ${f.code}`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0, `${f.code}: empty message`);
    assert.notEqual(f.code, 'internal-error', `a rule failed: ${f.message}`);
  }

  // Completion and hover at the offsets.
  for (const offset of offsetsFor(text, offsetSample, options.everyOffsetUpTo)) {
    const position = doc.positionAt(offset);
    const list = svc.complete(doc, position);
    assert.ok(Array.isArray(list.items));
    for (const item of list.items) {
      const what = `completion "${item.label}" at offset ${offset}`;
      bounds.checkRange(item.textEdit.range, what);
      assert.equal(
        item.textEdit.range.start.line,
        item.textEdit.range.end.line,
        `${what}: the edit spans lines`,
      );
      assert.ok(
        containsPosition(item.textEdit.range, position),
        `${what}: the edit range ${JSON.stringify(item.textEdit.range)} does not contain the cursor ${JSON.stringify(position)}`,
      );
      assert.equal(typeof item.textEdit.newText, 'string');
    }
    const hover = svc.hover(doc, position);
    if (hover) {
      bounds.checkRange(hover.range, `hover at offset ${offset}`);
      assert.ok(hover.contents.value.length > 0, `hover at offset ${offset}: empty`);
      assert.ok(
        containsPosition(hover.range, position),
        `hover at offset ${offset}: its range ${JSON.stringify(hover.range)} misses the cursor`,
      );
    }
  }

  // Outline.
  checkSymbols(bounds, svc.documentSymbols(doc));

  // Quick fixes: each finding alone, then all of them over the whole document.
  const parsed = syntaxFindings(findings).length === 0;
  const crlfOnly = text.includes('\r\n') && !/\r(?!\n)|(?<!\r)\n/.test(text);
  const checkActions = (actions: CodeActionLike<Finding>[], what: string): void => {
    for (const action of actions) {
      assert.equal(action.kind, 'quickfix');
      const uris = Object.keys(action.edit.changes);
      assert.deepEqual(uris, [uri], `${what} "${action.title}": edits another document`);
      const edits = action.edit.changes[uri] ?? [];
      assert.ok(edits.length > 0, `${what} "${action.title}": no edit`);
      for (const e of edits) bounds.checkRange(e.range, `${what} "${action.title}" edit`);
      const fixed = applyEdits(doc, edits, `${what} "${action.title}"`);
      if (crlfOnly) {
        assert.ok(
          !/\r(?!\n)|(?<!\r)\n/.test(fixed),
          `${what} "${action.title}" mixed LF into a CRLF file: ${JSON.stringify(edits)}`,
        );
      }
      if (parsed) {
        const after = svc.validate(TextDocument.create(uri, 'aep-destination', 2, fixed));
        const broken = syntaxFindings(after);
        assert.deepEqual(
          broken.map((f) => f.message),
          [],
          `${what} "${action.title}" broke the syntax:\n--- before\n${text}\n--- after\n${fixed}`,
        );
      }
    }
  };
  for (const f of findings) checkActions(svc.codeActions(doc, f.range, [f]), `fix of ${f.code}`);
  const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
  checkActions(svc.codeActions(doc, whole, findings), 'fix (all at once)');

  // Formatting: the whole document, and a range between two sampled offsets.
  const formatOptions = [
    { tabSize: 2, insertSpaces: true },
    { tabSize: 4, insertSpaces: false, insertFinalNewline: true },
  ];
  const tokens = tokenSequence(text);
  const sample = offsetSample.length ? offsetSample : [0];
  const a = (sample[0] as number) % (text.length + 1);
  const b = (sample[sample.length - 1] as number) % (text.length + 1);
  const ranges: (Range | undefined)[] = [
    undefined,
    { start: doc.positionAt(Math.min(a, b)), end: doc.positionAt(Math.max(a, b)) },
  ];
  for (const formatting of formatOptions) {
    for (const range of ranges) {
      const what = `format ${JSON.stringify(formatting)} ${range ? JSON.stringify(range) : 'document'}`;
      const edits = svc.format(doc, formatting, range);
      for (const e of edits) {
        bounds.checkRange(e.range, `${what} edit`);
        if (range) assert.ok(containsRange(range, e.range), `${what}: edit outside the range`);
      }
      const formatted = applyEdits(doc, edits, what);
      assert.deepEqual(
        tokenSequence(formatted),
        tokens,
        `${what} changed the tokens:\n--- before\n${text}\n--- after\n${formatted}`,
      );
    }
  }
  assertNoPollution();
}

/** Garbage a client could send back as diagnostics with a code-action request. */
export const garbageDiagnosticArb: fc.Arbitrary<DiagnosticRef> = fc.record({
  code: fc.oneof(
    fc.constantFrom(...ALL_RULES.map((r) => r.code)),
    fc.integer(),
    fc.constant(undefined),
  ),
  range: fc.record({
    start: fc.record({ line: fc.integer({ min: -2, max: 60 }), character: fc.integer() }),
    end: fc.record({ line: fc.integer({ min: -2, max: 60 }), character: fc.integer() }),
  }),
  data: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.record(
      {
        field: fc.oneof(fc.string(), fc.integer(), fc.constantFrom('firstName', 'email')),
        replacements: fc.oneof(fc.array(fc.string()), fc.string(), fc.integer()),
        property: fc.oneof(
          fc.string(),
          fc.constantFrom('["mappings",0,"target"]', '["syncType"]', 'partition', '[', '[9,9,9]'),
        ),
      },
      { requiredKeys: [] },
    ),
  ),
});

/** Code actions with garbage diagnostics never throw and stay inside the document. */
export function checkGarbageCodeActions(text: string, diagnostics: DiagnosticRef[]): void {
  const svc = fuzzService();
  const doc = TextDocument.create(CONFIG_URI, 'aep-destination', 1, text);
  const bounds = new DocumentBounds(text);
  const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
  for (const action of svc.codeActions(doc, whole, diagnostics)) {
    for (const e of action.edit.changes[CONFIG_URI] ?? [])
      bounds.checkRange(e.range, `fix "${action.title}" edit`);
    applyEdits(doc, action.edit.changes[CONFIG_URI] ?? [], `fix "${action.title}"`);
  }
  assertNoPollution();
}

// ---------------------------------------------------------------------------------------------
// Simulation inputs.

const CSV_COLUMNS = [
  'identityMap.Email',
  'person.name.firstName',
  'person.name.lastName',
  'workEmail.address',
  'segmentMembership.ups.seg-a.status',
  'segmentMembership.ups.seg-b.status',
  'id',
  'email',
  'firstName',
  'lastName',
  'partition',
  'updatedAt',
  '__proto__',
  'constructor',
  '',
  ' id ',
];

const CELLS = [
  'a@x.com',
  'A@X.COM ',
  'Ann',
  '',
  ' ',
  '101',
  '1e400',
  '1'.repeat(100),
  'realized',
  'existing',
  'exited',
  'EMEA',
  '2024-05-01T12:00:00Z',
  '2024-02-30',
  '2024-05-01T12:00:00.5+02:00',
  'not a date',
  '"quoted, with comma"',
  '"two\nlines"',
  '"doubled ""quote"""',
  '"unterminated',
  'stray"quote',
  '"closed"junk',
  '\u00e9',
  '\ud800',
  '\t',
];

const csvTextArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.uniqueArray(fc.constantFrom(...CSV_COLUMNS), { minLength: 1, maxLength: 7 }),
        fc.array(fc.array(fc.constantFrom(...CELLS), { maxLength: 8 }), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([header, rows, eol, bom, trailing]) => {
        const lines = [header.join(','), ...rows.map((cells) => cells.join(','))];
        return (bom ? '\ufeff' : '') + lines.join(eol) + (trailing ? eol : '');
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('a', 'id', ',', '"', '\n', '\r', ' ', '1', '\ufeff', '\t', 'x'), {
        maxLength: 60,
      })
      .map((a) => a.join('')),
  },
);

const leadObjectArb = fc.record(
  {
    id: fc.oneof(
      fc.constantFrom<unknown>(101, '102', '', null, Infinity, -0, 1.5, [], {}),
      fc.jsonValue({ maxDepth: 0 }),
    ),
    email: fc.constantFrom<unknown>('a@x.com', 'A@x.com', '', null, 5),
    partition: fc.constantFrom<unknown>('EMEA', '', null, 3),
    updatedAt: fc.constantFrom<unknown>('2024-05-01T12:00:00Z', '2024-13-01', '', null, 0),
    firstName: fc.constantFrom<unknown>('Ann', ''),
  },
  { requiredKeys: [] },
);

const profileObjectArb = fc.record(
  {
    identityMap: fc.constantFrom<unknown>(
      { Email: [{ id: 'a@x.com' }] },
      { Email: 'b@x.com' },
      { Email: [] },
      { Email: [{}] },
      null,
      [],
    ),
    person: fc.constantFrom<unknown>({ name: { firstName: 'Ann', lastName: 'A' } }, {}, 'x'),
    segmentMembership: fc.constantFrom<unknown>(
      { ups: { 'seg-a': { status: 'realized' } } },
      { ups: { 'seg-a': { status: 'exited' }, 'seg-b': 'x' } },
      { ups: null },
      {},
    ),
    'workEmail.address': fc.constantFrom<unknown>('c@x.com', 7),
  },
  { requiredKeys: [] },
);

const recordObjectArb = fc.oneof(
  { weight: 3, arbitrary: leadObjectArb },
  { weight: 3, arbitrary: profileObjectArb },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** JSON text; with `hostile`, every object starts with `__proto__` and `constructor` keys. */
function stringify(value: unknown, indent: number, hostile: boolean): string {
  const text = JSON.stringify(value, null, indent);
  if (!hostile) return text;
  const keys = '"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": 1}}';
  return text.replace(/\{(\s*\})?/g, (_, empty?: string) => (empty ? `{${keys}}` : `{${keys},`));
}

const ndjsonTextArb = fc
  .tuple(
    fc.array(fc.oneof(recordObjectArb, fc.constant('')), { maxLength: 8 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([records, eol, hostile]) =>
    records.map((r) => (r === '' ? '' : stringify(r, 0, hostile))).join(eol),
  );

const jsonTextArb = fc
  .tuple(
    fc.array(recordObjectArb, { maxLength: 6 }),
    fc.constantFrom(0, 2),
    fc.constantFrom('array', 'result', 'other'),
    fc.boolean(),
  )
  .map(([records, indent, shape, hostile]) =>
    stringify(
      shape === 'array' ? records : shape === 'result' ? { result: records } : { data: records },
      indent,
      hostile,
    ),
  );

export interface SimulationInputCase {
  extension: string;
  text: string;
}

export const simulationInputArb: fc.Arbitrary<SimulationInputCase> = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.constantFrom('.csv', '.txt', ''), csvTextArb),
      fc.tuple(fc.constantFrom('.ndjson', '.jsonl', ''), ndjsonTextArb),
      fc.tuple(fc.constantFrom('.json', ''), jsonTextArb),
    ),
    fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('delete' as const),
          at: position,
          length: fc.integer({ min: 1, max: 8 }),
        }),
        fc.record({
          kind: fc.constant('insert' as const),
          at: position,
          text: fc.constantFrom('"', ',', '\n', '{', '}', '[', ']', '\u0000', '\r', '\\', 'x'),
        }),
        fc.record({ kind: fc.constant('truncate' as const), at: position }),
        fc.record({ kind: fc.constant('duplicateLine' as const), line: position }),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([[extension, text], mutations]) => ({
    extension,
    text: mutations.reduce(applyMutation, text),
  }));

const [BY_EMAIL, ...NAMES] = REQUIRED_MAPPINGS;
const SIMULATION_CONFIG: SimulationConfig = {
  ...SYNC_SETTINGS,
  // Two dedupe sources, so that random records exercise the fallback to the second.
  mappings: [BY_EMAIL, { source: 'workEmail.address', target: 'DedupeField' }, ...NAMES],
  audiences: [{ id: 'seg-a' }, { id: 'seg-b', name: 'B' }],
};

/** Reads `text` as a file, as profiles and as leads; only SimulationInputErrors may escape. */
export function checkSimulationInput(dir: string, index: number, input: SimulationInputCase): void {
  const file = path.join(dir, `input-${index}${input.extension}`);
  fs.writeFileSync(file, input.text);
  // Lone CRs count as line ends for the JSON readers (as in editors), not for CSV.
  const lineCount = input.text.split(/\r\n|\r|\n/).length;
  const read = <T>(what: string, reader: () => T): T | undefined => {
    try {
      return reader();
    } catch (error) {
      if (!(error instanceof SimulationInputError)) {
        assert.fail(
          `${what} threw ${error instanceof Error ? error.stack : String(error)}\non ${JSON.stringify(input)}`,
        );
      }
      assert.ok(
        error.file === file || error.file === '<memory>',
        `${what}: error names ${error.file}`,
      );
      assert.ok(
        Number.isInteger(error.line) && error.line >= 1 && error.line <= lineCount + 1,
        `${what}: line ${error.line} outside 1..${lineCount + 1}: ${error.message}`,
      );
      assert.ok(error.problem.length > 0);
      return undefined;
    }
  };
  const profiles = read('readProfiles', () => readProfiles(file));
  const leads = read('readLeads', () => readLeads(file));
  if (input.extension !== '.json' && input.extension !== '.ndjson' && input.extension !== '.jsonl')
    read('profilesFromCsvText', () => profilesFromCsvText(input.text));
  if (profiles && leads) {
    const result = simulate(SIMULATION_CONFIG, profiles, leads);
    const s = result.summary;
    assert.equal(s.profiles, profiles.count);
    assert.equal(result.outcomes.length, profiles.count);
    assert.equal(s.create + s.update + s.addToList + s.skip, s.profiles);
  }
  assertNoPollution();
}

export function makeTempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aep-dest-fuzz-')));
}

// ---------------------------------------------------------------------------------------------
// The property table the test and the fuzz script run.

export interface PropertySpec {
  name: string;
  /** Runs in the unit suite (with its fixed seed). */
  testRuns: number;
  /** Counterexamples found before (regressions), run first every time. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  examples?: any[][];
  /** Builds the property; `dir` is a scratch directory for input files. */
  property(
    dir: string,
    options: ServiceCheckOptions & { offsetSamples: number },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): fc.IRawProperty<any, false>;
}

const sampleOffsets = (n: number) =>
  fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: n });

export const PROPERTIES: PropertySpec[] = [
  {
    name: 'language service on random and mutated configs',
    testRuns: 120,
    examples: [
      // Formatting joined the line after an unterminated string to it: the string swallowed it.
      ['{"conne,"name":[]}\n{"conne,"name":[]}', CONFIG_URI, [0]],
      ['{\n  "name": "unterminated\n  "workspace": "Default"\n}', CONFIG_URI, [3, 20]],
      // fileURLToPath threw on a file URI with an encoded slash (completion of a file path).
      [
        '{"simulation":{"profiles":"./p.csv","leads":"./l.json"}}',
        'file:///aep-dest-fuzz/%2F/x.destination.json',
        [0],
      ],
      ['{"marketoFields": "./f.json"}', 'file://remote-host/share/x.destination.json', [18]],
      // A backslash before a line break continues the string: completion edits spanned lines.
      ['{\n  "a\\\r{syncType": "x"\n}', CONFIG_URI, [5]],
      ['{\n  "connector": "mar\\\nketo"\n}', CONFIG_URI, [18]],
      // The nesting check counted brackets a string cut by a line break / a CR-ended comment hid.
      ['["\n' + '['.repeat(20_000), CONFIG_URI, [5]],
      ['[//\r' + '['.repeat(20_000), CONFIG_URI, [5]],
      ['{"a":' + ('['.repeat(250) + '}'.repeat(250) + ',').repeat(30) + '1', CONFIG_URI, [5]],
    ],
    property: (_dir, options) =>
      fc.property(
        configTextArb,
        uriArb,
        sampleOffsets(options.offsetSamples),
        (text, uri, sample) => checkServiceOnText(text, uri, sample, options),
      ),
  },
  {
    name: 'quick fixes keep a parsing config parsing',
    testRuns: 120,
    property: (_dir, options) =>
      fc.property(parsingConfigTextArb, sampleOffsets(options.offsetSamples), (text, sample) =>
        checkServiceOnText(text, CONFIG_URI, sample, { everyOffsetUpTo: 0 }),
      ),
  },
  {
    name: 'code actions with garbage diagnostics',
    testRuns: 150,
    property: () =>
      fc.property(
        configTextArb,
        fc.array(garbageDiagnosticArb, { maxLength: 5 }),
        (text, diagnostics) => checkGarbageCodeActions(text, diagnostics),
      ),
  },
  {
    name: 'simulation readers on random CSV, JSON and NDJSON',
    testRuns: 300,
    examples: [
      // jsonc-parser's visit (locating a JSON syntax error) overflowed the stack.
      [{ extension: '.json', text: '['.repeat(100_000) }],
      [{ extension: '.ndjson', text: '{"a":1}\n{"a":' + '['.repeat(100_000) + '\n' }],
    ],
    property: (dir) => {
      let index = 0;
      return fc.property(simulationInputArb, (input) =>
        checkSimulationInput(dir, index++ % 64, input),
      );
    },
  },
];
