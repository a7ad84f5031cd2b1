// Runs the integration suite (test/vscode/suite, bundled to out/vscode-suite/index.js) in a
// desktop VS Code downloaded by @vscode/test-electron, on a fresh copy of examples/.
//
//   node --import tsx test/vscode/runTestElectron.ts [--strict]
//
// Where VS Code cannot be downloaded (no network beyond the package registries, as in CI), it
// says so in one line and exits 0 — the code-server runner (test/e2e/runCodeServer.ts) runs the
// same suite — or 1 with --strict / AEP_DEST_STRICT_VSCODE=1. The download attempt is bounded
// to a few seconds. On Linux without a display, run it under xvfb-run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { SilentReporter, downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const REPO = path.resolve(__dirname, '..', '..');
const strict = process.argv.includes('--strict') || process.env.AEP_DEST_STRICT_VSCODE === '1';
/** Idle timeout of each request, and the budget of the whole download attempt. */
const REQUEST_TIMEOUT_MS = 5_000;
const DOWNLOAD_BUDGET_MS = 15_000;

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line || 'unknown error';
}

async function download(): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({
        version: process.env.AEP_DEST_VSCODE_VERSION || 'stable',
        cachePath: path.join(REPO, '.vscode-test'),
        reporter: new SilentReporter(),
        timeout: REQUEST_TIMEOUT_MS,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no VS Code after ${DOWNLOAD_BUDGET_MS / 1000} s`)),
          DOWNLOAD_BUDGET_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function build(script: string): void {
  const result = spawnSync(process.execPath, [script], { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`test:vscode: ${script} failed`);
    process.exit(1);
  }
}

async function main(): Promise<number> {
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await download();
  } catch (error) {
    console.log(
      `test:vscode: cannot download VS Code here (${oneLine(error)}); the code-server runner (npm run test:e2e) runs the same suite.`,
    );
    return strict ? 1 : 0;
  }
  build('scripts/build.mjs');
  build('scripts/e2e/build-suite.mjs');
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'aep-vscode-'));
  try {
    const workspace = path.join(root, 'workspace');
    await fs.cp(path.join(REPO, 'examples'), workspace, { recursive: true });
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'out', 'vscode-suite', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(root, 'user-data')}`,
        `--extensions-dir=${path.join(root, 'extensions')}`,
      ],
    });
    return 0;
  } catch (error) {
    console.error(`test:vscode: the suite failed (${oneLine(error)})`);
    return 1;
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:vscode: ${oneLine(error)}`);
    process.exit(1);
  },
);
