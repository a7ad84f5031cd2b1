/**
 * `npm run bench` (issue #5): generates its inputs (seeded), runs every benchmark, prints a
 * table and writes bench/RESULTS.md. Ratios compare measurements of the same run.
 *
 *   node --import tsx bench/run.ts [--quick] [--only=validation,lsp,editor,cli,simulation,extension,limits,results]
 *
 * --quick runs smaller sizes and fewer rounds (about a minute in all), to check the bench
 * itself; --only (also `--only a,b`) runs some suites, so `--quick --only=limits` checks one
 * suite in seconds. Either writes bench/generated/RESULTS.partial.md instead of
 * bench/RESULTS.md. The suites, in the order they run (bench/suites/):
 *
 *   extension   4. extension activation and the production bundles' sizes   extension.ts
 *   validation  1. in-process validation at three sizes, and its breakdown  validation.ts
 *   lsp         2. keystroke → diagnostics, and server memory (the corpus)  keystroke.ts, corpus.ts
 *   editor      6. requests during a burst of edits on 5 MB, server memory  editor.ts
 *   cli         2. aep-dest validate over the corpus                        corpus.ts
 *   simulation  3. simulation against DuckDB, and the CLI                   simulation.ts
 *   limits      5. the time limits moved out of npm test, OK or OVER        limits.ts
 *   results     7. the results view at 10M outcomes: opening, pages, sorts  resultsPaging.ts
 *               7b. Simulate Export of 10M × 10M through the built server   resultsServer.ts
 *
 * Needs `npm run build` first (the LSP, CLI and extension benchmarks run the production
 * bundles in dist/). In-process cases run in child processes built from bench/cases/ with
 * the same esbuild options as scripts/build.mjs, one process per case, so that each case's
 * peak RSS (`process.resourceUsage().maxRSS`) is its own. Generated inputs go to
 * bench/generated/ (git-ignored); the 1,000-file corpus of the CLI goes to a temp dir.
 * bench/report.ts collects the rows and writes the report; bench/context.ts sets up the run.
 */
import * as path from 'node:path';
import { type SuiteName, parseOptions, prepare } from './context';
import { Report } from './report';
import { corpusBench } from './suites/corpus';
import { editorBench } from './suites/editor';
import { extensionBench } from './suites/extension';
import { freshProcessBench } from './suites/freshProcess';
import { keystrokeBench } from './suites/keystroke';
import { limitsBench } from './suites/limits';
import { resultsPagingBench } from './suites/resultsPaging';
import { resultsServerBench } from './suites/resultsServer';
import { simulationBench } from './suites/simulation';
import { validationBench, validationBreakdownBench } from './suites/validation';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const enabled = (name: SuiteName): boolean => !options.only || options.only.has(name);
  const report = new Report(options.quick);
  const { ctx, machine } = await prepare(ROOT, options, report);
  report.log(
    `${machine.CPU}, ${machine.Cores} cores, ${machine.Memory}, Node ${machine.Node}${options.quick ? ' (quick)' : ''}`,
  );
  if (enabled('extension')) {
    report.section('4. extension');
    await extensionBench(ctx);
  }
  let inProcess1MB: number | undefined;
  if (enabled('validation')) {
    report.section('1. validation');
    inProcess1MB = await validationBench(ctx);
    await validationBreakdownBench(ctx);
  }
  if (enabled('lsp')) {
    report.section('2. keystroke');
    await keystrokeBench(ctx, inProcess1MB);
  }
  if (enabled('editor')) {
    report.section('6. editor');
    await editorBench(ctx);
    await freshProcessBench(ctx);
  }
  if (enabled('lsp') || enabled('cli')) {
    await corpusBench(ctx, { serverMemory: enabled('lsp'), cliValidate: enabled('cli') });
  }
  if (enabled('simulation')) {
    report.section('3. simulation');
    await simulationBench(ctx);
  }
  if (enabled('limits')) {
    report.section('5. time limits');
    await limitsBench(ctx);
  }
  if (enabled('results')) {
    report.section('7. results view');
    await resultsPagingBench(ctx);
    await resultsServerBench(ctx);
  }
  report.section('end');
  const partial = options.quick || options.only !== undefined;
  const out = path.join(ROOT, 'bench', partial ? 'generated/RESULTS.partial.md' : 'RESULTS.md');
  report.finish(machine, out, path.relative(ROOT, out));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
