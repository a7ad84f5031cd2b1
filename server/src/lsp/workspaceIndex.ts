/**
 * The workspace's destination configs, for the checks across files and the destinations view.
 * Open documents count with their live text; in a trusted workspace the *.destination.json(c)
 * files of the workspace folders are read from disk too (at start, when folders or trust change,
 * and as the watcher reports changes), validated and published like open ones, so a team sees
 * in Problems the conflict a colleague's config creates. In Restricted Mode nothing the user did
 * not open is read: only open documents are compared, and the view says so.
 *
 * Each config's published diagnostics are its own findings merged with its cross-file ones; when
 * a config changes, every other config whose cross-file findings changed is published again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fg from 'fast-glob';
import type { Connection, FileEvent, TextDocuments } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DestinationTreeChangedNotification,
  type DestinationSettings,
  type DestinationTreeResponse,
} from '../../../common/protocol';
import { decideAccess } from '../engine/fileAccess';
import type { Finding } from '../engine/types';
import type { DestinationLanguageService } from '../languageService';
import type { ConfigSummary } from '../rules/configSummary';
import {
  countFindings,
  destinationTree,
  mergeFindings,
  validateAcross,
} from '../services/workspaceValidation';
import { toDiagnostic } from './convert';
import { yieldToEventLoop } from './validationScheduler';

/** What a folder scan looks for; node_modules and dot-directories are skipped. */
const CONFIG_PATTERNS = ['**/*.destination.json', '**/*.destination.jsonc'];
/** A workspace with more configs than this is indexed up to it (the first found). */
export const MAX_INDEXED_FILES = 2000;

interface Entry {
  summary: ConfigSummary | undefined;
  /** Its own findings: of the open document's last validation, or of the file on disk. */
  own: Finding[];
  /** The open document's version they belong to; undefined for a file read from disk. */
  version: number | undefined;
  /** Found on disk by a scan or the watcher (kept when the document closes). */
  onDisk: boolean;
  disabledRules: ReadonlySet<string>;
  /** Its cross-file findings as last published, to publish again only what changed. */
  publishedAcross: string;
  counts: { errors: number; warnings: number };
}

export interface WorkspaceIndexHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: DestinationLanguageService;
  docsBaseUri: string;
  settingsFor(uri: string): Promise<DestinationSettings>;
}

export function isConfigFile(uri: string): boolean {
  return /\.destination\.jsonc?$/i.test(uri);
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private across = new Map<string, Finding[]>();
  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  private changedQueued = false;

  constructor(private readonly host: WorkspaceIndexHost) {}

  private get trusted(): boolean {
    return this.host.service.fileAccessPolicy?.trusted !== false;
  }

  /**
   * An open document was validated: records it and returns what to publish for it (its own
   * findings and its cross-file ones). The other configs it changes are published again.
   */
  async openValidated(
    document: TextDocument,
    own: Finding[],
    settings: DestinationSettings,
  ): Promise<Finding[]> {
    if (!this.inWorkspace(document.uri)) {
      // A file from elsewhere (a download, a temp copy) is not one of the team's destinations.
      if (this.entries.delete(document.uri)) {
        this.recompute();
        await this.publishChanged(document.uri);
      }
      return own;
    }
    const previous = this.entries.get(document.uri);
    const entry: Entry = {
      summary: this.host.service.summarize(document, settings),
      own,
      version: document.version,
      onDisk: previous?.onDisk ?? false,
      disabledRules: new Set(settings.disabledRules),
      publishedAcross: '',
      counts: { errors: 0, warnings: 0 },
    };
    this.entries.set(document.uri, entry);
    this.recompute();
    const merged = this.mergedFor(document.uri, entry);
    await this.publishChanged(document.uri);
    return merged;
  }

  /** The document closed: its file on disk stays in the index; an unsaved one leaves it. */
  async closed(uri: string): Promise<void> {
    const entry = this.entries.get(uri);
    if (entry?.onDisk && this.trusted && (await this.readFromDisk(uri))) {
      await this.publish(uri);
    } else {
      this.entries.delete(uri);
      await this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.recompute();
    await this.publishChanged(undefined);
  }

  /** The watcher's events: configs created, changed or deleted; anything else may be a catalog. */
  async filesChanged(changes: readonly FileEvent[]): Promise<void> {
    if (!this.trusted) return;
    let other = false;
    for (const change of changes) {
      if (!isConfigFile(change.uri)) {
        other = true;
        continue;
      }
      if (this.host.documents.get(change.uri)) {
        const entry = this.entries.get(change.uri);
        if (entry) entry.onDisk = change.type !== FileChangeType.Deleted;
        continue;
      }
      if (change.type === FileChangeType.Deleted || !(await this.readFromDisk(change.uri))) {
        if (this.entries.delete(change.uri)) {
          await this.host.connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
        }
      } else {
        await this.publish(change.uri);
      }
    }
    // A catalog or partitions file changed: the configs on disk that name it are read again.
    if (other) await this.revalidateDisk();
    this.recompute();
    await this.publishChanged(undefined);
  }

  /** Workspace folders, trust or settings changed: the folders are scanned again. */
  rescan(): Promise<void> {
    if (this.scanning) {
      this.scanAgain = true;
      return this.scanning;
    }
    this.scanning = this.scan().finally(() => {
      this.scanning = undefined;
      if (this.scanAgain) {
        this.scanAgain = false;
        void this.rescan();
      }
    });
    return this.scanning;
  }

  tree(): DestinationTreeResponse {
    const summaries = [...this.entries.values()].flatMap((e) => (e.summary ? [e.summary] : []));
    return {
      restricted: !this.trusted,
      instances: destinationTree(
        summaries,
        (uri) => this.entries.get(uri)?.counts ?? { errors: 0, warnings: 0 },
      ),
    };
  }

  /**
   * Whether a document belongs to the workspace: inside one of its folders or, in a window
   * without folders, any saved or unsaved document.
   */
  private inWorkspace(uri: string): boolean {
    const folders = this.host.service.fileAccessPolicy?.workspaceFolders ?? [];
    if (!folders.length) return true;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return false;
    }
    return folders.some((folder) => {
      const relative = path.relative(folder, file);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    });
  }

  private async scan(): Promise<void> {
    const found = new Set<string>();
    if (this.trusted) {
      for (const uri of await this.configFiles()) {
        found.add(uri);
        if (!this.host.documents.get(uri)) await this.readFromDisk(uri);
        const entry = this.entries.get(uri);
        if (entry) entry.onDisk = true;
        // Requests and edits go first: a large workspace is read a file at a time.
        await yieldToEventLoop();
      }
    }
    for (const [uri, entry] of this.entries) {
      if (found.has(uri)) continue;
      if (this.host.documents.get(uri) && this.inWorkspace(uri)) {
        entry.onDisk = false;
        continue;
      }
      this.entries.delete(uri);
      await this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.recompute();
    for (const uri of found) if (!this.host.documents.get(uri)) await this.publish(uri);
    await this.publishChanged(undefined);
  }

  /** The config files of the workspace folders, inside them once links are followed. */
  private async configFiles(): Promise<string[]> {
    const policy = this.host.service.fileAccessPolicy;
    const folders = policy?.workspaceFolders ?? [];
    const uris: string[] = [];
    for (const folder of folders) {
      let files: string[];
      try {
        files = await fg(CONFIG_PATTERNS, {
          cwd: folder,
          absolute: true,
          onlyFiles: true,
          followSymbolicLinks: false,
          ignore: ['**/node_modules/**'],
          suppressErrors: true,
        });
      } catch {
        continue;
      }
      for (const file of files.sort()) {
        const absolute = path.normalize(file);
        const decision = decideAccess(policy, folder, absolute, realPath);
        if (!decision.allowed) continue;
        uris.push(pathToFileURL(absolute).href);
        if (uris.length >= MAX_INDEXED_FILES) return uris;
      }
    }
    return uris;
  }

  /** Reads and validates a config from disk; false when it cannot be read. */
  private async readFromDisk(uri: string): Promise<boolean> {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return false;
    }
    const settings = await this.host.settingsFor(uri);
    let text: string;
    try {
      const stat = fs.statSync(file);
      // A huge file is not read here; opened, it gets file-too-large like any other.
      if (!stat.isFile() || stat.size > settings.maxFileSizeMB * 1024 * 1024) return false;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    // Opened meanwhile: its live text wins.
    if (this.host.documents.get(uri)) return true;
    const document = TextDocument.create(uri, 'aep-destination', 0, text);
    const own = this.host.service.validate(document, settings);
    const summary = this.host.service.summarize(document, settings);
    this.host.service.forget(uri);
    const previous = this.entries.get(uri);
    this.entries.set(uri, {
      summary,
      own,
      version: undefined,
      onDisk: true,
      disabledRules: new Set(settings.disabledRules),
      publishedAcross: previous?.publishedAcross ?? '',
      counts: previous?.counts ?? { errors: 0, warnings: 0 },
    });
    return true;
  }

  private async revalidateDisk(): Promise<void> {
    for (const [uri, entry] of [...this.entries]) {
      if (entry.version !== undefined || this.host.documents.get(uri)) continue;
      await this.readFromDisk(uri);
      await this.publish(uri);
    }
  }

  private recompute(): void {
    const summaries = [...this.entries.values()].flatMap((e) => (e.summary ? [e.summary] : []));
    this.across = validateAcross(summaries, {
      docsBaseUri: this.host.docsBaseUri,
      disabledRules: (uri) => this.entries.get(uri)?.disabledRules ?? new Set(),
    });
  }

  /** What is published for a config; records its counts and cross-file findings. */
  private mergedFor(uri: string, entry: Entry): Finding[] {
    const across = this.across.get(uri) ?? [];
    entry.publishedAcross = JSON.stringify(across);
    const merged = mergeFindings(entry.own, across);
    entry.counts = countFindings(merged);
    this.treeChanged();
    return merged;
  }

  private async publish(uri: string): Promise<void> {
    const entry = this.entries.get(uri);
    if (!entry) return;
    const open = this.host.documents.get(uri);
    // An open document whose validation is behind its text publishes on its own soon.
    if (open && entry.version !== open.version) return;
    const merged = this.mergedFor(uri, entry);
    await this.host.connection.sendDiagnostics({
      uri,
      ...(open ? { version: open.version } : {}),
      diagnostics: merged.map(toDiagnostic),
    });
  }

  /** Publishes again every config (but `except`) whose cross-file findings changed. */
  private async publishChanged(except: string | undefined): Promise<void> {
    for (const [uri, entry] of [...this.entries]) {
      if (uri === except) continue;
      if (JSON.stringify(this.across.get(uri) ?? []) === entry.publishedAcross) continue;
      await this.publish(uri);
    }
    this.treeChanged();
  }

  /** Tells the client once per turn of the event loop, however many configs changed. */
  private treeChanged(): void {
    if (this.changedQueued) return;
    this.changedQueued = true;
    setImmediate(() => {
      this.changedQueued = false;
      void this.host.connection
        .sendNotification(DestinationTreeChangedNotification, {})
        .catch(() => undefined);
    });
  }
}

function realPath(absolute: string): string | undefined {
  try {
    return fs.realpathSync(absolute);
  } catch {
    return undefined;
  }
}
