/**
 * 1. Validation in-process: ours against vscode-json-languageservice and the JSON.parse floor,
 * at three config sizes, each case in its own process (bench/cases/validation.ts); then where
 * the time of one 1 MB validation goes (bench/cases/validationBreakdown.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configText } from '../../test/fixtures/generate';
import type { BenchContext } from '../context';
import { type ChildResult, runCase } from '../lib/child';
import { type Summary, medianOf, ms, summarise, times as x } from '../lib/stats';

function sizes(quick: boolean) {
  return quick
    ? [
        { mappings: 50, audiences: 3, warmup: 300, budget: 500 },
        { mappings: 10_000, audiences: 200, warmup: 500, budget: 1000 },
      ]
    : [
        { mappings: 50, audiences: 3, warmup: 500, budget: 3000 },
        { mappings: 1_000, audiences: 20, warmup: 800, budget: 4000 },
        { mappings: 10_000, audiences: 200, warmup: 1500, budget: 7500 },
      ];
}

/** Runs the validation cases; resolves with the median time of ours at 1 MB, if measured. */
export async function validationBench(ctx: BenchContext): Promise<number | undefined> {
  const { report } = ctx;
  const rounds = ctx.quick ? 1 : 3;
  let inProcess1MB: number | undefined;
  for (const size of sizes(ctx.quick)) {
    const file = path.join(ctx.generated, `config-${size.mappings}.destination.json`);
    fs.writeFileSync(file, configText(1000 + size.mappings, size.mappings, size.audiences));
    const bytes = fs.statSync(file).size;
    // Interleaved rounds (each a fresh process per implementation), so that load from other
    // jobs on a shared machine falls on every implementation alike.
    const results: Record<string, ChildResult> = {};
    for (let round = 0; round < rounds; round++) {
      for (const impl of ['jsonparse', 'jsonls', 'ours']) {
        const r = await runCase(ctx.caseScript('validation'), {
          impl,
          file,
          warmup: size.warmup,
          budget: size.budget / rounds,
          'min-samples': Math.ceil(15 / rounds),
        });
        const acc = results[impl];
        if (!acc) results[impl] = { ...r, cpuRuns: [r.cpuPerRun] };
        else {
          (acc.samples as number[]).push(...(r.samples as number[]));
          (acc.cpuRuns as number[]).push(r.cpuPerRun as number);
          acc.peakRss = Math.max(acc.peakRss, r.peakRss);
        }
      }
    }
    for (const r of Object.values(results)) r.cpuPerRun = medianOf(r.cpuRuns as number[]);
    const s = (impl: string): Summary => summarise(results[impl]?.samples as number[]);
    const ours = s('ours');
    const jsonls = s('jsonls');
    const floor = s('jsonparse');
    const label = `${size.mappings.toLocaleString('en')} mappings, ${size.audiences} audiences (${(bytes / 1024).toFixed(0)} kB)`;
    const bench = `1. Validation: ${label}`;
    report.timeRow(
      bench,
      'ours (syntax + schema + every rule)',
      ours,
      `${x(jsonls.median / ours.median)} faster than JSON LS; ${x(ours.median / floor.median)} JSON.parse`,
      results.ours?.peakRss,
      results.ours?.cpuPerRun as number,
    );
    report.timeRow(
      bench,
      'vscode-json-languageservice parse + doValidation',
      jsonls,
      'baseline',
      results.jsonls?.peakRss,
      results.jsonls?.cpuPerRun as number,
    );
    report.timeRow(
      bench,
      'JSON.parse (floor)',
      floor,
      'floor',
      results.jsonparse?.peakRss,
      results.jsonparse?.cpuPerRun as number,
    );
    report.raw[`validation-${size.mappings}`] = {
      bytes,
      ours: { ...ours, findings: results.ours?.findings, codes: results.ours?.codes },
      jsonls: { ...jsonls, findings: results.jsonls?.findings, codes: results.jsonls?.codes },
      jsonparse: floor,
    };
    const expected = size.mappings > 50 ? 1 : 0;
    if (results.ours?.findings !== expected || results.jsonls?.findings !== 0) {
      report.note(
        `Sanity check failed at ${size.mappings} mappings: ours reported ${String(results.ours?.findings)} findings (${JSON.stringify(results.ours?.codes)}), expected ${expected}; JSON LS ${String(results.jsonls?.findings)} (${JSON.stringify(results.jsonls?.codes)}), expected 0.`,
      );
    }
    if (size.mappings === 10_000) {
      inProcess1MB = ours.median;
      targets1MB(ctx, ours, jsonls, floor, results);
    }
  }
  return inProcess1MB;
}

function targets1MB(
  ctx: BenchContext,
  ours: Summary,
  jsonls: Summary,
  floor: Summary,
  results: Record<string, ChildResult>,
): void {
  const speedup = jsonls.median / ours.median;
  const cpu = (r: ChildResult | undefined): number => r?.cpuPerRun as number;
  ctx.report.target(
    'Validation at 1 MB vs vscode-json-languageservice',
    '≥ 3× faster',
    `${x(speedup)} faster (${ms(ours.median)} vs ${ms(jsonls.median)}); by CPU time ${x(cpu(results.jsonls) / cpu(results.ours))} (${ms(cpu(results.ours))} vs ${ms(cpu(results.jsonls))})`,
    speedup >= 3,
    speedup >= 3
      ? `met with ${x(speedup / 3)} to spare`
      : `missed: needs ${x(3 / speedup)} more speed`,
  );
  const overFloor = ours.median / floor.median;
  ctx.report.target(
    'Validation at 1 MB vs JSON.parse',
    '≤ 4× JSON.parse',
    `${x(overFloor)} (${ms(ours.median)} vs ${ms(floor.median)}); by CPU time ${x(cpu(results.ours) / cpu(results.jsonparse))}`,
    overFloor <= 4,
    overFloor <= 4
      ? `met with ${x(4 / overFloor)} to spare`
      : `missed by ${x(overFloor / 4)} (needs ≤ ${ms(floor.median * 4)})`,
  );
}

/** Where one validation of the 1 MB config goes, phase by phase (see the case). */
export async function validationBreakdownBench(ctx: BenchContext): Promise<void> {
  const file = path.join(ctx.generated, 'config-10000.destination.json');
  if (!fs.existsSync(file)) fs.writeFileSync(file, configText(11_000, 10_000, 200));
  const result = await runCase(ctx.caseScript('validationBreakdown'), {
    file,
    rounds: ctx.quick ? 10 : 30,
  });
  ctx.report.raw.validationBreakdown = result.phases;
}
