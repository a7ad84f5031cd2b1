/**
 * The one table of target-connection param names and values. Adobe publishes neither the
 * Marketo Engage Connection card's connection spec nor its `params` names (formats.md, "Flow
 * Service", marked [I]); the UI asks for Munchkin ID, Workspace ID, sync type, partition, the
 * Marketo deduplication field and the person action (the Marketo Engage Connection page,
 * seeds/004, "destination details"). So import accepts each under every spelling below, compared
 * without case, spaces, `_` or `-`, and export writes a param back under the name and in the
 * style it was imported with; a config that was never imported gets the first name of each row.
 * The README lists these assumed names.
 */
import type { ConnectionKey } from '../../../common/flowServiceTypes';

export interface ParamRow {
  key: ConnectionKey;
  /** Accepted names; the first is the one written when nothing was imported. */
  names: readonly string[];
  /** For enumerations: config value → accepted spellings ([0] SCREAMING_SNAKE, [1] the UI label, then others). */
  values?: Readonly<Record<string, readonly string[]>>;
}

export const PARAM_TABLE: readonly ParamRow[] = [
  {
    key: 'munchkinId',
    names: ['munchkinId', 'munchkin', 'munchkinInstanceId', 'marketoMunchkinId', 'Munchkin ID'],
  },
  {
    key: 'workspace',
    names: ['workspaceId', 'workspace', 'workspaceName', 'marketoWorkspace', 'Workspace ID'],
  },
  {
    key: 'syncType',
    names: ['syncType', 'sync', 'syncMode', 'Sync type'],
    values: {
      audienceAndProfile: ['AUDIENCE_AND_PROFILE', 'Audience and profile', 'audienceAndProfile'],
      profileOnly: ['PROFILE_ONLY', 'Profile only', 'profileOnly'],
      audienceOnly: ['AUDIENCE_ONLY', 'Audience only', 'audienceOnly'],
    },
  },
  {
    key: 'partition',
    names: [
      'partition',
      'partitionId',
      'partitionName',
      'leadPartition',
      'personPartition',
      'Partition ID',
    ],
  },
  {
    key: 'dedupeField',
    names: [
      'deduplicationField',
      'dedupeField',
      'dedupField',
      'marketoDeduplicationField',
      'lookupField',
      'Marketo deduplication field',
    ],
  },
  {
    key: 'personAction',
    names: ['personAction', 'action', 'Person action'],
    values: {
      updateExistingAndCreateNew: [
        'UPDATE_EXISTING_AND_CREATE_NEW',
        'Update existing and create new persons',
        'updateExistingAndCreateNew',
        'createOrUpdate',
      ],
      updateExistingOnly: [
        'UPDATE_EXISTING_ONLY',
        'Update existing persons only',
        'updateExistingOnly',
        'updateOnly',
      ],
    },
  },
];

/** The config keys the table maps, in the schema's order. */
export const CONNECTION_KEYS: readonly ConnectionKey[] = PARAM_TABLE.map((row) => row.key);

/** How a name or a value is compared: without case, spaces, `_`, `-` or `.`. */
export function normalized(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** The row a param name belongs to, if any. */
export function rowOfParam(name: string): ParamRow | undefined {
  const wanted = normalized(name);
  return PARAM_TABLE.find((row) => row.names.some((candidate) => normalized(candidate) === wanted));
}

export function rowOf(key: ConnectionKey): ParamRow {
  const row = PARAM_TABLE.find((candidate) => candidate.key === key);
  if (!row) throw new Error(`no param row for ${key}`);
  return row;
}

/**
 * The config value of a param's raw value: an enumeration's spelling → its config value; a free
 * text as it is (trimmed). Undefined for a value the row does not accept (kept verbatim instead).
 */
export function configValueOf(row: ParamRow, raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const text = String(raw).trim();
  if (!text) return undefined;
  if (!row.values) return text;
  const wanted = normalized(text);
  for (const [value, spellings] of Object.entries(row.values)) {
    if (spellings.some((spelling) => normalized(spelling) === wanted)) return value;
  }
  return undefined;
}

type ValueStyle = 'screaming' | 'label' | 'config';

function styleOf(raw: unknown): ValueStyle {
  if (typeof raw !== 'string') return 'screaming';
  if (/^[A-Z0-9_]+$/.test(raw)) return 'screaming';
  if (/\s/.test(raw)) return 'label';
  return 'config';
}

/**
 * The param value to write for a config value: in the style of `previous` (the imported raw
 * value) when there is one, so an unchanged config exports the very value it was imported
 * from; SCREAMING_SNAKE otherwise. A number stays a number when it was one.
 */
export function paramValueOf(row: ParamRow, value: string, previous: unknown): unknown {
  if (previous !== undefined && configValueOf(row, previous) === value) return previous;
  const spellings = row.values?.[value];
  if (!spellings)
    return typeof previous === 'number' && /^\d+$/.test(value) ? Number(value) : value;
  const style = styleOf(previous);
  return (
    (style === 'label' ? spellings[1] : style === 'config' ? spellings[2] : spellings[0]) ?? value
  );
}
