/**
 * Marketo lead fields: the standard catalog (domain.md, "public docs" list of
 * REST names and types) and the parser of an instance's own catalog, the
 * output of `GET /rest/v1/leads/describe.json`, `describe2.json` or `schema/fields.json`.
 */
import * as l10n from '@vscode/l10n';
import { unsupportedDedupeField } from './dedupeIdentifiers';

export interface MarketoField {
  /** REST API name, the name a mapping targets. */
  name: string;
  displayName: string;
  dataType: string;
  length?: number;
  readOnly?: boolean;
  /** Known only from describe2 (`searchableFields`); undefined when the catalog does not say. */
  searchable?: boolean;
  /** Standard fields only: a value that belongs to one person, so matching on it finds that person. */
  identifiesPerson?: boolean;
}

export interface FieldCatalog {
  /** Where the catalog came from, for messages. */
  origin: 'standard' | 'describe' | 'describe2' | 'schema/fields';
  fields: MarketoField[];
  byName: Map<string, MarketoField>;
  /** Whether `searchable` is known for every field. */
  knowsSearchable: boolean;
  /**
   * describe.json entries without a `rest` child: Marketo lists SOAP-only fields too, and they
   * cannot be mapped, so they are left out rather than making the whole catalog unusable.
   */
  skipped: number;
  /** A schema/fields.json page that says more pages follow (`nextPageToken`): fields may be missing. */
  morePages: boolean;
}

/** Fields Marketo needs to create a lead (Marketo Engage Connection page, "Required mappings"). */
export const REQUIRED_LEAD_FIELDS = ['firstName', 'lastName', 'email'] as const;

/** The target identity of the dedupe mapping. */
export const DEDUPE_TARGET = 'DedupeField';

export const STANDARD_LEAD_FIELDS: MarketoField[] = [
  { name: 'firstName', displayName: 'First Name', dataType: 'string', length: 255 },
  { name: 'lastName', displayName: 'Last Name', dataType: 'string', length: 255 },
  { name: 'middleName', displayName: 'Middle Name', dataType: 'string', length: 255 },
  // Leads can be searched by email in every instance: Describe Lead2 (GET
  // /rest/v1/leads/describe2.json) lists "which fields are searchable for retrieving records" in
  // `searchableFields` (`[["email"], …]`; experienceleague.adobe.com/en/docs/marketo-developer/
  // marketo/rest/lead-database/lead-database), and the Standard Fields page calls email the
  // "standard Marketo key field for lead records" (…/marketo/rest/assets/list-of-standard-fields).
  {
    name: 'email',
    displayName: 'Email Address',
    dataType: 'email',
    length: 255,
    searchable: true,
    identifiesPerson: true,
  },
  { name: 'company', displayName: 'Company Name', dataType: 'string', length: 255 },
  { name: 'title', displayName: 'Job Title', dataType: 'string', length: 255 },
  { name: 'phone', displayName: 'Phone Number', dataType: 'phone', length: 255 },
  { name: 'mobilePhone', displayName: 'Mobile Phone Number', dataType: 'phone', length: 255 },
  { name: 'city', displayName: 'City', dataType: 'string', length: 255 },
  { name: 'state', displayName: 'State', dataType: 'string', length: 255 },
  { name: 'postalCode', displayName: 'Postal Code', dataType: 'string', length: 255 },
  { name: 'country', displayName: 'Country', dataType: 'string', length: 255 },
  { name: 'industry', displayName: 'Industry', dataType: 'string', length: 255 },
  { name: 'dateOfBirth', displayName: 'Date of Birth', dataType: 'date' },
  { name: 'leadSource', displayName: 'Person Source', dataType: 'string', length: 255 },
  { name: 'leadStatus', displayName: 'Person Status', dataType: 'string', length: 255 },
  { name: 'leadScore', displayName: 'Person Score', dataType: 'integer' },
  { name: 'unsubscribed', displayName: 'Unsubscribed', dataType: 'boolean' },
  // Marketo's Lead ID: read-only, and not supported as a deduplication field.
  { name: 'id', displayName: 'Lead ID', dataType: 'integer', readOnly: true },
  { name: 'createdAt', displayName: 'Created At', dataType: 'datetime', readOnly: true },
  { name: 'updatedAt', displayName: 'Updated At', dataType: 'datetime', readOnly: true },
];

export const STANDARD_CATALOG: FieldCatalog = makeCatalog('standard', STANDARD_LEAD_FIELDS, false);

/** Lead ID and ECID cannot deduplicate (Marketo Engage Connection page, Destination details). */
export function isUnsupportedDedupeField(name: string): boolean {
  return unsupportedDedupeField(name) !== undefined;
}

export class CatalogFormatError extends Error {}

/**
 * Reads describe (`{"result":[{"displayName","dataType","rest":{"name"}}]}` or the bare array),
 * describe2 (`{"result":[{"searchableFields":[[…]],"fields":[{"name",…}]}]}` or the bare object)
 * or schema/fields (`{"result":[{"name","displayName","dataType",…}]}`, one page, the bare array,
 * or an array of saved pages).
 */
export function parseFieldCatalog(value: unknown): FieldCatalog {
  const pages = schemaFieldPages(value);
  if (pages) return parseSchemaFields(pages);
  const body = isRecord(value) && 'result' in value ? value.result : value;
  const describe2 =
    Array.isArray(body) && body.length === 1 && isRecord(body[0]) && 'fields' in body[0]
      ? body[0]
      : body;
  if (isRecord(describe2) && Array.isArray(describe2.fields)) {
    const searchable = new Set<string>();
    if (Array.isArray(describe2.searchableFields)) {
      for (const group of describe2.searchableFields) {
        for (const name of Array.isArray(group) ? group : [group]) {
          if (typeof name === 'string') searchable.add(name);
        }
      }
    }
    const fields = describe2.fields.map((entry, index): MarketoField => {
      if (!isRecord(entry) || typeof entry.name !== 'string') {
        throw new CatalogFormatError(l10n.t('fields[{0}] has no string "name"', index));
      }
      return {
        name: entry.name,
        displayName: typeof entry.displayName === 'string' ? entry.displayName : entry.name,
        dataType: typeof entry.dataType === 'string' ? entry.dataType : 'string',
        length: typeof entry.length === 'number' ? entry.length : undefined,
        readOnly: entry.updateable === false ? true : undefined,
        searchable: searchable.has(entry.name),
      };
    });
    return makeCatalog('describe2', fields, Array.isArray(describe2.searchableFields));
  }
  if (Array.isArray(body)) {
    const fields: MarketoField[] = [];
    let skipped = 0;
    body.forEach((entry, index) => {
      if (!isRecord(entry))
        throw new CatalogFormatError(l10n.t('result[{0}] is not an object', index));
      // Marketo: "rest and soap child objects may or may not be present for a given field, and
      // its presence will indicate whether the field is valid for use in either" API. An entry
      // without `rest` is a field the REST API (and so the destination) cannot write: skip it.
      if (!('rest' in entry) || entry.rest === null) {
        skipped++;
        return;
      }
      const rest = isRecord(entry.rest) ? entry.rest : undefined;
      if (!rest || typeof rest.name !== 'string') {
        throw new CatalogFormatError(l10n.t('result[{0}] has no "rest.name"', index));
      }
      fields.push({
        name: rest.name,
        displayName: typeof entry.displayName === 'string' ? entry.displayName : rest.name,
        dataType: typeof entry.dataType === 'string' ? entry.dataType : 'string',
        length: typeof entry.length === 'number' ? entry.length : undefined,
        readOnly: rest.readOnly === true ? true : undefined,
      });
    });
    if (fields.length === 0 && skipped > 0) {
      throw new CatalogFormatError(
        l10n.t(
          'none of its {0} fields has a "rest" name: it lists no field the REST API can write',
          skipped,
        ),
      );
    }
    return makeCatalog('describe', fields, false, skipped);
  }
  throw new CatalogFormatError(
    l10n.t(
      'expected the output of /rest/v1/leads/describe.json (a "result" array of fields with "rest.name"), describe2.json ("fields" and "searchableFields") or schema/fields.json (a "result" array of fields with "name")',
    ),
  );
}

/**
 * A field entry of schema/fields.json: a top-level `name`, and neither `rest`/`soap` (describe)
 * nor `fields` (describe2's one `{"name":"API Lead", fields}` item).
 */
function isSchemaField(entry: unknown): boolean {
  return (
    isRecord(entry) &&
    typeof entry.name === 'string' &&
    !('rest' in entry) &&
    !('soap' in entry) &&
    !('fields' in entry)
  );
}

/**
 * The pages of a schema/fields.json answer: one answer (`{result, nextPageToken?}`), several
 * saved in an array (the endpoint is paged), or the bare `result` array; undefined when the
 * value is not that shape (describe entries carry `rest`/`soap`, describe2 has `fields`).
 */
function schemaFieldPages(value: unknown): { result: unknown[]; more: boolean }[] | undefined {
  const page = (v: unknown): { result: unknown[]; more: boolean } | undefined =>
    isRecord(v) && Array.isArray(v.result) && v.result.some(isSchemaField)
      ? { result: v.result, more: typeof v.nextPageToken === 'string' && v.nextPageToken !== '' }
      : undefined;
  const one = page(value);
  if (one) return [one];
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (value.every((v) => isRecord(v) && Array.isArray(v.result))) {
    const pages = value.map(page);
    return pages.every((p) => p !== undefined) ? pages : undefined;
  }
  return value.some(isSchemaField) ? [{ result: value, more: false }] : undefined;
}

function parseSchemaFields(pages: { result: unknown[]; more: boolean }[]): FieldCatalog {
  const fields: MarketoField[] = [];
  const seen = new Set<string>();
  pages.forEach((page, pageIndex) =>
    page.result.forEach((entry, index) => {
      if (!isRecord(entry) || typeof entry.name !== 'string') {
        throw new CatalogFormatError(
          pages.length > 1
            ? l10n.t('page {0}, result[{1}] has no string "name"', pageIndex + 1, index)
            : l10n.t('result[{0}] has no string "name"', index),
        );
      }
      // Overlapping saved pages list a field twice; the first one counts.
      if (seen.has(entry.name)) return;
      seen.add(entry.name);
      fields.push({
        name: entry.name,
        displayName: typeof entry.displayName === 'string' ? entry.displayName : entry.name,
        dataType: typeof entry.dataType === 'string' ? entry.dataType : 'string',
        length: typeof entry.length === 'number' ? entry.length : undefined,
      });
    }),
  );
  // Only the last page's token matters: an earlier one is followed by the next saved page.
  const morePages = pages[pages.length - 1]?.more === true;
  return makeCatalog('schema/fields', fields, false, 0, morePages);
}

function makeCatalog(
  origin: FieldCatalog['origin'],
  fields: MarketoField[],
  knowsSearchable: boolean,
  skipped = 0,
  morePages = false,
): FieldCatalog {
  return {
    origin,
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
    knowsSearchable,
    skipped,
    morePages,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
