/**
 * Shared mappings files: `"mappings": "./mappings/standard.mappings.json"` names a file that
 * holds the mappings array, so that several destinations share one set. The file is read as the
 * catalogs are (relative to the config, under the editor's file policy, re-read when its size or
 * modification time changes), except that a file open in the editor is taken from the editor,
 * unsaved changes included: editing it revalidates the configs that use it.
 */
import { pathToFileURL } from 'node:url';
import * as l10n from '@vscode/l10n';
import { StaticTextDocument } from './staticTextDocument';
import { type BlockedState, type FileHost, configDirectory, nodeFileHost } from './catalogLoader';
import { DEFAULT_LIMITS, DestinationDocument } from './document';
import { type FileAccessPolicy, decideAccess } from './fileAccess';

/** The shared mappings file a config names, as the rules and services see it. */
export type MappingFileState =
  /** `mappings` is the array itself (or absent, or not a string). */
  | { status: 'none' }
  | {
      status: 'loaded';
      /** The path as the config writes it. */
      path: string;
      absolute: string;
      /** The open document's URI, or the file URI of the path. */
      uri: string;
      doc: DestinationDocument;
    }
  | { status: 'error'; path: string; message: string }
  | BlockedState;

/** The parse of a file open in the editor at an absolute path, unsaved changes included. */
export type OpenDocumentLookup = (absolute: string) => DestinationDocument | undefined;

export class MappingFileLoader {
  private readonly cache = new Map<string, { key: string; doc: DestinationDocument }>();

  constructor(
    private readonly host: FileHost = nodeFileHost,
    private readonly openDocument: OpenDocumentLookup = () => undefined,
  ) {}

  load(
    configUri: string,
    relative: string | undefined,
    policy?: FileAccessPolicy,
  ): MappingFileState {
    if (relative === undefined || !relative.trim()) return { status: 'none' };
    const dir = configDirectory(configUri);
    if (!dir) {
      return {
        status: 'error',
        path: relative,
        message: l10n.t(
          'the config is not saved to disk, so the relative path {0} cannot be resolved.',
          relative,
        ),
      };
    }
    const decision = decideAccess(policy, dir, relative, (p) => this.host.realPath?.(p) ?? p);
    if (!decision.allowed) return { status: 'blocked', path: relative, decision };
    const absolute = decision.absolute;
    const open = this.openDocument(absolute);
    const doc = open ?? this.fromDisk(absolute, relative);
    if (!(doc instanceof DestinationDocument)) return doc;
    const problem = shapeProblem(doc, relative);
    if (problem) return { status: 'error', path: relative, message: problem };
    return { status: 'loaded', path: relative, absolute, uri: doc.uri, doc };
  }

  private fromDisk(
    absolute: string,
    relative: string,
  ): DestinationDocument | { status: 'error'; path: string; message: string } {
    const error = (message: string) => ({ status: 'error' as const, path: relative, message });
    const stat = this.host.stat(absolute);
    if (!stat) return error(l10n.t('{0} does not exist (resolved to {1}).', relative, absolute));
    if (!stat.isFile) return error(l10n.t('{0} is a directory, not a file.', relative));
    if (stat.size > DEFAULT_LIMITS.maxFileSize) {
      return error(
        l10n.t(
          '{0} is {1} MB: too large for a mappings file.',
          relative,
          Math.round(stat.size / 1048576),
        ),
      );
    }
    const key = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.cache.get(absolute);
    if (hit?.key === key) return hit.doc;
    let text: string;
    try {
      text = this.host.readFile(absolute);
    } catch (cause) {
      return error(l10n.t('{0} cannot be read: {1}', relative, (cause as Error).message));
    }
    const uri = pathToFileURL(absolute).href;
    const doc = new DestinationDocument(new StaticTextDocument(uri, 0, text));
    this.cache.set(absolute, { key, doc });
    return doc;
  }
}

/** Why a parsed file is no mappings array, with the line and column of a syntax error. */
function shapeProblem(doc: DestinationDocument, relative: string): string | undefined {
  if (doc.notParsed === 'binary') return l10n.t('{0} is binary, not JSON.', relative);
  if (doc.notParsed === 'too-deep')
    return l10n.t('{0}: nested too deeply to be a mappings file.', relative);
  if (doc.notParsed === 'too-large')
    return l10n.t('{0} is too large for a mappings file.', relative);
  const first = doc.syntaxErrors[0];
  if (first) {
    const { line, character } = doc.positionAt(first.offset);
    return l10n.t(
      '{0}:{1}:{2}: invalid JSON ({3})',
      relative,
      line + 1,
      character + 1,
      first.message,
    );
  }
  const root = doc.root;
  if (root?.type !== 'array') {
    return l10n.t(
      '{0} holds {1}, not an array of mappings (objects with "source" and "target").',
      relative,
      root ? (root.type === 'object' ? l10n.t('an object') : root.type) : l10n.t('nothing'),
    );
  }
  return undefined;
}
