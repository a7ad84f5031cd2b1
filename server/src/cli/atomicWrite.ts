import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes the chunks to `target` all or nothing: into `.<name>.<pid>.tmp` beside it,
 * then renamed over it. On any error the temp file is removed and the target untouched,
 * so an interrupted export never leaves a partial report.
 *
 * A target that exists but is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO)
 * is written directly: renaming over it would replace the device with a file.
 */
export function writeAtomically(target: string, chunks: Iterable<string>): void {
  if (isSpecialFile(target)) {
    const fd = fs.openSync(target, 'w');
    try {
      for (const chunk of chunks) fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(temp, 'w');
    try {
      for (const chunk of chunks) fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function isSpecialFile(target: string): boolean {
  try {
    const stat = fs.statSync(target);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
}
