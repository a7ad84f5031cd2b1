import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import {
  CatalogFormatError,
  type FieldCatalog,
  parseFieldCatalog,
} from '../knowledge/marketoFields';

/** The instance's field catalog as the rules and services see it. */
export type CatalogState =
  | { status: 'none' }
  | { status: 'loaded'; path: string; catalog: FieldCatalog }
  | { status: 'error'; path: string; message: string };

/** The file access the engine needs; tests pass an in-memory one. */
export interface FileHost {
  /** Size and modification time, or undefined when the path is not a readable file. */
  stat(absolutePath: string): { size: number; mtimeMs: number; isFile: boolean } | undefined;
  readFile(absolutePath: string): string;
}

export const nodeFileHost: FileHost = {
  stat(p) {
    try {
      const s = fs.statSync(p);
      return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile() };
    } catch {
      return undefined;
    }
  },
  readFile: (p) => fs.readFileSync(p, 'utf8'),
};

/** Catalogs larger than this are not a describe output (a real one is a few hundred kB). */
const MAX_CATALOG_BYTES = 20 * 1024 * 1024;

/**
 * The config file's directory, for resolving relative paths; undefined for unsaved documents
 * and for file URIs that name no local path (`file://host/…`, an encoded `/`).
 */
export function configDirectory(uri: string): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return path.dirname(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  }
  if (path.isAbsolute(uri)) return path.dirname(uri);
  return undefined;
}

/**
 * Loads and caches field catalogs by path, re-reading a file only when its
 * size or modification time changes.
 */
export class CatalogLoader {
  private cache = new Map<string, { key: string; result: CatalogState }>();

  constructor(private readonly host: FileHost = nodeFileHost) {}

  load(configUri: string, relative: string | undefined): CatalogState {
    if (relative === undefined) return { status: 'none' };
    const dir = configDirectory(configUri);
    if (!dir) {
      return {
        status: 'error',
        path: relative,
        message: 'the config is not saved to disk, so a relative path cannot be resolved.',
      };
    }
    const absolute = path.resolve(dir, relative);
    const stat = this.host.stat(absolute);
    if (!stat)
      return {
        status: 'error',
        path: relative,
        message: `${relative} does not exist (resolved to ${absolute}).`,
      };
    if (!stat.isFile)
      return {
        status: 'error',
        path: relative,
        message: `${relative} is a directory, not a file.`,
      };
    if (stat.size > MAX_CATALOG_BYTES) {
      return {
        status: 'error',
        path: relative,
        message: `${relative} is ${Math.round(stat.size / 1048576)} MB: too large for a field catalog.`,
      };
    }
    const key = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.cache.get(absolute);
    if (hit?.key === key) return hit.result;
    const result = this.read(absolute, relative);
    this.cache.set(absolute, { key, result });
    return result;
  }

  private read(absolute: string, relative: string): CatalogState {
    let text: string;
    try {
      text = this.host.readFile(absolute);
    } catch (error) {
      return {
        status: 'error',
        path: relative,
        message: `${relative} cannot be read: ${(error as Error).message}`,
      };
    }
    if (text.includes('\u0000'))
      return { status: 'error', path: relative, message: `${relative} is binary, not JSON.` };
    const errors: ParseError[] = [];
    let value: unknown;
    try {
      value = parse(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true });
    } catch (error) {
      // jsonc-parser recurses per nesting level: a pathologically deep file overflows the stack.
      if (!(error instanceof RangeError)) throw error;
      return {
        status: 'error',
        path: relative,
        message: `${relative}: nested too deeply to be a describe output.`,
      };
    }
    if (errors.length) {
      const first = errors[0] as ParseError;
      const { line, column } = lineColumn(text, first.offset);
      return {
        status: 'error',
        path: relative,
        message: `${relative}:${line}:${column}: invalid JSON (${printParseErrorCode(first.error)}).`,
      };
    }
    try {
      const catalog: FieldCatalog = parseFieldCatalog(value);
      return { status: 'loaded', path: relative, catalog };
    } catch (error) {
      if (error instanceof CatalogFormatError)
        return { status: 'error', path: relative, message: `${relative}: ${error.message}.` };
      throw error;
    }
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
