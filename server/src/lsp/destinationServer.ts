import {
  CodeActionKind,
  type Connection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  ErrorCodes,
  type InitializeParams,
  type InitializeResult,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DestinationLanguageService } from '../languageService';
import { docsBaseUriFor, findPackage } from '../host/packageInfo';
import { environmentLocale, useLocale } from '../host/locale';
import { registerFlowService } from './flowServiceHandler';
import { guard } from './guard';
import { NO_BACKLOG, type OutputBacklog } from './outputBacklog';
import { initialFileAccess, registerWorkspaceAccess } from './workspaceAccess';
import { registerSimulation } from './simulationHandler';
import { SharedMappingDiagnostics, openDocumentAt } from './sharedMappings';
import { type ValidationJob, ValidationScheduler } from './validationScheduler';
import { WorkspaceIndex } from './workspaceIndex';
import { toCompletionList, toDiagnostic, toDocumentSymbols, toHover } from './convert';
import {
  DEFAULT_SETTINGS,
  DestinationTreeRequest,
  DocumentStatusNotification,
  type DestinationSettings,
  type DocumentStatus,
  type InitializationOptions,
  SETTINGS_SECTION,
  SIMULATION_ENGINES,
} from '../../../common/protocol';

/**
 * Wires the pure language service to an LSP connection. Every handler is
 * guarded: a failure answers with an error and is logged, the server lives on.
 */
export function startServer(
  connection: Connection,
  options: { packageRoot?: string; backlog?: OutputBacklog } = {},
): void {
  const documents = new TextDocuments(TextDocument);
  const docsBaseUri = docsBaseUriFor(options.packageRoot ?? findPackage().root);
  const service = new DestinationLanguageService({
    docsBaseUri,
    openDocument: openDocumentAt(documents),
  });
  const shared = new SharedMappingDiagnostics(connection, documents);
  const settingsCache = new Map<string, Promise<DestinationSettings>>();
  let canReadConfiguration = false;
  let whenInitialized = (): void => undefined;

  function settingsFor(uri: string): Promise<DestinationSettings> {
    if (!canReadConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = settingsCache.get(uri);
    if (!settings) {
      settings = connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then((value: Partial<DestinationSettings> | null) => normaliseSettings(value))
        .catch(() => DEFAULT_SETTINGS);
      settingsCache.set(uri, settings);
    }
    return settings;
  }

  async function validate(document: TextDocument, job: ValidationJob): Promise<void> {
    const settings = await settingsFor(document.uri);
    // A newer version may have arrived while the settings were read.
    if (!job.current()) return;
    let diagnostics: Diagnostic[];
    let result;
    try {
      result = await service.validateFilesInSlices(document, settings, job.pause);
      // Abandoned for a newer version (or a close): its diagnostics are never published.
      if (!result || !job.current()) return;
      // With the cross-file findings of the workspace's other configs (workspaceIndex.ts).
      const merged = await index.openValidated(document, result.findings, settings);
      if (!job.current()) return;
      diagnostics = merged.map(toDiagnostic);
    } catch (error) {
      connection.console.error(
        `validation of ${document.uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return;
    }
    await shared.publish(document, diagnostics, result.sharedFile);
    const doc = service.parse(document, settings);
    const status: DocumentStatus = {
      uri: document.uri,
      version: document.version,
      connector: doc.stringValue('connector')?.value,
      name: doc.stringValue('name')?.value,
      errors: diagnostics.filter((d) => d.severity === 1).length,
      warnings: diagnostics.filter((d) => d.severity === 2).length,
    };
    await connection.sendNotification(DocumentStatusNotification, status);
  }

  /**
   * Coalesces bursts of edits (only the latest version is validated), in slices that let
   * requests through, abandoned when a newer version comes (validationScheduler.ts).
   */
  const scheduler = new ValidationScheduler<TextDocument>({
    latest: (uri) => documents.get(uri),
    run: validate,
    drained: () => (options.backlog ?? NO_BACKLOG).drained(),
  });
  const schedule = (document: TextDocument): void => scheduler.schedule(document);
  const index = new WorkspaceIndex({ connection, documents, service, docsBaseUri, settingsFor });

  function revalidateAll(): void {
    for (const document of documents.all()) schedule(document);
    void index.rescan();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    // Before anything makes a message: every later one is in this language. An editor that
    // sends no locale gets the one its environment says, as the CLI does.
    useLocale(options.locale ?? params.locale ?? environmentLocale(process.env));
    canReadConfiguration = params.capabilities.workspace?.configuration === true;
    const watchFolders = params.capabilities.workspace?.workspaceFolders === true;
    service.setFileAccess(initialFileAccess(params));
    whenInitialized = registerWorkspaceAccess(connection, service, revalidateAll, watchFolders);
    return {
      capabilities: {
        ...(watchFolders
          ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } }
          : {}),
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['"', ':', '.', '/'], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
      },
      serverInfo: { name: 'aep-dest language server' },
    };
  });

  connection.onInitialized(() => {
    whenInitialized();
    void index.rescan();
    if (canReadConfiguration) {
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
        .catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    revalidateAll();
  });

  // A catalog or sample file changed on disk: the catalog loader re-reads what changed; a
  // config on disk is read again by the index.
  connection.onDidChangeWatchedFiles((params) => {
    for (const document of documents.all()) schedule(document);
    void index.filesChanged(params.changes);
  });

  // A shared mappings file's configs read it from the editor while it is open, else from disk.
  const withConfigs = (document: TextDocument): void => {
    schedule(document);
    for (const config of shared.configsUsing(document.uri)) schedule(config);
  };
  documents.onDidChangeContent((event) => withConfigs(event.document));
  documents.onDidClose((event) => {
    scheduler.cancel(event.document.uri);
    settingsCache.delete(event.document.uri);
    service.forget(event.document.uri);
    const configs = shared.configsUsing(event.document.uri);
    // Cleared, then the file's saved text validated in its place when it is in the workspace.
    void shared.forget(event.document.uri).then(() => index.closed(event.document.uri));
    for (const config of configs) schedule(config);
  });
  connection.onRequest(
    DestinationTreeRequest,
    guard(connection, 'destinationTree', () => index.tree()),
  );

  const withDocument = <P extends { textDocument: { uri: string } }, R>(
    name: string,
    empty: R,
    run: (doc: TextDocument, params: P) => R,
  ) =>
    guard<P, R | ResponseError<void>>(connection, name, (params) => {
      const invalid = invalidParams(params);
      if (invalid) return new ResponseError(ErrorCodes.InvalidParams, `${name}: ${invalid}`);
      const document = documents.get(params.textDocument?.uri);
      return document ? run(document, params) : empty;
    });

  connection.onCompletion(
    withDocument('completion', { isIncomplete: false, items: [] }, (doc, params) =>
      toCompletionList(service.complete(doc, params.position)),
    ),
  );
  connection.onHover(
    withDocument('hover', null, (doc, params) => toHover(service.hover(doc, params.position))),
  );
  connection.onCodeAction(
    withDocument('codeAction', [], (doc, params) =>
      shared.codeActions(service, doc, params.range, params.context.diagnostics),
    ),
  );
  connection.onDefinition(
    withDocument('definition', [], (doc, params) => service.definition(doc, params.position)),
  );
  connection.onDocumentSymbol(
    withDocument('documentSymbol', [], (doc) => toDocumentSymbols(service.documentSymbols(doc))),
  );
  connection.onDocumentFormatting(
    withDocument('formatting', [], (doc, params) => service.format(doc, params.options)),
  );
  connection.onDocumentRangeFormatting(
    withDocument('rangeFormatting', [], (doc, params) =>
      service.format(doc, params.options, params.range),
    ),
  );

  registerSimulation(connection, documents, service, settingsFor);
  registerFlowService(connection, documents, service, settingsFor);

  documents.listen(connection);
  connection.listen();
}

/** Why a request's position or range is unusable, or undefined when they are fine. */
function invalidParams(params: object): string | undefined {
  if ('position' in params && !isPosition(params.position))
    return 'position must be {line, character} of non-negative integers';
  if ('range' in params) {
    const range = params.range as { start?: unknown; end?: unknown } | null;
    if (!range || !isPosition(range.start) || !isPosition(range.end))
      return 'range must be {start, end} positions';
  }
  return undefined;
}

function isPosition(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as { line?: unknown; character?: unknown };
  return (
    Number.isSafeInteger(line) &&
    Number.isSafeInteger(character) &&
    (line as number) >= 0 &&
    (character as number) >= 0
  );
}

function normaliseSettings(value: Partial<DestinationSettings> | null): DestinationSettings {
  const size = Number(value?.maxFileSizeMB);
  const engine: unknown = value?.simulation?.engine;
  return {
    maxFileSizeMB: Number.isFinite(size) && size > 0 ? size : DEFAULT_SETTINGS.maxFileSizeMB,
    disabledRules: Array.isArray(value?.disabledRules)
      ? value.disabledRules.filter((c): c is string => typeof c === 'string')
      : [],
    simulation: {
      engine: SIMULATION_ENGINES.find((e) => e === engine) ?? DEFAULT_SETTINGS.simulation.engine,
    },
  };
}
