/**
 * The temp directories of simulations (simulation/tempDirs.ts): those a killed process left
 * are removed by the next run, and nothing else is.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
// The module object itself (the namespace above is a read-only view of it), for a mock.
import fsModule from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  STALE_AFTER_MS,
  UNOWNED_AFTER_MS,
  makeOwnedTempDir,
  removeStaleTempDirs,
} from '../../server/src/simulation/tempDirs';
import { tempFiles } from '../helpers';

const PREFIX = 'aep-dest-duckdb-';

/** The id of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

/** `<parent>/<name>` as a run leaves it: an owner file, a spill file, all last changed `at`. */
function leftDir(parent: string, name: string, owner: object | undefined, at: number): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(path.join(dir, 'spill'), { recursive: true });
  const files = [path.join(dir, 'spill', 'duckdb_temp_storage-0.tmp')];
  if (owner) files.push(path.join(dir, 'owner.json'));
  for (const file of files)
    fs.writeFileSync(file, file.endsWith('.json') ? JSON.stringify(owner) : 'x');
  // Files first: writing them changed their directories' times.
  for (const file of [...files, path.join(dir, 'spill'), dir])
    fs.utimesSync(file, at / 1000, at / 1000);
  return dir;
}

describe('simulation temp directories', () => {
  test('a directory names its owner: this process on this host', () => {
    const parent = tempFiles();
    const dir = makeOwnedTempDir(parent, PREFIX);
    assert.ok(path.basename(dir).startsWith(PREFIX));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8')), {
      pid: process.pid,
      host: os.hostname(),
    });
  });

  test('removes what a dead process left; keeps the live, the recent, the foreign', () => {
    const parent = tempFiles();
    const now = Date.now();
    const old = now - STALE_AFTER_MS - 60_000;
    const host = os.hostname();
    const dead = deadPid();
    const killed = leftDir(parent, `${PREFIX}killed`, { pid: dead, host }, old);
    const unowned = leftDir(parent, `${PREFIX}unowned`, undefined, now - UNOWNED_AFTER_MS - 1);
    const kept = [
      leftDir(parent, `${PREFIX}live`, { pid: process.pid, host }, old),
      leftDir(parent, `${PREFIX}recent`, { pid: dead, host }, now - 60_000),
      leftDir(parent, `${PREFIX}other-host`, { pid: dead, host: `not-${host}` }, old),
      leftDir(parent, `${PREFIX}unowned-recent`, undefined, now - STALE_AFTER_MS * 2),
      leftDir(parent, 'aep-dest-simulation-killed', { pid: dead, host }, old),
    ];
    // A spill file still written to: the run is alive whatever its directories' dates say.
    const busy = leftDir(parent, `${PREFIX}busy`, { pid: dead, host }, old);
    fs.appendFileSync(path.join(busy, 'spill', 'duckdb_temp_storage-0.tmp'), 'y');
    kept.push(busy);

    assert.deepEqual(removeStaleTempDirs(parent, PREFIX, now).sort(), [killed, unowned].sort());
    for (const dir of [killed, unowned]) assert.equal(fs.existsSync(dir), false, dir);
    for (const dir of kept) assert.equal(fs.existsSync(dir), true, dir);
  });

  test('a full disk: the error, and no directory left without its owner', (t) => {
    const parent = tempFiles();
    t.mock.method(fsModule, 'writeFileSync', () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    assert.throws(() => makeOwnedTempDir(parent, PREFIX), /ENOSPC/);
    t.mock.restoreAll();
    assert.deepEqual(fs.readdirSync(parent), []);
  });

  test('a missing parent directory removes nothing and throws nothing', () => {
    assert.deepEqual(removeStaleTempDirs(path.join(tempFiles(), 'none'), PREFIX), []);
  });

  test("a process killed by SIGKILL: the next run's sweep removes its directory", async () => {
    const temp = tempFiles();
    // A process that makes its directory, then is killed before it can remove it.
    const script =
      `const { makeOwnedTempDir } = require(${JSON.stringify(require.resolve('../../server/src/simulation/tempDirs'))});` +
      `makeOwnedTempDir(${JSON.stringify(temp)}, 'aep-dest-simulation-'); console.log('made');` +
      'setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const [left = ''] = fs.readdirSync(temp);
    assert.ok(left.startsWith('aep-dest-simulation-'), 'the killed process left its directory');
    const later = Date.now() + STALE_AFTER_MS + 1000;
    assert.deepEqual(removeStaleTempDirs(temp, 'aep-dest-simulation-', later), [
      path.join(temp, left),
    ]);
    assert.deepEqual(fs.readdirSync(temp), []);
  });
});
