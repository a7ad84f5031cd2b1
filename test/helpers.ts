import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DestinationLanguageService } from '../server/src/languageService';
import type { FileHost } from '../server/src/engine/catalogLoader';
import type { JsonNode } from '../server/src/engine/document';
import type { NodeIndex } from '../server/src/engine/fastParse';
import type { Finding, Position, Range } from '../server/src/engine/types';
import type { FileAccessPolicy } from '../server/src/engine/fileAccess';
import { docsBaseUriFor } from '../server/src/host/packageInfo';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const DOCS_BASE = docsBaseUriFor(REPO_ROOT);

export { VALID_CONFIG } from './fixtures/validConfig';

/** In-memory files for catalog tests: absolute path -> content. */
export function memoryHost(files: Record<string, string>): FileHost {
  return {
    stat: (p) =>
      p in files ? { size: (files[p] as string).length, mtimeMs: 1, isFile: true } : undefined,
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT: ${p}`);
      return text;
    },
  };
}

export function service(fileHost?: FileHost): DestinationLanguageService {
  return new DestinationLanguageService({
    docsBaseUri: DOCS_BASE,
    ...(fileHost ? { fileHost } : {}),
  });
}

let counter = 0;
export function textDocument(
  text: string,
  uri = `file:///work/test-${++counter}.destination.json`,
): TextDocument {
  return TextDocument.create(uri, 'aep-destination', 1, text);
}

/** Findings of the whole validation for a text. */
export function validate(
  text: string,
  options: { uri?: string; fileHost?: FileHost; fileAccess?: FileAccessPolicy } = {},
): Finding[] {
  const languageService = service(options.fileHost);
  languageService.setFileAccess(options.fileAccess);
  return languageService.validate(textDocument(text, options.uri));
}

export function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

/** Findings with one code. */
export function findingsOf(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** The findings of one rule as the editor shows them: the text each marks, message, severity, data. */
export function reported(text: string, code: string) {
  return findingsOf(validate(text), code).map((f) => ({
    text: textAt(text, f.range),
    message: f.message,
    severity: f.severity,
    data: f.data,
  }));
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const doc = TextDocument.create('file:///x', 'x', 0, text);
  return doc.getText(range);
}

/**
 * Splits `'ab|c'` into the text without the marker and the marker's position,
 * for completion and hover tests.
 */
export function withCursor(marked: string): { text: string; position: Position; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker in the text');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const doc = TextDocument.create('file:///x', 'x', 0, text);
  return { text, position: doc.positionAt(offset), offset };
}

/** Applies LSP text edits to a text. */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 0, text), edits);
}

/** The config with one JSON-level change: replace the first occurrence of `from` by `to`. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test setup: ${JSON.stringify(from)} not in the text`);
  return text.replace(from, to);
}

/** The text with `added` right after the first occurrence of `anchor`. */
export function insertAfter(text: string, anchor: string, added: string): string {
  return edit(text, anchor, anchor + added);
}

/** The last mapping of VALID_CONFIG. */
const LAST_MAPPING = '{ "source": "person.name.lastName", "target": "lastName" }';

/** The config (VALID_CONFIG or a change of it) with one more mapping after the lastName one. */
export function withMapping(text: string, mapping: string): string {
  return edit(text, LAST_MAPPING, `${LAST_MAPPING},\n    ${mapping}`);
}

/** The config (VALID_CONFIG or a change of it) with one more audience after the first one. */
export function withAudience(text: string, audience: string): string {
  return edit(text, '"entities": ["person"] }', `"entities": ["person"] },\n    ${audience}`);
}

/** The config with more top-level members (comma-terminated JSON) after "workspace". */
export function withProperties(text: string, members: string): string {
  return edit(text, '"workspace": "Default",', `"workspace": "Default", ${members}`);
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory holding `files` (relative path -> content), removed after the tests. */
export function tempFiles(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aep-dest-test-')));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/** Every string of an indexed tree, keys and values, in document order. */
export function everyString(index: NodeIndex): JsonNode[] {
  const keys = index.properties.flatMap((p) => (p.children?.[0] ? [p.children[0]] : []));
  return [...keys, ...index.stringValues].sort((a, b) => a.offset - b.offset);
}
