import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type JSONPath, visit } from 'jsonc-parser';
import type { FileHost } from '../../server/src/engine/catalogLoader';
import { type SchemaNode, destinationSchema } from '../../server/src/engine/schema';
import type { HoverLike } from '../../server/src/engine/types';
import { VALID_CONFIG, memoryHost, service, textAt, textDocument, withCursor } from '../helpers';

function hover(
  marked: string,
  options: { uri?: string; fileHost?: FileHost } = {},
): { text: string; result: HoverLike | null } {
  const { text, position } = withCursor(marked);
  return {
    text,
    result: service(options.fileHost).hover(textDocument(text, options.uri), position),
  };
}

/** Hover in VALID_CONFIG (or another text) on the first occurrence of `needle`, `shift` characters in. */
function hoverOn(
  needle: string,
  shift = 1,
  text = VALID_CONFIG,
  options: { uri?: string; fileHost?: FileHost } = {},
) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `test setup: ${needle} not in the text`);
  return hover(text.slice(0, at + shift) + '|' + text.slice(at + shift), options);
}

function markdown(result: HoverLike | null): string {
  assert.ok(result, 'expected a hover');
  assert.equal(result.contents.kind, 'markdown');
  return result.contents.value;
}

/** Hover on `needle` in VALID_CONFIG: the markdown shown, and the text its range covers. */
function hoverMarkdown(needle: string, shift: number): { value: string; over: string } {
  const { text, result } = hoverOn(needle, shift);
  const value = markdown(result);
  return { value, over: textAt(text, (result as HoverLike).range) };
}

const CATALOG_OPTIONS = (body: string) => ({
  uri: 'file:///w/a.destination.json',
  fileHost: memoryHost({ '/w/describe.json': body }),
});
const DESCRIBE2 = JSON.stringify({
  result: [
    {
      searchableFields: [['email']],
      fields: [
        { name: 'email', displayName: 'Email', dataType: 'email', length: 255, updateable: true },
        { name: 'score', displayName: 'Score', dataType: 'integer', updateable: false },
      ],
    },
  ],
});

describe('hover on property names', () => {
  test('shows the markdown description with the title first, over the key', () => {
    const { value, over } = hoverMarkdown('"syncType"', 3);
    assert.match(value, /^\*\*Sync type\*\*/);
    assert.ok(value.includes('| *Profile only* |'));
    assert.equal(over, '"syncType"');
  });

  test('adds the bold title when the description lacks it', () => {
    const { result } = hover('{ "$sch|ema": "./schemas/destination.schema.json" }');
    assert.match(markdown(result), /^\*\*JSON Schema\*\*\n\n/);
  });

  test('every property of the schema, at any depth, has a hover', () => {
    const full = VALID_CONFIG.replace(
      '"connector"',
      `"$schema": "./s.json", "description": "d", "alerts": ["destinationFlowRunFailure"], "marketoFields": "./f.json",
  "marketoPartitions": "./pt.json",
  "simulation": { "profiles": "./p.csv", "leads": "./l.json", "encoding": "windows-1252" },
  "flowService": { "flowId": "f", "etag": "e", "flowSpec": {}, "sourceConnectionIds": [], "targetConnectionIds": [],
    "targetConnection": {}, "profileSelectors": {}, "segmentSelectors": {}, "migratedFrom": {} },
  "connector"`,
    );
    const svc = service();
    const doc = textDocument(full);
    const covered = new Set<string>();
    visit(full, {
      onObjectProperty(property, offset, _length, _line, _char, pathSupplier) {
        const path: JSONPath = [...pathSupplier(), property];
        const result = svc.hover(doc, doc.positionAt(offset + 1));
        const schema = schemaAtForTest(path);
        assert.ok(schema, `schema lacks ${path.join('.')}`);
        assert.ok(
          markdown(result).includes((schema.markdownDescription ?? '').slice(20, 80)),
          path.join('.'),
        );
        assert.equal(textAt(full, (result as HoverLike).range), JSON.stringify(property));
        covered.add(path.filter((s) => typeof s === 'string').join('.'));
      },
    });
    assert.deepEqual([...covered].sort(), schemaPaths(destinationSchema).sort());
  });
});

function schemaAtForTest(path: JSONPath): SchemaNode | undefined {
  let node: SchemaNode | undefined = destinationSchema;
  for (const segment of path)
    node = typeof segment === 'number' ? node?.items : node?.properties?.[segment];
  return node;
}

/** Every property path of the schema, array levels skipped: `mappings.source`. */
function schemaPaths(schema: SchemaNode, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const here = prefix ? `${prefix}.${name}` : name;
    out.push(here, ...schemaPaths(sub, here), ...schemaPaths(sub.items ?? {}, here));
  }
  return out;
}

describe('hover on values', () => {
  test('enum value: its description plus the property short description', () => {
    const { text, result } = hoverOn('"audienceAndProfile"', 5);
    const value = markdown(result);
    assert.match(value, /^\*\*Sync type\*\* — \*Audience and profile\*/);
    assert.ok(value.includes('---\n\nWhat an export does in Marketo'));
    assert.equal(textAt(text, (result as HoverLike).range), '"audienceAndProfile"');
  });

  test('enum values inside arrays and audiences', () => {
    assert.match(markdown(hoverOn('"person"', 2).result), /\*person\*: compatible with streaming/);
    assert.match(
      markdown(hover('{ "audiences": [ { "type": "acc|ount" } ] }').result),
      /\*\*Not supported\*\*/,
    );
    assert.match(
      markdown(hover('{ "syncType": "prof|ile" }').result),
      /not an allowed value\. Allowed: `"audienceAndProfile"`/,
    );
  });

  test('mapping target: a standard Marketo field', () => {
    const { value, over } = hoverMarkdown('"firstName" }', 3);
    assert.match(value, /^\*\*First Name\*\*/);
    assert.ok(value.includes('REST name: `firstName`'));
    assert.ok(value.includes('Data type: `string` (length 255)'));
    assert.ok(value.includes('Read-only: no'));
    assert.equal(over, '"firstName"');
  });

  test('mapping target: DedupeField explains the identity', () => {
    const value = markdown(hoverOn('"DedupeField"', 4).result);
    for (const fact of [
      'all partitions',
      'most recently updated',
      '`ECID`',
      '`Lead ID`',
      'not supported',
    ]) {
      assert.ok(value.includes(fact), fact);
    }
  });

  test('mapping target and dedupeField with an instance catalog (describe2)', () => {
    const text =
      '{ "marketoFields": "./describe.json", "dedupeField": "score",\n  "mappings": [ { "source": "x", "target": "score" }, { "source": "y", "target": "email" } ] }';
    const options = CATALOG_OPTIONS(DESCRIBE2);
    const email = markdown(hoverOn('"email"', 2, text, options).result);
    assert.ok(email.includes('Searchable: yes'));
    assert.ok(email.includes('`./describe.json`'));
    const score = markdown(hoverOn('"score" }', 2, text, options).result);
    assert.ok(score.includes('Read-only: **yes**'));
    const dedupe = markdown(hoverOn('"score",', 2, text, options).result);
    assert.ok(dedupe.includes('**Not searchable**'));
    assert.ok(dedupe.includes('Marketo deduplication field'));
    const unknown = markdown(hover('{ "mappings": [ { "target": "cust|omField" } ] }').result);
    assert.match(unknown, /not a standard Marketo lead field/);
  });

  test('mapping source: XDM path and identity namespace', () => {
    assert.match(
      markdown(hoverOn('"person.name.firstName"', 4).result),
      /First name\.[\s\S]*`firstName`/,
    );
    assert.match(markdown(hoverOn('identityMap.Email', 3).result), /identity namespace `Email`/);
    assert.match(
      markdown(hover('{ "mappings": [ { "source": "identityMap.E|CID" } ] }').result),
      /Not supported as a deduplication field/,
    );
  });

  test('dedupeField value: the field and what deduplication means', () => {
    const { value, over } = hoverMarkdown('"email"', 3);
    assert.match(value, /^\*\*Email Address\*\*/);
    assert.ok(value.includes('most recently updated'));
    assert.ok(value.includes('all partitions'));
    assert.equal(over, '"email"');
    assert.match(markdown(hover('{ "dedupeField": "lea|dId" }').result), /cannot deduplicate/);
  });

  test('marketoFields value: what was loaded', () => {
    const value = markdown(
      hover('{ "marketoFields": "./desc|ribe.json" }', CATALOG_OPTIONS(DESCRIBE2)).result,
    );
    assert.ok(value.includes('Loaded **2** fields'));
  });
});

describe('hover where there is nothing to say', () => {
  test('white space, punctuation, comments and unknown properties give null', () => {
    assert.equal(hover('{ "syncType": "profileOnly",|   "name": "x" }').result, null);
    assert.equal(hover('{  |  "syncType": "profileOnly" }').result, null);
    assert.equal(hover('|{ "syncType": "profileOnly" }').result, null);
    assert.equal(hover('{ "syncType"|: "profileOnly" }').result, null);
    assert.equal(hover('{ /* a comm|ent */ "syncType": "profileOnly" }').result, null);
    assert.equal(hover('{ "unkn|own": 1 }').result, null);
    assert.equal(hover('{ "unknown": |1 }').result, null);
  });
});

describe('completion and hover on broken text', () => {
  const broken = [
    '{ "syncType": ',
    '{ "mappings": [ { "target": "',
    '{ "mappings": [ { "source": "identityMap.', // unterminated
    '{\n  "name": "x"\n  "sync\n  // comment "\n  /* block',
    '{ "audiences": [ { "entities": [ "person", , ] }, ] ',
    '\uFEFF{ "dedupeField": "em" , "a": [1, {"b": }], "marketoFields": "./x/y',
    '[ "syncType", { "": "" } ] }} "\\u12',
    '',
    VALID_CONFIG.replace('"partition"', '/* c */ "partition"'),
  ];
  for (const text of broken) {
    test(`every offset of ${JSON.stringify(text).slice(0, 40)}`, () => {
      const svc = service();
      const doc = textDocument(text);
      for (let offset = 0; offset <= text.length; offset++) {
        const position = doc.positionAt(offset);
        const list = svc.complete(doc, position);
        for (const entry of list.items) {
          const { start, end } = entry.textEdit.range;
          const a = doc.offsetAt(start);
          const b = doc.offsetAt(end);
          assert.ok(
            a <= offset && offset <= b,
            `range [${a},${b}] does not contain ${offset} (${entry.label})`,
          );
          assert.ok(
            b <= text.length && start.line === end.line,
            `bad range for ${entry.label} at ${offset}`,
          );
          assert.deepEqual(doc.positionAt(a), start, 'range start is a real position');
        }
        const hover = svc.hover(doc, position);
        if (hover) assert.ok(doc.offsetAt(hover.range.end) <= text.length);
      }
    });
  }
});
