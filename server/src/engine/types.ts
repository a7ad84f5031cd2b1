/**
 * Structural types of the pure language service. They mirror the LSP shapes
 * (same field names, same numeric enum values) so the server passes them
 * through untouched, while the engine, the CLI and the tests never import an
 * LSP library.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** What the engine needs of a text document; `vscode-languageserver-textdocument` satisfies it. */
export interface TextDocumentLike {
  readonly uri: string;
  readonly version: number;
  readonly lineCount: number;
  getText(range?: Range): string;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** LSP DiagnosticSeverity values. */
export const SeverityNumber: Record<Severity, 1 | 2 | 3 | 4> = {
  error: 1,
  warning: 2,
  information: 3,
  hint: 4,
};

/** Extra, rule-specific facts a quick fix needs; travels as `Diagnostic.data`. */
export interface FindingData {
  /** Required fields that are not mapped (missing-required-mapping). */
  field?: string;
  /** Replacement values offered by a fix (schema enum typos). */
  replacements?: string[];
  /** A property to remove or add. */
  property?: string;
  /**
   * On a diagnostic published on a shared mappings file: the config whose validation found it,
   * whose quick fixes it gets.
   */
  config?: string;
}

/** Another place a finding concerns (LSP DiagnosticRelatedInformation, SARIF relatedLocations). */
export interface RelatedLocation {
  uri: string;
  range: Range;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Link to docs/rules/<code>.md. */
  href: string;
  data?: FindingData;
  /**
   * Set when the finding is in another file than the validated config: the URI of the shared
   * mappings file it names, which `range` is in.
   */
  uri?: string;
  /** The other file's place, for a finding across files. */
  related?: RelatedLocation[];
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** An edit a quick fix makes: of the fixed document, or of the file `uri` names. */
export interface FileTextEdit extends TextEdit {
  /** Set when the edit is in another file than the fixed config (its shared mappings file). */
  uri?: string;
}

export interface WorkspaceEditLike {
  changes: { [uri: string]: TextEdit[] };
}

/** The part of a diagnostic the client sends back with a code-action request. */
export interface DiagnosticRef {
  code?: string | number;
  range: Range;
  data?: unknown;
}

export interface CodeActionLike<D extends DiagnosticRef = DiagnosticRef> {
  title: string;
  kind: 'quickfix';
  diagnostics: D[];
  isPreferred?: boolean;
  edit: WorkspaceEditLike;
}

/** LSP CompletionItemKind values used here. */
export const CompletionItemKind = {
  Text: 1,
  Module: 9,
  Property: 10,
  Value: 12,
  Snippet: 15,
  File: 17,
  Folder: 19,
  EnumMember: 20,
  Field: 5,
  Constant: 21,
} as const;
export type CompletionItemKindValue = (typeof CompletionItemKind)[keyof typeof CompletionItemKind];

/** LSP InsertTextFormat. */
export const InsertTextFormat = { PlainText: 1, Snippet: 2 } as const;

export interface MarkupContent {
  kind: 'markdown' | 'plaintext';
  value: string;
}

export interface CompletionItemLike {
  label: string;
  kind: CompletionItemKindValue;
  detail?: string;
  documentation?: MarkupContent;
  sortText?: string;
  filterText?: string;
  insertTextFormat?: 1 | 2;
  textEdit: TextEdit;
  commitCharacters?: string[];
  /** Run by the client after the item is inserted (e.g. to open the suggestions again). */
  command?: CommandLike;
}

/** LSP Command, without arguments. */
export interface CommandLike {
  title: string;
  command: string;
}

export interface CompletionListLike {
  isIncomplete: boolean;
  items: CompletionItemLike[];
}

/** LSP Location: a range in a file (go to definition). */
export interface LocationLike {
  uri: string;
  range: Range;
}

export interface HoverLike {
  contents: MarkupContent;
  range: Range;
}

/** LSP SymbolKind values used here. */
export const SymbolKind = {
  File: 1,
  Module: 2,
  Namespace: 3,
  Field: 8,
  Array: 18,
  Object: 19,
  String: 15,
  Number: 16,
  Boolean: 17,
  Key: 20,
  Null: 21,
  EnumMember: 22,
  Event: 24,
} as const;
export type SymbolKindValue = (typeof SymbolKind)[keyof typeof SymbolKind];

export interface DocumentSymbolLike {
  name: string;
  detail?: string;
  kind: SymbolKindValue;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbolLike[];
}

export interface FormattingOptionsLike {
  tabSize: number;
  insertSpaces: boolean;
  insertFinalNewline?: boolean;
}
