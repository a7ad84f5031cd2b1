/**
 * Property-based robustness tests (fast-check, fixed seed): the language service on random and
 * mutated configs, quick fixes, code actions with garbage diagnostics, and the simulation's
 * input readers. `scripts/fuzz.ts` runs the same properties longer, with any seed.
 */
import * as fs from 'node:fs';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { PROPERTIES, makeTempDir } from './properties';

const SEED = 20_240_501;
const dir = makeTempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const spec of PROPERTIES) {
  test(spec.name, () => {
    fc.assert(spec.property(dir, { everyOffsetUpTo: 300, offsetSamples: 24 }), {
      seed: SEED,
      numRuns: spec.testRuns,
      ...(spec.examples ? { examples: spec.examples } : {}),
      includeErrorInReport: true,
    });
  });
}
