import type { DestinationDocument, JsonNode } from '../engine/document';
import type { CatalogState, PartitionState } from '../engine/catalogLoader';
import type { FileTextEdit, FindingData, Range, Severity } from '../engine/types';
import type { AccessDecision } from '../engine/fileAccess';
import type { MappingFileState } from '../engine/mappingFileLoader';

export interface RuleContext {
  readonly doc: DestinationDocument;
  readonly catalog: CatalogState;
  /** The lead partitions named by `marketoPartitions` (`none` when it is absent). */
  readonly partitions: PartitionState;
  /** The shared mappings file `"mappings": "<path>"` names (`none` when mappings is the array). */
  readonly mappingFile: MappingFileState;
  /**
   * Whether the editor may read a file the config names (relative to the config); undefined
   * for an unsaved config, whose relative paths resolve nowhere.
   */
  access(relative: string): AccessDecision | undefined;
  /**
   * Reports a finding on a node (its whole extent) or an explicit range, with the rule's
   * severity unless `severity` says otherwise (a rule whose stakes depend on the config).
   */
  report(at: JsonNode | Range, message: string, data?: FindingData, severity?: Severity): void;
}

/** One edit plan a quick fix offers. */
export interface FixProposal {
  title: string;
  /** Edits of the config, or of the shared mappings file when they carry its `uri`. */
  edits: FileTextEdit[];
  isPreferred?: boolean;
}

export interface FixContext {
  readonly doc: DestinationDocument;
  /** The range and data of the diagnostic being fixed, as the client sent them back. */
  readonly range: Range;
  readonly data: FindingData | undefined;
  /**
   * Whether the diagnostic starts where `node` does, in the same file: the config, or the
   * shared mappings file whose nodes `doc.mappings` then holds.
   */
  readonly startsAt: (node: JsonNode) => boolean;
}

export interface RuleDefinition {
  /** Stable code: a contract with CI pipelines and suppressions. Never rename. */
  code: string;
  severity: Severity;
  /** One line, used as SARIF shortDescription and in the docs index. */
  title: string;
  /** Which source document the rule traces to (domain.md section / seed page). */
  source: string;
  /**
   * Runs even when the document has syntax errors (the tree is still usable). A loop over every
   * mapping or node is an indexed `for`: `aep-dest validate` runs it once, before the JIT has
   * compiled it, and there a `for…of` allocates an iterator result per element (bench 6).
   */
  check(ctx: RuleContext): void;
  /**
   * The findings depend on the document's keys and structure alone (no value, no catalog, no
   * file): the runner keeps them for the next version when an edit stays inside a value
   * (`KEYS_ONLY`). Such a rule reports on nodes, never on a range.
   */
  keysOnly?: boolean;
  fix?(ctx: FixContext): FixProposal[];
}
