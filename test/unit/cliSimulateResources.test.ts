import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRunner';
import { VALID_CONFIG, edit, tempFiles } from '../helpers';
import { writeSimulationFiles } from '../fixtures/generate';
import { translate } from '../../server/src/simulation/duckdb/session';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** VALID_CONFIG naming generated inputs of `count` profiles and leads, in a temp directory. */
function generated(count: number): string {
  const dir = tempFiles({});
  const files = writeSimulationFiles(dir, count, 11);
  const config = edit(
    VALID_CONFIG,
    '"audiences": [',
    `"simulation": { "profiles": ${JSON.stringify(path.basename(files.profiles))}, "leads": ${JSON.stringify(path.basename(files.leads))} },\n  "audiences": [`,
  );
  fs.writeFileSync(path.join(dir, 'dest.destination.json'), config);
  return dir;
}

const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('aep-dest simulate --engine duckdb: out of memory, full disk, Ctrl-C', () => {
  test('out of memory is one line, exit 2, and no --out file', async () => {
    const dir = generated(20_000);
    process.env.AEP_DEST_DUCKDB_MEMORY = '2MB';
    try {
      const r = await runCli(
        dir,
        'simulate',
        'dest.destination.json',
        '--engine',
        'duckdb',
        '-f',
        'json',
        '-o',
        'out.json',
      );
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^aep-dest: out of memory: DuckDB could not get the memory it needs \(.+\); free memory or raise the limit\n$/,
      );
      assert.equal(fs.existsSync(path.join(dir, 'out.json')), false);
      assert.deepEqual(leftovers(dir), []);
    } finally {
      delete process.env.AEP_DEST_DUCKDB_MEMORY;
    }
  });

  test('a full disk is one line naming the report, exit 2', async () => {
    const dir = generated(200);
    for (const format of ['json', 'csv', 'markdown', 'text']) {
      const r = await runCli(
        dir,
        'simulate',
        'dest.destination.json',
        '--engine',
        'duckdb',
        '-f',
        format,
        '-o',
        '/dev/full',
      );
      assert.equal(r.code, 2, `${format}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /^aep-dest: cannot write \/dev\/full: .*(no space|ENOSPC).*\n$/i,
        format,
      );
    }
  });

  test("DuckDB's own disk-full and out-of-memory errors become one sentence each", () => {
    const disk = translate(
      new Error(
        'IO Error: Could not write file "/tmp/x/spill/duckdb_temp_storage-0.tmp": No space left on device',
      ),
    );
    assert.match(
      disk.message,
      /^the disk is full: DuckDB spills to .+ \(IO Error: Could not write file .+: No space left on device\)$/,
    );
    const memory = translate(
      new Error(
        'Out of Memory Error: could not allocate block of size 256.0 KiB (1.9 GiB/2.0 GiB used)\nDatabase is launched in in-memory mode',
      ),
    );
    assert.equal(
      memory.message,
      'out of memory: DuckDB could not get the memory it needs (Out of Memory Error: could not allocate block of size 256.0 KiB (1.9 GiB/2.0 GiB used)); free memory or raise the limit',
    );
  });

  test('Ctrl-C stops the run: exit 130, one line, no --out file, no temp file', async () => {
    const dir = generated(300_000);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'server/src/cli/aep-dest.ts'),
        'simulate',
        path.join(dir, 'dest.destination.json'),
        '--engine',
        'duckdb',
        '--progress',
        '-f',
        'json',
        '-o',
        path.join(dir, 'out.json'),
      ],
      // From the repository, where `--import tsx` resolves.
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Interrupted once DuckDB works: the first progress line says so.
      if (!sent && /aep-dest: (reading|matching)/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, stderr);
    assert.match(
      stderr,
      /aep-dest: interrupted: the simulation stopped and nothing was written\n$/,
    );
    assert.equal(fs.existsSync(path.join(dir, 'out.json')), false);
    assert.deepEqual(leftovers(dir), []);
  });
});
