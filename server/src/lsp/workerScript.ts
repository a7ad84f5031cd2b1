/**
 * Starts one of the server's worker threads: the bundle's sibling `<name>.js` (or, from the
 * CLI bundle `dist/cli/aep-dest.js`, `dist/server/<name>.js`), or, when the server runs from
 * its TypeScript sources (tests), the source loaded through tsx's require hook; or `file`
 * when given (the benchmarks run dist/'s bundle from a script of their own).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

export function startWorkerScript(name: string, workerData: unknown, file?: string): Worker {
  if (file) return new Worker(file, { workerData });
  const bundled = [
    path.join(__dirname, `${name}.js`),
    path.join(__dirname, '..', 'server', `${name}.js`),
  ].find((file) => fs.existsSync(file));
  if (bundled) return new Worker(bundled, { workerData });
  const source = JSON.stringify(path.join(__dirname, `${name}.ts`));
  return new Worker(`require('tsx/cjs'); require(${source});`, { eval: true, workerData });
}
