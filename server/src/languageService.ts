import { getCodeActions } from './services/codeActions';
import { getCompletions } from './services/completion';
import { getDocumentSymbols } from './services/documentSymbols';
import { formatDocument } from './services/formatting';
import { getHover } from './services/hover';
import type { CatalogState, PartitionState } from './engine/catalogLoader';
import {
  CatalogLoader,
  type FileHost,
  PartitionLoader,
  configDirectory,
  nodeFileHost,
} from './engine/catalogLoader';
import { DEFAULT_LIMITS, DestinationDocument, type ParseLimits } from './engine/document';
import { type AccessDecision, type FileAccessPolicy, decideAccess } from './engine/fileAccess';
import type {
  CodeActionLike,
  CompletionListLike,
  DiagnosticRef,
  DocumentSymbolLike,
  Finding,
  FormattingOptionsLike,
  HoverLike,
  Position,
  Range,
  TextDocumentLike,
  TextEdit,
} from './engine/types';
import { validateDocument, validateDocumentInSlices } from './services/validation';
import { type ConfigSummary, summarizeConfig } from './rules/configSummary';

export interface LanguageServiceOptions {
  /** Base URI of the rule pages (docs/rules/), ending with a slash. */
  docsBaseUri: string;
  fileHost?: FileHost;
}

/** Per-document settings (the client reads them per resource). */
export interface DocumentSettings {
  maxFileSizeMB?: number;
  disabledRules?: readonly string[];
}

/**
 * The whole language service, free of any LSP or VS Code import: the server,
 * the CLI and the tests call it directly. One parse per document version is
 * shared by every feature.
 */
export class DestinationLanguageService {
  private readonly docs = new Map<string, DestinationDocument>();
  private readonly catalogs: CatalogLoader;
  private readonly partitionFiles: PartitionLoader;
  private fileAccess: FileAccessPolicy | undefined;

  constructor(private readonly options: LanguageServiceOptions) {
    this.catalogs = new CatalogLoader(options.fileHost ?? nodeFileHost);
    this.partitionFiles = new PartitionLoader(options.fileHost ?? nodeFileHost);
  }

  /**
   * The editor's policy for files a config names (workspace trust and folders); the CLI sets
   * none and reads what its user points it at.
   */
  setFileAccess(policy: FileAccessPolicy | undefined): void {
    this.fileAccess = policy;
  }

  get fileAccessPolicy(): FileAccessPolicy | undefined {
    return this.fileAccess;
  }

  /** May the editor read `relative`, named by the config `uri`? Undefined for an unsaved config. */
  access(uri: string, relative: string): AccessDecision | undefined {
    const dir = configDirectory(uri);
    const host = this.options.fileHost ?? nodeFileHost;
    return dir
      ? decideAccess(this.fileAccess, dir, relative, (p) => host.realPath?.(p) ?? p)
      : undefined;
  }

  /**
   * The parse of this document version. Without settings (completion, hover, …) the
   * parse validation made is reused, whatever size limit it applied.
   */
  parse(textDocument: TextDocumentLike, settings?: DocumentSettings): DestinationDocument {
    const limits: ParseLimits = settings?.maxFileSizeMB
      ? { maxFileSize: settings.maxFileSizeMB * 1024 * 1024 }
      : DEFAULT_LIMITS;
    const cached = this.docs.get(textDocument.uri);
    if (
      cached &&
      cached.version === textDocument.version &&
      cached.textDocument === textDocument &&
      (settings === undefined || cached.limits === limits.maxFileSize)
    ) {
      return cached;
    }
    const doc = new DestinationDocument(textDocument, limits, cached);
    this.docs.set(textDocument.uri, doc);
    return doc;
  }

  forget(uri: string): void {
    this.docs.delete(uri);
  }

  catalog(doc: DestinationDocument): CatalogState {
    return this.catalogs.load(doc.uri, doc.stringValue('marketoFields')?.value, this.fileAccess);
  }

  /** The lead partitions the config's `marketoPartitions` names. */
  partitions(doc: DestinationDocument): PartitionState {
    return this.partitionFiles.load(
      doc.uri,
      doc.stringValue('marketoPartitions')?.value,
      this.fileAccess,
    );
  }

  validate(textDocument: TextDocumentLike, settings: DocumentSettings = {}): Finding[] {
    const doc = this.parse(textDocument, settings);
    return validateDocument(doc, doc.notParsed ? { status: 'none' } : this.catalog(doc), {
      docsBaseUri: this.options.docsBaseUri,
      disabledRules: new Set(settings.disabledRules ?? []),
      partitions: doc.notParsed ? { status: 'none' } : this.partitions(doc),
      access: (relative) => this.access(doc.uri, relative),
    });
  }

  /**
   * The findings of `validate`, one rule at a time: `pause` runs before the parse and between
   * rules (the server yields to its event loop there) and resolves false when the result is no
   * longer wanted; this then resolves undefined without running the rest.
   */
  async validateInSlices(
    textDocument: TextDocumentLike,
    settings: DocumentSettings,
    pause: () => Promise<boolean>,
  ): Promise<Finding[] | undefined> {
    if (!(await pause())) return undefined;
    const doc = this.parse(textDocument, settings);
    return validateDocumentInSlices(
      doc,
      doc.notParsed ? { status: 'none' } : this.catalog(doc),
      {
        docsBaseUri: this.options.docsBaseUri,
        disabledRules: new Set(settings.disabledRules ?? []),
        partitions: doc.notParsed ? { status: 'none' } : this.partitions(doc),
        access: (relative) => this.access(doc.uri, relative),
      },
      pause,
    );
  }

  /** What the cross-file rules read of this document; undefined when it is not a config object. */
  summarize(
    textDocument: TextDocumentLike,
    settings?: DocumentSettings,
  ): ConfigSummary | undefined {
    const doc = this.parse(textDocument, settings);
    return doc.notParsed ? undefined : summarizeConfig(doc);
  }

  complete(textDocument: TextDocumentLike, position: Position): CompletionListLike {
    const doc = this.parse(textDocument);
    return getCompletions(doc, doc.offsetAt(position), {
      catalog: this.catalog(doc),
      partitions: this.partitions(doc),
      mayList: (directory) => this.access(doc.uri, directory)?.allowed ?? false,
    });
  }

  hover(textDocument: TextDocumentLike, position: Position): HoverLike | null {
    const doc = this.parse(textDocument);
    return getHover(doc, doc.offsetAt(position), {
      catalog: this.catalog(doc),
      partitions: this.partitions(doc),
    });
  }

  codeActions<D extends DiagnosticRef>(
    textDocument: TextDocumentLike,
    range: Range,
    diagnostics: D[],
  ): CodeActionLike<D>[] {
    return getCodeActions(this.parse(textDocument), range, diagnostics);
  }

  documentSymbols(textDocument: TextDocumentLike): DocumentSymbolLike[] {
    return getDocumentSymbols(this.parse(textDocument));
  }

  format(
    textDocument: TextDocumentLike,
    options: FormattingOptionsLike,
    range?: Range,
  ): TextEdit[] {
    return formatDocument(this.parse(textDocument), options, range);
  }
}
