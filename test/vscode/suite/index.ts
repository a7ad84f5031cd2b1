// Entry point of the integration suite inside VS Code's extension host. `run()` follows the
// @vscode/test-electron convention (mocha's spec reporter on stdout, rejects on any failure);
// `runSuite()` reports each test as an event instead, for the code-server driver extension.
// Bundled with mocha by scripts/e2e/build-suite.mjs into out/vscode-suite/index.js.
import Mocha from 'mocha';

/** The suite's files, in the order they run. scripts/e2e/build-suite.mjs checks none is missing. */
const SUITE_FILES: readonly (() => Promise<unknown>)[] = [
  () => import('./diagnostics.test.js'),
  () => import('./languageFeatures.test.js'),
  () => import('./quickFix.test.js'),
  () => import('./simulate.test.js'),
  () => import('./flowService.test.js'),
  () => import('./grammar.test.js'),
];

export type TestState = 'passed' | 'failed' | 'pending';

export type SuiteEvent =
  | { type: 'suite'; title: string; depth: number }
  | {
      type: 'test';
      state: TestState;
      title: string;
      fullTitle: string;
      depth: number;
      durationMs: number;
      error?: string;
    }
  | { type: 'end'; passed: number; failed: number; pending: number };

export interface SuiteSummary {
  passed: number;
  failed: number;
  pending: number;
}

export interface SuiteRunOptions {
  /** Called for each suite and test, then once with the totals; without it, the spec reporter prints. */
  onEvent?: (event: SuiteEvent) => void;
  /** Only the tests whose full title matches. */
  grep?: string;
}

const TEST_TIMEOUT_MS = 90_000;

function depthOf(runnable: Mocha.Runnable | Mocha.Suite): number {
  let depth = 0;
  for (let suite = runnable.parent; suite && !suite.root; suite = suite.parent) depth++;
  return depth;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** A mocha reporter that turns the runner's events into `SuiteEvent`s. */
function eventReporter(onEvent: (event: SuiteEvent) => void): Mocha.ReporterConstructor {
  return class EventReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
      super(runner, options);
      const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } =
        Mocha.Runner.constants;
      runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
        if (!suite.root) onEvent({ type: 'suite', title: suite.title, depth: depthOf(suite) });
      });
      const test = (runnable: Mocha.Runnable, state: TestState, error?: unknown): void =>
        onEvent({
          type: 'test',
          state,
          title: runnable.title,
          fullTitle: runnable.fullTitle(),
          depth: depthOf(runnable),
          durationMs: runnable.duration ?? 0,
          ...(error === undefined ? {} : { error: errorText(error) }),
        });
      runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => test(t, 'passed'));
      runner.on(EVENT_TEST_FAIL, (t: Mocha.Runnable, error: unknown) => test(t, 'failed', error));
      runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => test(t, 'pending'));
    }
  };
}

/** Runs the suite and resolves with its totals (never rejects for failing tests). */
export async function runSuite(options: SuiteRunOptions = {}): Promise<SuiteSummary> {
  const mocha = new Mocha({ ui: 'bdd', color: !options.onEvent, timeout: TEST_TIMEOUT_MS });
  if (options.grep) mocha.grep(options.grep);
  if (options.onEvent) mocha.reporter(eventReporter(options.onEvent));
  else mocha.reporter('spec');
  // What `mocha.addFile` + `loadFiles` do for files on disk: give them describe/it, then load them.
  mocha.suite.emit(
    Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE,
    globalThis,
    'aep-vscode-suite',
    mocha,
  );
  for (const load of SUITE_FILES) await load();
  const summary = await new Promise<SuiteSummary>((resolve) => {
    const runner = mocha.run(() =>
      resolve({
        passed: runner.stats?.passes ?? 0,
        failed: runner.stats?.failures ?? 0,
        pending: runner.stats?.pending ?? 0,
      }),
    );
  });
  options.onEvent?.({ type: 'end', ...summary });
  return summary;
}

/** The @vscode/test-electron entry point: rejects when any test fails (or none ran). */
export async function run(): Promise<void> {
  const summary = await runSuite({ grep: process.env.AEP_DEST_VSCODE_GREP });
  if (summary.failed > 0) throw new Error(`${summary.failed} integration test(s) failed`);
  if (summary.passed === 0) throw new Error('no integration test ran');
}
