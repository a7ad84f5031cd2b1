/**
 * What every suite of `npm run bench` is given, and the set-up before the first one: the
 * paths, the run's options and the report to add to. Suites share nothing else; what one
 * suite hands another (the 1 MB validation time behind the keystroke ratio) goes through
 * bench/run.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Report } from './report';

/** The suites, by the names `--only` takes. */
export const SUITES = [
  'extension',
  'validation',
  'lsp',
  'editor',
  'cli',
  'simulation',
  'limits',
  'results',
] as const;
export type SuiteName = (typeof SUITES)[number];

export interface BenchOptions {
  /** Smaller sizes and fewer rounds, to check the bench itself. */
  quick: boolean;
  /** The suites to run; undefined: all of them. */
  only: ReadonlySet<SuiteName> | undefined;
}

export interface BenchContext {
  readonly root: string;
  /** bench/generated/ (git-ignored): generated inputs, the built cases, the dist/ snapshot. */
  readonly generated: string;
  /** The copy of dist/ the run measures. */
  readonly snapshot: string;
  readonly dist: string;
  /** The built language server and CLI, in the snapshot. */
  readonly server: string;
  readonly cli: string;
  readonly quick: boolean;
  readonly report: Report;
  /** The built script of a case of bench/cases/. */
  caseScript(name: string): string;
}

/** Reads `--quick` and `--only=a,b` (or `--only a,b`); unknown suite names are an error. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const at = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  const value =
    at < 0 ? undefined : argv[at]?.startsWith('--only=') ? argv[at]?.slice(7) : argv[at + 1];
  if (at >= 0 && !value) throw new Error(`--only needs suite names: ${SUITES.join(',')}`);
  const names = value?.split(',');
  const unknown = names?.filter((n) => !(SUITES as readonly string[]).includes(n)) ?? [];
  if (unknown.length)
    throw new Error(`unknown suite ${unknown.join(', ')}: the suites are ${SUITES.join(', ')}`);
  return {
    quick: argv.includes('--quick'),
    only: names ? new Set(names as SuiteName[]) : undefined,
  };
}

/**
 * Copies dist/ into bench/generated/snapshot/ and builds the cases, and returns the context
 * with what describes the machine. The copy is there because other people's `npm run build`
 * (which begins by deleting dist/) must not pull the bundles from under a running benchmark.
 */
export async function prepare(
  root: string,
  options: BenchOptions,
  report: Report,
): Promise<{ ctx: BenchContext; machine: Record<string, string> }> {
  for (const f of ['server/server.js', 'cli/aep-dest.js', 'client/extension.js']) {
    if (!fs.existsSync(path.join(root, 'dist', f)))
      throw new Error(`dist/${f} is missing: run npm run build first`);
  }
  const generated = path.join(root, 'bench', 'generated');
  const cases = path.join(generated, 'cases');
  const snapshot = path.join(generated, 'snapshot');
  const dist = path.join(snapshot, 'dist');
  fs.mkdirSync(generated, { recursive: true });
  fs.rmSync(snapshot, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'dist'), dist, { recursive: true });
  const builtAt = fs.statSync(path.join(dist, 'server', 'server.js')).mtime.toISOString();
  await buildCases(root, cases);
  const ctx: BenchContext = {
    root,
    generated,
    snapshot,
    dist,
    server: path.join(dist, 'server', 'server.js'),
    cli: path.join(dist, 'cli', 'aep-dest.js'),
    quick: options.quick,
    report,
    caseScript: (name) => path.join(cases, `${name}.js`),
  };
  return { ctx, machine: machine(root, builtAt) };
}

/** Bundles bench/cases/ into `outdir`, one script per case. */
async function buildCases(root: string, outdir: string): Promise<void> {
  fs.mkdirSync(outdir, { recursive: true });
  const entries = fs
    .readdirSync(path.join(root, 'bench', 'cases'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(root, 'bench', 'cases', f));
  // The options of scripts/build.mjs (production: minified, names kept).
  await esbuild.build({
    entryPoints: entries,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: process.env.BENCH_MINIFY !== '0',
    keepNames: true,
    logLevel: 'error',
    mainFields: ['module', 'main'],
    external: ['@duckdb/node-api'],
  });
}

function git(root: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).replace(/\n$/, '');
  } catch {
    return '';
  }
}

function machine(root: string, builtAt: string): Record<string, string> {
  const dirty = git(root, 'status', '--porcelain', '--', 'server', 'client', 'schemas', 'scripts')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return {
    Commit: `${git(root, 'rev-parse', '--short', 'HEAD')}${dirty.length ? ` + uncommitted changes in ${dirty.join(', ')}` : ''}`,
    CPU: os.cpus()[0]?.model ?? 'unknown',
    Cores: String(os.cpus().length),
    Memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
    Bundles: `dist/ built ${builtAt}, copied to bench/generated/snapshot/ for the run`,
    Date: new Date().toISOString(),
  };
}
