/**
 * The temp directories of simulations: the DuckDB engine's spill directory (one a run), and
 * the language server's directory for each run's worker. A run removes its own when it ends,
 * but a process killed outright (SIGKILL, the out-of-memory killer, a lost machine) cannot,
 * and a 10M-row run spills gigabytes. So each directory names its owner (process id and
 * host), and making one first removes those of the same kind whose owner is gone.
 *
 * A directory is left alone unless all of these hold: its owner ran on this host, that
 * process no longer exists, and nothing in it has changed for `STALE_AFTER_MS` (a process id
 * can be reused, and another container may share the temp directory but not its process
 * ids). A directory from a version that wrote no owner is removed after `UNOWNED_AFTER_MS`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const OWNER_FILE = 'owner.json';
export const STALE_AFTER_MS = 10 * 60 * 1000;
export const UNOWNED_AFTER_MS = 24 * 60 * 60 * 1000;

interface Owner {
  pid: number;
  host: string;
}

/**
 * A new directory `<parent>/<prefix>XXXXXX` owned by this process, once the stale ones of
 * that prefix are removed.
 */
export function makeOwnedTempDir(parent: string, prefix: string): string {
  removeStaleTempDirs(parent, prefix);
  const dir = fs.mkdtempSync(path.join(parent, prefix));
  const owner: Owner = { pid: process.pid, host: os.hostname() };
  try {
    fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(owner));
  } catch (error) {
    // A full disk: no directory without its owner is left behind for a day.
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/**
 * Removes the directories `<parent>/<prefix>*` that a dead process left; returns their paths.
 * Whatever cannot be read or removed (another user's directory) is left as it is.
 */
export function removeStaleTempDirs(
  parent: string,
  prefix: string,
  now: number = Date.now(),
): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const dir = path.join(parent, name);
    try {
      if (!isStale(dir, now)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Not ours to remove, or removed meanwhile by another run.
    }
  }
  return removed;
}

function isStale(dir: string, now: number): boolean {
  if (!fs.statSync(dir).isDirectory()) return false;
  const owner = readOwner(dir);
  const idle = now - newestChange(dir);
  if (!owner) return idle >= UNOWNED_AFTER_MS;
  return owner.host === os.hostname() && !isAlive(owner.pid) && idle >= STALE_AFTER_MS;
}

function readOwner(dir: string): Owner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<Owner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string')
      return { pid: value.pid, host: value.host };
  } catch {
    // A half-written owner file: treated as none.
  }
  return undefined;
}

/** The latest change in the directory, its spill subdirectory or their files (ms). */
function newestChange(dir: string): number {
  let newest = fs.statSync(dir).mtimeMs;
  const visit = (at: string, depth: number): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      newest = Math.max(newest, fs.statSync(file).mtimeMs);
      if (entry.isDirectory() && depth < 2) visit(file, depth + 1);
    }
  };
  visit(dir, 0);
  return newest;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
