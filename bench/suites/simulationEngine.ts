/**
 * 3b. The DuckDB engine of `aep-dest simulate` end to end (the built CLI, JSON report to
 * /dev/null) against DuckDB's bare matching query writing the same per-profile rows (CSV,
 * `bench/cases/duckdb.ts --write`), interleaved; peak RSS of the whole process (DuckDB's
 * native memory included); time per row from 100k to 4M profiles (10M with BENCH_SIM_10M=1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchContext } from '../context';
import { type ChildResult, peakOf, runCase, runTimed } from '../lib/child';
import { mb, medianOf, ms, summarise, times as x } from '../lib/stats';
import { simulationInputs } from './simulation';

interface EngineRun {
  wallMs: number;
  peakRss: number;
  cpuMs: number;
}

async function cliRun(ctx: BenchContext, config: string): Promise<EngineRun> {
  const r = await runTimed(
    process.execPath,
    [ctx.cli, 'simulate', config, '--format', 'json', '--engine', 'duckdb', '--no-progress'],
    { stdoutTo: 'null' },
  );
  if (r.code !== 0)
    throw new Error(`aep-dest simulate --engine duckdb exited ${r.code}: ${r.stderr}`);
  return r;
}

export async function simulationEngineBench(ctx: BenchContext): Promise<void> {
  const { report } = ctx;
  const sizes = ctx.quick
    ? [{ count: 100_000, runs: 1 }]
    : [
        { count: 100_000, runs: 3 },
        { count: 1_000_000, runs: 3 },
        { count: 4_000_000, runs: 1 },
        ...(process.env.BENCH_SIM_10M ? [{ count: 10_000_000, runs: 1 }] : []),
      ];
  const perRow: { count: number; usPerRow: number }[] = [];
  const out = path.join(ctx.generated, 'bare-rows.csv');
  for (const { count, runs } of sizes) {
    const files = simulationInputs(ctx, count);
    const ours: EngineRun[] = [];
    const bare: ChildResult[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await cliRun(ctx, files.config));
      bare.push(await runCase(ctx.caseScript('duckdb'), { ...files, write: out }));
    }
    fs.rmSync(out, { force: true });
    const so = summarise(ours.map((r) => r.wallMs));
    const sb = summarise(bare.map((r) => r.totalMs as number));
    const bench = `3b. DuckDB engine: ${count.toLocaleString('en')} profiles × ${count.toLocaleString('en')} leads (CSV), ${runs} run${runs === 1 ? '' : 's'}, fresh process each`;
    const ratio = so.median / sb.median;
    report.timeRow(
      bench,
      'aep-dest simulate --engine duckdb --format json > /dev/null (process start, validation, DuckDB join, TypeScript decision, report)',
      so,
      `${x(ratio)} the bare query`,
      peakOf(ours),
      medianOf(ours.map((r) => r.cpuMs)),
    );
    report.timeRow(
      bench,
      'DuckDB bare matching query writing one CSV row per profile (COPY … ORDER BY pos)',
      sb,
      'baseline',
      peakOf(bare),
      medianOf(bare.map((r) => r.cpuMs as number)),
    );
    perRow.push({ count, usPerRow: (so.median * 1000) / count });
    report.raw[`simulation-engine-${count}`] = {
      ours: so,
      bare: sb,
      peaks: { ours: peakOf(ours), bare: peakOf(bare) },
    };
    if (count === 1_000_000) {
      report.target(
        'DuckDB engine, 1,000,000 × 1,000,000 end to end vs the bare matching query writing the rows',
        '≤ 1.5×',
        `${x(ratio)} (${ms(so.median)} vs ${ms(sb.median)})`,
        ratio <= 1.5,
        ratio <= 1.5
          ? `met with ${x(1.5 / ratio)} to spare`
          : `missed by ${x(ratio / 1.5)} (needs ≤ ${ms(sb.median * 1.5)})`,
      );
    }
    if (count >= 4_000_000) {
      const limit = 2 * 1024 ** 3;
      const peak = peakOf(ours);
      report.target(
        `DuckDB engine, ${count.toLocaleString('en')} × ${count.toLocaleString('en')}: peak RSS of the CLI`,
        '≤ 2 GB',
        mb(peak),
        peak <= limit,
        peak <= limit ? `met with ${mb(limit - peak)} to spare` : `missed by ${mb(peak - limit)}`,
      );
    }
  }
  if (perRow.length > 1) {
    const first = perRow[0] as { usPerRow: number };
    const last = perRow[perRow.length - 1] as { count: number; usPerRow: number };
    const growth = last.usPerRow / first.usPerRow;
    report.target(
      'DuckDB engine: cost linear in rows (time per row, largest size vs 100k)',
      '≤ 1.5× the time per row at 100k',
      perRow
        .map((p) => `${p.count.toLocaleString('en')}: ${p.usPerRow.toFixed(2)} µs/row`)
        .join('; '),
      growth <= 1.5,
      growth <= 1.5 ? `met (${x(growth)})` : `missed (${x(growth)})`,
    );
  }
}
