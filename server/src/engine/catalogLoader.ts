import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import {
  CatalogFormatError,
  type FieldCatalog,
  parseFieldCatalog,
} from '../knowledge/marketoFields';
import { type PartitionList, parsePartitions } from '../knowledge/marketoPartitions';
import { type AccessDecision, type FileAccessPolicy, decideAccess } from './fileAccess';

/** A file the policy did not let the editor read (see fileAccess.ts); the rules say why. */
export type BlockedState = {
  status: 'blocked';
  path: string;
  decision: Exclude<AccessDecision, { allowed: true }>;
};

/** A saved Marketo answer named by the config, as the rules and services see it. */
export type LoadState<T> =
  | { status: 'none' }
  | { status: 'loaded'; path: string; value: T }
  | { status: 'error'; path: string; message: string }
  | BlockedState;

/** The instance's field catalog as the rules and services see it. */
export type CatalogState =
  | { status: 'none' }
  | { status: 'loaded'; path: string; catalog: FieldCatalog }
  | { status: 'error'; path: string; message: string }
  | BlockedState;

/** The instance's lead partitions (`marketoPartitions`). */
export type PartitionState = LoadState<PartitionList>;

/** The file access the engine needs; tests pass an in-memory one. */
export interface FileHost {
  /** Size and modification time, or undefined when the path is not a readable file. */
  stat(absolutePath: string): { size: number; mtimeMs: number; isFile: boolean } | undefined;
  readFile(absolutePath: string): string;
  /** The path with symbolic links resolved, or undefined when it does not exist. */
  realPath?(absolutePath: string): string | undefined;
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
  realPath(p) {
    try {
      return fs.realpathSync(p);
    } catch {
      return undefined;
    }
  },
};

/** Files larger than this are not a describe output (a real one is a few hundred kB). */
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
 * Loads and caches one kind of saved Marketo answer by path, re-reading a file only when its
 * size or modification time changes. `kind` says which kind of file it is, for the messages.
 */
export class JsonFileLoader<T> {
  private cache = new Map<string, { key: string; result: LoadState<T> }>();

  constructor(
    private readonly parseValue: (value: unknown) => T,
    private readonly kind: 'catalog' | 'partitions',
    private readonly host: FileHost = nodeFileHost,
  ) {}

  load(configUri: string, relative: string | undefined, policy?: FileAccessPolicy): LoadState<T> {
    if (relative === undefined) return { status: 'none' };
    const dir = configDirectory(configUri);
    if (!dir) {
      return {
        status: 'error',
        path: relative,
        message: l10n.t('the config is not saved to disk, so a relative path cannot be resolved.'),
      };
    }
    const decision = decideAccess(policy, dir, relative, (p) => this.host.realPath?.(p) ?? p);
    if (!decision.allowed) return { status: 'blocked', path: relative, decision };
    return this.loadAbsolute(decision.absolute, relative);
  }

  /** Loads a file given by absolute path (`shown` is how messages name it). */
  loadAbsolute(absolute: string, shown: string = absolute): LoadState<T> {
    const relative = shown;
    const stat = this.host.stat(absolute);
    if (!stat)
      return {
        status: 'error',
        path: relative,
        message: l10n.t('{0} does not exist (resolved to {1}).', relative, absolute),
      };
    if (!stat.isFile)
      return {
        status: 'error',
        path: relative,
        message: l10n.t('{0} is a directory, not a file.', relative),
      };
    if (stat.size > MAX_CATALOG_BYTES) {
      return {
        status: 'error',
        path: relative,
        message:
          this.kind === 'catalog'
            ? l10n.t(
                '{0} is {1} MB: too large for a field catalog.',
                relative,
                Math.round(stat.size / 1048576),
              )
            : l10n.t(
                '{0} is {1} MB: too large for a partitions.json output.',
                relative,
                Math.round(stat.size / 1048576),
              ),
      };
    }
    const key = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.cache.get(absolute);
    if (hit?.key === key) return hit.result;
    const result = this.read(absolute, relative);
    this.cache.set(absolute, { key, result });
    return result;
  }

  private read(absolute: string, relative: string): LoadState<T> {
    let text: string;
    try {
      text = this.host.readFile(absolute);
    } catch (error) {
      return {
        status: 'error',
        path: relative,
        message: l10n.t('{0} cannot be read: {1}', relative, (error as Error).message),
      };
    }
    if (text.includes('\u0000'))
      return {
        status: 'error',
        path: relative,
        message: l10n.t('{0} is binary, not JSON.', relative),
      };
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
        message:
          this.kind === 'catalog'
            ? l10n.t('{0}: nested too deeply to be a field catalog.', relative)
            : l10n.t('{0}: nested too deeply to be a partitions.json output.', relative),
      };
    }
    if (errors.length) {
      const first = errors[0] as ParseError;
      const { line, column } = lineColumn(text, first.offset);
      return {
        status: 'error',
        path: relative,
        message: l10n.t(
          '{0}:{1}:{2}: invalid JSON ({3}).',
          relative,
          line,
          column,
          printParseErrorCode(first.error),
        ),
      };
    }
    try {
      return { status: 'loaded', path: relative, value: this.parseValue(value) };
    } catch (error) {
      if (error instanceof CatalogFormatError)
        return { status: 'error', path: relative, message: `${relative}: ${error.message}.` };
      throw error;
    }
  }
}

/** Field catalogs (`marketoFields`): describe, describe2 or schema/fields outputs. */
export class CatalogLoader {
  private readonly files: JsonFileLoader<FieldCatalog>;

  constructor(host: FileHost = nodeFileHost) {
    this.files = new JsonFileLoader(parseFieldCatalog, 'catalog', host);
  }

  load(configUri: string, relative: string | undefined, policy?: FileAccessPolicy): CatalogState {
    const state = this.files.load(configUri, relative, policy);
    return state.status === 'loaded'
      ? { status: 'loaded', path: state.path, catalog: state.value }
      : state;
  }
}

/** Lead partitions (`marketoPartitions`, `simulate --partitions`): partitions.json outputs. */
export class PartitionLoader extends JsonFileLoader<PartitionList> {
  constructor(host: FileHost = nodeFileHost) {
    super(parsePartitions, 'partitions', host);
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
