/**
 * A longer run of the robustness properties of test/robustness/properties.test.ts.
 *
 *   node --import tsx scripts/fuzz.ts [--runs N] [--seed S] [--time SECONDS]
 *                                     [--only SUBSTRING] [--path P] [--every-offset-up-to N]
 *
 * Without --runs, each property runs until its share of --time (default 240 s in all) is
 * used up. Prints the seed first; on a failure, the property, the counterexample, the error and
 * the command that replays it (`--path` jumps straight to the shrunk counterexample), and exits 1.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { PROPERTIES, makeTempDir } from '../test/robustness/properties';

const USAGE =
  'usage: node --import tsx scripts/fuzz.ts [--runs N] [--seed S] [--time SECONDS] [--only SUBSTRING] [--path P] [--every-offset-up-to N]';

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) {
    console.error(`fuzz: --${name} needs an integer, not '${value}'\n${USAGE}`);
    process.exit(2);
  }
  return Number(value);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      time: { type: 'string' },
      only: { type: 'string' },
      path: { type: 'string' },
      'every-offset-up-to': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`fuzz: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const seed = integer('seed', values.seed, (Date.now() ^ (Math.random() * 0x7fffffff)) | 0);
const runs = values.runs === undefined ? undefined : integer('runs', values.runs, 0);
const totalSeconds = integer('time', values.time, 240);
const everyOffsetUpTo = integer('every-offset-up-to', values['every-offset-up-to'], 1500);
const selected = PROPERTIES.filter((p) => !values.only || p.name.includes(values.only));
if (!selected.length) {
  console.error(`fuzz: no property matches '${values.only}'`);
  process.exit(2);
}

console.log(`fuzz: seed ${seed}`);
console.log(
  runs === undefined
    ? `fuzz: ${selected.length} properties, ${totalSeconds} s in all`
    : `fuzz: ${selected.length} properties, ${runs} runs each`,
);

const dir = makeTempDir();
let failed = false;
try {
  for (const spec of selected) {
    const started = Date.now();
    const property = spec.property(dir, { everyOffsetUpTo, offsetSamples: 200 });
    const details = fc.check(property, {
      seed,
      includeErrorInReport: true,
      ...(spec.examples ? { examples: spec.examples } : {}),
      ...(values.path === undefined ? {} : { path: values.path, endOnFailure: true }),
      ...(runs === undefined
        ? {
            numRuns: Number.MAX_SAFE_INTEGER,
            interruptAfterTimeLimit: Math.round((totalSeconds * 1000) / selected.length),
          }
        : { numRuns: runs }),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (details.failed) {
      failed = true;
      console.log(`\nFAIL ${spec.name} (${details.numRuns} runs, ${seconds} s)`);
      console.log(fc.defaultReportMessage(details) ?? '');
      console.log(
        `replay: node --import tsx scripts/fuzz.ts --seed ${seed} --only '${spec.name}'` +
          (details.counterexamplePath ? ` --path '${details.counterexamplePath}'` : ''),
      );
    } else {
      console.log(`ok   ${spec.name}: ${details.numRuns} runs, ${seconds} s`);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
