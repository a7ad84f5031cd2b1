/**
 * The CSV report of a simulation: one row per profile, RFC 4180, formula-safe. Pure: no
 * vscode or LSP import (re-exported by reportFormats.ts, with the other renderings).
 */
import type { FieldChange, ProfileOutcome, SimulationResult } from './simulationReport';

/** Rows per chunk of the streamed report. */
const ROWS_PER_CHUNK = 1000;

/** `field: from → to`; `field: → to` when the lead has no value (or is new). */
export function changeText(c: FieldChange): string {
  return `${c.field}: ${c.from === null ? '' : `${c.from} `}→ ${c.to}`;
}

/** `removeFromLists` is newer: added last so the older columns keep their positions. */
export const CSV_HEADER =
  'index,line,dedupeValue,action,leadId,partition,lists,changes,otherMatches,reason,warnings,removeFromLists';

/**
 * One CSV field: a value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * CR first) gets a leading `'`; then RFC 4180 quoting when needed.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV report: a header, then one row per outcome, CRLF line ends (RFC 4180). */
export function toCsvReport(result: SimulationResult): string {
  let out = '';
  for (const chunk of csvReportChunks(result)) out += chunk;
  return out;
}

/** The CSV report in chunks (the header, then the rows a thousand at a time). */
export function* csvReportChunks(result: SimulationResult): Generator<string> {
  yield `${CSV_HEADER}\r\n`;
  for (let start = 0; start < result.outcomes.length; start += ROWS_PER_CHUNK) {
    yield result.outcomes
      .slice(start, start + ROWS_PER_CHUNK)
      .map((o) => `${csvRow(o)}\r\n`)
      .join('');
  }
}

/** One outcome as a row of the CSV report, without its line end. */
function csvRow(o: ProfileOutcome): string {
  const fields = [
    o.dedupeValue ?? '',
    o.action,
    o.leadId ?? '',
    o.partition ?? '',
    o.lists.join(';'),
    o.changes.map(changeText).join(';'),
    o.otherMatches.map((m) => `${m.leadId} (${m.partition}, ${m.updatedAt ?? ''})`).join(';'),
    o.reason ?? '',
    o.warnings.join(';'),
    (o.removeFromLists ?? []).join(';'),
  ];
  return `${o.index},${o.line},${fields.map(csvField).join(',')}`;
}
