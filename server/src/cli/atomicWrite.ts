import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes the chunks to `target` all or nothing: into `.<name>.<pid>.tmp` beside it,
 * then renamed over it. On any error the temp file is removed and the target untouched,
 * so an interrupted export never leaves a partial report.
 */
export function writeAtomically(target: string, chunks: Iterable<string>): void {
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
