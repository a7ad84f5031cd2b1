/**
 * The SQL of the DuckDB engine. DuckDB reads the files, normalises the dedupe key as the
 * TypeScript engine does (JavaScript's `trim()` white space, lower case for `email`, blank
 * is no value, a lead's literal `null` is no value), groups the leads per key and joins one
 * row per profile, in file order. This file: the scans and table L (leads: key, id,
 * partition, updatedAt, mapped fields); the decision is `decision.ts`, the rows `rows.ts`.
 */

/** The characters of JavaScript's `String.prototype.trim` (WhiteSpace and LineTerminator). */
const JS_WHITESPACE =
  ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

export const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * A value trimmed as JavaScript trims, NULL when empty. A value that starts and ends with a
 * visible ASCII character (nearly all) skips the trim, which is slow with a long set. Its last
 * character is `v[-1]`: `right(v, 1)` makes a string of it and costs 0.2 s a million profiles.
 */
export const trimmed = (expr: string): string =>
  `nullif(CASE WHEN ascii(${expr}) BETWEEN 33 AND 126 AND ascii((${expr})[-1]) BETWEEN 33 AND 126 ` +
  `THEN ${expr} ELSE trim(${expr}, ${quote(JS_WHITESPACE)}) END, '')`;

/** An input read by DuckDB, its columns named c0…cN-1 (N = the header's width). */
export interface InputScan {
  file: string;
  kind: 'csv' | 'parquet';
  width: number;
  delimiter?: string;
  /** Parquet: the file's own column names, in order. */
  names?: readonly string[];
}

/**
 * A table expression whose columns are VARCHAR c0…cN-1, in file order. It numbers no rows:
 * `row_number() OVER ()` would run the scan and every expression on it on one thread. A
 * table created from it keeps the file order (preserve_insertion_order), so its `rowid` is
 * the 0-based record index (`tableOf`).
 */
export function scanSql(input: InputScan): string {
  const cols = Array.from({ length: input.width }, (_, i) => `c${i}`);
  if (input.kind === 'parquet') {
    const names = input.names ?? [];
    const select = names.map((n, i) => `CAST(${ident(n)} AS VARCHAR) AS c${i}`).join(', ');
    return `(SELECT ${select} FROM read_parquet(${quote(input.file)}))`;
  }
  const columns = cols.map((c) => `${quote(c)}: 'VARCHAR'`).join(', ');
  return (
    `(SELECT * FROM read_csv(${quote(input.file)}, ` +
    `header = true, auto_detect = false, delim = ${quote(input.delimiter ?? ',')}, quote = '"', ` +
    `escape = '"', strict_mode = false, new_line = '\\n', null_padding = false, columns = {${columns}}))`
  );
}

/**
 * Table `name`_ from `select` (over a scan, in file order) and view `name` of it with the
 * record index as column `index` (its rowid) and the `extra` columns computed from it.
 */
export function tableOf(name: string, select: string, index: string, extra = ''): string {
  return `CREATE TABLE ${name}_ AS ${select};
CREATE VIEW ${name} AS SELECT rowid AS ${index}, *${extra} FROM ${name}_`;
}

/** A lead column: the bulk extract's literal `null` is no value. */
const leadCol = (col: number | undefined): string =>
  col === undefined ? 'NULL::VARCHAR' : `nullif(c${col}, 'null')`;

export interface LeadColumns {
  id: number;
  dedupe: number | undefined;
  partition: number | undefined;
  partitionId: number | undefined;
  updatedAt: number | undefined;
  /** The mapped fields, in the decider's order. */
  fields: readonly (number | undefined)[];
}

/** An ISO 8601 date-time DuckDB casts exactly as `parseIsoTimestamp` reads it; others go to TypeScript. */
const FAST_ISO = String.raw`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z?$`;
/** The form nearly every export has, FAST_ISO's commonest case: a GLOB tests it in half the time. */
const COMMON_ISO = `${'[0-9]'.repeat(4)}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z`;

export function leadsSql(scan: string, c: LeadColumns, caseInsensitive: boolean): string {
  const key = trimmed(leadCol(c.dedupe));
  const upd = trimmed(leadCol(c.updatedAt));
  const fields = c.fields.map((col, k) => `${leadCol(col)} AS f${k}`).join(', ');
  return tableOf(
    'L',
    `SELECT c${c.id} AS raw_id, ${trimmed(`c${c.id}`)} AS id,
       ${trimmed(leadCol(c.partition))} AS part, ${trimmed(leadCol(c.partitionId))} AS pid,
       upd, CASE WHEN upd GLOB ${quote(COMMON_ISO)} THEN epoch_ms(try_cast(rtrim(upd, 'Z') AS TIMESTAMP))::DOUBLE
                 WHEN regexp_full_match(upd, ${quote(FAST_ISO)})
                 THEN epoch_ms(try_cast(replace(rtrim(upd, 'Z'), ' ', 'T') AS TIMESTAMP))::DOUBLE END AS ms,
       ${caseInsensitive ? `lower(${key})` : key} AS k${fields ? `, ${fields}` : ''}
FROM (SELECT *, ${upd} AS upd FROM ${scan})`,
    'lpos',
  );
}

/** Leads whose `updatedAt` DuckDB did not cast: parsed in TypeScript, fixed through table U. */
export const SLOW_TIMESTAMPS = 'SELECT lpos, upd FROM L WHERE upd IS NOT NULL AND ms IS NULL';
export const FIX_TIMESTAMPS = `UPDATE L_ SET ms = U.ms FROM U WHERE L_.rowid = U.lpos`;

/** The first lead with an empty id (as `checkCsvIds`: blank, or the literal `null`). */
export const EMPTY_ID =
  "SELECT min(lpos) AS lpos FROM L WHERE raw_id IS NULL OR trim(raw_id, ' \t') = '' OR raw_id = 'null'";

export const LEADS_WITHOUT_VALUE = 'SELECT count(*)::BIGINT AS n FROM L WHERE k IS NULL';

/** Dedupe values several member profiles share (table S), first seen first, and how many in all. */
export const SHARED_VALUES =
  'SELECT k, n, first, count(*) OVER ()::BIGINT AS total FROM S ORDER BY first LIMIT 20';
