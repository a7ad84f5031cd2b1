/**
 * The reports of a DuckDB simulation, byte for byte those of the TypeScript engine's result:
 * the JSON, CSV and Markdown reports are written by DuckDB into a file (the head and the tail
 * from the report writers of common/, the rows from `rows.ts`); the text plan is rendered
 * from the outcomes it shows (the first of each group) and the groups' sizes.
 */
import { jsonReportChunks } from '../../../../common/jsonReport';
import {
  type ReportMeta,
  toCsvReport,
  toMarkdownReport,
  toTextPlan,
} from '../../../../common/reportFormats';
import type { SimulationResult } from '../../../../common/simulationReport';
import type { DuckDbSimulation, RowFormat } from './engine';

/** Outcome lines of each group in the text plan (`toTextPlan`'s default). */
const SHOWN_PER_GROUP = 20;

function withoutOutcomes(sim: DuckDbSimulation): SimulationResult {
  return { ...sim.run, outcomes: [] };
}

/** The report's text before the first row and after the last. */
export function reportFrame(
  sim: DuckDbSimulation,
  format: RowFormat,
  meta: ReportMeta,
): { head: string; tail: string } {
  const result = withoutOutcomes(sim);
  switch (format) {
    case 'json': {
      const [head, tail] = [...jsonReportChunks(result)] as [string, string];
      return { head, tail: `${tail}\n` };
    }
    case 'csv':
      return { head: toCsvReport(result), tail: '' };
    case 'markdown':
      return { head: toMarkdownReport(result, meta), tail: '' };
  }
}

/** Writes the whole report (`aep-dest simulate --format json|csv|markdown`) to `file`. */
export async function writeReportFile(
  sim: DuckDbSimulation,
  format: RowFormat,
  meta: ReportMeta,
  file: string,
): Promise<void> {
  const { head, tail } = reportFrame(sim, format, meta);
  await sim.writeRows(format, file, head, tail);
}

/** The text plan (`--format text`): memory holds the outcomes it shows, never all of them. */
export async function textPlan(
  sim: DuckDbSimulation,
  meta: ReportMeta,
  color: boolean,
  maxPerGroup = SHOWN_PER_GROUP,
): Promise<string> {
  const groups = await sim.shownOutcomes(maxPerGroup);
  return toTextPlan(withoutOutcomes(sim), meta, { color, maxPerGroup, groups });
}
