/**
 * Child: the baseline of the DuckDB engine as issue 12 names it: "DuckDB's bare matching query
 * writing the same per-profile rows". One statement, written by hand for the bench's data
 * (audienceAndProfile, updateExistingAndCreateNew, dedupe on email, two audiences with status
 * columns, new leads in EMEA): it reads both CSV files, picks each email's most recently
 * updated lead, decides every profile and writes its outcome object of the JSON report
 * (`jsonReport.ts`: the same keys, values and warnings), one a row in file order, separated by
 * ','. The suite checks that these rows are byte for byte the outcomes of `aep-dest simulate
 * --format json`, so the baseline does the same work and no less.
 *
 * What it leaves out is what the engine adds around the query: reading the config, the
 * TypeScript line scan (ragged rows, line numbers), the lead checks (an empty id, an
 * `updatedAt` that is no date), the counts, the shared-value warnings and the API plan. It
 * handles no tie on `updatedAt` and no lead id that is not a number: the data has neither.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { args, cpuMs, finish } from '../lib/child';

const opts = args();
const q = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const val = (column: string): string => `nullif(trim(${column}), '')`;
const json = (expr: string): string => `coalesce(to_json(${expr})::VARCHAR, 'null')`;
const cat = (...parts: readonly string[]): string => `concat(${parts.join(', ')})`;

/** The dedupe field, then the mapped fields in the decider's order (the dedupe field is no mapped field). */
const FIELDS = ['email', 'firstName', 'lastName', 'company', 'title'];
/** The mapped fields, by their index in FIELDS. */
const MAPPED = [1, 2, 3, 4];
const LISTS = ['seg-winback', 'seg-newsletter'];
const REST =
  'the raw Marketo REST API would refuse such an update with reason 1007 (multiple leads match the lookup criteria)';

/** `{"field":…,"from":…,"to":…}` of each field that changes, joined by ','. */
const changes = (from: (k: number) => string, fields: readonly number[]): string =>
  `concat_ws(',', ${fields
    .map(
      (k) =>
        `CASE WHEN s${k} IS NOT NULL AND s${k} IS DISTINCT FROM ${from(k)} THEN ${cat(
          q(`{"field":"${FIELDS[k]}","from":`),
          json(from(k)),
          q(',"to":'),
          json(`s${k}`),
          q('}'),
        )} END`,
    )
    .join(', ')})`;
const created = `concat_ws(',', ${cat(q('{"field":"email","from":null,"to":'), json('s0'), q('}'))}, ${MAPPED.map(
  (k) =>
    `CASE WHEN s${k} IS NOT NULL THEN ${cat(q(`{"field":"${FIELDS[k]}","from":null,"to":`), json(`s${k}`), q('}'))} END`,
).join(', ')})`;
const ids = (prefix: 'm' | 'x'): string =>
  `concat_ws(',', ${LISTS.map((id, k) => `CASE WHEN ${prefix}${k} THEN ${q(JSON.stringify(id))} END`).join(', ')})`;

const warnings = [
  `CASE WHEN act IN ('update', 'removeFromList') AND n > 1 THEN ${cat(
    'n::VARCHAR',
    q(' leads match email '),
    json('s0'),
    q(': the destination uses the most recently updated one (lead '),
    'wid',
    q(' in partition '),
    'wpart',
    q(`); ${REST}`),
  )} END`,
  `CASE WHEN act = 'follow' THEN ${cat(
    q('the lead with email '),
    json('s0'),
    q(' is created by the profile at line '),
    '(cpos + 2)::VARCHAR',
    q(
      ' earlier in this export: this profile updates that new lead (the destination matches on the dedupe field and now finds it), it does not create a second one',
    ),
  )} END`,
  `CASE WHEN act = 'create' AND s1 IS NULL THEN 'created lead would have no firstName' END`,
  `CASE WHEN act = 'create' AND s2 IS NULL THEN 'created lead would have no lastName' END`,
  `CASE WHEN act = 'create' AND regexp_matches(s0, '[^\\x00-\\x7f]') THEN ${cat(
    q('email '),
    json('s0'),
    q(' is not ASCII: Marketo refuses non-ASCII email addresses'),
  )} END`,
].map((w) => `to_json(${w})::VARCHAR`);

const listed = "act IN ('create', 'update', 'follow')";
const matchedAct = "act IN ('update', 'removeFromList')";
const row = cat(
  q('{"index":'),
  'pos::VARCHAR',
  q(',"dedupeValue":'),
  json('s0'),
  q(',"action":"'),
  "CASE WHEN act = 'follow' THEN 'update' ELSE act END",
  q('","leadId":'),
  json(`CASE WHEN ${matchedAct} THEN wid END`),
  q(',"partition":'),
  json(`CASE WHEN ${matchedAct} THEN wpart WHEN act IN ('create', 'follow') THEN 'EMEA' END`),
  q(',"lists":['),
  `CASE WHEN ${listed} THEN ${ids('m')} ELSE '' END`,
  q('],"changes":['),
  `CASE WHEN act = 'update' THEN ${changes((k) => `t${k}`, MAPPED)}
        WHEN act = 'follow' THEN ${changes((k) => `c${k}`, MAPPED)}
        WHEN act = 'create' THEN ${created} ELSE '' END`,
  q('],"otherMatches":['),
  `CASE WHEN ${matchedAct} AND n > 1 THEN others ELSE '' END`,
  q('],"reason":'),
  json('reason'),
  q(',"line":'),
  '(pos + 2)::VARCHAR',
  q(',"warnings":['),
  `concat_ws(',', ${warnings.join(', ')})`,
  q(']'),
  `CASE WHEN matched AND ex AND act <> 'skip' THEN ${cat(q(',"removeFromLists":['), ids('x'), q(']'))} ELSE '' END`,
  q('}'),
);

const status = (k: number): string => `lower(${val(`"segmentMembership.ups.${LISTS[k]}.status"`)})`;
const SQL = (profiles: string, leads: string): string => `
WITH leads AS (
  SELECT ${val('id')} AS id, lower(${val('email')}) AS k, coalesce(${val('partition')}, 'Default') AS part,
         ${val('updatedAt')} AS upd, ${MAPPED.map((k) => `${val(`nullif(${FIELDS[k]}, 'null')`)} AS f${k}`).join(', ')},
         row_number() OVER (PARTITION BY lower(${val('email')})
                            ORDER BY try_cast(${val('updatedAt')} AS TIMESTAMP) DESC NULLS LAST, id::BIGINT DESC) AS r,
         count(*) OVER (PARTITION BY lower(${val('email')})) AS n
  FROM read_csv(${q(leads)}, header = true, all_varchar = true)
  WHERE ${val('email')} IS NOT NULL
),
others AS (
  SELECT k, string_agg('{"leadId":' || ${json('id')} || ',"partition":' || ${json('part')} || ',"updatedAt":' || ${json('upd')} || '}', ',' ORDER BY r) AS others
  FROM leads WHERE r > 1 GROUP BY k
),
winners AS (SELECT l.*, o.others FROM leads l LEFT JOIN others o ON o.k = l.k WHERE l.r = 1),
profiles AS (
  SELECT row_number() OVER () - 1 AS pos, *
  FROM read_csv(${q(profiles)}, header = true, all_varchar = true)
),
p AS (
  SELECT pos, ${val('"identityMap.Email"')} AS s0, ${val('"person.name.firstName"')} AS s1,
         ${val('"person.name.lastName"')} AS s2, ${val('"b2b.companyName"')} AS s3,
         ${val('"extendedWorkDetails.jobTitle"')} AS s4,
         coalesce(${status(0)} IN ('realized', 'existing'), false) AS m0,
         coalesce(${status(1)} IN ('realized', 'existing'), false) AS m1,
         coalesce(${status(0)} = 'exited', false) AS x0, coalesce(${status(1)} = 'exited', false) AS x1
  FROM profiles
),
joined AS (
  SELECT p.*, lower(s0) AS k, (m0 OR m1) AS mem, (x0 OR x1) AS ex,
         (s0 IS NOT NULL AND (m0 OR m1 OR x0 OR x1) AND w.id IS NOT NULL) AS matched,
         w.id AS wid, w.part AS wpart, w.n, w.others, ${MAPPED.map((k) => `w.f${k} AS t${k}`).join(', ')}
  FROM p LEFT JOIN winners w ON w.k = lower(p.s0)
),
creators AS (
  SELECT k, min(pos) AS cpos FROM joined WHERE mem AND k IS NOT NULL AND wid IS NULL GROUP BY k
),
decided AS (
  SELECT j.*, c.cpos, ${MAPPED.map((k) => `f.s${k} AS c${k}`).join(', ')},
         CASE WHEN NOT j.mem AND NOT (j.ex AND j.matched) THEN 'not a member of any audience of this destination'
              WHEN j.s0 IS NULL THEN 'no value for the dedupe field (source identityMap.Email)' END AS reason
  FROM joined j LEFT JOIN creators c ON c.k = j.k LEFT JOIN p f ON f.pos = c.cpos
),
acted AS (
  SELECT *, CASE WHEN reason IS NOT NULL THEN 'skip'
                 WHEN matched THEN CASE WHEN NOT mem AND ex THEN 'removeFromList' ELSE 'update' END
                 WHEN cpos <> pos THEN 'follow' ELSE 'create' END AS act
  FROM decided
)
SELECT ${row} FROM acted ORDER BY pos`;

async function main(): Promise<void> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (${SQL(opts.profiles as string, opts.leads as string)}) TO ${q(opts.write as string)} (FORMAT csv, HEADER false, QUOTE '', NEW_LINE ',')`,
  );
  const totalMs = performance.now() - t0;
  const cpu = cpuMs() - c0;
  connection.closeSync();
  finish({ totalMs, cpuMs: cpu });
}

void main();
