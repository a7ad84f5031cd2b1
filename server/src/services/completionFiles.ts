/**
 * File-path completion for the paths a config names relative to itself
 * (`marketoFields`, `simulation.profiles`, `simulation.leads`, a shared `mappings` file).
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configDirectory } from '../engine/catalogLoader';
import type { DestinationDocument } from '../engine/document';
import { type CompletionItemLike, CompletionItemKind, InsertTextFormat } from '../engine/types';
import type { ValueSlot } from './cursorContext';
import { TRIGGER_SUGGEST, escapeSnippet } from './snippetText';

/** Which files a path property accepts. */
export const FILE_EXTENSIONS = {
  catalog: ['.json'],
  simulation: ['.json', '.ndjson', '.jsonl', '.csv'],
  /** Shared mappings files, named so the editor validates them on their own too. */
  mappings: ['.mappings.json', '.mappings.jsonc'],
} as const;
export type FileKind = keyof typeof FILE_EXTENSIONS;

/** Directories with more entries than this are listed partially. */
const MAX_ENTRIES = 1000;

interface Entry {
  name: string;
  directory: boolean;
}

/** The entries of a directory worth offering; empty when it cannot be read. */
function listDirectory(directory: string, kind: FileKind): Entry[] {
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const extensions: readonly string[] = FILE_EXTENSIONS[kind];
  const entries: Entry[] = [];
  for (const dirent of dirents.slice(0, MAX_ENTRIES)) {
    let directoryEntry = dirent.isDirectory();
    let file = dirent.isFile();
    if (dirent.isSymbolicLink()) {
      try {
        const stat = fs.statSync(path.join(directory, dirent.name));
        directoryEntry = stat.isDirectory();
        file = stat.isFile();
      } catch {
        continue;
      }
    }
    if (directoryEntry) {
      if (dirent.name.startsWith('.') || dirent.name === 'node_modules') continue;
      entries.push({ name: dirent.name, directory: true });
    } else if (file) {
      const lower = dirent.name.toLowerCase();
      if (/\.destination\.jsonc?$/.test(lower)) continue; // other configs are never inputs
      if (extensions.some((ext) => lower.endsWith(ext)))
        entries.push({ name: dirent.name, directory: false });
    }
  }
  return entries;
}

/** The characters of a JSON string's content (without quotes) for a file name. */
function jsonContent(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}

/** Decodes the raw text typed in a string, tolerating a half-typed escape. */
function decode(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

export function fileItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  offset: number,
  kind: FileKind,
  mayList: (directory: string) => boolean = () => true,
): CompletionItemLike[] {
  const base = configDirectory(doc.uri);
  if (!base) return [];
  const raw = slot.inString ? slot.typedInString : '';
  const rawSlash = raw.lastIndexOf('/');
  const typedDirectory = decode(raw.slice(0, rawSlash + 1));
  let start = slot.span.start;
  let end = slot.span.end;
  if (slot.inString) {
    // Replace the path segment around the cursor, inside the quotes.
    const contentEnd =
      doc.text[slot.span.end - 1] === '"' && slot.span.end - 1 > slot.span.start
        ? slot.span.end - 1
        : slot.span.end;
    start = slot.span.start + 1 + rawSlash + 1;
    end = offset;
    while (end < contentEnd && doc.text[end] !== '/') end++;
  }
  const range = doc.rangeOfOffsets(start, end);
  // A folder replaces the slash after the segment too, so it is not doubled.
  const folderRange = doc.text[end] === '/' ? doc.rangeOfOffsets(start, end + 1) : range;
  const prefix = typedDirectory === '' ? './' : '';
  const comma = slot.commaAfter ? ',' : '';
  const directory = path.resolve(base, typedDirectory || '.');
  // Typing "../../" must not list the machine's folders in a config from someone else.
  if (!mayList(directory)) return [];
  return listDirectory(directory, kind).map((entry): CompletionItemLike => {
    const label = entry.directory ? `${entry.name}/` : entry.name;
    const common = {
      label,
      kind: entry.directory ? CompletionItemKind.Folder : CompletionItemKind.File,
      detail: entry.directory ? l10n.t('folder') : `${prefix}${typedDirectory}${entry.name}`,
      sortText: `${entry.directory ? '1' : '0'}${entry.name.toLowerCase()}`,
    };
    if (!entry.directory || slot.inString) {
      const newText = slot.inString ? jsonContent(label) : JSON.stringify(`./${label}`);
      return {
        ...common,
        filterText: slot.inString ? label : newText,
        insertTextFormat: InsertTextFormat.PlainText,
        textEdit: { range: entry.directory ? folderRange : range, newText: newText + comma },
        // A folder is a step on the way: list what is in it.
        ...(entry.directory ? { command: TRIGGER_SUGGEST } : {}),
      };
    }
    // In an empty value slot the folder's path gets its quotes, with the cursor inside them
    // for the entries of the folder.
    const quoted = JSON.stringify(`./${label}`);
    return {
      ...common,
      filterText: quoted,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: `${escapeSnippet(quoted.slice(0, -1))}$1"${comma}` },
      command: TRIGGER_SUGGEST,
    };
  });
}
