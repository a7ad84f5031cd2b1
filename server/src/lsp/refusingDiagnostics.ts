/**
 * What the requests that refuse a config with errors (simulate, Flow Service export and plan)
 * share: the findings as the client shows them, and the config as the editor has it (or as
 * saved, when it is not open).
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LANGUAGE_ID, type RefusingDiagnostic } from '../../../common/protocol';
import type { Finding } from '../engine/types';

export function toRefusingDiagnostics(errors: readonly Finding[]): RefusingDiagnostic[] {
  return errors.map((f) => ({
    code: f.code,
    message: f.message,
    line: f.range.start.line,
    character: f.range.start.character,
  }));
}

/** The open document, or the file as saved; undefined when it is neither. */
export function configDocument(
  documents: TextDocuments<TextDocument>,
  uri: string,
): TextDocument | undefined {
  return documents.get(uri) ?? readFromDisk(uri);
}

/** A config that is not open in the editor is read as saved. */
function readFromDisk(uri: string): TextDocument | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return TextDocument.create(uri, LANGUAGE_ID, 0, fs.readFileSync(fileURLToPath(uri), 'utf8'));
  } catch {
    return undefined;
  }
}

/** How messages name a config: its path for a file, its URI otherwise. */
export function configSource(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}
