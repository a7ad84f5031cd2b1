/**
 * V8 heap settings for a short CLI run, set from inside the process (`node aep-dest.js …` and
 * npm's bin shims pass no V8 flags).
 */
import * as v8 from 'node:v8';

/**
 * Keeps the young generation at its initial size for the rest of the run. V8 doubles the
 * semi-spaces (up to 16 MB each) when most young objects survive, which is what a parse does:
 * the whole tree of a 1 MB config survives. Growing then costs fresh pages (page faults, cache
 * misses) and copies the tree through ever larger semi-spaces; a short run never wins that
 * back. Measured on `validate` of the 1 MB benchmark config: a fifth less CPU, 14 MB less peak
 * memory (bench/suites/freshProcess.ts). Unlike the semi-space size flags, which V8 reads only
 * when it sets the heap up, the growth factor still takes effect when set at run time
 * (`node --trace-gc`: the heap stays at its start size). Long-running commands (the language server, simulations of millions of rows) keep
 * V8's default: their throughput gains from a large young generation.
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
