import assert from 'node:assert/strict';
import { main } from '../server/src/cli/aep-dest';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stack frame (`    at fn (file.js:1:2)`); messages themselves may say "… at GET https://…". */
export const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

/** Runs `aep-dest` in-process; fails the test when stderr carries a stack trace. */
export async function runCli(cwd: string, ...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd,
    // The messages asserted are English whatever the machine's locale; --locale still wins.
    env: { ...process.env, LC_ALL: 'C' },
  });
  assert.ok(!STACK_FRAME.test(stderr), `stack trace on stderr:\n${stderr}`);
  return { code, stdout, stderr };
}
