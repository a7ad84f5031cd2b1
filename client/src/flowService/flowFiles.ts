/**
 * The files of the Flow Service commands: reading the JSON files the user picks (saved Flow
 * Service answers), writing the exported payloads all or nothing, and opening an imported config
 * as an untitled editor.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parse as parseJsonc } from 'jsonc-parser';
import { LANGUAGE_ID, type NamedDocument } from '../../../common/protocol';

/** How messages name a file: its path for a local file, its URI otherwise. */
export function shown(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** The folder next to a file config, else the first workspace folder. */
export function folderNear(uri: vscode.Uri | undefined): vscode.Uri | undefined {
  if (uri?.scheme === 'file') return vscode.Uri.joinPath(uri, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export async function readJson(uri: vscode.Uri): Promise<NamedDocument> {
  const source = shown(uri);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    throw new Error(`cannot read ${source}: ${error instanceof Error ? error.message : 'error'}`, {
      cause: error,
    });
  }
  try {
    return { value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown, source };
  } catch (error) {
    throw new Error(`${source} is not JSON (${error instanceof Error ? error.message : 'error'})`, {
      cause: error,
    });
  }
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The dataflow id import wrote into the config (`flowService.flowId`), if any. */
export function flowIdOf(document: vscode.TextDocument): string | undefined {
  const value: unknown = parseJsonc(document.getText(), [], { allowTrailingComma: true });
  if (typeof value !== 'object' || value === null) return undefined;
  const block = (value as { flowService?: unknown }).flowService;
  if (typeof block !== 'object' || block === null) return undefined;
  const id = (block as { flowId?: unknown }).flowId;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
}

function slug(name: string): string {
  return (
    name
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^[-.]+|-+$/g, '')
      .toLowerCase()
      .slice(0, 80) || 'imported'
  );
}

/**
 * Opens `text` as a new untitled aep-destination document named after the config, in the
 * folder it would be saved to: nothing is written until the user saves.
 */
export async function openUntitledConfig(
  text: string,
  near: vscode.Uri | undefined,
): Promise<vscode.TextDocument> {
  let name = 'imported';
  try {
    const parsed = JSON.parse(text) as { name?: unknown };
    if (typeof parsed.name === 'string') name = parsed.name;
  } catch {
    // The server wrote it; a name is only a nicety.
  }
  const folder = folderNear(near);
  const base = slug(name);
  let uri: vscode.Uri | undefined;
  for (let n = 1; !uri; n++) {
    const fileName = `${base}${n === 1 ? '' : `-${n}`}.destination.json`;
    const file = folder ? vscode.Uri.joinPath(folder, fileName) : vscode.Uri.file(`/${fileName}`);
    const candidate = file.with({ scheme: 'untitled' });
    const taken =
      vscode.workspace.textDocuments.some(
        (d) => d.uri.path === file.path && (d.uri.scheme === 'untitled' || d.uri.scheme === 'file'),
      ) ||
      (folder !== undefined && (await exists(file)));
    if (!taken) uri = candidate;
  }
  let document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== LANGUAGE_ID) {
    document = await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
  }
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), text));
  return editor.document;
}

/**
 * Writes every file or none: each goes to a temporary sibling first, then all are renamed
 * into place; a failed rename puts back what was there.
 */
export async function writeAll(files: { uri: vscode.Uri; text: string }[]): Promise<void> {
  const fs = vscode.workspace.fs;
  const suffix = `.${randomBytes(4).toString('hex')}.tmp`;
  const staged = files.map((f) => ({ ...f, temp: f.uri.with({ path: f.uri.path + suffix }) }));
  const removeTemps = async () => {
    for (const file of staged) await fs.delete(file.temp).then(undefined, () => undefined);
  };
  try {
    for (const file of staged) await fs.writeFile(file.temp, new TextEncoder().encode(file.text));
  } catch (error) {
    await removeTemps();
    throw error;
  }
  const previous = await Promise.all(
    staged.map((file) => fs.readFile(file.uri).then(undefined, () => undefined)),
  );
  const done: number[] = [];
  try {
    for (const [index, file] of staged.entries()) {
      await fs.rename(file.temp, file.uri, { overwrite: true });
      done.push(index);
    }
  } catch (error) {
    for (const index of done) {
      const file = staged[index] as (typeof staged)[number];
      const before = previous[index];
      await (before ? fs.writeFile(file.uri, before) : fs.delete(file.uri)).then(
        undefined,
        () => undefined,
      );
    }
    await removeTemps();
    throw error;
  }
}
