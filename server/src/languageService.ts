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
  nodeFileHost,
} from './engine/catalogLoader';
import { DEFAULT_LIMITS, DestinationDocument, type ParseLimits } from './engine/document';
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
import { validateDocument } from './services/validation';

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

  constructor(private readonly options: LanguageServiceOptions) {
    this.catalogs = new CatalogLoader(options.fileHost ?? nodeFileHost);
    this.partitionFiles = new PartitionLoader(options.fileHost ?? nodeFileHost);
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
    const doc = new DestinationDocument(textDocument, limits);
    this.docs.set(textDocument.uri, doc);
    return doc;
  }

  forget(uri: string): void {
    this.docs.delete(uri);
  }

  catalog(doc: DestinationDocument): CatalogState {
    return this.catalogs.load(doc.uri, doc.stringValue('marketoFields')?.value);
  }

  /** The lead partitions the config's `marketoPartitions` names. */
  partitions(doc: DestinationDocument): PartitionState {
    return this.partitionFiles.load(doc.uri, doc.stringValue('marketoPartitions')?.value);
  }

  validate(textDocument: TextDocumentLike, settings: DocumentSettings = {}): Finding[] {
    const doc = this.parse(textDocument, settings);
    return validateDocument(doc, doc.notParsed ? { status: 'none' } : this.catalog(doc), {
      docsBaseUri: this.options.docsBaseUri,
      disabledRules: new Set(settings.disabledRules ?? []),
      partitions: doc.notParsed ? { status: 'none' } : this.partitions(doc),
    });
  }

  complete(textDocument: TextDocumentLike, position: Position): CompletionListLike {
    const doc = this.parse(textDocument);
    return getCompletions(doc, doc.offsetAt(position), {
      catalog: this.catalog(doc),
      partitions: this.partitions(doc),
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
