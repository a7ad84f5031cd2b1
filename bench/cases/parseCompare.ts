/**
 * jsonc-parser `parseTree` vs `fastParseTree` vs `JSON.parse`, on the generated configs of the
 * validation benchmark (50 / 1,000 / 10,000 mappings, same generator and seeds as
 * `bench/run.ts`). Before timing, checks that `fastParseTree` gives parseTree's tree.
 *
 *   node --import tsx bench/cases/parseCompare.ts [--seconds 3] [--json]
 *
 * For each config: warm-up, then interleaved rounds (one sample of each parser per round, so
 * load from other jobs on a shared machine falls on all three alike). A sample is a batch of
 * parses of at least ~2 ms divided by its size. Reports the median, p10–p90 and the speed-ups.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Node, type ParseError, parseTree } from 'jsonc-parser';
import { fastParseTree } from '../../server/src/engine/fastParse';
import { configText } from '../lib/generate';
import { type Summary, summarise } from '../lib/stats';

const argv = process.argv.slice(2);
const secondsArg = argv.indexOf('--seconds');
const SECONDS = secondsArg >= 0 ? Number(argv[secondsArg + 1]) : 3;
const JSON_OUT = argv.includes('--json');

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

/** The tree without parent links (checked separately), keys in their order. */
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

/** Milliseconds per parse of one batch of `batch` parses. */
function sample(run: Parser, text: string, batch: number): number {
  const t0 = performance.now();
  for (let i = 0; i < batch; i++) run(text);
  return (performance.now() - t0) / batch;
}

let sink = 0;
function measure(text: string): Summary[] {
  // Warm-up (JIT) and batch sizes: a sample of at least ~2 ms.
  const batches = PARSERS.map(({ run }) => {
    const until = performance.now() + 300;
    let n = 0;
    while (performance.now() < until || n < 5) {
      sink += (run(text) === undefined ? 0 : 1) + n;
      n++;
    }
    const single = sample(run, text, 5);
    return Math.max(1, Math.ceil(2 / Math.max(single, 1e-4)));
  });
  const samples: number[][] = PARSERS.map(() => []);
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until || (samples[0]?.length ?? 0) < 15) {
    PARSERS.forEach(({ run }, i) => samples[i]?.push(sample(run, text, batches[i] ?? 1)));
  }
  return samples.map(summarise);
}

const fmt = (ms: number): string =>
  ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;

const results = [];
for (const size of SIZES) {
  const text = configText(1000 + size.mappings, size.mappings, size.audiences);
  check(text);
  const [jsonc, fast, json] = measure(text) as [Summary, Summary, Summary];
  results.push({ ...size, bytes: Buffer.byteLength(text), jsonc, fast, json });
}

if (JSON_OUT) {
  console.log(JSON.stringify({ node: process.version, results }, null, 1));
} else {
  console.log(`Node ${process.version}; medians of interleaved samples (p10–p90)\n`);
  console.log(
    '| config | parseTree | fastParseTree | JSON.parse | fast vs parseTree | fast vs JSON.parse |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    const cell = (s: Summary): string => `${fmt(s.median)} (${fmt(s.p10)}–${fmt(s.p90)})`;
    console.log(
      `| ${r.mappings.toLocaleString('en')} mappings, ${(r.bytes / 1024).toFixed(0)} kB | ${cell(r.jsonc)} | ${cell(r.fast)} | ${cell(r.json)} | ${(r.jsonc.median / r.fast.median).toFixed(2)}× faster | ${(r.fast.median / r.json.median).toFixed(2)}× slower |`,
    );
  }
}
if (sink < 0) console.log(sink);
