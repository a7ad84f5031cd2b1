/**
 * Child processes of the benchmarks. Each case runs in its own `node` process so its peak
 * memory is its own: the child ends by printing one `BENCH_RESULT {json}` line that carries
 * `process.resourceUsage().maxRSS` (peak resident set size, in kB, of that process).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

const MARKER = 'BENCH_RESULT ';

export interface ChildResult {
  /** Peak resident set size of the child process, in bytes. */
  peakRss: number;
  [key: string]: unknown;
}

/** In a child: prints the result line with the process's peak RSS and exits. */
export function finish(result: Record<string, unknown>): void {
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`\n${MARKER}${JSON.stringify({ ...result, peakRss })}\n`, () =>
    process.exit(0),
  );
}

let gcTotal = 0;
let gcObserver: PerformanceObserver | undefined;

/** In a child: starts summing the durations of garbage collections. */
export function watchGc(): void {
  gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcTotal += entry.duration;
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/**
 * In a child: milliseconds spent in garbage collection since `watchGc`, or undefined. Node
 * queues `gc` entries from an immediate, so the event loop must turn before they are read.
 */
export async function gcMs(): Promise<number | undefined> {
  if (!gcObserver) return undefined;
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 10));
  for (const entry of gcObserver.takeRecords()) gcTotal += entry.duration;
  return gcTotal;
}

/** In a child: user + system CPU milliseconds of the process so far (all threads). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** In a child: `--name value` arguments. */
export function args(): Record<string, string> {
  const out: Record<string, string> = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) out[a.slice(2)] = argv[++i] ?? '';
  }
  return out;
}

/** In the parent: runs `node [nodeArgs] script --k v …` and returns its result line. */
export function runCase(
  script: string,
  options: Record<string, string | number>,
  nodeArgs: string[] = [],
): Promise<ChildResult> {
  const argv = [...nodeArgs, script];
  for (const [k, v] of Object.entries(options)) argv.push(`--${k}`, String(v));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
      if (code !== 0 || !line) {
        reject(
          new Error(
            `${path.basename(script)} ${JSON.stringify(options)} exited ${code}\n${stderr}${stdout}`.slice(
              0,
              4000,
            ),
          ),
        );
        return;
      }
      resolve(JSON.parse(line.slice(MARKER.length)) as ChildResult);
    });
  });
}

export interface TimedProcess {
  /** Wall-clock milliseconds from spawn to exit, measured by the parent. */
  wallMs: number;
  /** Peak RSS of the process in bytes, from `/usr/bin/time -f %M`. */
  peakRss: number;
  /** User + system CPU time of the process in milliseconds (all its threads). */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command under `/usr/bin/time -f '%M %U %S'` (the kernel's ru_maxrss and CPU times) and
 * times it from spawn to exit. `stdoutTo: 'null'` sends stdout to /dev/null, as `> /dev/null`.
 */
export function runTimed(
  command: string,
  argv: string[],
  options: { cwd?: string; stdoutTo?: 'pipe' | 'null' } = {},
): Promise<TimedProcess> {
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}-${Date.now()}.txt`);
  const devNull = options.stdoutTo === 'null' ? fs.openSync('/dev/null', 'w') : undefined;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, command, ...argv], {
      cwd: options.cwd,
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (devNull !== undefined) fs.closeSync(devNull);
      const last = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [kb, user, sys] = last.split(' ').map(Number) as [number, number, number];
      fs.rmSync(timeFile, { force: true });
      resolve({ wallMs, peakRss: kb * 1024, cpuMs: (user + sys) * 1000, code, stdout, stderr });
    });
  });
}

/** The highest peak RSS of a set of processes, in bytes. */
export function peakOf(results: readonly { peakRss: number }[]): number {
  return Math.max(...results.map((r) => r.peakRss));
}
