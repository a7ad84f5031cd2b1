/**
 * The editor's file policy, kept in the language service: workspace trust from the client
 * (`initializationOptions`, then a notification when the user trusts the workspace) and the
 * workspace folders from `initialize` and `workspace/didChangeWorkspaceFolders`. Each change
 * validates the open configs again at once.
 */
import { fileURLToPath } from 'node:url';
import type { Connection, InitializeParams, WorkspaceFolder } from 'vscode-languageserver';
import { type InitializationOptions, WorkspaceTrustNotification } from '../../../common/protocol';
import type { FileAccessPolicy } from '../engine/fileAccess';
import type { DestinationLanguageService } from '../languageService';

function folderPaths(
  folders: readonly WorkspaceFolder[] | null | undefined,
  rootUri?: string | null,
): string[] {
  const uris = folders?.length ? folders.map((folder) => folder.uri) : rootUri ? [rootUri] : [];
  return uris.flatMap((uri) => {
    try {
      return uri.startsWith('file:') ? [fileURLToPath(uri)] : [];
    } catch {
      return [];
    }
  });
}

export function initialFileAccess(params: InitializeParams): FileAccessPolicy {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  return {
    trusted: options.workspaceTrusted !== false,
    workspaceFolders: folderPaths(params.workspaceFolders, params.rootUri),
  };
}

/**
 * Listens for trust and folder changes; `revalidateAll` runs after each. Returns what to run
 * once the client is initialized (the server's one `onInitialized` handler: a second
 * registration would replace the first).
 */
export function registerWorkspaceAccess(
  connection: Connection,
  service: DestinationLanguageService,
  revalidateAll: () => void,
  watchFolders: boolean,
): () => void {
  const update = (change: Partial<FileAccessPolicy>): void => {
    const current = service.fileAccessPolicy ?? { trusted: true, workspaceFolders: [] };
    service.setFileAccess({ ...current, ...change });
    revalidateAll();
  };
  connection.onNotification(WorkspaceTrustNotification, ({ trusted }) => {
    // Trust is only ever granted while the server runs; VS Code restarts extensions to revoke it.
    if (trusted === true) update({ trusted: true });
  });
  if (!watchFolders) return () => undefined;
  return () => {
    connection.workspace.onDidChangeWorkspaceFolders(() => {
      void connection.workspace.getWorkspaceFolders().then(
        (folders) => update({ workspaceFolders: folderPaths(folders) }),
        () => undefined,
      );
    });
  };
}
