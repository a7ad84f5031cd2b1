// `npm run package [-- --target T] [-- --out FILE]`: builds dist/ and writes the `.vsix` for one
// platform, with that platform's DuckDB engine in it. The engine is a native binary per platform
// (docs/simulation-engine.md), so a `.vsix` that simulates full databases is per platform, as the
// Marketplace's platform-specific extensions are: `vsce package --target T`. The default target is
// this machine's. A target's binary that npm did not install here (another platform's) is fetched
// from the npm registry with `npm pack`, at the version the lockfile installed, and kept in
// .cache/duckdb-bindings/. `--target all` writes one `.vsix` per target; `--no-engine` writes the
// universal `.vsix` without the engine (the simulation then runs the TypeScript engine only).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** vsce's targets, each with the `@duckdb/node-bindings-*` package its platform loads. */
export const ENGINE_TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

/** The target of the machine this runs on (Alpine when Node runs on musl, as detect-libc tells). */
export function hostTarget() {
  const glibc =
    process.platform === 'linux' ? process.report?.getReport().header.glibcVersionRuntime : 'n/a';
  return `${process.platform === 'linux' && !glibc ? 'alpine' : process.platform}-${process.arch}`;
}

class PackageError extends Error {}

function run(command, args, what) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new PackageError(
      `${what} failed${result.error ? ` (${result.error.message})` : ''}${output ? `:\n${output}` : ''}`,
    );
  }
  return result.stdout;
}

const packageDir = (name) => path.join(ROOT, 'node_modules', ...name.split('/'));
const dependencyOf = (parent, name) =>
  path.dirname(
    createRequire(path.join(packageDir(parent), 'package.json')).resolve(`${name}/package.json`),
  );
const versionOf = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;

/** The binding package for `binding` at `version`: the installed one, or fetched and cached. */
function bindingPackage(binding, version) {
  const name = `@duckdb/node-bindings-${binding}`;
  const installed = packageDir(name);
  if (existsSync(installed) && versionOf(installed) === version) return installed;
  const cache = path.join(ROOT, '.cache', 'duckdb-bindings', `${binding}-${version}`);
  if (existsSync(path.join(cache, 'package.json'))) return cache;
  const downloads = path.join(ROOT, '.cache', 'duckdb-bindings');
  mkdirSync(downloads, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const tarball = run(
    npm,
    ['pack', `${name}@${version}`, '--silent', '--pack-destination', downloads],
    `npm pack ${name}@${version} (from the npm registry)`,
  )
    .trim()
    .split('\n')
    .pop();
  const partial = `${cache}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  run(
    'tar',
    ['-xzf', path.join(downloads, tarball), '-C', partial, '--strip-components=1'],
    `unpacking ${tarball}`,
  );
  rmSync(path.join(downloads, tarball), { force: true });
  cpSync(partial, cache, { recursive: true });
  rmSync(partial, { recursive: true, force: true });
  return cache;
}

/**
 * dist/node_modules/ gets what `require('@duckdb/node-api')` loads on `target`: the bundles in
 * dist/ find it there first, as they find the project's node_modules/ in a checkout.
 */
function stageEngine(target) {
  const binding = ENGINE_TARGETS[target];
  const staged = path.join(ROOT, 'dist', 'node_modules');
  rmSync(staged, { recursive: true, force: true });
  const version = versionOf(packageDir('@duckdb/node-bindings'));
  const copies = [
    [packageDir('@duckdb/node-api'), '@duckdb/node-api'],
    [packageDir('@duckdb/node-bindings'), '@duckdb/node-bindings'],
    // The bindings' own dependency (it tells glibc from musl), wherever npm put it.
    [dependencyOf('@duckdb/node-bindings', 'detect-libc'), 'detect-libc'],
    [bindingPackage(binding, version), `@duckdb/node-bindings-${binding}`],
  ];
  for (const [from, name] of copies) {
    cpSync(from, path.join(staged, ...name.split('/')), { recursive: true, dereference: true });
  }
}

function vsce(args) {
  run(
    process.execPath,
    [
      require.resolve('@vscode/vsce/vsce'),
      'package',
      '--no-dependencies',
      '--no-rewrite-relative-links',
      ...args,
    ],
    'vsce package',
  );
}

/** Builds once, then writes the `.vsix` of each target; returns the files written. */
export function packageExtension({ targets, engine = true, out }) {
  // Before the build, which empties dist/ (and the packages written there before).
  for (const target of engine ? targets : []) {
    const binding = ENGINE_TARGETS[target];
    if (!binding) {
      throw new PackageError(
        `no DuckDB engine for target ${target} (engine targets: ${Object.keys(ENGINE_TARGETS).join(', ')}); use --no-engine for a package without it`,
      );
    }
  }
  run(process.execPath, ['scripts/build.mjs'], 'the build');
  const written = [];
  try {
    if (!engine) {
      const file = out ?? path.join(ROOT, 'dist', 'aep-marketo-destination.vsix');
      vsce(['--out', file]);
      written.push(file);
      return written;
    }
    for (const target of targets) {
      stageEngine(target);
      const file = out ?? path.join(ROOT, 'dist', `aep-marketo-destination-${target}.vsix`);
      vsce(['--target', target, '--out', file]);
      written.push(file);
    }
  } finally {
    // A checkout's own node_modules/ serves dist/ from here on; the staged copy was the package's.
    rmSync(path.join(ROOT, 'dist', 'node_modules'), { recursive: true, force: true });
  }
  return written;
}

function parseArgs(argv) {
  const options = { targets: [hostTarget()], engine: true, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new PackageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--target') {
      const target = value();
      options.targets = target === 'all' ? Object.keys(ENGINE_TARGETS) : [target];
    } else if (arg === '--out') options.out = path.resolve(value());
    else if (arg === '--no-engine') options.engine = false;
    else
      throw new PackageError(
        `unknown option ${arg} (options: --target T|all, --out FILE, --no-engine)`,
      );
  }
  if (options.out && options.targets.length > 1) throw new PackageError('--out takes one target');
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const file of packageExtension(parseArgs(process.argv.slice(2)))) {
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    console.error(`package: ${error.message}`);
    process.exit(1);
  }
}
