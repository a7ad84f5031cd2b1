/**
 * What the Flow Service round trip (import, export, plan) reports, shared by the server, the
 * CLI and the extension client. The shapes of Adobe's own objects are in
 * server/src/flowService/flowShapes.ts; these are ours.
 */

/** One RFC 6902 operation, as `PATCH /flows/{id}` takes it. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace';
  /** A JSON Pointer (RFC 6901) into the flow. */
  path: string;
  value?: unknown;
}

/** One line of a plan, in the order the patch applies it. */
export type PlanChange =
  | { kind: 'nameChanged'; from: string | undefined; to: string }
  | { kind: 'descriptionChanged'; from: string | undefined; to: string }
  | { kind: 'audienceAdded'; id: string; name: string | undefined }
  | { kind: 'audienceRemoved'; id: string; name: string | undefined; index: number }
  | { kind: 'mappingAdded'; source: string; target: string }
  | { kind: 'mappingRemoved'; source: string; target: string; index: number }
  /** The flow's `mandatoryFields` or `primaryFields`, kept in step with the mappings. */
  | {
      kind: 'profileFieldsChanged';
      field: 'mandatoryFields' | 'primaryFields';
      from: unknown[] | undefined;
      to: unknown[];
    };

export interface PlanSummary {
  flowId: string | undefined;
  flowName: string | undefined;
  audiencesAdded: number;
  audiencesRemoved: number;
  mappingsAdded: number;
  mappingsRemoved: number;
  nameChanged: boolean;
  descriptionChanged: boolean;
  /** True when the patch is empty: the flow already is what the config says. */
  unchanged: boolean;
  /**
   * What differs but is not in the patch (target-connection params, which `PATCH /flows`
   * cannot change; an etag older than the flow's), one sentence each.
   */
  notes: string[];
}

/** `aep-dest plan`: the patch that brings a flow to a config. */
export interface FlowPlan {
  /** The flow's etag, as `If-Match` takes it (with its quotes); undefined when the flow has none. */
  ifMatch: string | undefined;
  patch: JsonPatchOperation[];
  summary: PlanSummary;
  changes: PlanChange[];
}

/** The config keys that target-connection params map to. */
export type ConnectionKey =
  'munchkinId' | 'workspace' | 'syncType' | 'partition' | 'dedupeField' | 'personAction';

/** One target-connection param import understood. */
export interface MappedParam {
  /** The param's name as the target connection spells it. */
  param: string;
  key: ConnectionKey;
  /** The config value it became. */
  value: string;
}

/** The older Marketo destination cards an import migrates from. */
export type LegacyCard = 'marketoEngageV2' | 'marketoEngagePersonSync';

export interface MigrationReport {
  from: LegacyCard;
  /** The card's title as Experience Platform's catalog shows it. */
  fromTitle: string;
  /** What carried over, one sentence each (`person creation "…" → personAction …`). */
  carried: string[];
  /** What did not, and why. */
  notCarried: string[];
}

export interface ImportReport {
  mapped: MappedParam[];
  /** Params kept verbatim in `flowService.targetConnection.params` and not understood. */
  kept: string[];
  /** Present when the dataflow was made with an older card. */
  migration: MigrationReport | undefined;
  /** Things the user should look at (an audience not in the audiences file, a selector skipped). */
  warnings: string[];
}
