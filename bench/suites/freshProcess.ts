/**
 * 6. `aep-dest validate` of one config in a fresh process against VS Code's JSON language
 * service in a fresh process (bench/cases/jsonlsOnce.ts), both as whole processes timed from
 * spawn to exit: the extra time of a 1 MB config over a tiny one, interleaved rounds.
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
  const t: Record<string, number[]> = { ourBig: [], ourTiny: [], lsBig: [], lsTiny: [] };
  const ours = (file: string) =>
    runTimed(process.execPath, [ctx.cli, 'validate', '--format', 'json', file], { cwd: ctx.root });
  const jsonls = (file: string) =>
    runTimed(process.execPath, [ctx.caseScript('jsonlsOnce'), '--file', file], { cwd: ctx.root });
  for (let i = 0; i < rounds; i++) {
    t.ourBig?.push((await ours(big)).wallMs);
    t.lsBig?.push((await jsonls(big)).wallMs);
    t.ourTiny?.push((await ours(tiny)).wallMs);
    t.lsTiny?.push((await jsonls(tiny)).wallMs);
  }
  const m = (k: string): number => medianOf(t[k] ?? []);
  const ourExtra = m('ourBig') - m('ourTiny');
  const lsExtra = m('lsBig') - m('lsTiny');
  const ratio = lsExtra / ourExtra;
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
      cpu: '–',
    });
  }
  report.raw.freshProcess = { ...t, ourExtra, lsExtra };
  report.target(
    'Issue 12 target 4: aep-dest validate of 1 MB in a fresh process vs the JSON language service in a fresh process (extra time over a tiny file)',
    `≥ ${x(GOAL)} faster`,
    `${x(ratio)} faster (+${ms(ourExtra)} vs +${ms(lsExtra)})`,
    ratio >= GOAL,
    ratio >= GOAL ? `met with ${x(ratio / GOAL)} to spare` : `missed by ${x(GOAL / ratio)}`,
  );
}
