/**
 * The report of one `npm run bench`: the rows, targets and problems the suites add, printed
 * as they come (stderr), summarised at the end (stdout) and written as Markdown
 * (bench/RESULTS.md, or bench/generated/RESULTS.partial.md for a partial run).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { type Summary, mb, ms, spreadOf } from './lib/stats';

export interface Row {
  bench: string;
  case: string;
  median: string;
  spread: string;
  ratio: string;
  peak: string;
  /** Median CPU time (user + system, all threads) of the measured work. */
  cpu: string;
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
  margin: string;
}

/** One phase of the 1 MB validation (bench/cases/validationBreakdown.ts). */
export interface Phase {
  name: string;
  median: number;
  min: number;
  cpu: number;
}

export class Report {
  readonly rows: Row[] = [];
  readonly targets: Target[] = [];
  /** Problems the run found (failed sanity checks); listed in their own section. */
  readonly notes: string[] = [];
  /** Every measurement, for the JSON at the end of the report. */
  readonly raw: Record<string, unknown> = {};
  /** The 1-minute load average when each benchmark started: the machine may be shared. */
  private readonly loads: string[] = [];
  private readonly started = performance.now();

  constructor(private readonly quick: boolean) {}

  /** Seconds since the run started. */
  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  log(message: string): void {
    process.stderr.write(`[bench ${this.elapsedSeconds().toFixed(0)}s] ${message}\n`);
  }

  section(name: string): void {
    const [one, five] = os.loadavg();
    this.loads.push(`${name}: ${one?.toFixed(2)} (5 min ${five?.toFixed(2)})`);
    this.log(`${name} (load average ${one?.toFixed(2)})`);
  }

  row(r: Row): void {
    this.rows.push(r);
    this.log(
      `${r.bench} | ${r.case} | ${r.median} | ${r.spread} | ${r.ratio} | ${r.peak} | cpu ${r.cpu}`,
    );
  }

  timeRow(
    bench: string,
    name: string,
    s: Summary,
    ratio: string,
    peakBytes: number | undefined,
    cpu?: number,
  ): void {
    this.row({
      bench,
      case: name,
      median: ms(s.median),
      spread: spreadOf(s, ms),
      ratio,
      peak: peakBytes === undefined ? '–' : mb(peakBytes),
      cpu: cpu === undefined ? '–' : ms(cpu),
    });
  }

  target(what: string, goal: string, measured: string, met: boolean, margin: string): void {
    this.targets.push({ what, target: goal, measured, met, margin });
  }

  note(problem: string): void {
    this.notes.push(problem);
  }

  markdown(info: Record<string, string>, totalSeconds: number): string {
    const out: string[] = [];
    out.push('# Benchmark results', '');
    out.push(
      `Written by \`npm run bench\` (\`bench/run.ts\`${this.quick ? ', --quick' : ''}); every ratio compares measurements of this one run. Total run time ${totalSeconds.toFixed(0)} s.`,
      '',
    );
    out.push('## Machine', '', '| | |', '|---|---|');
    for (const [k, v] of Object.entries(info)) out.push(`| ${k} | ${v} |`);
    out.push(`| Load average (1 min) at the start of each part | ${this.loads.join('; ')} |`);
    out.push(
      '',
      '> The machine may be shared (other jobs ran during this run when the load average above is well over 0): wall times then include waiting for a core. The CPU column (user + system time of the process doing the work) is less sensitive to that; ratios compare contenders measured interleaved or back to back.',
    );
    out.push('', '## Results', '');
    out.push(
      '| benchmark | case | median | spread | ratio | peak memory | CPU |',
      '|---|---|---|---|---|---|---|',
    );
    for (const r of this.rows)
      out.push(
        `| ${r.bench} | ${r.case} | ${r.median} | ${r.spread} | ${r.ratio} | ${r.peak} | ${r.cpu} |`,
      );
    out.push('', '## Targets', '', '| target | goal | measured | verdict |', '|---|---|---|---|');
    for (const t of this.targets)
      out.push(`| ${t.what} | ${t.target} | ${t.measured} | ${t.met ? '✅' : '❌'} ${t.margin} |`);
    if (this.raw.validationBreakdown) {
      const phases = this.raw.validationBreakdown as Phase[];
      const total = phases.find((p) => p.name.startsWith('validate'))?.cpu ?? NaN;
      out.push(
        '',
        '## Where the time of one 1 MB validation goes',
        '',
        'Each phase timed on its own, fresh document version each round (`bench/cases/validationBreakdown.ts`): median wall time, fastest round, and median CPU time (user + system; the share is of CPU time, the steadier figure on a shared machine). Phases after the document construction run on the constructed document; rules under 0.5 ms of CPU are summed in one line. ↳ rows are parts of the row above, timed separately.',
        '',
        '| phase | wall median | fastest | CPU median | share of validate (CPU) |',
        '|---|---|---|---|---|',
      );
      let small = 0;
      let sum = 0;
      const line = (name: string, p: { median: number; min: number; cpu: number }): string =>
        `| ${name} | ${ms(p.median)} | ${ms(p.min)} | ${ms(p.cpu)} | ${((p.cpu / total) * 100).toFixed(0)}% |`;
      for (const p of phases) {
        const part =
          !p.name.startsWith('validate') && !p.name.startsWith('↳') && !p.name.startsWith('JSON');
        if (part) sum += p.cpu;
        if (p.name.startsWith('rule ') && p.cpu < 0.5) {
          small += p.cpu;
          continue;
        }
        out.push(line(p.name, p));
      }
      out.push(
        `| the other rules together | | | ${ms(small)} | ${((small / total) * 100).toFixed(0)}% |`,
      );
      out.push(
        `| sum of the phases (not ↳ rows) | | | ${ms(sum)} | ${((sum / total) * 100).toFixed(0)}% |`,
      );
    }
    if (this.raw.bundles) {
      out.push(
        '',
        '## Production bundles (`npm run build`)',
        '',
        '| file | size | gzip -9 |',
        '|---|---|---|',
      );
      out.push(...(this.raw.bundles as string[]));
    }
    if (this.notes.length)
      out.push('', '## Problems found by the run', '', ...this.notes.map((n) => `- ${n}`));
    out.push('', '## Method', '');
    out.push(
      '- **Peak memory** is the peak resident set size of the process that did the work: for in-process cases a separate `node` process per case, reading `process.resourceUsage().maxRSS` at its end; for the CLI `/usr/bin/time -f %M`; for the language server `VmHWM` from `/proc/<pid>/status`. It includes Node itself (a bare `node` is about 40 MB).',
      '- **Validation**: each case in its own process (bundled from `bench/cases/validation.ts` with the options of `scripts/build.mjs`); warm-up, then samples for a fixed time budget. Every validation gets a new `TextDocument` version of a service that has forgotten the one before (`forget`), so no parse is reused: the same text would otherwise take the previous tree over, the work of a keystroke (suite 2). A sample is a batch of validations of at least 2 ms divided by its size. JSON LS = `vscode-json-languageservice` `getLanguageService().configure({schemas:[destination.schema.json for *.destination.json]})`, then `parseJSONDocument` + `doValidation` (comments and trailing commas ignored), as VS Code validates a JSON file with a schema. Configs are valid: the only finding is `too-many-mapped-attributes` above 50 mappings; the JSON LS reports none (checked on every run).',
      "- **Keystroke**: the built server (`node dist/server/server.js --stdio`) driven by vscode-jsonrpc; after `didOpen`, one-character incremental `didChange` edits (a mapping target's first letter in the middle of the file, flipped case back and forth), 10 warm-up edits, 50 ms between edits as a typist would leave; timed from sending `didChange` to receiving `publishDiagnostics` of that version.",
      "- **Server memory**: the built server started as `node --expose-gc --require bench/generated/cases/settle.js dist/server/server.js --stdio`; the preload (bench only) runs `gc()` on SIGUSR2. After opening every config (waiting for each one's diagnostics) and 1 s idle, the bench sends SIGUSR2, waits for the GC to finish, and reads `VmRSS` from `/proc/<pid>/status`.",
      '- **CLI**: `node dist/cli/aep-dest.js …` timed by the bench from spawn to exit (process start included). `simulate` writes its JSON report to stdout redirected to /dev/null (`--out /dev/null` is not used: the atomic write renames a temp file over the target, which as root would replace the /dev/null device).',
      '- **Simulation**: every run is a fresh process (cold JIT, as a CLI run). In-process time = `readProfiles` + `readLeads` + `simulate` + a pass over the outcomes (module loading and the config excluded). DuckDB time = `DuckDBInstance.create` + `connect` + the query (`read_csv` both files, `row_number()` / `count(*)` over `partition by lower(trim(email)) order by updatedAt desc, id desc`, left join of the profiles, membership and action classification, counts of actions, multiple matches and field changes). The two are cross-checked: the counts must agree. Suite 3b (the DuckDB engine): the baseline is one hand-written DuckDB statement that writes the same per-profile rows, the outcome objects of the JSON report in file order (`bench/cases/duckdbRows.ts`), timed like the DuckDB case; the suite checks after the timed runs that its rows are byte for byte the outcomes of our report (an untimed run with `--out`). The older six-column baseline (`bench/cases/duckdb.ts --write`) is shown beside it. Inputs: ~60% of profiles match a lead, 1% of leads share an email with another lead (other case, partition, time), 3% of profiles have no email, 10% no membership, 5% exited.',
      "- **Extension**: VS Code cannot run here. `bench/cases/extension.ts` loads the production bundle with a permissive stub `vscode` module (every API call a no-op returning a stub) and times `require` and `activate()` until it resolves: that includes vscode-languageclient forking the real server over node IPC and the `initialize` round trip (the fork is checked), not VS Code's own cost of the API calls or the extension host's start-up. The server's spawn-to-`initialize` time is also measured alone, over node IPC and stdio, against a bare `node -e \"\"`.",
      '- **Time limits**: the limits that used to be assertions of `npm test` (a loaded machine made them flake), each on the input of its test (`test/fixtures/largeInputs.ts`); the tests now assert the behaviour the limit protects. Service, CSV and table checks run in a fresh process each (`bench/cases/limits.ts`) and time only the work the test timed; the CLI check runs the built CLI from spawn to exit, the protocol check the built server from `didOpen` to `publishDiagnostics`. OK or OVER compares the median with the limit.',
    );
    out.push('', '## Raw figures', '', '```json', JSON.stringify(this.raw, null, 1), '```', '');
    return out.join('\n');
  }

  /** Writes the Markdown report to `file` and prints the summary; `shown` names the file. */
  finish(info: Record<string, string>, file: string, shown: string): void {
    const total = this.elapsedSeconds();
    fs.writeFileSync(file, this.markdown(info, total));
    process.stdout.write(
      `\n${this.rows.map((r) => `${r.bench}\n  ${r.case}\n    median ${r.median}  spread ${r.spread}  ratio ${r.ratio}  peak ${r.peak}`).join('\n')}\n\nTargets:\n${this.targets.map((t) => `  ${t.met ? 'MET   ' : 'MISSED'} ${t.what}: ${t.measured} (goal ${t.target}; ${t.margin})`).join('\n')}\n\nWrote ${shown} in ${total.toFixed(0)} s.\n`,
    );
  }
}
