import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
} from 'vscode-languageserver';
import {
  type CodeActionLike,
  type CompletionListLike,
  type DocumentSymbolLike,
  type Finding,
  type HoverLike,
  SeverityNumber,
} from '../engine/types';

/** The engine's types mirror LSP's; these functions only make that explicit to the compiler. */
export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SeverityNumber[finding.severity],
    code: finding.code,
    codeDescription: { href: finding.href },
    source: 'aep-dest',
    message: finding.message,
    ...(finding.data ? { data: finding.data } : {}),
    ...(finding.related?.length
      ? {
          relatedInformation: finding.related.map((r) => ({
            location: { uri: r.uri, range: r.range },
            message: r.message,
          })),
        }
      : {}),
  };
}

export function toCompletionList(list: CompletionListLike): CompletionList {
  return list;
}

export function toHover(hover: HoverLike | null): Hover | null {
  return hover;
}

export function toCodeAction(action: CodeActionLike<Diagnostic>): CodeAction {
  return action;
}

export function toDocumentSymbols(symbols: DocumentSymbolLike[]): DocumentSymbol[] {
  return symbols;
}
