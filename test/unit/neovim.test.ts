// Neovim as a second LSP client: headless Neovim (0.7+, Debian 12 ships 0.7.2) runs
// test/nvim/lsp_diagnostics.lua, which starts `node dist/cli/aep-dest.js lsp --stdio` for a
// copy of examples/broken.destination.jsonc and writes the diagnostics it received as JSON.
// They must be what `aep-dest validate --format json` reports for the same file.
//
// When `nvim` is missing the test installs it with scripts/ensure-apt.sh neovim. When that
// is impossible it fails under CI (CI=true) and is skipped elsewhere, saying why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type TestContext, test } from 'node:test';
import { REPO_ROOT, tempFiles } from '../helpers';

const BUILT_CLI = path.join(REPO_ROOT, 'dist/cli/aep-dest.js');
const SCRIPT = path.join(REPO_ROOT, 'test/nvim/lsp_diagnostics.lua');
const ENSURE_APT = path.join(REPO_ROOT, 'scripts/ensure-apt.sh');
const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
/** The Lua script's own wait for each step; the process is killed well after. */
const STEP_TIMEOUT_MS = 20_000;
const NVIM_TIMEOUT_MS = 90_000;

const SEVERITY: Record<string, number> = { error: 1, warning: 2, information: 3, hint: 4 };

interface NvimDiagnostic {
  code: string;
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
  source?: string;
}

interface NvimReport {
  nvim: string;
  error?: string;
  capabilities?: Record<string, boolean>;
  diagnostics?: NvimDiagnostic[];
  hover_kind?: string | null;
  completion_labels?: string[];
  server_exit?: { code: number; signal: number };
}

interface CliDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: {
    start: { line: number; character: number };
    end: { line: number; character: number };
  };
}

/** `nvim --version`'s first line, or undefined when there is no nvim. */
function nvimVersion(): string | undefined {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.split('\n')[0]?.trim();
}

/** Finds nvim, installing it when missing; a reason string when it cannot. */
function ensureNvim(): { version: string } | { unavailable: string } {
  const found = nvimVersion();
  if (found) return { version: found };
  const install = spawnSync('bash', [ENSURE_APT, 'neovim'], {
    encoding: 'utf8',
    timeout: 600_000,
    killSignal: 'SIGKILL',
  });
  const installed = nvimVersion();
  if (installed) return { version: installed };
  const why = install.error
    ? install.error.message
    : (install.stderr.trim().split('\n').at(-1) ?? `exit code ${install.status}`);
  return { unavailable: `nvim is not installed and scripts/ensure-apt.sh neovim failed: ${why}` };
}

function byPosition<T extends { lnum: number; col: number; code: string }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) => a.lnum - b.lnum || a.col - b.col || a.code.localeCompare(b.code),
  );
}

let prerequisites: { version: string } | { unavailable: string } | undefined;

/**
 * The built CLI and nvim (installed when missing): the nvim version, or undefined
 * when the test was skipped. Fails instead of skipping under CI.
 */
function ready(t: TestContext): string | undefined {
  if (!fs.existsSync(BUILT_CLI)) {
    const reason = `${path.relative(REPO_ROOT, BUILT_CLI)} is missing: run npm run build first (npm test builds before the unit tests)`;
    if (IN_CI) assert.fail(reason);
    t.skip(reason);
    return undefined;
  }
  prerequisites ??= ensureNvim();
  if ('unavailable' in prerequisites) {
    if (IN_CI) assert.fail(`${prerequisites.unavailable} (CI=true: this test must run)`);
    t.skip(prerequisites.unavailable);
    return undefined;
  }
  const version = prerequisites.version;
  const [, major = 0, minor = 0] = /v(\d+)\.(\d+)/.exec(version)?.map(Number) ?? [];
  assert.ok(
    major > 0 || minor >= 7,
    `${version}: the test needs Neovim 0.7 or later (vim.lsp.start_client, vim.diagnostic)`,
  );
  t.diagnostic(version);
  return version;
}

/** A temp copy of the broken example. */
function brokenCopy(): string {
  const dir = tempFiles({
    'broken.destination.jsonc': fs.readFileSync(
      path.join(REPO_ROOT, 'examples/broken.destination.jsonc'),
    ),
  });
  return path.join(dir, 'broken.destination.jsonc');
}

/** `aep-dest validate --format json` for one file, as Neovim diagnostics. */
function cliDiagnostics(file: string, disable: string[] = []): NvimDiagnostic[] {
  const args = [BUILT_CLI, 'validate', '--format', 'json', file];
  if (disable.length) args.push('--disable', disable.join(','));
  const validate = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(validate.status, 1, validate.stderr);
  const cli = JSON.parse(validate.stdout) as { files: { diagnostics: CliDiagnostic[] }[] };
  return byPosition(
    (cli.files[0]?.diagnostics ?? []).map((d) => ({
      code: d.code,
      lnum: d.range.start.line,
      col: d.range.start.character,
      end_lnum: d.range.end.line,
      end_col: d.range.end.character,
      severity: SEVERITY[d.severity] ?? 0,
      message: d.message,
      source: 'aep-dest',
    })),
  );
}

/** Runs headless Neovim on `file` with test/nvim/lsp_diagnostics.lua; its report. */
function runNeovim(file: string, settings?: object): NvimReport {
  const dir = path.dirname(file);
  const out = path.join(dir, 'nvim-report.json');
  fs.rmSync(out, { force: true });
  // Neovim's state, logs and caches stay in the temp directory.
  const home = path.join(dir, 'nvim-home');
  const run = spawnSync(
    'nvim',
    ['--headless', '--clean', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${SCRIPT}`],
    {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: NVIM_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      env: {
        ...process.env,
        AEP_NVIM_CMD: JSON.stringify([process.execPath, BUILT_CLI, 'lsp', '--stdio']),
        AEP_NVIM_FILE: file,
        AEP_NVIM_OUT: out,
        AEP_NVIM_SETTINGS: settings ? JSON.stringify(settings) : '',
        AEP_NVIM_TIMEOUT_MS: String(STEP_TIMEOUT_MS),
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_DATA_HOME: path.join(home, 'data'),
        XDG_STATE_HOME: path.join(home, 'state'),
        XDG_CACHE_HOME: path.join(home, 'cache'),
      },
    },
  );
  const lspLog = path.join(home, 'cache', 'nvim', 'lsp.log');
  const context = () =>
    [
      `nvim exit ${run.status} signal ${run.signal}${run.error ? ` (${run.error.message})` : ''}`,
      `stdout: ${run.stdout}`,
      `stderr: ${run.stderr}`,
      `report: ${fs.existsSync(out) ? fs.readFileSync(out, 'utf8').slice(0, 2000) : '(none)'}`,
      `lsp.log: ${fs.existsSync(lspLog) ? fs.readFileSync(lspLog, 'utf8').slice(-2000) : '(none)'}`,
    ].join('\n');
  assert.ok(fs.existsSync(out), `Neovim wrote no report\n${context()}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimReport;
  assert.equal(report.error, undefined, `the Lua script failed\n${context()}`);
  assert.equal(run.status, 0, context());
  // Neovim's client.stop() sends shutdown and exit: the server ends cleanly.
  assert.deepEqual(report.server_exit, { code: 0, signal: 0 }, context());
  return report;
}

/** A test on a fresh copy of the broken example, where `ready` lets Neovim run. */
function neovimTest(name: string, body: (file: string) => void): void {
  test(name, { timeout: 720_000 }, (t) => {
    if (!ready(t)) return;
    body(brokenCopy());
  });
}

neovimTest(
  'Neovim (vim.lsp.start_client) receives the diagnostics aep-dest validate reports',
  (file) => {
    const expected = cliDiagnostics(file);
    assert.ok(expected.length >= 5, 'test setup: the broken example has findings');

    const report = runNeovim(file);
    assert.deepEqual(byPosition(report.diagnostics ?? []), expected);
    assert.deepEqual(report.capabilities, {
      hover: true,
      completion: true,
      code_action: true,
      formatting: true,
    });
    assert.equal(report.hover_kind, 'markdown');
    assert.deepEqual(report.completion_labels, [
      'audienceAndProfile',
      'profileOnly',
      'audienceOnly',
    ]);
  },
);

neovimTest('Neovim settings (section aepDestination) reach the server: disabledRules', (file) => {
  const expected = cliDiagnostics(file, ['batch-only-audience']);
  const report = runNeovim(file, { disabledRules: ['batch-only-audience'] });
  const received = byPosition(report.diagnostics ?? []);
  assert.ok(!received.some((d) => d.code === 'batch-only-audience'));
  assert.deepEqual(received, expected);
});
