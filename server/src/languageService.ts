import { getCodeActions } from './services/codeActions';
import { validateDocumentReport } from './services/validation';
import { getCompletions } from './services/completion';
import { OutlineCache } from './services/outlineUpdate';
import { formatDocument } from './services/formatting';
import { getHover } from './services/hover';
import { getDefinition, getReferenceHover } from './services/definition';
import {
  type SharedFileFindings,
  type ValidationResult,
  splitSharedFindings,
} from './services/sharedMappingFindings';
import { type MappingFileState, MappingFileLoader } from './engine/mappingFileLoader';
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
  LocationLike,
  Position,
  Range,
  TextDocumentLike,
  TextEdit,
} from './engine/types';
import { validateDocumentInSlices } from './services/validation';
import type { SuppressedFinding } from './rules/suppressionRules';
import { type ConfigSummary, summarizeConfig } from './rules/configSummary';

export interface LanguageServiceOptions {
  /** Base URI of the rule pages (docs/rules/), ending with a slash. */
  docsBaseUri: string;
  fileHost?: FileHost;
  /**
   * The document open in the editor at an absolute path, if any: a shared mappings file is read
   * from there, unsaved changes included, rather than from disk.
   */
  openDocument?: (absolutePath: string) => TextDocumentLike | undefined;
}

export type { SharedFileFindings, ValidationResult };

/** What validateFiles finds, with the findings the config's suppression comments hide. */
export interface FileValidation extends ValidationResult {
  suppressed: SuppressedFinding[];
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
  /** The last outline of each document, which the next version's is updated from. */
  private readonly outlines = new OutlineCache();
  private readonly catalogs: CatalogLoader;
  private readonly partitionFiles: PartitionLoader;
  private readonly mappingFiles: MappingFileLoader;
  private fileAccess: FileAccessPolicy | undefined;

  constructor(private readonly options: LanguageServiceOptions) {
    this.catalogs = new CatalogLoader(options.fileHost ?? nodeFileHost);
    this.partitionFiles = new PartitionLoader(options.fileHost ?? nodeFileHost);
    this.mappingFiles = new MappingFileLoader(options.fileHost ?? nodeFileHost, (absolute) => {
      const open = options.openDocument?.(absolute);
      // Parsed without resolving its own `mappings`: a file naming another stops there.
      return open ? this.parseText(open) : undefined;
    });
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
    const doc = this.parseText(textDocument, settings);
    this.mappingFile(doc);
    return doc;
  }

  private parseText(
    textDocument: TextDocumentLike,
    settings?: DocumentSettings,
  ): DestinationDocument {
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
    this.outlines.forget(uri);
  }

  catalog(doc: DestinationDocument): CatalogState {
    return this.catalogs.load(doc.uri, doc.stringValue('marketoFields')?.value, this.fileAccess);
  }

  /**
   * The shared mappings file the config's `mappings` names, read now (from its editor when it is
   * open) and attached to `doc`, whose `mappings` are then that file's.
   */
  mappingFile(doc: DestinationDocument): MappingFileState {
    const reference = doc.value('mappings');
    const state: MappingFileState =
      reference?.type === 'string' && !doc.notParsed
        ? this.mappingFiles.load(doc.uri, reference.value as string, this.fileAccess)
        : { status: 'none' };
    doc.useMappingFile(state.status === 'loaded' ? state.doc : undefined);
    return state;
  }

  /** The lead partitions the config's `marketoPartitions` names. */
  partitions(doc: DestinationDocument): PartitionState {
    return this.partitionFiles.load(
      doc.uri,
      doc.stringValue('marketoPartitions')?.value,
      this.fileAccess,
    );
  }

  /** The config's findings, one summing up those in its shared mappings file (see validateFiles). */
  validate(textDocument: TextDocumentLike, settings: DocumentSettings = {}): Finding[] {
    return this.validateFiles(textDocument, settings).findings;
  }

  /**
   * The config's findings, and apart from them those in the shared mappings file it names and
   * those its suppression comments hide (SARIF lists them); with `noInlineConfig` (the CLI's
   * --no-inline-config) every comment is ignored.
   */
  validateFiles(
    textDocument: TextDocumentLike,
    settings: DocumentSettings = {},
    { noInlineConfig = false } = {},
  ): FileValidation {
    const doc = this.parseText(textDocument, settings);
    const mappingFile = this.mappingFile(doc);
    const options = { ...this.validationOptions(doc, settings, mappingFile), noInlineConfig };
    const report = validateDocumentReport(doc, this.catalogOf(doc), options);
    return {
      ...splitSharedFindings(doc, report.findings, mappingFile, options),
      suppressed: report.suppressed,
    };
  }

  private catalogOf(doc: DestinationDocument): CatalogState {
    return doc.notParsed ? { status: 'none' } : this.catalog(doc);
  }

  private validationOptions(
    doc: DestinationDocument,
    settings: DocumentSettings,
    mappingFile: MappingFileState,
  ) {
    return {
      docsBaseUri: this.options.docsBaseUri,
      disabledRules: new Set(settings.disabledRules ?? []),
      partitions: doc.notParsed ? ({ status: 'none' } as const) : this.partitions(doc),
      access: (relative: string) => this.access(doc.uri, relative),
      mappingFile,
    };
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
    return (await this.validateFilesInSlices(textDocument, settings, pause))?.findings;
  }

  /** What validateFiles gives, one rule at a time as validateInSlices computes it. */
  async validateFilesInSlices(
    textDocument: TextDocumentLike,
    settings: DocumentSettings,
    pause: () => Promise<boolean>,
  ): Promise<ValidationResult | undefined> {
    if (!(await pause())) return undefined;
    const doc = this.parseText(textDocument, settings);
    const mappingFile = this.mappingFile(doc);
    const options = this.validationOptions(doc, settings, mappingFile);
    const file = mappingFile.status === 'loaded' ? mappingFile.doc : undefined;
    const findings = await validateDocumentInSlices(doc, this.catalogOf(doc), options, () =>
      // A request in between may have attached a newer parse of the shared file: every rule of
      // this validation reads the one it started with, so each finding lands in the right file.
      pause().then((going) => (doc.useMappingFile(file), going)),
    );
    return findings && splitSharedFindings(doc, findings, mappingFile, options);
  }

  /** What the cross-file rules read of this document; undefined when it is not a config object. */
  summarize(
    textDocument: TextDocumentLike,
    settings?: DocumentSettings,
  ): ConfigSummary | undefined {
    const doc = this.parse(textDocument, settings);
    return doc.notParsed || doc.isMappingsFile ? undefined : summarizeConfig(doc);
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
    const reference = getReferenceHover(doc, doc.offsetAt(position), this.mappingFile(doc));
    if (reference) return reference;
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

  /**
   * Quick fixes for diagnostics in the shared mappings file `sharedUri` that `config`'s
   * validation found: that config's fixes, editing the shared file (and the config where a fix
   * keeps the two consistent). None when the config no longer names that file.
   */
  sharedFileCodeActions<D extends DiagnosticRef>(
    config: TextDocumentLike,
    sharedUri: string,
    range: Range,
    diagnostics: D[],
  ): CodeActionLike<D>[] {
    const doc = this.parse(config);
    const file = doc.mappingFile;
    if (!file || file.uri !== sharedUri) return [];
    return getCodeActions(doc, range, diagnostics, file);
  }

  /** Go to definition: the shared mappings file from the config's `mappings` path. */
  definition(textDocument: TextDocumentLike, position: Position): LocationLike[] {
    const doc = this.parseText(textDocument);
    return getDefinition(doc, doc.offsetAt(position), this.mappingFile(doc));
  }

  documentSymbols(textDocument: TextDocumentLike): DocumentSymbolLike[] {
    return this.outlines.symbols(this.parse(textDocument));
  }

  format(
    textDocument: TextDocumentLike,
    options: FormattingOptionsLike,
    range?: Range,
  ): TextEdit[] {
    return formatDocument(this.parse(textDocument), options, range);
  }
}
