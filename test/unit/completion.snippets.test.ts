// What follows an accepted item: the suggestions reopening on a value, the schema's skeletons
// as inserted and once filled in, and a completion accepted inside a snippet's placeholder.
import { describe, test } from 'node:test';
import { getLocation } from 'jsonc-parser';
import assert from 'node:assert/strict';
import type { CompletionItemLike } from '../../server/src/engine/types';
import { type SchemaNode, destinationSchema } from '../../server/src/engine/schema';
import { VALID_CONFIG, edit, textAt, textDocument, validate } from '../helpers';
import {
  TRIGGER_SUGGEST,
  acceptedWithCursor,
  complete,
  insertItem,
  item,
  labels,
  replaced,
} from './completionHelpers';

/** The labels of the items that reopen the suggestions, and of those that do not. */
function reopening(marked: string): { reopen: string[]; stay: string[] } {
  const { list } = complete(marked);
  const keys = list.items.filter((i) => i.kind === 10);
  for (const key of keys) {
    if (key.command) assert.deepEqual(key.command, TRIGGER_SUGGEST, key.label);
  }
  return {
    reopen: keys.filter((i) => i.command).map((i) => i.label),
    stay: keys.filter((i) => !i.command).map((i) => i.label),
  };
}

/** The suggestions the editor shows once the key item is accepted and the command has run. */
function afterKey(marked: string, label: string): string[] {
  const { text, list } = complete(marked);
  return labels(complete(acceptedWithCursor(text, item(list, label))).list);
}

describe('accepting a property key reopens the suggestions for its value', () => {
  test('root keys whose value has choices reopen; free text and fixed values do not', () => {
    const { reopen, stay } = reopening('{ | }');
    assert.deepEqual(reopen.sort(), [
      'alerts',
      'audiences',
      'dedupeField',
      'mappings',
      'marketoFields',
      'marketoPartitions',
      'personAction',
      'simulation',
      'syncType',
    ]);
    assert.deepEqual(stay.sort(), [
      '$schema',
      'connector',
      'description',
      'munchkinId',
      'name',
      'partition',
      'workspace',
    ]);
  });

  test('the reopened suggestions are those of the value, at the cursor the key leaves', () => {
    assert.deepEqual(afterKey('{ | }', 'syncType'), [
      'audienceAndProfile',
      'profileOnly',
      'audienceOnly',
    ]);
    assert.deepEqual(afterKey('{ "sync|" }', 'syncType'), [
      'audienceAndProfile',
      'profileOnly',
      'audienceOnly',
    ]);
    assert.deepEqual(afterKey('{ "name": "x", | }', 'dedupeField'), ['email']);
    assert.ok(afterKey('{ | }', 'alerts').includes('destinationFlowRunFailure'));
    assert.ok(afterKey('{ | }', 'mappings').includes('Mappings for dedupe on email'));
    assert.ok(afterKey('{ | }', 'audiences').includes('New audience'));
    assert.deepEqual(afterKey('{ | }', 'simulation').sort(), [
      'Simulation inputs',
      'encoding',
      'leads',
      'profiles',
    ]);
  });

  test('mapping and audience keys', () => {
    const mapping = reopening('{ "mappings": [ { | } ] }');
    assert.deepEqual(mapping.reopen.sort(), ['source', 'target']);
    const targets = afterKey(
      '{ "mappings": [ { "source": "person.name.firstName", | } ] }',
      'target',
    );
    assert.ok(targets.includes('firstName') && targets.includes('DedupeField'));
    assert.ok(afterKey('{ "mappings": [ { | } ] }', 'source').includes('workEmail.address'));
    const audience = reopening('{ "audiences": [ { | } ] }');
    assert.deepEqual(audience.reopen.sort(), ['entities', 'evaluation', 'origin', 'type']);
    assert.deepEqual(audience.stay.sort(), ['id', 'name']);
    assert.deepEqual(afterKey('{ "audiences": [ { "id": "a", | } ] }', 'type'), [
      'people',
      'account',
      'prospect',
      'datasetExport',
    ]);
  });

  test('not when only the name is replaced before an existing value, nor for skeletons', () => {
    const { list } = complete('{ "sync|": "profileOnly" }');
    assert.equal(item(list, 'syncType').command, undefined);
    const empty = complete('{ "mappings": [ { | } ] }');
    assert.equal(item(empty.list, 'New mapping').command, undefined);
  });
});

// ---------------------------------------------------------------------------------------------

function schemaSkeletonLabels(node: SchemaNode = destinationSchema): string[] {
  const own = (node.defaultSnippets ?? []).map((s) => s.label ?? '');
  const children = [...Object.values(node.properties ?? {}), ...(node.items ? [node.items] : [])];
  return [...own, ...children.flatMap((child) => schemaSkeletonLabels(child))];
}

const WITHOUT_DEDUPE_MAPPING = edit(
  VALID_CONFIG,
  '{ "source": "identityMap.Email", "target": "DedupeField" },\n    ',
  '',
);
const LAST_MAPPING = '{ "source": "person.name.lastName", "target": "lastName" }';

interface Place {
  label: string;
  /** Where the skeleton is offered. */
  marked: string;
  /** What a user types into each empty placeholder, by the key it is the value of. */
  fill: Record<string, string>;
}

const ROOT_FILL = {
  name: 'Winback known leads',
  munchkinId: '987-XYZ-654',
  workspace: 'Default',
  id: 'seg-winback',
};
const PLACES: Place[] = [
  ...['|', '{ | }', '{\n  |\n}'].flatMap((marked) =>
    [
      'Marketo Engage destination (audience and profile)',
      'Marketo Engage destination (audience only)',
    ].map((label) => ({ label, marked, fill: ROOT_FILL })),
  ),
  {
    label: 'Mappings for dedupe on email',
    marked: VALID_CONFIG.replace(/"mappings": \[[^\]]*\]/, '"mappings": [ | ]'),
    fill: {},
  },
  {
    label: 'New mapping',
    marked: edit(VALID_CONFIG, LAST_MAPPING, `${LAST_MAPPING},\n    |`),
    fill: { source: 'b2b.companyName', target: 'company' },
  },
  {
    label: 'DedupeField mapping',
    marked: edit(WITHOUT_DEDUPE_MAPPING, LAST_MAPPING, `${LAST_MAPPING},\n    |`),
    fill: {},
  },
  {
    label: 'New audience',
    marked: VALID_CONFIG.replace(/"audiences": \[[^\]]*\]\s*\}\s*\]/, '"audiences": [ | ]'),
    fill: { id: 'seg-winback', name: 'Winback 90 days' },
  },
  {
    label: 'Simulation inputs',
    marked: edit(
      VALID_CONFIG,
      '"dedupeField": "email",',
      '"dedupeField": "email",\n  "simulation": { | },',
    ),
    fill: {},
  },
];

/** The snippet's empty placeholders (`"$n"`), with the key each is the value of. */
function emptyPlaceholders(snippet: string): { stop: number; key: string }[] {
  return [...snippet.matchAll(/"((?:[^"\\]|\\.)*)": "\$(\d+)"/g)].map((m) => ({
    key: m[1] ?? '',
    stop: Number(m[2]),
  }));
}

function isAudienceName(text: string, offset: number): boolean {
  const path = getLocation(text, offset).path;
  return path.length === 3 && path[0] === 'audiences' && path[2] === 'name';
}

function errorsIn(text: string): { text: string; start: number; message: string }[] {
  const doc = textDocument(text);
  return validate(text)
    .filter((f) => f.severity === 'error')
    .map((f) => ({
      text: textAt(text, f.range),
      start: doc.offsetAt(f.range.start),
      message: f.message,
    }));
}

function offered(place: Place): { text: string; skeleton: CompletionItemLike } {
  const { text, list } = complete(place.marked);
  return { text, skeleton: item(list, place.label) };
}

describe('skeletons', () => {
  test('every skeleton of the schema is tested here', () => {
    assert.deepEqual(
      [...new Set(PLACES.map((p) => p.label))].sort(),
      schemaSkeletonLabels().sort(),
    );
  });

  test('no skeleton proposes a Munchkin ID or an audience id of its own', () => {
    for (const place of PLACES) {
      const snippet = offered(place).skeleton.textEdit.newText;
      assert.ok(!/123-ABC-456|audience-id/.test(snippet), `${place.label}:\n${snippet}`);
    }
  });

  test('left as inserted, each required value still to fill in has an error, and only those', () => {
    for (const place of PLACES) {
      const { text, skeleton } = offered(place);
      const inserted = insertItem(text, skeleton);
      const errors = errorsIn(inserted.text);
      // The opening quote of each empty value, except an audience's name (optional).
      const at = emptyPlaceholders(skeleton.textEdit.newText)
        .map((p) => (inserted.stops.get(p.stop)?.start ?? 0) - 1)
        .filter((quote) => !isAudienceName(inserted.text, quote + 1));
      assert.deepEqual(
        errors.map((e) => e.start).sort((a, b) => a - b),
        at.sort((a, b) => a - b),
        `${place.label} in ${JSON.stringify(place.marked)}:\n${JSON.stringify(errors, null, 1)}`,
      );
      assert.ok(errors.every((e) => e.text === '""'));
    }
  });

  test('the root skeletons leave name, Munchkin ID, workspace and audience id to fill in', () => {
    for (const place of PLACES.filter((p) => p.fill === ROOT_FILL)) {
      const { skeleton } = offered(place);
      const keys = emptyPlaceholders(skeleton.textEdit.newText).map((p) => p.key);
      for (const key of ['name', 'munchkinId', 'workspace', 'id']) {
        assert.ok(keys.includes(key), `${place.label}: ${key} is not left empty`);
      }
    }
  });

  test('filled in with sensible values, every skeleton validates with no error', () => {
    for (const place of PLACES) {
      const { text, skeleton } = offered(place);
      let snippet = skeleton.textEdit.newText;
      for (const { key, stop } of emptyPlaceholders(snippet)) {
        const value = place.fill[key];
        assert.ok(value !== undefined, `${place.label}: no value to type for "${key}"`);
        snippet = snippet.replace(`"$${stop}"`, () => JSON.stringify(value));
      }
      const filled = insertItem(text, {
        ...skeleton,
        textEdit: { ...skeleton.textEdit, newText: snippet },
      });
      assert.deepEqual(errorsIn(filled.text), [], `${place.label}:\n${filled.text}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('a completion accepted inside a snippet placeholder', () => {
  /** Offsets of an item's edit. */
  function span(text: string, chosen: CompletionItemLike): { start: number; end: number } {
    const doc = textDocument(text);
    return {
      start: doc.offsetAt(chosen.textEdit.range.start),
      end: doc.offsetAt(chosen.textEdit.range.end),
    };
  }

  test('New mapping: the source stays inside its placeholder, so Tab reaches the target', () => {
    const place = PLACES.find((p) => p.label === 'New mapping');
    assert.ok(place);
    const { text, skeleton } = offered(place);
    const snippet = insertItem(text, skeleton);
    const source = snippet.stops.get(1);
    const target = snippet.stops.get(2);
    assert.ok(source && target && source.start < target.start);
    // The user types part of the path, then accepts a suggestion.
    const typed = 'b2b.comp';
    const typing = snippet.text.slice(0, source.start) + typed + snippet.text.slice(source.end);
    const placeholder = { start: source.start, end: source.start + typed.length };
    const at = placeholder.end;
    const sources = complete(typing.slice(0, at) + '|' + typing.slice(at));
    const chosen = item(sources.list, 'b2b.companyName');
    assert.deepEqual(span(typing, chosen), placeholder, 'the edit covers the placeholder only');
    assert.equal(replaced(typing, chosen), typed);
    const afterSource = insertItem(typing, chosen).text;
    // Tab: the target placeholder moved by what the source added.
    const shift = afterSource.length - snippet.text.length;
    const targetAt = target.start + shift;
    assert.equal(afterSource.slice(targetAt - 1, targetAt + 1), '""');
    const targets = complete(afterSource.slice(0, targetAt) + '|' + afterSource.slice(targetAt));
    const company = item(targets.list, 'company');
    assert.deepEqual(span(afterSource, company), { start: targetAt, end: targetAt });
    const done = insertItem(afterSource, company).text;
    assert.match(done, /"source": "b2b\.companyName",\s*"target": "company"/);
    assert.deepEqual(errorsIn(done), []);
  });

  test('values in a string never replace its quotes: enums, fields, sources, dedupe, examples', () => {
    for (const [marked, label] of [
      ['{ "syncType": "|" }', 'profileOnly'],
      ['{ "dedupeField": "em|" }', 'email'],
      ['{ "partition": "|" }', 'EMEA'],
      ['{ "mappings": [ { "source": "|", "target": "" } ] }', 'identityMap.Email'],
      ['{ "mappings": [ { "source": "x", "target": "la|st" } ] }', 'lastName'],
      ['{ "audiences": [ { "entities": [ "per|" ] } ] }', 'person'],
    ] as const) {
      const { text, list } = complete(marked);
      const chosen = item(list, label);
      const cut = replaced(text, chosen);
      assert.ok(!cut.includes('"'), `${marked}: replaces ${JSON.stringify(cut)}`);
      assert.equal(chosen.filterText, label);
      assert.equal(chosen.textEdit.newText, label);
    }
  });

  test('an unterminated string gets its closing quote', () => {
    const { text, list } = complete('{ "syncType": "pro|');
    const chosen = item(list, 'profileOnly');
    assert.equal(replaced(text, chosen), 'pro');
    assert.equal(insertItem(text, chosen).text, '{ "syncType": "profileOnly"');
  });
});
