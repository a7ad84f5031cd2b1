/**
 * A decided profile (view D, `decision.ts`) as the text of its report row, in SQL: the JSON
 * report's outcome object (`jsonReport.ts`, JSON.stringify's bytes), the CSV report's row and
 * the Markdown report's table row (`reportFormats.ts`). The report writers' own functions are
 * the specification; the differential tests compare the bytes.
 */
import { isCaseInsensitiveField } from '../leadIndex';
import { targetPartition } from '../config';
import { type DecisionPlan, json, jsonLiteral } from './decision';
import { quote } from './sql';

/** Fields Marketo needs on a new lead (outcome.ts's REQUIRED_FOR_CREATE). */
const REQUIRED_FOR_CREATE = ['firstName', 'lastName', 'email'];
const REST =
  'the raw Marketo REST API would refuse such an update with reason 1007 (multiple leads match the lookup criteria)';

/** `'…' || x || '…'` of literal text and SQL expressions. */
const cat = (...parts: readonly string[]): string => `concat(${parts.join(', ')})`;
const list = (items: readonly string[]): string =>
  items.length ? `concat_ws(',', ${items.join(', ')})` : "''";

interface Change {
  field: string;
  /** SQL of the old value (NULL: none) and of the new one; the change is there when `when`. */
  from: string;
  to: string;
  when: string;
}

/** The pieces every format needs: changes, lists, warnings, per kind of outcome. */
class RowParts {
  constructor(private readonly d: DecisionPlan) {}

  /** updateChanges / followUpChanges / createChanges as lists of changes, by `act`. */
  changes(): { update: Change[]; follow: Change[]; create: Change[] } {
    const d = this.d;
    const from = (k: number): string => `tf${k}`;
    const update = d.fields.map((field, k) => ({
      field,
      from: from(k),
      to: `s${k}`,
      when: `s${k} IS NOT NULL AND s${k} IS DISTINCT FROM ${from(k)}`,
    }));
    const follow = d.createFields.map((k) => ({
      field: d.fields[k] as string,
      from: `cr.s${k}`,
      to: `s${k}`,
      when: `s${k} IS NOT NULL AND s${k} IS DISTINCT FROM cr.s${k}`,
    }));
    const create = [
      { field: d.config.dedupeField, from: 'NULL', to: 'dv', when: 'true' },
      ...d.createFields.map((k) => ({
        field: d.fields[k] as string,
        from: 'NULL',
        to: `s${k}`,
        when: `s${k} IS NOT NULL`,
      })),
    ];
    return { update, follow, create };
  }

  /** The members' (or exits') list ids, each formatted by `item`, joined by `sep`. */
  lists(prefix: 'm' | 'x', item: (id: string) => string, sep: string): string {
    const items = this.d.audienceIds.map((id, k) => `CASE WHEN ${prefix}${k} THEN ${item(id)} END`);
    return items.length ? `concat_ws(${quote(sep)}, ${items.join(', ')})` : "''";
  }

  /** The warnings of the outcome as SQL texts (NULL when absent), in decide()'s order. */
  warnings(): string[] {
    const d = this.d;
    const field = d.config.dedupeField;
    const value = json('dv');
    const multiple = `CASE WHEN act IN ('update', 'addToList', 'removeFromList') AND n > 1 THEN
      CASE WHEN tied IS NOT NULL THEN ${cat(
        'n::VARCHAR',
        quote(` leads match ${field} `),
        value,
        quote(' and lead '),
        'wid',
        quote(' is tied with lead '),
        'tied',
        quote(' on the most recent update ('),
        `CASE WHEN wupd IS NULL THEN 'none has an updatedAt' ELSE 'updatedAt ' || wupd END`,
        quote(
          '): the documented rule (the most recently updated lead) does not decide a tie, so the simulation uses the higher id, lead ',
        ),
        'wid',
        quote(' in partition '),
        'wpart',
        quote(
          ` (Marketo assigns ids in ascending order: the most recently created; the same choice whatever the file order); ${REST}`,
        ),
      )}
      ELSE ${cat(
        'n::VARCHAR',
        quote(` leads match ${field} `),
        value,
        quote(': the destination uses the most recently updated one (lead '),
        'wid',
        quote(' in partition '),
        'wpart',
        quote(`); ${REST}`),
      )} END END`;
    const follow = `CASE WHEN act = 'follow' THEN ${cat(
      quote(`the lead with ${field} `),
      value,
      quote(' is created by the profile at line '),
      'cr.line::VARCHAR',
      quote(
        ' earlier in this export: this profile updates that new lead (the destination matches on the dedupe field and now finds it), it does not create a second one',
      ),
    )} END`;
    const created = this.changes().create;
    const missing = REQUIRED_FOR_CREATE.map((required) => {
      const has = created.filter((c) => c.field === required).map((c) => c.when);
      const present = has.length ? has.join(' OR ') : 'false';
      return `CASE WHEN act = 'create' AND NOT (${present}) THEN ${quote(`created lead would have no ${required}`)} END`;
    });
    const ascii = isCaseInsensitiveField(field)
      ? [
          `CASE WHEN act = 'create' AND regexp_matches(dv, '[^\\x00-\\x7f]') THEN ${cat(
            quote('email '),
            value,
            quote(' is not ASCII: Marketo refuses non-ASCII email addresses'),
          )} END`,
        ]
      : [];
    return [multiple, follow, ...missing, ...ascii];
  }

  /** `changes` of each kind, each change formatted by `item`, joined by `sep`. */
  changeList(item: (c: Change) => string, sep: string): string {
    const { update, follow, create } = this.changes();
    const join = (changes: readonly Change[]): string =>
      changes.length
        ? `concat_ws(${quote(sep)}, ${changes.map((c) => `CASE WHEN ${c.when} THEN ${item(c)} END`).join(', ')})`
        : "''";
    const updates = this.d.writes ? `WHEN act = 'update' THEN ${join(update)}` : '';
    return `CASE ${updates} WHEN act = 'follow' THEN ${join(follow)} WHEN act = 'create' THEN ${join(create)} ELSE '' END`;
  }

  /** Whether the outcome's `lists` are the members. */
  listed(): string {
    return this.d.addsToLists ? "act IN ('create', 'update', 'follow', 'addToList')" : 'false';
  }
}

/** The outcome's `action` as the report writes it. */
const action = "CASE WHEN act = 'follow' THEN 'update' ELSE act END";
const leadId = "CASE WHEN act IN ('update', 'addToList', 'removeFromList') THEN wid END";
const partition = (d: DecisionPlan): string =>
  `CASE WHEN act IN ('update', 'addToList', 'removeFromList') THEN wpart WHEN act IN ('create', 'follow') THEN ${quote(targetPartition(d.config))} END`;
const removes = "matched AND ex AND act <> 'skip'";

/** The columns w0… (the warnings) the rows read, computed in view D. */
export function rowColumnsSql(d: DecisionPlan): string {
  return new RowParts(d)
    .warnings()
    .map((w, i) => `${w} AS w${i}`)
    .join(', ');
}

/** How the JSON row writes a value, and an item of a list (NULL: left out). */
interface JsonEscape {
  value: (v: string) => string;
  item: (v: string) => string;
}

/** JSON.stringify's bytes, escape by escape (`aep_json`). */
const EXACT: JsonEscape = { value: json, item: (v) => `aep_item(${v})` };
/**
 * DuckDB's own JSON writer (`to_json`), several times faster. Its escapes are JSON.stringify's
 * but for the hex digits of `\u00XX`, which it writes in upper case: a row with `\u00` in it
 * is written again with EXACT (a control character, or that text itself, is rare in a row).
 */
const FAST: JsonEscape = {
  value: (v) => `aep_fast_json(${v})`,
  item: (v) => `aep_fast_item(${v})`,
};

/** The macros of FAST. */
export function fastJsonMacroSql(): string {
  return `CREATE MACRO aep_fast_json(v) AS coalesce(to_json(v)::VARCHAR, 'null');
CREATE MACRO aep_fast_item(v) AS to_json(v)::VARCHAR`;
}

/** The JSON report's outcome object (`orderedOutcome`'s keys), one per profile. */
export function jsonRowSql(d: DecisionPlan): string {
  // The fast row is written twice in the text; DuckDB computes it once (at 1M the checked row's
  // COPY took 1.48–1.79 s, the fast row's alone 1.65 s), the exact one only for the rows picked.
  const fast = jsonRowWith(d, FAST);
  return `CASE WHEN contains(${fast}, '\\u00') THEN ${jsonRowWith(d, EXACT)} ELSE ${fast} END`;
}

function jsonRowWith(d: DecisionPlan, escape: JsonEscape): string {
  const parts = new RowParts(d);
  const lists = parts.lists('m', jsonLiteral, ',');
  const changes = parts.changeList(
    (c) =>
      cat(
        quote(`{"field":${JSON.stringify(c.field)},"from":`),
        escape.value(c.from),
        quote(',"to":'),
        escape.value(c.to),
        quote('}'),
      ),
    ',',
  );
  const warnings = list(parts.warnings().map((_, i) => escape.item(`w${i}`)));
  return cat(
    quote('{"index":'),
    'pos::VARCHAR',
    quote(',"dedupeValue":'),
    escape.value('dv'),
    quote(',"action":"'),
    action,
    quote('","leadId":'),
    escape.value(leadId),
    quote(',"partition":'),
    escape.value(partition(d)),
    quote(',"lists":['),
    `CASE WHEN ${parts.listed()} THEN ${lists} ELSE '' END`,
    quote('],"changes":['),
    changes,
    quote('],"otherMatches":['),
    "CASE WHEN act IN ('update', 'addToList', 'removeFromList') AND n > 1 THEN others ELSE '' END",
    quote('],"reason":'),
    escape.value('reason'),
    quote(',"line":'),
    'line::VARCHAR',
    quote(',"warnings":['),
    warnings,
    quote(']'),
    `CASE WHEN ${removes} THEN ${cat(quote(',"removeFromLists":['), parts.lists('x', jsonLiteral, ','), quote(']'))} ELSE '' END`,
    quote('}'),
  );
}

/** `csvField` of reportFormats.ts: a formula-looking value gets a `'`, then RFC 4180 quoting. */
const csvField = (v: string): string => `aep_csv(${v})`;

export function csvMacroSql(): string {
  return `CREATE MACRO aep_csv(v) AS CASE
  WHEN regexp_matches(v, '^[=+\\-@\\t\\r]') THEN aep_csv_quote('''' || v)
  ELSE aep_csv_quote(v) END`;
}

export function csvQuoteMacroSql(): string {
  return `CREATE MACRO aep_csv_quote(v) AS CASE
  WHEN regexp_matches(v, '[",\\r\\n]') THEN '"' || replace(v, '"', '""') || '"' ELSE v END`;
}

/** `field: from → to` (`changeText`), from omitted when the lead has none. */
const changeText = (c: Change): string =>
  cat(quote(`${c.field}: `), `coalesce(${c.from} || ' ', '')`, quote('→ '), c.to);

/** The CSV report's row (`toCsvReport`), without its line end. */
export function csvRowSql(d: DecisionPlan): string {
  const parts = new RowParts(d);
  const lists = `CASE WHEN ${parts.listed()} THEN ${parts.lists('m', quote, ';')} ELSE '' END`;
  const others =
    "CASE WHEN act IN ('update', 'addToList', 'removeFromList') AND n > 1 THEN others_csv ELSE '' END";
  const warnings = parts.warnings().map((_, i) => `w${i}`);
  const fields = [
    "coalesce(dv, '')",
    action,
    `coalesce(${leadId}, '')`,
    `coalesce(${partition(d)}, '')`,
    lists,
    parts.changeList(changeText, ';'),
    others,
    "coalesce(reason, '')",
    warnings.length ? `concat_ws(';', ${warnings.join(', ')})` : "''",
    `CASE WHEN ${removes} THEN ${parts.lists('x', quote, ';')} ELSE '' END`,
  ];
  return cat(
    'pos::VARCHAR',
    quote(','),
    'line::VARCHAR',
    ...fields.map((f) => cat(quote(','), csvField(f))),
  );
}

/** `markdownCell` of reportFormats.ts. */
export function markdownMacroSql(): string {
  return `CREATE MACRO aep_md(v) AS regexp_replace(regexp_replace(
  replace(replace(replace(replace(replace(v, '\\', '\\\\'), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '|', '\\|'),
  '\\r\\n|\\r|\\n', '<br>', 'g'), '[\\x00-\\x1f\\x7f]', ' ', 'g')`;
}

/** The Markdown report's table row (`toMarkdownReport`), without its line end. */
export function markdownRowSql(d: DecisionPlan): string {
  const parts = new RowParts(d);
  const lists = `CASE WHEN ${parts.listed()} THEN ${parts.lists('m', quote, ', ')} ELSE '' END`;
  const leaves = `CASE WHEN ${removes} THEN 'leaves: ' || ${parts.lists('x', quote, ', ')} END`;
  const warnings = parts.warnings().map((_, i) => `'warning: ' || w${i}`);
  const cells = [
    "coalesce(dv, '')",
    action,
    `coalesce(${leadId}, '')`,
    `coalesce(${partition(d)}, '')`,
    `concat_ws('; ', nullif(${lists}, ''), ${leaves})`,
    parts.changeList(changeText, '; '),
    `concat_ws('; ', reason${warnings.length ? `, ${warnings.join(', ')}` : ''})`,
  ];
  return cat(
    quote('| '),
    'pos::VARCHAR',
    quote(' | '),
    'line::VARCHAR',
    ...cells.map((c) => cat(quote(' | '), `aep_md(${c})`)),
    quote(' |'),
  );
}
