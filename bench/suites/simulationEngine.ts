/**
 * 3b. The DuckDB engine of `aep-dest simulate` end to end (the built CLI, JSON report to
 * /dev/null) against the baseline issue 12 names, "DuckDB's bare matching query writing the
 * same per-profile rows": one hand-written statement that writes the JSON report's outcome
 * objects (`bench/cases/duckdbRows.ts`), checked byte for byte against ours at each size.
 * Beside it, for the record, the older narrow baseline: the matching query writing six CSV
 * columns a profile (`bench/cases/duckdb.ts --write`). Interleaved run by run; peak RSS of
 * the process (DuckDB's memory is native, in the same process: `/usr/bin/time`'s maximum RSS
 * holds it); time per row at 100k, 1M and 10M. Prints the three targets of issue 12.
 *
 * BENCH_SIM_RUNS (default 2): runs per size below 10M; BENCH_SIM_MAX (default 10000000): the
 * largest size. Inputs are generated once into bench/generated/ and reused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
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

interface Size {
  count: number;
  runs: number;
  /** Whether the bare query runs beside ours at this size. */
  bare: boolean;
}

async function cliRun(ctx: BenchContext, config: string, out?: string): Promise<EngineRun> {
  const r = await runTimed(
    process.execPath,
    [
      ctx.cli,
      'simulate',
      config,
      '--format',
      'json',
      '--engine',
      'duckdb',
      '--no-progress',
      ...(out ? ['--out', out] : []),
    ],
    { stdoutTo: 'null' },
  );
  if (r.code !== 0)
    throw new Error(`aep-dest simulate --engine duckdb exited ${r.code}: ${r.stderr}`);
  return r;
}

/**
 * Where the baseline's rows (outcome objects, each followed by ',') first differ from the
 * outcomes of our JSON report, or undefined when they are the same bytes.
 */
function firstDifference(report: string, rows: string): number | undefined {
  const ours = fs.readFileSync(report);
  const start = ours.indexOf('"outcomes":[') + '"outcomes":['.length;
  const end = ours.lastIndexOf('],"apiPlan":');
  const a = ours.subarray(start, end);
  const theirs = fs.readFileSync(rows);
  const b = theirs.subarray(0, Math.max(0, theirs.length - 1));
  if (a.equals(b)) return undefined;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function sizes(ctx: BenchContext): Size[] {
  if (ctx.quick) return [{ count: 100_000, runs: 1, bare: true }];
  const runs = Number(process.env.BENCH_SIM_RUNS ?? 2);
  const max = Number(process.env.BENCH_SIM_MAX ?? 10_000_000);
  return [
    { count: 100_000, runs, bare: true },
    { count: 1_000_000, runs, bare: true },
    { count: 10_000_000, runs: 1, bare: false },
  ].filter((s) => s.count <= max);
}

const load = (): string => os.loadavg()[0]?.toFixed(1) ?? '?';
const count = (n: number): string => n.toLocaleString('en');

export async function simulationEngineBench(ctx: BenchContext): Promise<void> {
  const { report } = ctx;
  const perRow: { count: number; usPerRow: number; cpuUsPerRow: number }[] = [];
  const rowsOut = path.join(ctx.generated, 'bare-rows.json');
  const narrowOut = path.join(ctx.generated, 'bare-narrow.csv');
  const reportOut = path.join(ctx.generated, 'engine-report.json');
  const lines: string[] = [];
  for (const { count: n, runs, bare: withBare } of sizes(ctx)) {
    const files = simulationInputs(ctx, n);
    const ours: EngineRun[] = [];
    const bare: ChildResult[] = [];
    const narrow: ChildResult[] = [];
    const loads: string[] = [];
    for (let i = 0; i < runs; i++) {
      loads.push(load());
      ours.push(await cliRun(ctx, files.config));
      if (withBare) {
        bare.push(await runCase(ctx.caseScript('duckdbRows'), { ...files, write: rowsOut }));
        narrow.push(await runCase(ctx.caseScript('duckdb'), { ...files, write: narrowOut }));
      }
      report.log(`3b. ${count(n)}: run ${i + 1} of ${runs} (load ${loads[loads.length - 1]})`);
    }
    // Untimed: the report in a file, to hold the baseline's rows against.
    let differs: number | undefined;
    if (withBare) {
      await cliRun(ctx, files.config, reportOut);
      differs = firstDifference(reportOut, rowsOut);
    }
    for (const f of [rowsOut, narrowOut, reportOut]) fs.rmSync(f, { force: true });
    const so = summarise(ours.map((r) => r.wallMs));
    const cpu = medianOf(ours.map((r) => r.cpuMs));
    const bench = `3b. DuckDB engine: ${count(n)} profiles × ${count(n)} leads (CSV), ${runs} run${runs === 1 ? '' : 's'}, fresh process each, load ${loads.join('/')}`;
    perRow.push({ count: n, usPerRow: (so.median * 1000) / n, cpuUsPerRow: (cpu * 1000) / n });
    report.raw[`simulation-engine-${n}`] = { ours: so, peak: peakOf(ours), cpu };
    if (withBare) {
      const sb = summarise(bare.map((r) => r.totalMs as number));
      const bareCpu = medianOf(bare.map((r) => r.cpuMs as number));
      const sn = summarise(narrow.map((r) => r.totalMs as number));
      const narrowCpu = medianOf(narrow.map((r) => r.cpuMs as number));
      const ratio = so.median / sb.median;
      const same =
        differs === undefined
          ? 'the same bytes as our outcomes'
          : `NOT our outcomes: they differ at byte ${differs}`;
      report.timeRow(
        bench,
        'aep-dest simulate --engine duckdb --format json > /dev/null (process start, validation, DuckDB reads, decides and writes the report)',
        so,
        `${x(ratio)} the bare query (CPU ${x(cpu / bareCpu)}); ${x(so.median / sn.median)} the narrow one`,
        peakOf(ours),
        cpu,
      );
      report.timeRow(
        bench,
        `DuckDB bare matching query writing the same per-profile rows (one statement: the outcome objects, in file order; ${same})`,
        sb,
        'baseline',
        peakOf(bare),
        bareCpu,
      );
      report.timeRow(
        bench,
        'DuckDB bare matching query writing six CSV columns a profile (pos, dedupe value, action, lead id, matches, changes; the older, narrower baseline)',
        sn,
        '–',
        peakOf(narrow),
        narrowCpu,
      );
      (report.raw[`simulation-engine-${n}`] as Record<string, unknown>).bare = sb;
      (report.raw[`simulation-engine-${n}`] as Record<string, unknown>).narrow = sn;
      lines.push(
        `${count(n)}: ours ${ms(so.median)} (CPU ${ms(cpu)}, ${mb(peakOf(ours))}), bare ${ms(sb.median)} (CPU ${ms(bareCpu)}): ${x(ratio)}; narrow ${ms(sn.median)}: ${x(so.median / sn.median)}`,
      );
      if (n === 1_000_000) {
        const met = ratio <= 1.5 && differs === undefined;
        report.target(
          'DuckDB engine, 1,000,000 × 1,000,000 end to end vs the bare matching query writing the same rows',
          '≤ 1.5×',
          `${x(ratio)} (${ms(so.median)} vs ${ms(sb.median)}; CPU ${x(cpu / bareCpu)}; load ${loads.join('/')}; the baseline's rows are ${same}; against the narrow baseline ${x(so.median / sn.median)})`,
          met,
          differs !== undefined
            ? 'missed: the baseline does not write our rows, so the ratio compares different work'
            : met
              ? `met with ${x(1.5 / ratio)} to spare`
              : `missed by ${x(ratio / 1.5)} (needs ≤ ${ms(sb.median * 1.5)})`,
        );
      }
    } else {
      report.timeRow(
        bench,
        'aep-dest simulate --engine duckdb --format json > /dev/null',
        so,
        '–',
        peakOf(ours),
        cpu,
      );
      lines.push(`${count(n)}: ours ${ms(so.median)} (CPU ${ms(cpu)}, ${mb(peakOf(ours))})`);
    }
    if (n === 10_000_000) {
      const limit = 2 * 1024 ** 3;
      const peak = peakOf(ours);
      report.target(
        'DuckDB engine, 10,000,000 × 10,000,000: peak RSS of the CLI process (DuckDB included)',
        '≤ 2 GB',
        `${mb(peak)} in ${ms(so.median)}`,
        peak <= limit,
        peak <= limit ? `met with ${mb(limit - peak)} to spare` : `missed by ${mb(peak - limit)}`,
      );
    }
  }
  if (perRow.length > 1) {
    // Linear: the time per row does not grow from one size to the next (a fixed start-up
    // makes it shrink); more than 1.5× growth at any step is super-linear.
    const steps = perRow.slice(1).map((p, i) => p.usPerRow / (perRow[i]?.usPerRow ?? p.usPerRow));
    const worst = Math.max(...steps);
    report.target(
      `DuckDB engine: cost linear in rows (time per row, ${perRow.map((p) => count(p.count)).join(' → ')})`,
      'time per row grows ≤ 1.5× from one size to the next',
      perRow
        .map(
          (p) =>
            `${count(p.count)}: ${p.usPerRow.toFixed(2)} µs/row (CPU ${p.cpuUsPerRow.toFixed(2)})`,
        )
        .join('; '),
      worst <= 1.5,
      worst <= 1.5 ? `met (largest step ${x(worst)})` : `missed (a step of ${x(worst)})`,
    );
  }
  for (const line of lines) report.log(`3b. ${line}`);
}
