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
import * as l10n from '@vscode/l10n';
import { NEXT_LINE_DIRECTIVE, commentAt, suppressionsOf } from '../engine/suppressions';
import { UNUSED_SUPPRESSION } from '../rules/suppressionRules';

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
  const suppressions = new Map<string, CodeActionLike<D>>();
  for (const diagnostic of diagnostics) {
    if (!overlaps(diagnostic.range, range)) continue;
    const rule = typeof diagnostic.code === 'string' ? ruleByCode(diagnostic.code) : undefined;
    // Comments in a shared mappings file do not hide what a config's validation finds there.
    if (rule && rangeDoc === doc) addSuppression(suppressions, doc, rule.code, diagnostic);
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
  return [...actions, ...suppressions.values()];
}

/**
 * After the rules' own fixes, one *Suppress CODE on this line* per code and line:
 * `// aep-dest-disable-next-line CODE` above the diagnostic's first line, at that line's
 * indentation; a directive already there for that line gets `, CODE` instead. None for syntax
 * errors (never suppressed), for unused-suppression (about a comment itself) and for a file
 * that was not parsed (its comments are not read).
 */
function addSuppression<D extends DiagnosticRef>(
  suppressions: Map<string, CodeActionLike<D>>,
  doc: DestinationDocument,
  code: string,
  diagnostic: D,
): void {
  if (code === 'syntax' || code === UNUSED_SUPPRESSION || doc.notParsed) return;
  // The client may send any range back: take the line of the position it clamps to.
  const line = doc.positionAt(doc.offsetAt(diagnostic.range.start)).line;
  const key = `${code}\n${line}`;
  if (suppressions.has(key)) return;
  const edit = suppressEdit(doc, code, line);
  if (!edit) return;
  suppressions.set(key, {
    title: l10n.t('Suppress {0} on this line', code),
    kind: 'quickfix',
    diagnostics: [diagnostic],
    edit: { changes: { [doc.uri]: [edit] } },
  });
}

function suppressEdit(
  doc: DestinationDocument,
  code: string,
  line: number,
): { range: Range; newText: string } | undefined {
  const scan = suppressionsOf(doc);
  const existing = scan.directives.find(
    (d) => d.kind === 'next-line' && !d.problem && d.line === line,
  );
  if (existing) {
    if (existing.codes.some((c) => c.code === code)) return undefined;
    const at = doc.positionAt(existing.codesEnd);
    return { range: { start: at, end: at }, newText: `, ${code}` };
  }
  const text = doc.text;
  let start = doc.offsetAt({ line, character: 0 });
  // A byte-order mark stays the file's first character.
  if (start === 0 && text.charCodeAt(0) === 0xfeff) start = 1;
  // Inside a comment that spans lines a line comment would be plain text.
  const around = commentAt(scan, start);
  if (around && around.start !== start) return undefined;
  const indent = /^[ \t]*/.exec(text.slice(start, start + 200))?.[0] ?? '';
  const at = doc.positionAt(start);
  const newText = `${indent}// ${NEXT_LINE_DIRECTIVE} ${code}${lineBreakOf(text, start)}`;
  return { range: { start: at, end: at }, newText };
}

/** The line break that ends the line at `start` (else the one before it): the file's own. */
function lineBreakOf(text: string, start: number): string {
  const cr = text.indexOf('\r', start);
  const lf = text.indexOf('\n', start);
  if (cr >= 0 && (lf < 0 || cr < lf)) return lf === cr + 1 ? '\r\n' : '\r';
  if (lf >= 0) return '\n';
  const before = /(\r\n|\r|\n)[^\r\n]*$/.exec(text.slice(Math.max(0, start - 10_000), start));
  return before?.[1] ?? '\n';
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
