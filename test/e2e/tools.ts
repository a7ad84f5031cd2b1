// The tools the code-server runner needs, installed by the project itself (CI starts on a fresh
// machine): Node 24 and code-server from the npm registry into a cache directory, Chromium from
// Debian's packages. Each npm install goes to a temporary directory that is renamed into place
// when complete, so concurrent runs never see (or break) a half-installed tool and need no lock.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** Pinned so every run (and every cache) uses the same VS Code. */
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const COMPLETE_MARKER = '.aep-dest-complete';

export function cacheRoot(): string {
  return process.env.AEP_DEST_CACHE || path.join(os.homedir(), '.cache', 'aep-dest');
}

/** Commands started by `run` and still running, so an aborted run can stop them. */
const running = new Set<ChildProcess>();

/** Stops every command `run` started that is still running. */
export function stopRunningCommands(): void {
  for (const child of running) child.kill('SIGTERM');
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Fails the command after this long. */
  timeoutMs?: number;
}

/**
 * Runs a command, its output collected (and shown only when it fails). Rejects with the last
 * lines of its output on a non-zero exit or a timeout.
 */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('error', (error) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (code === 0) return resolve(output);
      const tail = output.trim().split('\n').slice(-25).join('\n');
      const why = signal ? `was killed (${signal}${timer ? ', timed out' : ''})` : `exited ${code}`;
      reject(new Error(`${command} ${args.join(' ')} ${why}:\n${tail}`));
    });
  });
}

/**
 * `finalDir` when it holds a complete install (its marker file, and `verify` finds what is
 * needed), otherwise installs into a fresh sibling temporary directory and renames it to
 * `finalDir`. A run that loses the rename race uses the winner's install; a damaged
 * `finalDir` is moved aside and replaced.
 */
export async function installOnce(
  finalDir: string,
  install: (tempDir: string) => Promise<void>,
  verify: (dir: string) => boolean,
): Promise<{ dir: string; installed: boolean }> {
  const complete = (dir: string): boolean =>
    existsSync(path.join(dir, COMPLETE_MARKER)) && verify(dir);
  if (complete(finalDir)) return { dir: finalDir, installed: false };
  await fs.mkdir(path.dirname(finalDir), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tempDir = `${finalDir}.tmp-${suffix}`;
  try {
    await fs.mkdir(tempDir);
    await install(tempDir);
    if (!verify(tempDir)) throw new Error(`the install into ${tempDir} is incomplete`);
    await fs.writeFile(path.join(tempDir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    try {
      await fs.rename(tempDir, finalDir);
    } catch (error) {
      if (complete(finalDir)) return { dir: finalDir, installed: false };
      if (!existsSync(finalDir)) throw error;
      const aside = `${finalDir}.stale-${suffix}`;
      await fs.rename(finalDir, aside);
      await fs.rename(tempDir, finalDir);
      await fs.rm(aside, { recursive: true, force: true });
    }
    return { dir: finalDir, installed: true };
  } finally {
    await fs.rm(tempDir, { recursive: true, force: true });
  }
}

/** npm's environment for installs: quiet, and the given Node first on PATH. */
function npmEnv(nodeBinDir?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...(nodeBinDir ? { PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}` } : {}),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
  };
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const INSTALL_TIMEOUT_MS = 12 * 60 * 1000;

/** The directory of Node 24's `node` binary (npm package `node-<platform>-<arch>`). */
export async function ensureNode24(log: (line: string) => void): Promise<string> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const binDir = (dir: string): string => path.join(dir, 'node_modules', pkg, 'bin');
  const { dir, installed } = await installOnce(
    path.join(cacheRoot(), `node-v${NODE_VERSION}`),
    async (temp) => {
      log(`installing ${pkg}@${NODE_VERSION} from npm`);
      await run(
        NPM,
        ['install', '--prefix', temp, '--ignore-scripts', '--no-save', `${pkg}@${NODE_VERSION}`],
        { env: npmEnv(), timeoutMs: INSTALL_TIMEOUT_MS },
      );
      const version = (await run(path.join(binDir(temp), 'node'), ['-v'])).trim();
      if (version !== `v${NODE_VERSION}`) throw new Error(`${pkg} runs as ${version}`);
    },
    (dir) => existsSync(path.join(binDir(dir), 'node')),
  );
  if (!installed) log(`using cached Node ${NODE_VERSION}`);
  return binDir(dir);
}

/**
 * The code-server entry script. npm runs no install scripts here: code-server's postinstall
 * would build native modules (it needs headers and network access to GitHub that CI lacks).
 * What that postinstall installs that matters is the bundled VS Code's runtime dependencies,
 * installed here with `--ignore-scripts` as well (their native parts ship prebuilt or are
 * optional: spdlog's missing binary only costs a warning).
 */
export async function ensureCodeServer(
  nodeBinDir: string,
  log: (line: string) => void,
): Promise<string> {
  const env = npmEnv(nodeBinDir);
  const codeServerDir = (dir: string): string => path.join(dir, 'node_modules', 'code-server');
  const { dir, installed } = await installOnce(
    path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`),
    async (temp) => {
      log(`installing code-server@${CODE_SERVER_VERSION} from npm (a few minutes)`);
      const common = ['--ignore-scripts', '--omit=dev', '--no-save'];
      const spec = `code-server@${CODE_SERVER_VERSION}`;
      await run(NPM, ['install', '--prefix', temp, ...common, spec], {
        env,
        timeoutMs: INSTALL_TIMEOUT_MS,
      });
      const vscodeDir = path.join(codeServerDir(temp), 'lib', 'vscode');
      for (const cwd of [vscodeDir, path.join(vscodeDir, 'extensions')]) {
        await run(NPM, ['install', ...common], { cwd, env, timeoutMs: INSTALL_TIMEOUT_MS });
      }
    },
    // The entry script, and the bundled VS Code's runtime dependencies.
    (dir) =>
      existsSync(path.join(codeServerDir(dir), 'out', 'node', 'entry.js')) &&
      existsSync(path.join(codeServerDir(dir), 'lib', 'vscode', 'node_modules', '@microsoft')),
  );
  if (!installed) log(`using cached code-server ${CODE_SERVER_VERSION}`);
  return path.join(codeServerDir(dir), 'out', 'node', 'entry.js');
}

/** Chromium: AEP_E2E_CHROMIUM, else Debian's package (installed with apt-get when missing). */
export async function ensureChromium(log: (line: string) => void): Promise<string> {
  const override = process.env.AEP_E2E_CHROMIUM;
  if (override) {
    if (!existsSync(override)) throw new Error(`AEP_E2E_CHROMIUM=${override} does not exist`);
    return override;
  }
  const executable = '/usr/bin/chromium';
  if (existsSync(executable)) return executable;
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    throw new Error('Chromium is missing: install it, or set AEP_E2E_CHROMIUM to its executable');
  }
  if (process.getuid?.() !== 0) {
    throw new Error('Chromium is missing: run `sudo apt-get install -y chromium` (needs root)');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]): Promise<string> =>
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
      env,
      timeoutMs: INSTALL_TIMEOUT_MS,
    });
  log('installing chromium with apt-get');
  try {
    await apt(['install', '-y', 'chromium']);
  } catch {
    // Usually: no package lists yet on a fresh machine.
    log('apt-get install failed; running apt-get update first');
    await apt(['update']);
    await apt(['install', '-y', 'chromium']);
  }
  if (!existsSync(executable)) throw new Error(`apt-get installed chromium but not ${executable}`);
  return executable;
}
