/**
 * The per-profile decision of `outcome.ts` (`OutcomeDecider.decide`) as SQL, so that DuckDB
 * decides and formats a million profiles without handing a row to JavaScript. `outcome.ts`
 * stays the specification: every table test and the property test run both engines and
 * compare the report bytes (test/fixtures/simulation/engines.ts).
 *
 * Tables, after L (leads, `sql.ts`): P (profiles: dedupe value, key, membership and exit
 * flags per audience, the value sent per field, line), G (per lead key: count, the lead
 * when only one), M (per key of several leads: the winner by `leadPrecedence`, the others
 * as JSON, the ids tied with the winner), S (per key of several member profiles: how many,
 * the first), C (the keys of S no lead has: the first profile, which creates the lead, and
 * its values), PN (partition id → name). View D: one decided row per profile (`act`,
 * `reason`, …). A view, not a table: the report is written in one pass over it, and a table
 * of every wide row took as long to build as that pass and filled DuckDB's memory (it
 * spilled); the counts read the narrow decision, without the lead's values.
 */
import { dedupeSources, fieldTargets, writesLists, writesProfiles } from '../config';
import { isCaseInsensitiveField } from '../leadIndex';
import type { SimulationConfig } from '../types';
import type { ProfilePlan } from './columns';
import { quote, tableOf, trimmed } from './sql';

/** What the SQL of the decision is built from: the config and where the profile columns are. */
export interface DecisionPlan {
  config: SimulationConfig;
  profiles: ProfilePlan;
  /** The mapped fields (decider order) and which of them a new lead gets (not the dedupe field). */
  fields: readonly string[];
  createFields: readonly number[];
  audienceIds: readonly string[];
  writes: boolean;
  addsToLists: boolean;
  caseInsensitive: boolean;
}

export function decisionPlan(config: SimulationConfig, profiles: ProfilePlan): DecisionPlan {
  const fields = fieldTargets(config).map((f) => f.field);
  return {
    config,
    profiles,
    fields,
    createFields: fields.flatMap((f, k) => (f === config.dedupeField ? [] : [k])),
    audienceIds: profiles.audienceIds,
    writes: writesProfiles(config.syncType),
    addsToLists: writesLists(config.syncType),
    caseInsensitive: isCaseInsensitiveField(config.dedupeField),
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const or = (terms: readonly string[]): string => (terms.length ? terms.join(' OR ') : 'false');

/**
 * Table P_ from the profile scan (columns c0…) and view P of it with `pos` (its rowid) and
 * `line`: `pos + lineBase` unless a table LN(pos, line) gives the lines of a file whose
 * records do not start one line apart.
 */
export function profilesTableSql(
  scan: string,
  d: DecisionPlan,
  withLines: boolean,
  lineBase: number,
): string {
  const p = d.profiles;
  const firstOf = (cols: readonly number[]): string =>
    cols.length ? `coalesce(${cols.map((c) => trimmed(`S.c${c}`)).join(', ')})` : 'NULL::VARCHAR';
  const status = (k: number): string | undefined => {
    const col = p.audienceStatus[k];
    return col === undefined ? undefined : `lower(${trimmed(`S.c${col}`)})`;
  };
  const cols = [`${firstOf(p.dedupe)} AS dv`];
  for (const k of range(d.audienceIds.length)) {
    const s = status(k);
    const member = !p.withMembership
      ? 'true'
      : s === undefined
        ? 'false'
        : `coalesce(${s} IN ('realized', 'existing'), false)`;
    const exited =
      d.addsToLists && p.withMembership && s !== undefined
        ? `coalesce(${s} = 'exited', false)`
        : 'false';
    cols.push(`${member} AS m${k}`, `${exited} AS x${k}`);
  }
  p.fieldSources.forEach((sources, k) => cols.push(`${firstOf(sources)} AS s${k}`));
  const key = d.caseInsensitive ? 'lower(dv)' : 'dv';
  const m = range(d.audienceIds.length);
  const select = `SELECT *, ${key} AS k, (${or(m.map((k) => `m${k}`))}) AS mem, (${or(m.map((k) => `x${k}`))}) AS ex
FROM (SELECT ${cols.join(', ')} FROM ${scan} AS S)`;
  const line = withLines
    ? `, coalesce((SELECT LN.line FROM LN WHERE LN.pos = P_.rowid), rowid + ${lineBase}) AS line`
    : `, rowid + ${lineBase} AS line`;
  return tableOf('P', select, 'pos', line);
}

/** PN: the partition names of `--partitions` (id → name), for a bulk extract's `leadPartitionId`. */
export function partitionNamesSql(names: ReadonlyMap<string, string> | undefined): string {
  const rows = [...(names ?? new Map<string, string>())].map(
    ([id, name]) => `(${quote(id)}, ${quote(name)})`,
  );
  return rows.length
    ? `CREATE TABLE PN AS SELECT * FROM (VALUES ${rows.join(', ')}) AS t(pid, name)`
    : 'CREATE TABLE PN (pid VARCHAR, name VARCHAR)';
}

/** A lead id as `compareIdsDescending` orders it: numbers first (descending), then the text. */
const NUMERIC_ID = String.raw`[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?`;
const idNumber = (id: string): string =>
  `CASE WHEN regexp_full_match(${id}, ${quote(NUMERIC_ID)}) AND isfinite(try_cast(${id} AS DOUBLE)) THEN try_cast(${id} AS DOUBLE) END`;

/** The JSON text of a value as JSON.stringify writes it (`null` for NULL). */
export function json(expr: string): string {
  return `aep_json(${expr})`;
}

/** JSON.stringify's escapes: `"`, `\`, the short ones, the other control characters as \u00xx. */
export function jsonMacroSql(): string {
  let chain = `replace(replace(v, '\\', '\\\\'), '"', '\\"')`;
  const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  for (let c = 0; c < 32; c++) {
    const escaped = short[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    chain = `replace(${chain}, chr(${c}), '${escaped}')`;
  }
  return `CREATE MACRO aep_json(v) AS CASE WHEN v IS NULL THEN 'null'
  WHEN regexp_matches(v, '["\\\\\\x00-\\x1f]') THEN '"' || ${chain} || '"'
  ELSE '"' || v || '"' END;
CREATE MACRO aep_item(v) AS CASE WHEN v IS NOT NULL THEN aep_json(v) END`;
}

/** JavaScript's `trim()` of a value, NULL when empty (`sql.trimmed`), as a macro. */
export const trimMacroSql = (): string => `CREATE MACRO aep_trim(v) AS ${trimmed('v')}`;

/** A JavaScript string as the SQL literal of its JSON text. */
export const jsonLiteral = (text: string): string => quote(JSON.stringify(text));

/**
 * G, M: the leads per key, the winner of several (latest updatedAt, then the higher id). No
 * table of the two together: at 10M leads it took 2.2 s to build, the join with M (the few
 * keys of several leads) costs less.
 */
export function leadGroupsSql(): string[] {
  const partition = "coalesce(L.part, PN.name, L.pid, 'Default')";
  return [
    'CREATE TABLE G AS SELECT k, count(*)::INT AS n, min(lpos) AS lpos1 FROM L WHERE k IS NOT NULL GROUP BY k',
    `CREATE TABLE M AS
WITH R AS (
  SELECT L.k, L.lpos, L.id, ${partition} AS pn, L.upd, coalesce(L.ms, '-infinity'::DOUBLE) AS msc,
         row_number() OVER (PARTITION BY L.k ORDER BY coalesce(L.ms, '-infinity'::DOUBLE) DESC,
           (${idNumber('L.id')}) IS NOT NULL DESC, ${idNumber('L.id')} DESC, L.id DESC, L.lpos) AS r
  FROM L JOIN G ON G.k = L.k AND G.n > 1 LEFT JOIN PN ON PN.pid = L.pid
), T AS (SELECT *, max(msc) OVER (PARTITION BY k) AS top FROM R)
SELECT k, min(lpos) FILTER (WHERE r = 1) AS wpos,
  string_agg('{"leadId":' || ${json('id')} || ',"partition":' || ${json('pn')} || ',"updatedAt":' || ${json('upd')} || '}', ',' ORDER BY r) FILTER (WHERE r > 1) AS others,
  string_agg(id || ' (' || pn || ', ' || coalesce(upd, '') || ')', ';' ORDER BY r) FILTER (WHERE r > 1) AS others_csv,
  string_agg(id, ', lead ' ORDER BY r) FILTER (WHERE r > 1 AND msc = top) AS tied
FROM T GROUP BY k`,
  ];
}

/**
 * S: per dedupe key of several member profiles, how many and the first (the shared-value
 * warnings); C: those no lead has, the first profile (it creates the lead) and its values.
 * One grouping of the profiles for both: C takes its values from the few first profiles.
 */
export function creatorsSql(d: DecisionPlan): string {
  const values = d.fields.map((_, k) => `'s${k}': P.s${k}`);
  const struct = `{'line': P.line${values.length ? `, ${values.join(', ')}` : ''}}`;
  return `CREATE TABLE S AS SELECT k, count(*)::BIGINT AS n, min(pos) AS first FROM P
WHERE mem AND k IS NOT NULL GROUP BY k HAVING count(*) > 1;
CREATE TABLE C AS SELECT S.k, S.first AS cpos, ${struct} AS cr FROM S JOIN P ON P.pos = S.first
WHERE S.k NOT IN (SELECT k FROM G)`;
}

/**
 * Every profile with its match, its creator and the decision (`act`, `reason`): the query
 * of view D. `narrow`: the decision only, without the matched lead's values (the counts),
 * which spares the join to L.
 */
export function decidedSql(d: DecisionPlan, narrow = false): string {
  const c = d.config;
  const sources = dedupeSources(c);
  const noValue = sources.length
    ? `no value for the dedupe field (source ${sources.join(', ')})`
    : 'no value for the dedupe field (no mapping targets DedupeField)';
  const noMatch =
    d.addsToLists && !d.writes
      ? 'no matching lead; audienceOnly never creates leads'
      : 'no matching lead and personAction is updateExistingOnly';
  const personActionMissing = d.writes && !c.personAction;
  const createsLeads = d.writes && c.personAction === 'updateExistingAndCreateNew';
  // The winner's values trimmed once here: the rows read them several times.
  const leadFields = d.fields.map((_, k) => `, nullif(aep_trim(L.f${k}), '') AS tf${k}`).join('');
  const lead = `M.others, M.others_csv, M.tied, L.id AS wid, coalesce(L.part, PN.name, L.pid, 'Default') AS wpart,
             L.upd AS wupd${leadFields}, `;
  const skip = (reason: string): string => `WHEN ${reason}`;
  // The reasons in decide()'s order; NULL: not skipped for a reason of its own.
  const reason = personActionMissing
    ? quote('personAction is missing')
    : `CASE ${skip(`NOT mem AND NOT leaves THEN ${quote('not a member of any audience of this destination')}`)}
       ${skip(`dv IS NULL THEN ${quote(noValue)}`)}
       WHEN matched THEN NULL
       ${createsLeads ? '' : `ELSE ${quote(noMatch)}`} END`;
  const act = `CASE WHEN reason IS NOT NULL THEN 'skip'
    WHEN matched THEN CASE WHEN leaves THEN 'removeFromList' ${d.writes ? "ELSE 'update'" : "ELSE 'addToList'"} END
    WHEN cpos IS NOT NULL AND cpos <> pos THEN 'follow' ELSE 'create' END`;
  return `SELECT * EXCLUDE (k), ${act} AS act FROM (
  SELECT *, ${reason} AS reason FROM (
    SELECT *, (NOT mem AND ex AND matched) AS leaves FROM (
      SELECT P.*, (P.dv IS NOT NULL AND (P.mem OR P.ex)) AS looks,
             (P.dv IS NOT NULL AND (P.mem OR P.ex) AND G.n IS NOT NULL) AS matched,
             G.n, ${narrow ? '' : lead}C.cpos${narrow ? '' : ', C.cr'}
      FROM P
      LEFT JOIN G ON G.k = P.k${narrow ? '' : '\n      LEFT JOIN M ON M.k = P.k\n      LEFT JOIN L ON L.lpos = coalesce(M.wpos, G.lpos1)\n      LEFT JOIN PN ON PN.pid = L.pid'}
      LEFT JOIN C ON C.k = P.k)))`;
}

/** The counts the summary and the API plan need, over the narrow decision (one row). */
export function countsSql(d: DecisionPlan): { sql: string; lists: number } {
  const listed = d.addsToLists ? "act IN ('create', 'update', 'follow', 'addToList')" : 'false';
  const removes = "matched AND ex AND act <> 'skip'";
  const perList = range(d.audienceIds.length).flatMap((k) => [
    `count(*) FILTER (WHERE ${listed} AND m${k})::BIGINT`,
    `count(*) FILTER (WHERE ${removes} AND x${k})::BIGINT`,
  ]);
  const sql = `SELECT count(*)::BIGINT,
  count(*) FILTER (WHERE act = 'create')::BIGINT,
  count(*) FILTER (WHERE act IN ('update', 'follow'))::BIGINT,
  count(*) FILTER (WHERE act = 'addToList')::BIGINT,
  count(*) FILTER (WHERE act = 'skip')::BIGINT,
  count(*) FILTER (WHERE act = 'removeFromList')::BIGINT,
  count(*) FILTER (WHERE ${listed})::BIGINT,
  count(*) FILTER (WHERE ${removes})::BIGINT,
  count(*) FILTER (WHERE looks)::BIGINT${perList.map((e) => `,\n  ${e}`).join('')}
FROM (${decidedSql(d, true)})`;
  return { sql, lists: d.audienceIds.length };
}
