/**
 * Child: the same export decision in DuckDB, on the same CSV files: read both files, pick
 * each email's most recently updated lead with a window function, left join the profiles,
 * classify each profile (skip / update / create, as Simulate Export does for
 * audienceAndProfile + updateExistingAndCreateNew) and count actions and field changes.
 * Times instance creation, connection and the query (the result is four rows).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { args, cpuMs, finish } from '../lib/child';

const opts = args();
const q = (file: string): string => `'${file.replace(/'/g, "''")}'`;

/** A trimmed value, NULL when empty: what Simulate Export treats as "no value". */
const val = (column: string): string => `nullif(trim(${column}), '')`;
const changed = (field: string): string =>
  `(${val(`p.${field}`)} IS NOT NULL AND ${val(`p.${field}`)} IS DISTINCT FROM ${val(`w.${field}`)})::INT`;

const SQL = `
WITH leads AS (
  SELECT id, lower(trim(email)) AS k, firstName, lastName, company, title,
         row_number() OVER (PARTITION BY lower(trim(email))
                            ORDER BY updatedAt DESC NULLS LAST, id DESC) AS rn,
         count(*) OVER (PARTITION BY lower(trim(email))) AS matches
  FROM read_csv(${q(opts.leads as string)}, header = true)
  WHERE nullif(trim(email), '') IS NOT NULL
),
winners AS (SELECT * FROM leads WHERE rn = 1),
profiles AS (
  SELECT lower(trim("identityMap.Email")) AS k,
         "person.name.firstName" AS firstName, "person.name.lastName" AS lastName,
         "b2b.companyName" AS company, "extendedWorkDetails.jobTitle" AS title,
         ${val('"segmentMembership.ups.seg-winback.status"')} AS s1,
         ${val('"segmentMembership.ups.seg-newsletter.status"')} AS s2
  FROM read_csv(${q(opts.profiles as string)}, header = true, all_varchar = true)
),
decided AS (
  SELECT CASE
           WHEN NOT (lower(coalesce(s1, '')) IN ('realized', 'existing')
                     OR lower(coalesce(s2, '')) IN ('realized', 'existing')
                     OR (s1 IS NULL AND s2 IS NULL)) THEN 'skip'
           WHEN nullif(p.k, '') IS NULL THEN 'skip'
           WHEN w.id IS NOT NULL THEN 'update'
           ELSE 'create'
         END AS action,
         w.matches,
         CASE WHEN w.id IS NOT NULL THEN
           ${changed('firstName')} + ${changed('lastName')} + ${changed('company')} + ${changed('title')}
         END AS changes
  FROM profiles p LEFT JOIN winners w ON p.k = w.k
)
SELECT action, count(*)::INT AS profiles,
       (count(*) FILTER (WHERE action = 'update' AND matches > 1))::INT AS multi,
       coalesce(sum(changes) FILTER (WHERE action = 'update'), 0)::INT AS changes
FROM decided GROUP BY action ORDER BY action`;

async function main(): Promise<void> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const options: Record<string, string> = {};
  if (opts.threads) options.threads = opts.threads;
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(SQL);
  const rows = reader.getRowObjectsJS();
  const totalMs = performance.now() - t0;
  const cpu = cpuMs() - c0;
  const threads = (
    await connection.runAndReadAll("SELECT current_setting('threads') AS t")
  ).getRowObjectsJS()[0]?.t as string | number | undefined;
  connection.closeSync();
  finish({ totalMs, cpuMs: cpu, rows, threads: String(threads ?? '?') });
}

void main();
