import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryHost } from '../helpers';
import {
  TRIGGER_SUGGEST,
  accept,
  accepted,
  acceptedWithCursor,
  complete,
  item,
  labels,
  replaced,
  sorted,
} from './completionHelpers';

const CATALOG_URI = 'file:///w/a.destination.json';
const DESCRIBE = JSON.stringify({
  result: [
    { id: 1, displayName: 'Email Address', dataType: 'email', rest: { name: 'email' } },
    { id: 2, displayName: 'Lead ID', dataType: 'integer', rest: { name: 'id', readOnly: true } },
    {
      id: 3,
      displayName: 'Customer Number',
      dataType: 'string',
      length: 36,
      rest: { name: 'customerNumber' },
    },
  ],
});
const DESCRIBE2 = JSON.stringify({
  result: [
    {
      searchableFields: [['email'], ['customerNumber']],
      fields: [
        { name: 'email', displayName: 'Email', dataType: 'email', updateable: true },
        {
          name: 'customerNumber',
          displayName: 'Customer Number',
          dataType: 'string',
          updateable: true,
        },
        { name: 'company', displayName: 'Company', dataType: 'string', updateable: true },
        { name: 'score', displayName: 'Score', dataType: 'integer', updateable: false },
      ],
    },
  ],
});
const withCatalog = (body: string) => ({
  uri: CATALOG_URI,
  fileHost: memoryHost({ '/w/describe.json': body }),
});

describe('completion of property names', () => {
  test('offers the root properties with their documentation, except those present', () => {
    const { list } = complete('{ "name": "x", | }');
    const offered = labels(list);
    for (const name of [
      'connector',
      'munchkinId',
      'syncType',
      'dedupeField',
      'mappings',
      'audiences',
      'simulation',
    ]) {
      assert.ok(offered.includes(name), `missing ${name}`);
    }
    assert.ok(!offered.includes('name'), 'an existing property is offered again');
    const syncType = item(list, 'syncType');
    assert.equal(syncType.kind, 10);
    assert.match(syncType.documentation?.value ?? '', /^\*\*Sync type\*\*/);
    assert.equal(
      item(list, 'dedupeField').detail,
      'REST name of the Marketo field used to match profiles with existing leads (Marketo deduplication field).',
    );
  });

  test('replaces a partially typed key with its quotes, no doubled quotes', () => {
    const { text, list } = complete('{ "sync|" }');
    const chosen = item(list, 'syncType');
    assert.equal(chosen.filterText, '"syncType"');
    assert.equal(replaced(text, chosen), '"sync"');
    // The quotes stay empty: the suggestions reopen there with the documented values.
    assert.equal(chosen.textEdit.newText, '"syncType": "$1"');
    assert.deepEqual(chosen.command, TRIGGER_SUGGEST);
    assert.equal(accept(text, chosen), '{ "syncType": "" }');
  });

  test('completes an unterminated key without eating the closing brace', () => {
    assert.equal(accepted('{ "dedupe| }', 'dedupeField'), '{ "dedupeField": "" }');
  });

  test('completes an unquoted word typed as a key', () => {
    assert.equal(accepted('{ munch| }', 'munchkinId'), '{ "munchkinId": "" }');
  });

  test('shapes the value by type: arrays, objects, defaults, single enum values', () => {
    const { text, list } = complete('{ | }');
    assert.equal(item(list, 'mappings').textEdit.newText, '"mappings": [$1]');
    assert.equal(item(list, 'simulation').textEdit.newText, '"simulation": {$1}');
    assert.equal(item(list, 'partition').textEdit.newText, '"partition": "${1:Default}"');
    assert.equal(accept(text, item(list, 'connector')), '{ "connector": "marketo-engage" }');
    assert.equal(accept(text, item(list, '$schema')), '{ "$schema": "" }');
  });

  test('inserts only the name when a colon already follows the key', () => {
    assert.equal(
      accepted('{ "sync|": "profileOnly" }', 'syncType'),
      '{ "syncType": "profileOnly" }',
    );
  });

  test('adds the comma before a following property, and after a value missing one', () => {
    assert.equal(accepted('{ | "name": "x" }', 'workspace'), '{ "workspace": "", "name": "x" }');
    assert.equal(
      accepted('{ "name": "x"\n  "work| }', 'workspace'),
      '{ "name": "x"\n  , "workspace": "" }',
    );
  });

  test('offers the properties of nested objects and the item snippets', () => {
    const mapping = complete('{ "mappings": [ { "source": "a", | } ] }');
    assert.deepEqual(labels(mapping.list), ['target']);
    const empty = complete('{ "mappings": [ { | } ] }');
    assert.ok(labels(empty.list).includes('New mapping'));
    assert.ok(labels(empty.list).includes('source'));
    const simulation = complete('{ "simulation": { "|" } }');
    assert.ok(['profiles', 'leads'].every((l) => labels(simulation.list).includes(l)));
    const audience = complete('{ "audiences": [ { "id": "a", | } ] }');
    assert.ok(
      ['name', 'origin', 'type', 'evaluation', 'entities'].every((l) =>
        labels(audience.list).includes(l),
      ),
    );
    assert.ok(!labels(audience.list).includes('id'));
  });

  test('offers the skeleton in an empty root and an empty document', () => {
    const root = complete('{ | }');
    const skeleton = item(root.list, 'Marketo Engage destination (audience and profile)');
    assert.equal(skeleton.kind, 15);
    const filled = accept(root.text, skeleton);
    const parsed = JSON.parse(filled) as Record<string, unknown>;
    assert.equal(parsed.syncType, 'audienceAndProfile');
    assert.equal(parsed.dedupeField, 'email');
    const empty = complete('|');
    const whole = item(empty.list, 'Marketo Engage destination (audience only)');
    assert.equal(
      (JSON.parse(accept(empty.text, whole)) as Record<string, unknown>).syncType,
      'audienceOnly',
    );
    const notEmpty = complete('{ "name": "x", | }');
    assert.ok(!labels(notEmpty.list).some((l) => l.startsWith('Marketo Engage destination')));
  });

  test('offers item snippets inside the mappings array', () => {
    const { text, list } = complete('{ "mappings": [ | ] }');
    const chosen = item(list, 'DedupeField mapping');
    assert.deepEqual(JSON.parse(accept(text, chosen)), {
      mappings: [{ source: 'workEmail.address', target: 'DedupeField' }],
    });
    const all = item(list, 'Mappings for dedupe on email');
    assert.equal((JSON.parse(accept(text, all)) as { mappings: unknown[] }).mappings.length, 3);
  });

  test('offers nothing inside a comment or right after a key without colon', () => {
    assert.equal(complete('{ // sync|\n }').list.items.length, 0);
    assert.equal(complete('{ "syncType" | }').list.items.length, 0);
    assert.equal(complete('{ "syncType": "x"| }').list.items.length, 0);
  });
});

describe('completion of enum values', () => {
  test('syncType: the three values with their documentation; replaces the partial string', () => {
    const { text, list } = complete('{ "syncType": "pro|" }');
    assert.deepEqual(labels(list), ['audienceAndProfile', 'profileOnly', 'audienceOnly']);
    const chosen = item(list, 'profileOnly');
    assert.equal(chosen.kind, 20);
    assert.equal(chosen.detail, 'Profile only');
    assert.match(chosen.documentation?.value ?? '', /\*Profile only\*/);
    // Between the quotes only, so the edit stays inside a snippet's "$1" placeholder.
    assert.equal(replaced(text, chosen), 'pro');
    assert.equal(chosen.filterText, 'profileOnly');
    assert.equal(accept(text, chosen), '{ "syncType": "profileOnly" }');
  });

  test('inserts quotes in an empty value slot and in a half-typed document', () => {
    assert.equal(
      accepted('{ "personAction": | }', 'updateExistingOnly'),
      '{ "personAction": "updateExistingOnly" }',
    );
    assert.equal(accepted('{ "syncType": |', 'audienceOnly'), '{ "syncType": "audienceOnly"');
    assert.equal(
      accepted('{ "connector": "mar|', 'marketo-engage'),
      '{ "connector": "marketo-engage"',
    );
  });

  test('audience origin, type, evaluation and entities; alerts items', () => {
    assert.ok(
      labels(complete('{ "audiences": [ { "origin": "|" } ] }').list).includes(
        'segmentationService',
      ),
    );
    const type = complete('{ "audiences": [ { "type": "|" } ] }').list;
    assert.deepEqual(labels(type), ['people', 'account', 'prospect', 'datasetExport']);
    assert.match(item(type, 'account').documentation?.value ?? '', /Not supported/);
    assert.deepEqual(labels(complete('{ "audiences": [ { "evaluation": "|" } ] }').list), [
      'streaming',
      'batch',
      'edge',
    ]);
    const entities = complete('{ "audiences": [ { "entities": [ "person", | ] } ] }').list;
    assert.deepEqual(
      labels(entities),
      ['event', 'account', 'opportunity', 'lead'],
      'entities already listed are not offered',
    );
    assert.ok(labels(complete('{ "alerts": [ "|" ] }').list).includes('destinationFlowRunFailure'));
  });

  test('offers the default and examples of plain string properties', () => {
    assert.deepEqual(labels(complete('{ "partition": "|" }').list), ['Default', 'EMEA']);
  });
});

describe('completion of Marketo fields', () => {
  test('puts the field a known source usually feeds first', () => {
    const { list } = complete(
      '{ "mappings": [ { "source": "identityMap.Email", "target": "DedupeField" }, { "source": "b2b.companyName", "target": "|" } ] }',
    );
    assert.equal(sorted(list)[0], 'company');
  });

  test('mapping target: DedupeField first, then the standard fields with type details', () => {
    const { text, list } = complete('{ "mappings": [ { "source": "x", "target": "|" } ] }');
    assert.equal(sorted(list)[0], 'DedupeField');
    assert.match(item(list, 'DedupeField').documentation?.value ?? '', /all partitions/);
    assert.equal(item(list, 'email').detail, 'Email Address · email · searchable');
    assert.equal(item(list, 'firstName').detail, 'First Name · string');
    assert.equal(
      accept(text, item(list, 'firstName')),
      '{ "mappings": [ { "source": "x", "target": "firstName" } ] }',
    );
  });

  test('mapping target in a half-typed document', () => {
    assert.equal(
      accepted('{ "mappings": [ { "target": "|', 'lastName'),
      '{ "mappings": [ { "target": "lastName"',
    );
  });

  test('DedupeField is not offered when another mapping targets it', () => {
    const { list } = complete(
      '{ "mappings": [ { "source": "identityMap.Email", "target": "DedupeField" }, { "source": "x", "target": "|" } ] }',
    );
    assert.ok(!labels(list).includes('DedupeField'));
  });

  test('a field another mapping writes is marked and offered last; the one being edited is not', () => {
    const { list } = complete(
      '{ "mappings": [ { "source": "x", "target": "firstName" }, { "source": "y", "target": "lastName|" } ] }',
    );
    assert.equal(item(list, 'firstName').detail, 'First Name · string · already mapped');
    assert.equal(item(list, 'lastName').detail, 'Last Name · string');
    const order = sorted(list);
    assert.equal(order[order.length - 1], 'firstName');
  });

  test('uses the instance catalog (describe.json) when loaded', () => {
    const { list } = complete(
      '{ "marketoFields": "./describe.json", "mappings": [ { "target": "|" } ] }',
      withCatalog(DESCRIBE),
    );
    assert.deepEqual(labels(list).sort(), ['DedupeField', 'customerNumber', 'email']);
    assert.equal(item(list, 'email').detail, 'Email Address · email');
    assert.match(item(list, 'email').documentation?.value ?? '', /describe\.json/);
  });

  test('dedupeField: no Lead ID, only email from the standard fields', () => {
    const standard = complete('{ "dedupeField": "|" }').list;
    assert.deepEqual(sorted(standard), ['email']);
    const instance = complete(
      '{ "marketoFields": "./describe.json", "dedupeField": "|" }',
      withCatalog(DESCRIBE),
    ).list;
    assert.deepEqual(labels(instance).sort(), ['customerNumber', 'email']);
  });

  test('dedupeField without a catalog: only what Marketo searches by and names one person', () => {
    // Also when the catalog named by marketoFields is missing: the standard fields stand in.
    for (const marked of [
      '{ "dedupeField": "|" }',
      '{ "dedupeField": | }',
      '{ "dedupeField": "fir|" }',
      '{ "marketoFields": "./missing.json", "dedupeField": "|" }',
    ]) {
      const { list } = complete(marked, { uri: CATALOG_URI, fileHost: memoryHost({}) });
      assert.deepEqual(labels(list), ['email'], marked);
      assert.equal(item(list, 'email').detail, 'Email Address · email · searchable');
    }
    assert.equal(accepted('{ "dedupeField": | }', 'email'), '{ "dedupeField": "email" }');
  });

  test('mapping target: read-only fields are never offered, with or without a catalog', () => {
    const standard = labels(complete('{ "mappings": [ { "target": "|" } ] }').list);
    for (const readOnly of ['id', 'createdAt', 'updatedAt']) {
      assert.ok(!standard.includes(readOnly), `${readOnly} is offered`);
    }
    assert.ok(standard.includes('unsubscribed'));
    const describe = complete(
      '{ "marketoFields": "./describe.json", "mappings": [ { "target": "|" } ] }',
      withCatalog(DESCRIBE),
    ).list;
    assert.ok(!labels(describe).includes('id'), 'Lead ID (rest.readOnly) is offered');
    const describe2 = complete(
      '{ "marketoFields": "./describe.json", "mappings": [ { "target": "sc|" } ] }',
      withCatalog(DESCRIBE2),
    ).list;
    assert.ok(!labels(describe2).includes('score'), 'a field with updateable: false is offered');
  });

  test('dedupeField: only the searchable fields when the catalog (describe2) knows them', () => {
    const { text, list } = complete(
      '{ "marketoFields": "./describe.json", "dedupeField": "|" }',
      withCatalog(DESCRIBE2),
    );
    assert.deepEqual(labels(list).sort(), ['customerNumber', 'email']);
    assert.equal(item(list, 'email').detail, 'Email · email · searchable');
    assert.equal(
      accept(text, item(list, 'customerNumber')),
      '{ "marketoFields": "./describe.json", "dedupeField": "customerNumber" }',
    );
    const targets = complete(
      '{ "marketoFields": "./describe.json", "mappings": [ { "target": "|" } ] }',
      withCatalog(DESCRIBE2),
    ).list;
    assert.deepEqual(labels(targets).sort(), ['DedupeField', 'company', 'customerNumber', 'email']);
  });
});

describe('completion of source paths', () => {
  test('offers XDM paths with the suggested target and the identity namespaces', () => {
    const { text, list } = complete('{ "mappings": [ { "source": "work|", "target": "email" } ] }');
    assert.match(item(list, 'workEmail.address').detail ?? '', /email/);
    assert.match(item(list, 'identityMap.ECID').documentation?.value ?? '', /[Nn]ot supported/);
    assert.ok(labels(list).includes('identityMap.Email'));
    assert.equal(
      accept(text, item(list, 'workEmail.address')),
      '{ "mappings": [ { "source": "workEmail.address", "target": "email" } ] }',
    );
  });

  test('puts identityMap.Email first for the DedupeField mapping', () => {
    const { list } = complete('{ "mappings": [ { "source": "|", "target": "DedupeField" } ] }');
    assert.equal(sorted(list)[0], 'identityMap.Email');
  });
});

describe('completion of file paths', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-dest-complete-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'a.destination.json'), '{}');
  fs.writeFileSync(path.join(dir, 'describe.json'), '{}');
  fs.writeFileSync(path.join(dir, 'notes.txt'), '');
  fs.writeFileSync(path.join(dir, 'profiles.csv'), '');
  fs.mkdirSync(path.join(dir, 'samples'));
  fs.writeFileSync(path.join(dir, 'samples', 'leads.ndjson'), '');
  fs.writeFileSync(path.join(dir, 'samples', 'more.jsonl'), '');
  fs.writeFileSync(path.join(dir, 'samples', 'image.png'), '');
  fs.mkdirSync(path.join(dir, '.git'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const uri = pathToFileURL(path.join(dir, 'a.destination.json')).href;

  test('marketoFields: .json files and folders of the config directory', () => {
    const { text, list } = complete('{ "marketoFields": "./|" }', { uri });
    assert.deepEqual(labels(list).sort(), ['describe.json', 'samples/']);
    assert.equal(item(list, 'samples/').kind, 19);
    assert.equal(item(list, 'describe.json').kind, 17);
    assert.equal(
      accept(text, item(list, 'describe.json')),
      '{ "marketoFields": "./describe.json" }',
    );
  });

  test('simulation paths: csv, ndjson, jsonl in the typed sub-directory', () => {
    const root = complete('{ "simulation": { "profiles": "pro|" } }', { uri });
    assert.deepEqual(labels(root.list).sort(), ['describe.json', 'profiles.csv', 'samples/']);
    assert.equal(
      accept(root.text, item(root.list, 'profiles.csv')),
      '{ "simulation": { "profiles": "profiles.csv" } }',
    );
    const sub = complete('{ "simulation": { "leads": "./samples/le|" } }', { uri });
    assert.deepEqual(labels(sub.list).sort(), ['leads.ndjson', 'more.jsonl']);
    assert.equal(
      accept(sub.text, item(sub.list, 'leads.ndjson')),
      '{ "simulation": { "leads": "./samples/leads.ndjson" } }',
    );
  });

  test("a folder reopens the suggestions inside the path, on the folder's entries", () => {
    const { text, list } = complete('{ "simulation": { "leads": "./|" } }', { uri });
    const folder = item(list, 'samples/');
    assert.deepEqual(folder.command, TRIGGER_SUGGEST);
    assert.equal(item(list, 'profiles.csv').command, undefined, 'a file ends the path');
    const inside = acceptedWithCursor(text, folder);
    assert.equal(inside, '{ "simulation": { "leads": "./samples/|" } }');
    assert.deepEqual(labels(complete(inside, { uri }).list).sort(), ['leads.ndjson', 'more.jsonl']);
    // In an empty slot the folder comes with its quotes and the cursor stays inside them.
    const empty = complete('{ "simulation": { "leads": | } }', { uri });
    const quoted = item(empty.list, 'samples/');
    assert.deepEqual(quoted.command, TRIGGER_SUGGEST);
    const slot = acceptedWithCursor(empty.text, quoted);
    assert.equal(slot, '{ "simulation": { "leads": "./samples/|" } }');
    assert.ok(labels(complete(slot, { uri }).list).includes('leads.ndjson'));
  });

  test('a folder chosen in the middle of a path does not double its slash', () => {
    assert.equal(
      accepted('{ "simulation": { "leads": "./sam|ples/leads.ndjson" } }', 'samples/', { uri }),
      '{ "simulation": { "leads": "./samples/leads.ndjson" } }',
    );
  });

  test('an empty value slot gets a quoted relative path', () => {
    assert.equal(
      accepted('{ "marketoFields": | }', 'describe.json', { uri }),
      '{ "marketoFields": "./describe.json" }',
    );
  });

  test('offers nothing when the document is not on disk or the folder does not exist', () => {
    assert.equal(
      complete('{ "marketoFields": "./|" }', { uri: 'untitled:Untitled-1' }).list.items.length,
      0,
    );
    assert.equal(complete('{ "marketoFields": "./missing/|" }', { uri }).list.items.length, 0);
  });
});
