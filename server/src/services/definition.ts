/**
 * The `"mappings": "<path>"` reference of a config: go to definition opens the shared mappings
 * file it names, and hover says what that file holds (or why it cannot be used).
 */
import * as l10n from '@vscode/l10n';
import type { DestinationDocument, JsonNode } from '../engine/document';
import type { MappingFileState } from '../engine/mappingFileLoader';
import type { HoverLike, LocationLike } from '../engine/types';

/** How many mappings the hover lists before counting the rest. */
const LISTED = 10;

/** The `mappings` path value when `offset` is on it. */
function referenceAt(doc: DestinationDocument, offset: number): JsonNode | undefined {
  const value = doc.value('mappings');
  if (value?.type !== 'string') return undefined;
  return offset >= value.offset && offset <= value.offset + value.length ? value : undefined;
}

/** The shared mappings file, from its first character, when the cursor is on the reference. */
export function getDefinition(
  doc: DestinationDocument,
  offset: number,
  state: MappingFileState,
): LocationLike[] {
  if (state.status !== 'loaded' || !referenceAt(doc, offset)) return [];
  const start = { line: 0, character: 0 };
  return [{ uri: state.uri, range: { start, end: start } }];
}

/** What the shared mappings file holds, or why it is not used. */
export function getReferenceHover(
  doc: DestinationDocument,
  offset: number,
  state: MappingFileState,
): HoverLike | null {
  const node = referenceAt(doc, offset);
  if (!node || state.status === 'none') return null;
  let markdown: string;
  if (state.status === 'loaded') {
    const entries = state.doc.fileMappings;
    const lines = entries.slice(0, LISTED).map((entry) => {
      const source = entry.source ? `\`${entry.source.value}\`` : '?';
      const target = entry.target ? `\`${entry.target.value}\`` : '?';
      return `- ${source} → ${target}`;
    });
    if (entries.length > LISTED) lines.push(`- ${l10n.t('and {0} more', entries.length - LISTED)}`);
    markdown = [
      l10n.t('**Shared mappings file** `{0}`: {1} mappings.', state.absolute, entries.length),
      '',
      ...lines,
    ].join('\n');
  } else if (state.status === 'error') {
    markdown = l10n.t('**Shared mappings file**: cannot be used: {0}', state.message);
  } else {
    markdown = l10n.t(
      '**Shared mappings file** `{0}`: not read (the workspace is not trusted, or the file is outside it).',
      state.decision.absolute,
    );
  }
  return { contents: { kind: 'markdown', value: markdown }, range: doc.rangeOf(node) };
}
