/**
 * Shared mappings files in the editor. A config's validation finds things in the shared file it
 * names; they are published on that file when it is open (merged with its own diagnostics and
 * with those of every other open config that uses it), each marked with the config it came from,
 * whose quick fixes it gets. A shared file that opens, changes or closes revalidates the configs
 * that use it: they read it from the editor while it is open, from disk otherwise.
 */
import { fileURLToPath } from 'node:url';
import type { CodeAction, Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DestinationLanguageService, SharedFileFindings } from '../languageService';
import { toCodeAction, toDiagnostic } from './convert';

/** The local path of a file URI, or undefined (untitled, other schemes). */
export function uriPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The open document at an absolute path (the editor's URI spelling may differ from Node's). */
export function openDocumentAt(
  documents: TextDocuments<TextDocument>,
): (absolute: string) => TextDocument | undefined {
  return (absolute) => documents.all().find((document) => uriPath(document.uri) === absolute);
}

function configOf(diagnostic: Diagnostic): string | undefined {
  const data = diagnostic.data as { config?: unknown } | undefined;
  return typeof data?.config === 'string' ? data.config : undefined;
}

export class SharedMappingDiagnostics {
  /** Per open config: what its latest validation found in its shared mappings file. */
  private readonly byConfig = new Map<string, SharedFileFindings>();
  /** Per open document: the diagnostics of its own validation, as last published. */
  private readonly own = new Map<string, { version: number; diagnostics: Diagnostic[] }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  /**
   * Publishes a document's own diagnostics, with those its configs found in it when it is a
   * shared mappings file, and records what a config found in its shared file (republished there).
   */
  async publish(
    document: TextDocument,
    diagnostics: Diagnostic[],
    shared: SharedFileFindings | undefined,
  ): Promise<void> {
    this.own.set(document.uri, { version: document.version, diagnostics });
    const before = this.byConfig.get(document.uri)?.absolute;
    if (shared) this.byConfig.set(document.uri, shared);
    else this.byConfig.delete(document.uri);
    await this.send(document.uri);
    for (const absolute of new Set([before, shared?.absolute])) {
      const file = absolute === undefined ? undefined : openDocumentAt(this.documents)(absolute);
      if (file && file.uri !== document.uri) await this.send(file.uri);
    }
  }

  /** A document closed: its diagnostics go, and what it found in a shared file goes from there. */
  async forget(uri: string): Promise<void> {
    this.own.delete(uri);
    const absolute = this.byConfig.get(uri)?.absolute;
    this.byConfig.delete(uri);
    await this.connection.sendDiagnostics({ uri, diagnostics: [] });
    const file = absolute === undefined ? undefined : openDocumentAt(this.documents)(absolute);
    if (file) await this.send(file.uri);
  }

  /** The open configs whose shared mappings file is the document at `uri`. */
  configsUsing(uri: string): TextDocument[] {
    const absolute = uriPath(uri);
    if (absolute === undefined) return [];
    return [...this.byConfig]
      .filter(([config, shared]) => shared.absolute === absolute && config !== uri)
      .map(([config]) => this.documents.get(config))
      .filter((document): document is TextDocument => document !== undefined);
  }

  /**
   * Quick fixes on `document`: its own diagnostics' (`own`), and for the diagnostics a config
   * found in it, that config's.
   */
  codeActions(
    service: DestinationLanguageService,
    document: TextDocument,
    range: Diagnostic['range'],
    diagnostics: Diagnostic[],
  ): CodeAction[] {
    const byConfig = new Map<string, Diagnostic[]>();
    const own: Diagnostic[] = [];
    for (const diagnostic of diagnostics) {
      const config = configOf(diagnostic);
      if (config === undefined) own.push(diagnostic);
      else byConfig.set(config, [...(byConfig.get(config) ?? []), diagnostic]);
    }
    const actions = service.codeActions(document, range, own);
    for (const [uri, found] of byConfig) {
      const config = this.documents.get(uri);
      if (config)
        actions.push(...service.sharedFileCodeActions(config, document.uri, range, found));
    }
    return actions.map(toCodeAction);
  }

  private async send(uri: string): Promise<void> {
    const document = this.documents.get(uri);
    const own = this.own.get(uri);
    if (!document || !own) return;
    const absolute = uriPath(uri);
    const diagnostics = [...own.diagnostics];
    const seen = new Set(diagnostics.map(identity));
    for (const [config, shared] of this.byConfig) {
      if (absolute === undefined || shared.absolute !== absolute) continue;
      for (const finding of shared.findings) {
        const diagnostic = toDiagnostic(finding);
        // Several configs sharing the file find the same thing in it: once is enough.
        if (seen.has(identity(diagnostic))) continue;
        seen.add(identity(diagnostic));
        diagnostics.push({ ...diagnostic, data: { ...finding.data, config } });
      }
    }
    await this.connection.sendDiagnostics({ uri, version: own.version, diagnostics });
  }
}

function identity(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  const message =
    typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  return `${String(diagnostic.code)}|${start.line}:${start.character}-${end.line}:${end.character}|${message}`;
}
