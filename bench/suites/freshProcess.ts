/**
 * 6. `aep-dest validate` of one config in a fresh process against VS Code's JSON language
 * service in a fresh process (bench/cases/jsonlsOnce.ts), both as whole processes timed from
 * spawn to exit: the extra time of a 1 MB config over a tiny one, interleaved rounds. The
 * verdict is on wall time, as the target says; CPU time (user + system, all threads, from
 * /usr/bin/time) is shown beside it, the steadier figure on a shared machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configText } from '../../test/fixtures/generate';
import type { BenchContext } from '../context';
import { runTimed } from '../lib/child';
import { medianOf, ms, times as x } from '../lib/stats';

const GOAL = 3;

export async function freshProcessBench(ctx: BenchContext): Promise<void> {
  const { report } = ctx;
  const big = path.join(ctx.generated, 'config-10000.destination.json');
  if (!fs.existsSync(big)) fs.writeFileSync(big, configText(11000, 10_000, 200));
  const tiny = path.join(ctx.generated, 'config-tiny.destination.json');
  if (!fs.existsSync(tiny)) fs.writeFileSync(tiny, configText(7, 5, 1));
  const rounds = ctx.quick ? 3 : 7;
  const KEYS = ['ourBig', 'lsBig', 'ourTiny', 'lsTiny'] as const;
  const t: Record<string, number[]> = { ourBig: [], ourTiny: [], lsBig: [], lsTiny: [] };
  const cpu: Record<string, number[]> = { ourBig: [], ourTiny: [], lsBig: [], lsTiny: [] };
  const run = async (key: (typeof KEYS)[number]): Promise<void> => {
    const file = key.endsWith('Big') ? big : tiny;
    const argv = key.startsWith('our')
      ? [ctx.cli, 'validate', '--format', 'json', file]
      : [ctx.caseScript('jsonlsOnce'), '--file', file];
    const result = await runTimed(process.execPath, argv, { cwd: ctx.root });
    // validate exits 1 on errors; 2 (or a crash) would time a failure, not a validation.
    if (result.code !== 0 && result.code !== 1)
      throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
    t[key]?.push(result.wallMs);
    cpu[key]?.push(result.cpuMs);
  };
  for (let i = 0; i < rounds; i++) for (const key of KEYS) await run(key);
  const m = (k: string): number => medianOf(t[k] ?? []);
  const c = (k: string): number => medianOf(cpu[k] ?? []);
  const ourExtra = m('ourBig') - m('ourTiny');
  const lsExtra = m('lsBig') - m('lsTiny');
  const ratio = lsExtra / ourExtra;
  const cpuRatio = (c('lsBig') - c('lsTiny')) / (c('ourBig') - c('ourTiny'));
  const bench = `6. Fresh process: validate one config, spawn to exit (${rounds} interleaved rounds)`;
  for (const [k, what] of [
    ['ourBig', 'aep-dest validate --format json, 1 MB config'],
    ['ourTiny', 'aep-dest validate --format json, tiny config'],
    ['lsBig', 'vscode-json-languageservice once (configure, parse, doValidation), 1 MB config'],
    ['lsTiny', 'vscode-json-languageservice once, tiny config'],
  ] as const) {
    report.row({
      bench,
      case: what,
      median: ms(m(k)),
      spread: `${ms(Math.min(...(t[k] ?? [])))}–${ms(Math.max(...(t[k] ?? [])))} (min–max)`,
      ratio: k.startsWith('our')
        ? `extra for 1 MB ${ms(ourExtra)}`
        : `extra for 1 MB ${ms(lsExtra)}`,
      peak: '–',
      cpu: ms(c(k)),
    });
  }
  report.raw.freshProcess = { wall: t, cpu, ourExtra, lsExtra, cpuRatio };
  report.target(
    'Issue 12 target 4: aep-dest validate of 1 MB in a fresh process vs the JSON language service in a fresh process (extra time over a tiny file)',
    `≥ ${x(GOAL)} faster`,
    `${x(ratio)} faster (+${ms(ourExtra)} vs +${ms(lsExtra)}); by CPU time ${x(cpuRatio)} (+${ms(c('ourBig') - c('ourTiny'))} vs +${ms(c('lsBig') - c('lsTiny'))})`,
    ratio >= GOAL,
    ratio >= GOAL ? `met with ${x(ratio / GOAL)} to spare` : `missed by ${x(GOAL / ratio)}`,
  );
}
