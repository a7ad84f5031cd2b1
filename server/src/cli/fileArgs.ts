import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import { CliError, oneLine } from './cliError';

/** Files larger than this are refused before reading (a real config is a few kB). */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

/** What a directory argument expands to. */
export const CONFIG_FILE_PATTERNS = ['**/*.destination.json', '**/*.destination.jsonc'];

export interface InputFile {
  /** Absolute path on disk. */
  absolutePath: string;
  /** Path to show: as given, or relative to cwd, with forward slashes. */
  displayPath: string;
}

export interface LoadedFile extends InputFile {
  text: string;
  /** Size in bytes on disk. */
  byteLength: number;
}

export function toForwardSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/** True when `absolutePath` is `root` or below it. */
export function isInside(root: string, absolutePath: string): boolean {
  const relative = path.relative(root, absolutePath);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** A short, stable description of a file-system error code. */
export function describeFsError(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return oneLine(message) || 'unknown error';
    }
  }
}

/** How a file found by expanding `arg` is shown: absolute for an absolute argument, else cwd-relative. */
function displayOf(arg: string, cwd: string, absolutePath: string): string {
  return toForwardSlashes(path.isAbsolute(arg) ? absolutePath : path.relative(cwd, absolutePath));
}

/** How one argument is shown when taken literally: as given, normalised. */
function literalDisplay(arg: string): string {
  const shown = toForwardSlashes(path.normalize(arg));
  return shown.length > 1 ? shown.replace(/\/+$/, '') || '/' : shown;
}

async function statOrError(absolutePath: string): Promise<fs.Stats | { error: unknown }> {
  try {
    return await fs.promises.stat(absolutePath);
  } catch (error) {
    return { error };
  }
}

async function globFiles(patterns: string[], options: fg.Options): Promise<string[]> {
  return fg(patterns, { ...options, absolute: true, onlyFiles: true, dot: false, unique: true });
}

/**
 * Expands the command-line paths: a file as is (whatever its name), a
 * directory to every config below it (skipping node_modules and dot
 * directories), anything else that looks like a glob through fast-glob.
 * Returns the files sorted by display path, without duplicates; throws a
 * CliError listing every argument that did not resolve.
 */
export async function expandInputs(args: readonly string[], cwd: string): Promise<InputFile[]> {
  const byPath = new Map<string, InputFile>();
  const problems: string[] = [];
  const add = (absolutePath: string, displayPath: string): void => {
    const key = path.normalize(absolutePath);
    if (!byPath.has(key)) byPath.set(key, { absolutePath: key, displayPath });
  };

  for (const arg of args) {
    if (arg === '') {
      problems.push(`cannot read '': empty path`);
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const stat = await statOrError(absolute);
    if (!('error' in stat)) {
      if (stat.isDirectory()) {
        let found: string[];
        try {
          found = await globFiles(CONFIG_FILE_PATTERNS, {
            cwd: absolute,
            ignore: ['**/node_modules/**'],
            followSymbolicLinks: false,
          });
        } catch (error) {
          problems.push(`cannot read ${literalDisplay(arg)}: ${describeFsError(error)}`);
          continue;
        }
        if (!found.length) {
          problems.push(
            `no *.destination.json or *.destination.jsonc files under ${literalDisplay(arg)}`,
          );
        }
        for (const file of found) add(file, displayOf(arg, cwd, path.normalize(file)));
      } else if (stat.isFile()) {
        add(absolute, literalDisplay(arg));
      } else {
        problems.push(`cannot read ${literalDisplay(arg)}: not a regular file`);
      }
      continue;
    }
    const code = (stat.error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' && fg.isDynamicPattern(toForwardSlashes(arg))) {
      let found: string[];
      try {
        found = await globFiles([toForwardSlashes(arg)], { cwd });
      } catch (error) {
        problems.push(`cannot expand ${arg}: ${describeFsError(error)}`);
        continue;
      }
      if (!found.length) problems.push(`no files match ${arg}`);
      for (const file of found) add(file, displayOf(arg, cwd, path.normalize(file)));
      continue;
    }
    problems.push(`cannot read ${literalDisplay(arg)}: ${describeFsError(stat.error)}`);
  }

  if (problems.length) throw new CliError(problems, 'file');
  return [...byPath.values()].sort((a, b) =>
    a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0,
  );
}

/**
 * Reads one file as UTF-8. Invalid byte sequences become U+FFFD and a
 * byte-order mark is dropped: malformed content is the validator's business,
 * not a file error.
 */
export async function readInputFile(file: InputFile): Promise<LoadedFile> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file.absolutePath, 'r');
  } catch (error) {
    throw new CliError(`cannot read ${file.displayPath}: ${describeFsError(error)}`, 'file');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new CliError(`cannot read ${file.displayPath}: not a regular file`, 'file');
    if (stat.size > MAX_INPUT_BYTES) {
      throw new CliError(
        `cannot read ${file.displayPath}: ${(stat.size / 1024 / 1024).toFixed(1)} MB is larger than the 50 MB limit`,
        'file',
      );
    }
    const bytes = await handle.readFile();
    if (bytes.length > MAX_INPUT_BYTES) {
      throw new CliError(`cannot read ${file.displayPath}: larger than the 50 MB limit`, 'file');
    }
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
    return { ...file, text, byteLength: bytes.length };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${file.displayPath}: ${describeFsError(error)}`, 'file');
  } finally {
    await handle.close().catch(() => undefined);
  }
}
