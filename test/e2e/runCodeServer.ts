// End-to-end run of the extension in a real VS Code: code-server (VS Code in the browser, from
// npm) with the packaged extension and a test-driver extension installed into a fresh
// extensions directory, opened on a fresh copy of examples/ in headless Chromium.
//
// 1. The driver runs the integration suite (test/vscode/suite) in code-server's extension host
//    and posts each result here over a loopback HTTP port.
// 2. Then playwright-core checks the UI as a person would use it (test/e2e/ui.spec.ts).
//    Then the results view at a million profiles, in the same code-server
//    (test/e2e/results1m.spec.ts).
// 3. A second, short code-server run with workspace trust enabled (same install, a fresh
//    user-data dir) opens a workspace that is not trusted: test/e2e/restrictedMode.spec.ts.
// 4. A third, started with `--locale sv`, shows the diagnostics in Swedish:
//    test/e2e/locale.spec.ts.
//
// Prints each result, then `N passed, M failed`; exits 1 on any failure, on a missing result
// or on a timeout. Always stops code-server and Chromium (also on SIGINT/SIGTERM).
//
//   node --import tsx test/e2e/runCodeServer.ts
//
// Environment: AEP_DEST_CACHE (tool cache, default ~/.cache/aep-dest), AEP_DEST_SCREENSHOTS=1
// (write docs/images/*.png), AEP_E2E_VSIX (test this .vsix instead of packaging the working
// tree), AEP_E2E_CHROMIUM (a Chromium executable), AEP_E2E_TIMEOUT_S (whole run, default 1200),
// AEP_E2E_RESULT_TIMEOUT_S (longest wait for the driver's next result, default 150-180),
// AEP_E2E_ONLY (some of the phases, comma-separated: suite, ui, results1m, restricted, locale;
// e.g. AEP_E2E_ONLY=results1m checks the million-profile results view alone).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type DriverMessage, REPORT_URL_ENV, parseDriverMessage } from './protocol';
import { RESTRICTED_CHECKS, makeRestrictedWorkspace } from './restrictedMode.spec';
import { SWEDISH_CHECKS, makeSwedishWorkspace, workbenchLanguage } from './locale.spec';
import { PROFILES, RESULTS_1M_CHECKS } from './results1m.spec';
import { ensureChromium, ensureCodeServer, ensureNode24, run, stopRunningCommands } from './tools';
import { DESTINATIONS_VIEW_CHECKS } from './destinationsView.spec';
import { checkPackagedEngine } from './packagedEngine.spec';
import { UI_CHECKS, type UiCheck, type UiContext, waitForWorkbench } from './ui.spec';

const REPO = path.resolve(__dirname, '..', '..');
const EXTENSION_FOLDER_PREFIXES = [
  'aep-dest-tools.aep-marketo-destination-',
  'aep-dest-tools.aep-e2e-driver-',
];

const TIMEOUTS = {
  run: Number(process.env.AEP_E2E_TIMEOUT_S || 2400) * 1000,
  codeServerListening: 60_000,
  workbench: 120_000,
  /** From opening the page to the driver's first message (extension host start). */
  hello: Number(process.env.AEP_E2E_RESULT_TIMEOUT_S || 180) * 1000,
  /** Between two results of the suite (mocha's own test timeout is 90 s). */
  betweenResults: Number(process.env.AEP_E2E_RESULT_TIMEOUT_S || 150) * 1000,
  uiCheck: 90_000,
};

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const PHASES = ['suite', 'ui', 'results1m', 'restricted', 'locale'] as const;
type Phase = (typeof PHASES)[number];

/** The phases to run (AEP_E2E_ONLY), all of them by default. */
function phases(): ReadonlySet<Phase> {
  const only = process.env.AEP_E2E_ONLY?.split(',').map((name) => name.trim());
  if (!only) return new Set(PHASES);
  const unknown = only.filter((name) => !(PHASES as readonly string[]).includes(name));
  if (unknown.length)
    throw new Error(`AEP_E2E_ONLY: unknown phase ${unknown.join(', ')} (${PHASES.join(', ')})`);
  return new Set(only as Phase[]);
}
const enabled = phases();

function log(line: string): void {
  console.log(`e2e: ${line}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Cleanup, signals and the run's deadline

type Task = () => Promise<void> | void;
const cleanups: Task[] = [];
let cleaningUp: Promise<void> | undefined;

function onCleanup(task: Task): void {
  cleanups.push(task);
}

function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const task of cleanups.splice(0).reverse()) {
      try {
        await task();
      } catch (error) {
        log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaningUp;
}

/** Ends the run early (a signal, the deadline): counted as a failure, everything stopped. */
async function abort(reason: string, code: number): Promise<never> {
  log(reason);
  results.fail('e2e run', reason);
  results.printSummary();
  await cleanup();
  process.exit(code);
}

process.on(
  'SIGINT',
  () => void abort('interrupted (SIGINT): stopping code-server and Chromium', 130),
);
process.on(
  'SIGTERM',
  () => void abort('terminated (SIGTERM): stopping code-server and Chromium', 143),
);

// ---------------------------------------------------------------------------------------------
// Results

interface Failure {
  title: string;
  error: string;
}

class Results {
  passed = 0;
  failed = 0;
  skipped = 0;
  readonly failures: Failure[] = [];

  suite(title: string, depth: number): void {
    console.log(`${'  '.repeat(depth + 1)}${title}`);
  }

  test(
    state: 'passed' | 'failed' | 'pending',
    title: string,
    fullTitle: string,
    depth: number,
    durationMs: number,
    error?: string,
  ): void {
    const indent = '  '.repeat(depth + 1);
    if (state === 'passed') {
      this.passed++;
      console.log(`${indent}✔ ${title} (${Math.round(durationMs)}ms)`);
    } else if (state === 'pending') {
      this.skipped++;
      console.log(`${indent}- ${title}`);
    } else {
      this.failed++;
      this.failures.push({ title: fullTitle, error: error ?? 'failed' });
      console.log(`${indent}✗ ${this.failures.length}) ${title}`);
    }
  }

  /** A failure outside any test (a timeout, a crash): counted so the run cannot pass. */
  fail(title: string, error: string): void {
    this.test('failed', title, title, 0, 0, error);
  }

  printSummary(): void {
    if (this.failures.length) {
      console.log('');
      this.failures.forEach((failure, i) => {
        console.log(`  ${i + 1}) ${failure.title}:`);
        // Without terminal colours (playwright's call logs have some).
        const lines = failure.error
          .replace(/\u001b\[[0-9;]*m/g, '')
          .split('\n')
          .slice(0, 30);
        for (const line of lines) console.log(`     ${line}`);
        console.log('');
      });
    }
    console.log('');
    const skipped = this.skipped ? `, ${this.skipped} skipped` : '';
    console.log(`${this.passed} passed, ${this.failed} failed${skipped}`);
  }
}

const results = new Results();

// ---------------------------------------------------------------------------------------------
// The report server: the driver posts one JSON message per request

interface Inbox {
  url: string;
  next(timeoutMs: number): Promise<DriverMessage | undefined>;
}

async function startReportServer(): Promise<Inbox> {
  const token = randomBytes(16).toString('hex');
  const queue: DriverMessage[] = [];
  let wake: (() => void) | undefined;
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== `/${token}`) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 4 * 1024 * 1024) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      let message: DriverMessage | undefined;
      try {
        message = parseDriverMessage(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        message = undefined;
      }
      if (!message) {
        response.writeHead(400).end();
        return;
      }
      queue.push(message);
      wake?.();
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('report server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/${token}`,
    async next(timeoutMs) {
      if (queue.length) return queue.shift();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      return queue.shift();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Build, workspace, code-server

async function buildArtifacts(outDir: string): Promise<{ vsix: string; driverVsix: string }> {
  const node = process.execPath;
  let vsix = process.env.AEP_E2E_VSIX;
  if (vsix) {
    vsix = path.resolve(vsix);
    if (!existsSync(vsix)) throw new Error(`AEP_E2E_VSIX=${vsix} does not exist`);
    log(`testing ${path.relative(REPO, vsix)}`);
  } else {
    log('building and packaging the extension');
    vsix = path.join(outDir, 'aep-marketo-destination.vsix');
    // What `npm run package` writes for this platform: the build, with the DuckDB engine in it.
    await run(node, ['scripts/package.mjs', '--out', vsix], { cwd: REPO, timeoutMs: 300_000 });
  }
  log('bundling the integration suite and the test-driver extension');
  await run(node, ['scripts/e2e/build-suite.mjs'], { cwd: REPO });
  return { vsix, driverVsix: path.join(REPO, 'out', 'e2e', 'aep-e2e-driver.vsix') };
}

interface Sandbox {
  root: string;
  workspace: string;
  extensionsDir: string;
  userDataDir: string;
  configFile: string;
  screenshots: string;
  env: NodeJS.ProcessEnv;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'window.confirmBeforeClose': 'never',
  'files.hotExit': 'off',
  // The UI checks type exact text (auto-closing depends on tokenization timing).
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
};

/** The Restricted Mode phase: trust on, never asked at startup (the checks trust from a message). */
const RESTRICTED_USER_SETTINGS = {
  ...USER_SETTINGS,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
};

async function writeUserSettings(userDataDir: string, settings: object): Promise<void> {
  await fs.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fs.writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(settings, null, 2),
  );
}

async function makeSandbox(nodeBinDir: string, reportUrl: string): Promise<Sandbox> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'aep-e2e-'));
  const sandbox: Sandbox = {
    root,
    workspace: path.join(root, 'workspace'),
    extensionsDir: path.join(root, 'extensions'),
    userDataDir: path.join(root, 'user-data'),
    configFile: path.join(root, 'code-server.yaml'),
    screenshots: path.join(root, 'screenshots'),
    env: {},
  };
  await fs.cp(path.join(REPO, 'examples'), sandbox.workspace, { recursive: true });
  await writeUserSettings(sandbox.userDataDir, USER_SETTINGS);
  await fs.mkdir(sandbox.extensionsDir);
  await fs.mkdir(sandbox.screenshots);
  await fs.writeFile(sandbox.configFile, 'auth: none\ncert: false\n');
  // code-server's environment: Node 24 first, its own data/config dirs (it writes logs under
  // XDG_DATA_HOME), none of a surrounding VS Code's variables (VSCODE_IPC_HOOK_CLI would make it
  // a client of that VS Code), and the report URL for the driver.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VSCODE_|ELECTRON_)/.test(key)) env[key] = value;
  }
  sandbox.env = {
    ...env,
    PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_DATA_HOME: path.join(root, 'xdg', 'data'),
    XDG_CONFIG_HOME: path.join(root, 'xdg', 'config'),
    XDG_CACHE_HOME: path.join(root, 'xdg', 'cache'),
    // No extension gallery: code-server would query open-vsx.org (unreachable, and not needed).
    EXTENSIONS_GALLERY: '{}',
    [REPORT_URL_ENV]: reportUrl,
  };
  return sandbox;
}

function codeServerArgs(
  entry: string,
  sandbox: Sandbox,
  userDataDir = sandbox.userDataDir,
): string[] {
  return [
    entry,
    '--config',
    sandbox.configFile,
    '--extensions-dir',
    sandbox.extensionsDir,
    '--user-data-dir',
    userDataDir,
  ];
}

async function installExtensions(
  node: string,
  entry: string,
  sandbox: Sandbox,
  vsixes: string[],
): Promise<void> {
  const args = codeServerArgs(entry, sandbox);
  for (const vsix of vsixes) args.push('--install-extension', vsix);
  await run(node, args, { env: sandbox.env, timeoutMs: 120_000 });
  const installed = readdirSync(sandbox.extensionsDir);
  for (const prefix of EXTENSION_FOLDER_PREFIXES) {
    if (!installed.some((name) => name.startsWith(prefix))) {
      throw new Error(`${prefix}* is not in the extensions dir: [${installed.join(', ')}]`);
    }
  }
}

/** The engine inside the installed `.vsix` (packagedEngine.spec.ts), as one test. */
async function checkInstalledEngine(node: string, sandbox: Sandbox): Promise<void> {
  const title = 'the installed extension simulates Parquet with its own DuckDB engine';
  results.suite('Packaged engine', 0);
  const started = Date.now();
  try {
    const what = await checkPackagedEngine(
      node,
      sandbox.extensionsDir,
      path.join(sandbox.root, 'packaged-engine'),
    );
    results.test('passed', title, `Packaged engine ${title}`, 1, Date.now() - started);
    log(what);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.test('failed', title, `Packaged engine ${title}`, 1, Date.now() - started, message);
  }
}

/** Output lines kept for the failure report. */
const serverOutput: string[] = [];
/** Keep the sandbox (workspace, logs, screenshots) after a failure. */
let keepSandbox = false;

function stopProcessGroup(child: ChildProcess, name: string): Promise<void> {
  return new Promise((resolve) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const pid = child.pid;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      log(`${name} did not stop within 5 s: SIGKILL`);
      kill('SIGKILL');
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      // Whatever it started in its process group goes too.
      kill('SIGKILL');
      resolve();
    });
    kill('SIGTERM');
  });
}

interface CodeServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * The first phase: the sandbox's workspace and user data, workspace trust off. The Restricted
 * Mode phase: its own workspace and user data, trust on, and no report URL (the driver, found
 * in the same extensions dir, then does nothing).
 */
interface CodeServerRun {
  workspace: string;
  userDataDir: string;
  workspaceTrust: boolean;
  env: NodeJS.ProcessEnv;
  /** `--locale <tag>`: VS Code's display language for the run. */
  locale?: string;
}

async function startCodeServer(
  node: string,
  entry: string,
  sandbox: Sandbox,
  options: CodeServerRun,
): Promise<CodeServer> {
  const args = [
    ...codeServerArgs(entry, sandbox, options.userDataDir),
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.locale ? ['--locale', options.locale] : []),
    '--disable-getting-started-override',
    '--bind-addr',
    '127.0.0.1:0',
    options.workspace,
  ];
  // Its own process group, so stopping it stops the extension host and language server too.
  const child = spawn(node, args, {
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = (): Promise<void> => stopProcessGroup(child, 'code-server');
  onCleanup(stop);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`code-server did not listen within ${seconds(TIMEOUTS.codeServerListening)}`),
        ),
      TIMEOUTS.codeServerListening,
    );
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        // Skip blank lines and the noise of spdlog's optional native module, never built here.
        if (!line.trim() || line.includes('spdlog')) continue;
        serverOutput.push(line);
        if (serverOutput.length > 200) serverOutput.shift();
        const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`code-server exited (${signal ?? code}):\n${serverOutput.slice(-20).join('\n')}`),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return { port, stop };
}

/** Processes still running from the sandbox or the tool cache (none should be left). */
function leftoverProcesses(markers: string[]): number[] {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (markers.some((marker) => cmdline.includes(marker))) pids.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

// ---------------------------------------------------------------------------------------------
// The two parts of the run

async function collectSuite(inbox: Inbox): Promise<boolean> {
  const hello = await inbox.next(TIMEOUTS.hello);
  if (!hello) {
    results.fail(
      'integration suite (code-server extension host)',
      `no result from the test driver within ${seconds(TIMEOUTS.hello)} of opening code-server`,
    );
    return false;
  }
  if (hello.type !== 'hello') {
    results.fail('integration suite', `the driver sent ${hello.type} before hello`);
    return false;
  }
  log(`${hello.appName} ${hello.vscodeVersion}: the test driver is running the suite`);
  if (!hello.extensionPresent) {
    results.fail('integration suite', 'the extension under test is not installed in code-server');
  }
  console.log('');
  for (;;) {
    const message = await inbox.next(TIMEOUTS.betweenResults);
    if (!message) {
      results.fail(
        'integration suite',
        `no result from the test driver for ${seconds(TIMEOUTS.betweenResults)} (extension host hung or crashed)`,
      );
      return false;
    }
    switch (message.type) {
      case 'suite':
        results.suite(message.title, message.depth);
        break;
      case 'test':
        results.test(
          message.state,
          message.title,
          message.fullTitle,
          message.depth,
          message.durationMs,
          message.error,
        );
        break;
      case 'error':
        results.fail('integration suite', message.message);
        return false;
      case 'hello':
        results.fail('integration suite', 'the extension host restarted during the suite');
        return false;
      case 'end':
        if (message.passed + message.failed + message.pending === 0) {
          results.fail('integration suite', 'the driver ran no test');
        }
        return true;
    }
  }
}

async function runUiChecks(
  page: Page,
  sandbox: Sandbox,
  title: string,
  checks: readonly UiCheck[],
  workspace = sandbox.workspace,
): Promise<void> {
  const regenerate = process.env.AEP_DEST_SCREENSHOTS === '1';
  const imagesDir = path.join(REPO, 'docs', 'images');
  if (regenerate) await fs.mkdir(imagesDir, { recursive: true });
  const context: UiContext = {
    page,
    workspace,
    async screenshot(name) {
      const file = path.join(regenerate ? imagesDir : sandbox.screenshots, `${name}.png`);
      await page.screenshot({ path: file });
      if (regenerate) log(`wrote ${path.relative(REPO, file)}`);
    },
  };
  console.log('');
  results.suite(title, 0);
  for (const check of checks) {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check.run(context),
        new Promise<never>((_, reject) => {
          const limit = 'timeoutMs' in check ? Number(check.timeoutMs) : TIMEOUTS.uiCheck;
          timer = setTimeout(() => reject(new Error(`timed out after ${seconds(limit)}`)), limit);
        }),
      ]);
      results.test('passed', check.title, `UI ${check.title}`, 1, Date.now() - started);
    } catch (error) {
      const slug = check.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      const shot = path.join(sandbox.screenshots, `failed-${slug}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.test(
        'failed',
        check.title,
        `UI ${check.title}`,
        1,
        Date.now() - started,
        `${text}\n(screenshot: ${shot})`,
      );
      // Leave the workbench in a known state for the next check.
      await page.keyboard.press('Escape').catch(() => undefined);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function openWorkbench(
  browser: Browser,
  port: number,
  workspace: string,
  pageErrors: string[],
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, {
    timeout: TIMEOUTS.workbench,
  });
  await waitForWorkbench(page, TIMEOUTS.workbench);
  return page;
}

/** What a run of code-server of its own needs. */
interface PhaseHost {
  node: string;
  entry: string;
  sandbox: Sandbox;
  browser: Browser;
  pageErrors: string[];
}

/**
 * A short code-server run of its own after the first: the same install, its own workspace and
 * user-data dir, no report URL (the driver then does nothing); its checks, then a clean stop.
 */
async function runSeparatePhase(
  phase: PhaseHost,
  title: string,
  run: Omit<CodeServerRun, 'env'>,
  checks: readonly UiCheck[],
  beforeChecks: (page: Page) => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const started = Date.now();
  const env = { ...phase.sandbox.env };
  delete env[REPORT_URL_ENV];
  let server: CodeServer | undefined;
  let page: Page | undefined;
  try {
    server = await startCodeServer(phase.node, phase.entry, phase.sandbox, { ...run, env });
    page = await openWorkbench(phase.browser, server.port, run.workspace, phase.pageErrors);
    await beforeChecks(page);
    await runUiChecks(page, phase.sandbox, title, checks, run.workspace);
  } catch (error) {
    results.fail(title, error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await page?.close().catch(() => undefined);
    await server?.stop();
  }
  log(`${title}: phase done (${seconds(Date.now() - started)})`);
}

/**
 * The Restricted Mode phase: a fresh user-data dir with workspace trust on, and a workspace of
 * its own that is not trusted (test/e2e/restrictedMode.spec.ts).
 */
async function runRestrictedPhase(phase: PhaseHost): Promise<void> {
  const root = path.join(phase.sandbox.root, 'restricted');
  const { workspace } = await makeRestrictedWorkspace(path.join(REPO, 'examples'), root);
  const userDataDir = path.join(root, 'user-data');
  await writeUserSettings(userDataDir, RESTRICTED_USER_SETTINGS);
  await runSeparatePhase(
    phase,
    'Restricted Mode (workspace trust on, the workspace not trusted)',
    { workspace, userDataDir, workspaceTrust: true },
    RESTRICTED_CHECKS,
  );
}

/**
 * The Swedish phase: a fresh user-data dir whose argv.json says "locale": "sv", code-server
 * started with `--locale sv`, and the setting "aepDestination.locale": "sv". Without a Swedish
 * language pack VS Code resolves its display language to English whatever `--locale` and
 * argv.json say (`vscode.env.language` is "en": tried in this phase), so the setting is what
 * makes the server speak Swedish.
 */
async function runLocalePhase(phase: PhaseHost): Promise<void> {
  const root = path.join(phase.sandbox.root, 'locale');
  const workspace = await makeSwedishWorkspace(root);
  const userDataDir = path.join(root, 'user-data');
  await writeUserSettings(userDataDir, { ...USER_SETTINGS, 'aepDestination.locale': 'sv' });
  await fs.writeFile(path.join(userDataDir, 'User', 'argv.json'), '{ "locale": "sv" }\n');
  await runSeparatePhase(
    phase,
    'Swedish (code-server --locale sv)',
    { workspace, userDataDir, workspaceTrust: false, locale: 'sv' },
    SWEDISH_CHECKS,
    async (page) => log(`the workbench's language: ${await workbenchLanguage(page)}`),
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = Date.now();
  const deadline = setTimeout(
    () => void abort(`the whole run timed out after ${seconds(TIMEOUTS.run)}`, 1),
    TIMEOUTS.run,
  );
  onCleanup(stopRunningCommands);

  const tools = Date.now();
  const [{ nodeBin, entry }, chromiumPath] = await Promise.all([
    ensureNode24(log).then(async (nodeBinDir) => ({
      nodeBin: nodeBinDir,
      entry: await ensureCodeServer(nodeBinDir, log),
    })),
    ensureChromium(log),
  ]);
  const node = path.join(nodeBin, 'node');
  log(`tools ready (${seconds(Date.now() - tools)})`);

  const build = Date.now();
  const outDir = path.join(REPO, 'out', 'e2e');
  await fs.mkdir(outDir, { recursive: true });
  const { vsix, driverVsix } = await buildArtifacts(outDir);
  log(`built (${seconds(Date.now() - build)})`);

  const inbox = await startReportServer();
  const sandbox = await makeSandbox(nodeBin, inbox.url);
  onCleanup(async () => {
    const left = leftoverProcesses([sandbox.root]);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (left.length) log(`killed ${left.length} leftover process(es): ${left.join(', ')}`);
    if (keepSandbox) log(`kept ${sandbox.root} (workspace, logs, screenshots) for inspection`);
    else await fs.rm(sandbox.root, { recursive: true, force: true });
  });

  await installExtensions(node, entry, sandbox, [vsix, driverVsix]);
  await checkInstalledEngine(node, sandbox);

  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Chromium's profile bits (~/.config/chromium, dconf) go to the sandbox, not $HOME.
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(sandbox.root, 'xdg', 'config'),
      XDG_CACHE_HOME: path.join(sandbox.root, 'xdg', 'cache'),
    },
  });
  onCleanup(async () => {
    // Playwright also kills the browser when this process exits, should close() hang.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      browser.close(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000))),
    ]);
    clearTimeout(timer);
  });
  const pageErrors: string[] = [];
  if (enabled.has('suite') || enabled.has('ui') || enabled.has('results1m')) {
    const serverStart = Date.now();
    // Without the suite, no report URL: the driver then does nothing (as in Restricted Mode).
    const env = { ...sandbox.env };
    if (!enabled.has('suite')) delete env[REPORT_URL_ENV];
    const server = await startCodeServer(node, entry, sandbox, {
      workspace: sandbox.workspace,
      userDataDir: sandbox.userDataDir,
      workspaceTrust: false,
      env,
    });
    log(`code-server listening on 127.0.0.1:${server.port} (${seconds(Date.now() - serverStart)})`);
    const page = await openWorkbench(browser, server.port, sandbox.workspace, pageErrors);
    log(`workbench loaded (${seconds(Date.now() - serverStart)} after starting code-server)`);

    const suiteEnded = enabled.has('suite') ? await collectSuite(inbox) : true;
    if (suiteEnded && enabled.has('ui'))
      await runUiChecks(page, sandbox, 'UI (playwright-core against code-server)', UI_CHECKS);
    if (suiteEnded && enabled.has('ui'))
      await runUiChecks(page, sandbox, 'AEP Destinations view', DESTINATIONS_VIEW_CHECKS);
    if (suiteEnded && enabled.has('results1m')) {
      const title = `Results view at ${PROFILES.toLocaleString('en')} profiles`;
      await runUiChecks(page, sandbox, title, RESULTS_1M_CHECKS);
    }
    await page.close().catch(() => undefined);
    await server.stop();
  }

  const phase: PhaseHost = { node, entry, sandbox, browser, pageErrors };
  if (enabled.has('restricted')) await runRestrictedPhase(phase);
  if (enabled.has('locale')) await runLocalePhase(phase);

  results.printSummary();
  if (results.failed) {
    keepSandbox = true;
    console.log('');
    log('last lines of code-server:');
    for (const line of serverOutput.slice(-15)) console.log(`  ${line}`);
    if (pageErrors.length) log(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
  }
  clearTimeout(deadline);
  await cleanup();
  log(`done in ${seconds(Date.now() - started)}`);
  return results.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(
      `e2e: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    keepSandbox = true;
    results.fail('e2e run', error instanceof Error ? error.message : String(error));
    results.printSummary();
    await cleanup();
    process.exit(1);
  },
);
