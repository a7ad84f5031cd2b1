import type { DestinationDocument } from '../engine/document';
import type { CodeActionLike, DiagnosticRef, FindingData, Range } from '../engine/types';
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
 */
export function getCodeActions<D extends DiagnosticRef>(
  doc: DestinationDocument,
  range: Range,
  diagnostics: D[],
): CodeActionLike<D>[] {
  const actions: CodeActionLike<D>[] = [];
  for (const diagnostic of diagnostics) {
    if (!overlaps(diagnostic.range, range)) continue;
    const rule = typeof diagnostic.code === 'string' ? ruleByCode(diagnostic.code) : undefined;
    if (!rule?.fix) continue;
    const data = isFindingData(diagnostic.data) ? diagnostic.data : undefined;
    let proposals: FixProposal[];
    try {
      proposals = rule.fix({ doc, range: diagnostic.range, data });
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
        edit: { changes: { [doc.uri]: proposal.edits } },
      });
    }
  }
  return actions;
}

function isFindingData(value: unknown): value is FindingData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
