// The field catalog formats, from the fixtures of test/fixtures/marketo-catalogs/ (each written
// from Marketo's documented shape; the folder's README cites the sources).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFieldCatalog } from '../../server/src/knowledge/marketoFields';
import {
  REPO_ROOT,
  VALID_CONFIG,
  codes,
  findingsOf,
  insertAfter,
  memoryHost,
  service,
  textDocument,
} from '../helpers';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'marketo-catalogs');
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const json = (name: string): unknown => JSON.parse(fixture(name));

describe('field catalog formats', () => {
  test('describe.json: an entry with only a soap child is skipped and counted', () => {
    const catalog = parseFieldCatalog(json('describe.json'));
    assert.equal(catalog.origin, 'describe');
    assert.deepEqual(
      catalog.fields.map((f) => f.name),
      ['company', 'email', 'id'],
    );
    assert.equal(catalog.skipped, 1);
    assert.equal(catalog.byName.get('id')?.readOnly, true);
    assert.equal(catalog.knowsSearchable, false);
  });

  test('describe.json: only soap entries is still unreadable, with a reason', () => {
    assert.throws(
      () => parseFieldCatalog({ result: [{ id: 1, displayName: 'X', soap: { name: 'X' } }] }),
      /none of its 1 fields has a "rest" name/,
    );
  });

  test('describe.json: a rest child without a name is still an error', () => {
    assert.throws(
      () => parseFieldCatalog({ result: [{ id: 1, displayName: 'X', rest: { readOnly: true } }] }),
      /result\[0\] has no "rest.name"/,
    );
  });

  test('describe2.json: searchable fields from searchableFields', () => {
    const catalog = parseFieldCatalog(json('describe2.json'));
    assert.equal(catalog.origin, 'describe2');
    assert.equal(catalog.knowsSearchable, true);
    assert.deepEqual(
      catalog.fields.filter((f) => f.searchable).map((f) => f.name),
      ['email', 'id', 'customerNumber'],
    );
    assert.equal(catalog.byName.get('company')?.searchable, false);
    assert.equal(catalog.byName.get('id')?.readOnly, true);
  });

  test('schema/fields.json: one page, marked as incomplete by its nextPageToken', () => {
    const catalog = parseFieldCatalog(json('schema-fields.json'));
    assert.equal(catalog.origin, 'schema/fields');
    assert.deepEqual(
      catalog.fields.map((f) => [f.name, f.displayName, f.dataType, f.length]),
      [
        ['company', 'Company Name', 'string', 255],
        ['email', 'Email Address', 'email', 255],
      ],
    );
    assert.equal(catalog.morePages, true);
    assert.equal(catalog.knowsSearchable, false);
  });

  test('schema/fields.json: saved pages in one array are merged', () => {
    const catalog = parseFieldCatalog(json('schema-fields.pages.json'));
    assert.deepEqual(
      catalog.fields.map((f) => f.name),
      ['company', 'email', 'loyaltyTier'],
    );
    assert.equal(catalog.morePages, false);
  });

  test('schema/fields.json: the bare result array', () => {
    const page = json('schema-fields.json') as { result: unknown[] };
    const catalog = parseFieldCatalog(page.result);
    assert.equal(catalog.origin, 'schema/fields');
    assert.equal(catalog.fields.length, 2);
  });

  test('a lead export is still refused', () => {
    assert.throws(
      () => parseFieldCatalog({ result: [{ id: 7, email: 'a@x.com', firstName: 'A' }] }),
      /has a "rest" name/,
    );
  });
});

describe('field catalogs in the editor', () => {
  const CONFIG = resolve('/catalogs/dest.destination.json');
  const uri = pathToFileURL(CONFIG).href;
  const host = (name: string) => memoryHost({ [resolve('/catalogs/fields.json')]: fixture(name) });
  const config = insertAfter(
    VALID_CONFIG,
    '"connector": "marketo-engage",',
    '\n  "marketoFields": "./fields.json",',
  );

  test('describe with a soap-only entry: no marketo-fields-unreadable', () => {
    const findings = service(host('describe.json')).validate(textDocument(config, uri));
    assert.deepEqual(findingsOf(findings, 'marketo-fields-unreadable'), [], codes(findings).join());
  });

  test('schema/fields.json: usable as a catalog', () => {
    const findings = service(host('schema-fields.pages.json')).validate(textDocument(config, uri));
    assert.deepEqual(findingsOf(findings, 'marketo-fields-unreadable'), []);
  });

  test('hover on marketoFields counts the skipped entries', () => {
    const doc = textDocument(config, uri);
    const offset = config.indexOf('./fields.json') + 2;
    const hover = service(host('describe.json')).hover(doc, doc.positionAt(offset));
    assert.match(hover?.contents.value ?? '', /Loaded \*\*3\*\* fields/);
    assert.match(hover?.contents.value ?? '', /1 entry has no `rest` name .* was skipped/);
  });

  test('hover on marketoFields says a saved page is incomplete', () => {
    const doc = textDocument(config, uri);
    const offset = config.indexOf('./fields.json') + 2;
    const hover = service(host('schema-fields.json')).hover(doc, doc.positionAt(offset));
    assert.match(hover?.contents.value ?? '', /nextPageToken/);
  });
});
