/**
 * What the results view shows before any page of outcomes: the result without its outcomes,
 * the count of rows with warnings and, when a simulation skips every profile, one sentence
 * saying why, from the skip reasons the engine reports (the most common one, named and
 * counted, in words a user acts on).
 */
import { type OutcomePage, PAGE_ROWS, type SimulationOverview } from './outcomePages';
import type { SimulationResult } from './simulationReport';

const NOT_A_MEMBER = 'not a member of any audience of this destination';
const NO_DEDUPE_SOURCE = /^no value for the dedupe field \(source (.+)\)$/;
const NO_DEDUPE_MAPPING = 'no value for the dedupe field (no mapping targets DedupeField)';

function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Why every profile is skipped; null when some profile is not (or there are none). */
export function explainAllSkipped(result: SimulationResult): string | null {
  const { outcomes } = result;
  if (!outcomes.length || outcomes.some((outcome) => outcome.action !== 'skip')) return null;
  const reasons = new Map<string, number>();
  for (const outcome of outcomes) {
    const reason = outcome.reason ?? NO_REASON;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return explainSkips(outcomes.length, reasons);
}

export const NO_REASON = 'no reason given';

/**
 * The sentence for `profiles` profiles, every one skipped, from the count of each reason
 * (the server counts them from its columns, without the outcomes).
 */
export function explainSkips(profiles: number, reasons: ReadonlyMap<string, number>): string {
  let top = '';
  let topCount = 0;
  for (const [reason, n] of reasons) {
    if (n > topCount) [top, topCount] = [reason, n];
  }
  const share =
    topCount === profiles
      ? `all ${count(profiles)} profiles`
      : `${count(topCount)} of ${count(profiles)} profiles`;
  const source = NO_DEDUPE_SOURCE.exec(top)?.[1];
  if (top === NOT_A_MEMBER) {
    return (
      `Every profile is skipped: none of the config's audience ids occurs in the sample ` +
      `(${share}: ${top}). Check the audience ids against the profiles' segmentMembership.`
    );
  }
  if (source !== undefined) {
    return (
      `Every profile is skipped: the dedupe source column ${source} is missing from the ` +
      `profiles or empty (${share}: ${top}).`
    );
  }
  if (top === NO_DEDUPE_MAPPING) {
    return `Every profile is skipped: no mapping targets the dedupe field (${share}).`;
  }
  return `Every profile is skipped; the most common reason (${share}): ${top}.`;
}

/** The result without its outcomes, with the counts and the all-skipped sentence. */
export function overviewOf(result: SimulationResult): SimulationOverview {
  const { outcomes, ...rest } = result;
  let rowsWithWarnings = 0;
  for (const outcome of outcomes) if (outcome.warnings.length) rowsWithWarnings++;
  return { ...rest, rowsWithWarnings, allSkippedBecause: explainAllSkipped(result) };
}

/**
 * The overview and first page of a result held in memory (tests, fixtures): what the server
 * sends for a run it keeps.
 */
export function localRun(
  result: SimulationResult,
  runId = 'local',
): { runId: string; result: SimulationOverview; firstPage: OutcomePage } {
  const { outcomes } = result;
  return {
    runId,
    result: overviewOf(result),
    firstPage: {
      runId,
      offset: 0,
      total: outcomes.length,
      matching: outcomes.length,
      rows: outcomes.slice(0, PAGE_ROWS),
    },
  };
}
