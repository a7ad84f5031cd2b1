/**
 * What import tells its user, one line each: which params became which config keys, which were
 * kept as they were, and for an older card what carried over and what did not.
 */
import type { ImportReport } from './flowServiceTypes';

export function importReportLines(report: ImportReport): string[] {
  const lines: string[] = [];
  for (const mapped of report.mapped) {
    lines.push(`mapped param ${mapped.param} → ${mapped.key} ${JSON.stringify(mapped.value)}`);
  }
  const migration = report.migration;
  if (report.kept.length) {
    // A migrated config makes a new dataflow: the old params are kept for the record only.
    const where = migration
      ? 'flowService.migratedFrom.targetConnectionParams, for the record'
      : 'flowService.targetConnection.params';
    lines.push(`kept as they were (${where}): ${report.kept.join(', ')}`);
  }
  if (migration) {
    lines.push(
      `migrated from ${migration.fromTitle} to Marketo Engage Connection (Adobe migrates nothing itself):`,
    );
    for (const line of migration.carried) lines.push(`  carried over: ${line}`);
    for (const line of migration.notCarried) lines.push(`  not carried: ${line}`);
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines;
}
