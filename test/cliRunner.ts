import assert from 'node:assert/strict';
import { main } from '../server/src/cli/aep-dest';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aep-dest` in-process; fails the test when stderr carries a stack trace. */
export async function runCli(cwd: string, ...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd,
  });
  assert.ok(!/\n?\s+at /.test(stderr), `stack trace on stderr:\n${stderr}`);
  return { code, stdout, stderr };
}
