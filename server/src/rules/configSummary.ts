/**
 * What the checks across files need of one config, read once from its parse: the Marketo
 * instance and workspace it writes to, how it matches leads, whether it can create them, and the
 * audiences it activates, each with where it is written. A summary is plain data, so the editor
 * keeps one per workspace file without keeping the file's tree.
 */
import { type DestinationDocument, propertyValue } from '../engine/document';
import type { Range } from '../engine/types';
import { normaliseMunchkin } from './connectionRules';

export interface SummaryValue {
  /** As written. */
  value: string;
  /** As compared with the other configs' (see the normalise functions below). */
  key: string;
  range: Range;
}

export interface SummaryAudience {
  id: string;
  name: string | undefined;
  /** The `id` value. */
  range: Range;
}

export interface ConfigSummary {
  uri: string;
  /** The destination's `name`, when it is a non-blank string. */
  name: string | undefined;
  /** The extent of the whole config (its root value). */
  range: Range;
  /** Undefined when missing or not recognisable as a Munchkin ID: the instance is unknown. */
  munchkinId: SummaryValue | undefined;
  workspace: SummaryValue | undefined;
  dedupeField: SummaryValue | undefined;
  syncType: string | undefined;
  personAction: string | undefined;
  /** Whether an export can create leads: a profile sync type with updateExistingAndCreateNew. */
  createsLeads: boolean;
  audiences: SummaryAudience[];
}

const SYNC_TYPES_WRITING_PROFILES = new Set(['profileOnly', 'audienceAndProfile']);

/**
 * The instance, as Marketo reads it: the Munchkin ID is the host name of the instance's REST
 * endpoint, so case and the separators invalid-munchkin-id corrects do not make another
 * instance. An ID that cannot be read as one leaves the instance unknown.
 */
export function munchkinKey(value: string): string | undefined {
  return normaliseMunchkin(value);
}

/**
 * The workspace, as a person picks it from Marketo's list: surrounding and repeated spaces and
 * case do not make another one (a hand-written "default" means the "Default" workspace).
 */
export function workspaceKey(value: string): string | undefined {
  const key = value.trim().replace(/\s+/g, ' ').toLowerCase();
  return key || undefined;
}

/**
 * The dedupe field, compared ignoring case: "Email" for "email" is the same field mistyped,
 * which marketo-field-case reports in its own file; it does not make two destinations match
 * leads differently.
 */
export function dedupeKey(value: string): string | undefined {
  const key = value.trim().toLowerCase();
  return key || undefined;
}

function summaryValue(
  doc: DestinationDocument,
  property: string,
  normalise: (value: string) => string | undefined,
): SummaryValue | undefined {
  const written = doc.stringValue(property);
  if (!written) return undefined;
  const key = normalise(written.value);
  return key === undefined
    ? undefined
    : { value: written.value, key, range: doc.rangeOf(written.node) };
}

/** The summary of a parsed config; undefined when the text is not a config object. */
export function summarizeConfig(doc: DestinationDocument): ConfigSummary | undefined {
  const root = doc.rootObject;
  if (!root) return undefined;
  const syncType = doc.stringValue('syncType')?.value;
  const personAction = doc.stringValue('personAction')?.value;
  const name = doc.stringValue('name')?.value.trim();
  const audiences: SummaryAudience[] = [];
  for (const audience of doc.audiences) {
    const id = propertyValue(audience.node, 'id');
    if (typeof id?.value !== 'string' || !id.value.trim()) continue;
    const audienceName: unknown = propertyValue(audience.node, 'name')?.value;
    audiences.push({
      id: id.value.trim(),
      name: typeof audienceName === 'string' && audienceName.trim() ? audienceName : undefined,
      range: doc.rangeOf(id),
    });
  }
  return {
    uri: doc.uri,
    name: name || undefined,
    range: doc.rangeOf(root),
    munchkinId: summaryValue(doc, 'munchkinId', munchkinKey),
    workspace: summaryValue(doc, 'workspace', workspaceKey),
    dedupeField: summaryValue(doc, 'dedupeField', dedupeKey),
    syncType,
    personAction,
    createsLeads:
      syncType !== undefined &&
      SYNC_TYPES_WRITING_PROFILES.has(syncType) &&
      personAction === 'updateExistingAndCreateNew',
    audiences,
  };
}
