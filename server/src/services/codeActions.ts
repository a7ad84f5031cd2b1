import type { DestinationDocument, JsonNode } from '../engine/document';
import type {
  CodeActionLike,
  DiagnosticRef,
  FileTextEdit,
  FindingData,
  Range,
  TextEdit,
} from '../engine/types';
import { ruleByCode } from '../rules/ruleTable';
import type { FixProposal } from '../rules/ruleTypes';

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * Quick fixes for the diagnostics in `range`. Each fix is found through the rule
 * table by the diagnostic's code, and reads only the diagnostic's range and data.
 * `rangeDoc` is the file the range and diagnostics are in: the config `doc`, or the shared
 * mappings file it names (the fixes are still the config's, and may edit both files).
 */
export function getCodeActions<D extends DiagnosticRef>(
  doc: DestinationDocument,
  range: Range,
  diagnostics: D[],
  rangeDoc: DestinationDocument = doc,
): CodeActionLike<D>[] {
  const actions: CodeActionLike<D>[] = [];
  for (const diagnostic of diagnostics) {
    if (!overlaps(diagnostic.range, range)) continue;
    const rule = typeof diagnostic.code === 'string' ? ruleByCode(diagnostic.code) : undefined;
    if (!rule?.fix) continue;
    const data = isFindingData(diagnostic.data) ? diagnostic.data : undefined;
    let proposals: FixProposal[];
    try {
      const start = rangeDoc.offsetAt(diagnostic.range.start);
      const startsAt = (node: JsonNode): boolean =>
        node.offset === start && doc.ownerOf(node) === rangeDoc;
      proposals = rule.fix({ doc, range: diagnostic.range, data, startsAt });
    } catch {
      continue; // the client sent back data this version does not understand (e.g. from an older server)
    }
    for (const proposal of proposals) {
      if (!proposal.edits.length) continue;
      actions.push({
        title: proposal.title,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        ...(proposal.isPreferred ? { isPreferred: true } : {}),
        edit: { changes: changesByFile(doc.uri, proposal.edits) },
      });
    }
  }
  return actions;
}

function isFindingData(value: unknown): value is FindingData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A fix's edits per file: the config's, and those marked with the shared mappings file's URI. */
function changesByFile(uri: string, edits: FileTextEdit[]): { [uri: string]: TextEdit[] } {
  const changes: { [uri: string]: TextEdit[] } = {};
  for (const { uri: file, ...edit } of edits) (changes[file ?? uri] ??= []).push(edit);
  return changes;
}
