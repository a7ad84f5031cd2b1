// Helpers for the integration suite. They use only the `vscode` API, so the suite runs the
// same way in any VS Code that loads the extension (@vscode/test-electron's VS Code, or
// code-server driven by test/e2e/runCodeServer.ts).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'aep-dest-tools.aep-marketo-destination';
export const LANGUAGE_ID = 'aep-destination';

/** How long to wait for the language server to (re)validate a document. */
export const DIAGNOSTICS_TIMEOUT_MS = 30_000;

/** Activates the extension (starting its language server) and returns it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  await extension.activate();
  return extension;
}

/** The workspace folder: a fresh copy of `examples/`. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the suite needs a copy of examples/)');
  return folder.uri;
}

export function exampleUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

/** The rule code of a diagnostic (`code` is `{ value, target }` when the rule links its page). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  if (typeof code === 'object') return String(code.value);
  return String(code);
}

/** `code@line:char-line:char`, 0-based, for readable assertion messages. */
export function describeDiagnostic(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${codeOf(diagnostic)}@${start.line}:${start.character}-${end.line}:${end.character}`;
}

export interface WaitOptions {
  /**
   * Resolve only on a diagnostics change for `uri` that happens after the call (never on the
   * current state): the proof that the server validated the document, for "no diagnostics".
   */
  afterChange?: boolean;
}

/**
 * Resolves with the diagnostics of `uri` as soon as `predicate` holds for them: at once when it
 * already does (unless `afterChange`), otherwise on the `onDidChangeDiagnostics` event that makes
 * it hold. Rejects after `timeoutMs`, naming the diagnostics seen last.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs: number = DIAGNOSTICS_TIMEOUT_MS,
  options: WaitOptions = {},
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    let settled = false;
    const finish = (error: Error | undefined, diagnostics: vscode.Diagnostic[]): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolve(diagnostics);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === key)) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (predicate(diagnostics)) finish(undefined, diagnostics);
    });
    const timer = setTimeout(() => {
      const last = vscode.languages.getDiagnostics(uri).map(describeDiagnostic);
      finish(
        new Error(
          `timed out after ${timeoutMs} ms waiting for the diagnostics of ${uri.path}; ` +
            `last: [${last.join(', ')}]`,
        ),
        [],
      );
    }, timeoutMs);
    if (!options.afterChange) {
      const current = vscode.languages.getDiagnostics(uri);
      if (predicate(current)) finish(undefined, current);
    }
  });
}

/** Opens a document and shows it in an editor (the way a person opens a file). */
export async function openInEditor(
  uriOrDocument: vscode.Uri | vscode.TextDocument,
): Promise<vscode.TextEditor> {
  const document =
    uriOrDocument instanceof vscode.Uri
      ? await vscode.workspace.openTextDocument(uriOrDocument)
      : uriOrDocument;
  return vscode.window.showTextDocument(document, { preview: false });
}

let untitledCount = 0;

/**
 * A new untitled destination config holding `content` (the server validates untitled ones
 * too). Each gets a name of its own: a reused `Untitled-1` can still be the previous, just
 * discarded document in the extension host.
 */
export async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({
    scheme: 'untitled',
    path: `/suite-${process.pid}-${Date.now()}-${++untitledCount}.destination.json`,
  });
  let document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== LANGUAGE_ID) {
    document = await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
  }
  const editor = await openInEditor(document);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(0, 0), content);
  assert.ok(await vscode.workspace.applyEdit(edit), `cannot write ${uri.toString()}`);
  assert.equal(editor.document.getText(), content);
  return editor;
}

/** Throws away the unsaved changes of a document and closes its editor. */
export async function discard(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Closes every editor (none may be dirty: call `discard` first). */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The hooks of a suite that opens editors: the extension active first, no editor left open after. */
export function activateAndCloseEditors(): void {
  before(async () => {
    await activateExtension();
  });
  after(async () => {
    await closeAllEditors();
  });
}

/** The position `offset` characters into the first occurrence of `search` in the document. */
export function positionOf(
  document: vscode.TextDocument,
  search: string,
  offset = 0,
): vscode.Position {
  const index = document.getText().indexOf(search);
  assert.ok(index >= 0, `"${search}" not found in ${document.uri.path}`);
  return document.positionAt(index + offset);
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export async function completionLabels(
  uri: vscode.Uri,
  position: vscode.Position,
): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
  );
  return list.items.map(labelOf);
}

/** The plain text of every hover at a position. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/**
 * Resolves with `check()`'s first defined result: checked now, then on each `event`, until
 * `timeoutMs` have passed (then rejects naming `what`).
 */
export function waitFor<T>(
  what: string,
  check: () => T | undefined,
  event: vscode.Event<unknown>,
  timeoutMs = DIAGNOSTICS_TIMEOUT_MS,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const attempt = (): void => {
      if (settled) return;
      const value = check();
      if (value === undefined) return;
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    };
    const subscription = event(attempt);
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    attempt();
  });
}
