/**
 * Child: the same export decision in DuckDB, on the same CSV files: read both files, pick
 * each email's most recently updated lead with a window function, left join the profiles,
 * classify each profile (skip / update / create / removeFromList, as Simulate Export does for
 * audienceAndProfile + updateExistingAndCreateNew) and count actions and field changes.
 * Times instance creation, connection and the query (the result is four rows); with
 * `--write FILE`, the same decision written as one CSV row per profile, in file order (the
 * baseline of the DuckDB engine: the bare matching query writing the per-profile rows).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { args, cpuMs, finish } from '../lib/child';

const opts = args();
const q = (file: string): string => `'${file.replace(/'/g, "''")}'`;

/** A trimmed value, NULL when empty: what Simulate Export treats as "no value". */
const val = (column: string): string => `nullif(trim(${column}), '')`;
const FIELDS = ['firstName', 'lastName', 'company', 'title'];
/** The number of fields the profile sends that differ from `other(field)` (a lead's or a profile's). */
const changes = (other: (field: string) => string): string =>
  FIELDS.map(
    (f) =>
      `(${val(`p.${f}`)} IS NOT NULL AND ${val(`p.${f}`)} IS DISTINCT FROM ${val(other(f))})::INT`,
  ).join(' + ');
const isMember = (s: string): string => `lower(coalesce(${s}, '')) IN ('realized', 'existing')`;

/*
 * Membership as Simulate Export reads it (issue 10): the file has membership columns, so a blank
 * status is not membership; `exited` removes a matched lead from the list (action removeFromList
 * when the profile is a member of nothing). A new email shared by several member profiles is
 * created by the first (file order: `pos`) and updated by the others, whose field changes are
 * counted against the creating profile's values.
 */
const BASE = `
WITH leads AS (
  SELECT id, lower(trim(email)) AS k, firstName, lastName, company, title,
         row_number() OVER (PARTITION BY lower(trim(email))
                            ORDER BY updatedAt DESC NULLS LAST, id DESC) AS rn,
         count(*) OVER (PARTITION BY lower(trim(email))) AS matches
  FROM read_csv(${q(opts.leads as string)}, header = true)
  WHERE nullif(trim(email), '') IS NOT NULL
),
winners AS (SELECT * FROM leads WHERE rn = 1),
raw AS (
  -- row_number() over the scan: the file order (DuckDB preserves insertion order by default).
  SELECT row_number() OVER () AS pos, *
  FROM read_csv(${q(opts.profiles as string)}, header = true, all_varchar = true)
),
profiles AS (
  SELECT pos, nullif(lower(trim("identityMap.Email")), '') AS k,
         "person.name.firstName" AS firstName, "person.name.lastName" AS lastName,
         "b2b.companyName" AS company, "extendedWorkDetails.jobTitle" AS title,
         ${val('"segmentMembership.ups.seg-winback.status"')} AS s1,
         ${val('"segmentMembership.ups.seg-newsletter.status"')} AS s2
  FROM raw
),
classified AS (
  SELECT p.*, (${isMember('p.s1')} OR ${isMember('p.s2')}) AS member,
         (lower(coalesce(p.s1, '')) = 'exited' OR lower(coalesce(p.s2, '')) = 'exited') AS exited,
         w.id AS wid, w.matches,
         w.firstName AS w_firstName, w.lastName AS w_lastName, w.company AS w_company, w.title AS w_title
  FROM profiles p LEFT JOIN winners w ON p.k = w.k
),
creators AS (
  SELECT k, min(pos) AS cpos FROM classified
  WHERE member AND k IS NOT NULL AND wid IS NULL GROUP BY k
),
decided AS (
  SELECT CASE
           WHEN NOT p.member THEN
             CASE WHEN p.exited AND p.wid IS NOT NULL THEN 'removeFromList' ELSE 'skip' END
           WHEN p.k IS NULL THEN 'skip'
           WHEN p.wid IS NOT NULL THEN 'update'
           WHEN c.cpos = p.pos THEN 'create'
           ELSE 'update'
         END AS action,
         p.pos, p.k, p.wid, p.matches,
         CASE
           WHEN NOT p.member OR p.k IS NULL THEN NULL
           WHEN p.wid IS NOT NULL THEN
             ${changes((f) => `p.w_${f}`)}
           WHEN c.cpos <> p.pos THEN ${changes((f) => `f.${f}`)}
         END AS changes
  FROM classified p
  LEFT JOIN creators c ON p.k = c.k
  LEFT JOIN classified f ON f.pos = c.cpos
)
`;
const SQL = `${BASE}SELECT action, count(*)::INT AS profiles,
       (count(*) FILTER (WHERE matches > 1 AND action IN ('update', 'removeFromList')))::INT AS multi,
       coalesce(sum(changes) FILTER (WHERE action = 'update'), 0)::INT AS changes
FROM decided GROUP BY action ORDER BY action`;

/** With --write: the same decision, one row per profile in file order, written as CSV. */
const writeSql = (file: string): string =>
  `COPY (${BASE}SELECT pos, k AS dedupeValue, action, wid AS leadId, matches, changes FROM decided ORDER BY pos) TO ${q(file)} (FORMAT csv, HEADER)`;

async function main(): Promise<void> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const options: Record<string, string> = {};
  if (opts.threads) options.threads = opts.threads;
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  let rows: Record<string, unknown>[] = [];
  if (typeof opts.write === 'string') await connection.run(writeSql(opts.write));
  else rows = (await connection.runAndReadAll(SQL)).getRowObjectsJS();
  const totalMs = performance.now() - t0;
  const cpu = cpuMs() - c0;
  const threads = (
    await connection.runAndReadAll("SELECT current_setting('threads') AS t")
  ).getRowObjectsJS()[0]?.t as string | number | undefined;
  connection.closeSync();
  finish({ totalMs, cpuMs: cpu, rows, threads: String(threads ?? '?') });
}

void main();
