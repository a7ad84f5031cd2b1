/**
 * jsonc-parser `parseTree` vs `fastParseTree` vs `JSON.parse` on the generated configs of the
 * validation benchmark (50 / 1,000 / 10,000 mappings; same generator and seeds as
 * `bench/run.ts`). First checks that `fastParseTree` gives parseTree's very tree on each.
 *
 *   node --import tsx bench/cases/parseCompare.ts [--seconds 2] [--rounds 3] [--json]
 *     [--in-process]
 *
 * (`--seconds`: sampling time per process; in-process, per config `--seconds` × `--rounds`.)
 *
 * Default: every (parser, config) pair runs in its own `node` process, so one parser's garbage
 * never lands in another's timings (parseTree allocates ~2.5× what fastParseTree does, and the
 * collections it leaves pending would otherwise finish inside the next parser's samples). The
 * pairs run in `--rounds` interleaved rounds, parser order rotating, so load from other jobs on
 * a shared machine falls on all alike; the samples of all rounds are pooled. In each process:
 * warm-up (JIT), then samples for `--seconds`; a sample is a batch of parses of at least ~2 ms,
 * divided by its size. Reported: median and p10–p90 wall time per parse, median CPU time per
 * parse (all threads: the parallel scavenger included), garbage-collection time per parse; and,
 * measured apart (`--expose-gc`, a young generation large enough that no collection runs during
 * the parse), the bytes one parse allocates and the bytes its result keeps alive: on a shared
 * machine these are the steady figures, where GC times vary from run to run.
 *
 * `--in-process`: the three parsers interleaved in this one process instead (one sample of each
 * per round), sharing one heap: a parser's samples then also pay for collections of garbage
 * another parser left (parseTree leaves the most), so this understates the difference at 1 MB.
 * (Forcing a full collection, untimed, before each sample was tried and is no cure: parseTree,
 * sampled first after it, then measured 5–15× slower than without it.)
 */
import { isDeepStrictEqual } from 'node:util';
import { type Node, type ParseError, parseTree } from 'jsonc-parser';
import { fastParseTree } from '../../server/src/engine/fastParse';
import { type ChildResult, finish, gcMs, runCase, watchGc } from '../lib/child';
import { configText } from '../../test/fixtures/generate';
import { type Summary, summarise } from '../lib/stats';

const SIZES = [
  { mappings: 50, audiences: 3 },
  { mappings: 1_000, audiences: 20 },
  { mappings: 10_000, audiences: 200 },
];
const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

type Parser = (text: string) => unknown;
const PARSERS: { name: string; run: Parser }[] = [
  { name: 'jsonc-parser parseTree', run: (text) => parseTree(text, [], OPTIONS) },
  { name: 'fastParseTree', run: (text) => fastParseTree(text) },
  { name: 'JSON.parse', run: (text) => JSON.parse(text) as unknown },
];

const textOf = (size: { mappings: number; audiences: number }): string =>
  configText(1000 + size.mappings, size.mappings, size.audiences);

// ---------------------------------------------------------------------------------------------
// The check: the same tree (own keys in order, every field, parents in the same places).

function shape(node: Node): unknown {
  return {
    keys: Object.keys(node),
    type: node.type,
    offset: node.offset,
    length: node.length,
    colonOffset: node.colonOffset,
    value: node.value as unknown,
    children: node.children?.map(shape),
  };
}

function parentsAgree(node: Node): boolean {
  return (node.children ?? []).every((child) => child.parent === node && parentsAgree(child));
}

function check(text: string): void {
  const errors: ParseError[] = [];
  const expected = parseTree(text, errors, OPTIONS);
  const actual = fastParseTree(text);
  if (errors.length || !expected) throw new Error('the generated config has syntax errors');
  if (!actual) throw new Error('fastParseTree fell back on a generated config');
  if (!isDeepStrictEqual(shape(actual), shape(expected)) || !parentsAgree(actual))
    throw new Error('fastParseTree and parseTree disagree on a generated config');
}

// ---------------------------------------------------------------------------------------------
// Sampling.

let sink = 0;

/** Runs `run` until `ms` have passed (and at least 5 times); a batch size for ~2 ms samples. */
function warmUp(run: Parser, text: string, ms: number): number {
  const until = performance.now() + ms;
  let n = 0;
  while (performance.now() < until || n < 5) {
    sink += run(text) === undefined ? 0 : 1;
    n++;
  }
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) run(text);
  const single = (performance.now() - t0) / 5;
  return Math.max(1, Math.ceil(2 / Math.max(single, 1e-4)));
}

interface Sample {
  wall: number;
  cpu: number;
}

/** One sample: wall and CPU milliseconds per parse over a batch. */
function sample(run: Parser, text: string, batch: number): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < batch; i++) run(text);
  const wall = (performance.now() - t0) / batch;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 / batch };
}

/** In a child process: one parser on one config. */
async function child(parser: number, mappings: number, seconds: number): Promise<void> {
  const size = SIZES.find((s) => s.mappings === mappings) ?? { mappings, audiences: 0 };
  const text = textOf(size);
  const run = (PARSERS[parser] as { run: Parser }).run;
  const batch = warmUp(run, text, 400);
  watchGc();
  const gcBefore = (await gcMs()) ?? 0;
  const samples: Sample[] = [];
  let parses = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until || samples.length < 10) {
    samples.push(sample(run, text, batch));
    parses += batch;
  }
  const gc = ((await gcMs()) ?? 0) - gcBefore;
  finish({
    wall: samples.map((s) => s.wall),
    cpu: samples.map((s) => s.cpu),
    gcPerParse: gc / parses,
    sink,
  });
}

interface Measured {
  wall: Summary;
  cpu: number;
  gcPerParse: number | undefined;
}

interface Memory {
  /** Bytes allocated by one parse (no collection during it: a young generation of 256 MB). */
  allocated: number;
  /** Bytes the result keeps alive. */
  retained: number;
}

/** In a child process (`--expose-gc`, a large young generation): one parser's memory per config. */
function memoryChild(parser: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const run = (PARSERS[parser] as { run: Parser }).run;
  const kept: unknown[] = [];
  const memory: Memory[] = SIZES.map((size) => {
    const text = textOf(size);
    // Enough parses for a figure well above the noise of heapUsed; all their results kept.
    const times = Math.ceil(10_000 / size.mappings);
    for (let i = 0; i < 5; i++) run(text);
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < times; i++) kept.push(run(text));
    const allocated = process.memoryUsage().heapUsed - before;
    gc();
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    kept.length = 0;
    return { allocated: allocated / times, retained: retained / times };
  });
  finish({ memory });
}

async function measureMemory(): Promise<Memory[][]> {
  const perParser = await Promise.all(
    PARSERS.map((_, p) =>
      runCase(__filename, { memory: p }, [
        '--expose-gc',
        '--max-semi-space-size=256',
        ...process.execArgv,
      ]),
    ),
  );
  return SIZES.map((_, s) => perParser.map((r) => (r.memory as Memory[])[s] as Memory));
}

async function isolated(seconds: number, rounds: number): Promise<Measured[][]> {
  const pooled = SIZES.map(() =>
    PARSERS.map(() => ({ wall: [] as number[], cpu: [] as number[], gc: [] as number[] })),
  );
  for (let round = 0; round < rounds; round++) {
    for (const [s, size] of SIZES.entries()) {
      for (let k = 0; k < PARSERS.length; k++) {
        const p = (k + round) % PARSERS.length;
        const result: ChildResult = await runCase(
          __filename,
          { child: p, mappings: size.mappings, seconds },
          process.execArgv,
        );
        const into = pooled[s]?.[p];
        into?.wall.push(...(result.wall as number[]));
        into?.cpu.push(...(result.cpu as number[]));
        into?.gc.push(result.gcPerParse as number);
        process.stderr.write('.');
      }
    }
  }
  process.stderr.write('\n');
  return pooled.map((perParser) =>
    perParser.map((p) => ({
      wall: summarise(p.wall),
      cpu: summarise(p.cpu).median,
      gcPerParse: p.gc.reduce((a, b) => a + b, 0) / p.gc.length,
    })),
  );
}

function inProcess(seconds: number): Measured[][] {
  return SIZES.map((size) => {
    const text = textOf(size);
    const batches = PARSERS.map(({ run }) => warmUp(run, text, 300));
    const samples: Sample[][] = PARSERS.map(() => []);
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until || (samples[0]?.length ?? 0) < 15) {
      PARSERS.forEach(({ run }, i) => samples[i]?.push(sample(run, text, batches[i] ?? 1)));
    }
    return samples.map((s) => ({
      wall: summarise(s.map((x) => x.wall)),
      cpu: summarise(s.map((x) => x.cpu)).median,
      gcPerParse: undefined,
    }));
  });
}

// ---------------------------------------------------------------------------------------------

const fmt = (ms: number): string =>
  ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const valueOf = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const seconds = valueOf('seconds', 2);
  const rounds = valueOf('rounds', 3);
  const inOne = argv.includes('--in-process');

  for (const size of SIZES) check(textOf(size));
  const memory = await measureMemory();
  const measured = inOne ? inProcess(seconds * rounds) : await isolated(seconds, rounds);

  const rows = SIZES.map((size, s) => {
    const [jsonc, fast, json] = measured[s] as [Measured, Measured, Measured];
    const [jsoncMemory, fastMemory, jsonMemory] = memory[s] as [Memory, Memory, Memory];
    const bytes = Buffer.byteLength(textOf(size));
    return { ...size, bytes, jsonc, fast, json, jsoncMemory, fastMemory, jsonMemory };
  });
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ node: process.version, inProcess: inOne, rows }, null, 1));
    return;
  }
  console.log(
    `Node ${process.version}; ${inOne ? 'all in one process, interleaved' : `one process per parser and config, ${rounds} interleaved rounds`}.`,
  );
  console.log('Wall time per parse: median (p10–p90); CPU: median CPU time per parse; GC: mean.\n');
  console.log(
    '| config | parseTree | fastParseTree | JSON.parse | fast vs parseTree (wall) | (CPU) | fast vs JSON.parse |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const cell = (m: Measured): string =>
    `${fmt(m.wall.median)} (${fmt(m.wall.p10)}–${fmt(m.wall.p90)}); CPU ${fmt(m.cpu)}` +
    (m.gcPerParse === undefined ? '' : `; GC ${fmt(m.gcPerParse)}`);
  for (const r of rows) {
    console.log(
      `| ${r.mappings.toLocaleString('en')} mappings, ${(r.bytes / 1024).toFixed(0)} kB | ${cell(r.jsonc)} | ${cell(r.fast)} | ${cell(r.json)} | ${(r.jsonc.wall.median / r.fast.wall.median).toFixed(2)}× faster | ${(r.jsonc.cpu / r.fast.cpu).toFixed(2)}× | ${(r.fast.wall.median / r.json.wall.median).toFixed(2)}× slower |`,
    );
  }
  console.log(
    '\nMemory of one parse: bytes allocated (what the garbage collector must handle) / bytes',
  );
  console.log('the result keeps alive.\n');
  console.log('| config | parseTree | fastParseTree | JSON.parse |');
  console.log('|---|---|---|---|');
  const size = (bytes: number): string =>
    bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(0)} kB`;
  const mb = (m: Memory): string => `${size(m.allocated)} / ${size(m.retained)}`;
  for (const r of rows) {
    console.log(
      `| ${r.mappings.toLocaleString('en')} mappings | ${mb(r.jsoncMemory)} | ${mb(r.fastMemory)} | ${mb(r.jsonMemory)} |`,
    );
  }
}

const opt = (name: string): number => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]);
if (process.argv.includes('--child')) {
  void child(opt('child'), opt('mappings'), opt('seconds'));
} else if (process.argv.includes('--memory')) {
  memoryChild(opt('memory'));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
