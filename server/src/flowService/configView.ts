/**
 * What export and plan read of a destination config: its parsed JSON, already validated by the
 * rules (a config with errors is refused before it gets here), read defensively all the same.
 */
import type { ConnectionKey } from '../../../common/flowServiceTypes';
import { CONNECTION_KEYS } from './connectionParams';
import { FlowShapeError, type JsonObject, isObject, stringAt } from './flowShapes';
import type { MappingPair } from './selectors';

export interface ConfigView {
  source: string;
  name: string | undefined;
  description: string | undefined;
  connection: Partial<Record<ConnectionKey, string>>;
  mappings: MappingPair[];
  audiences: { id: string; name: string | undefined }[];
  /** The `flowService` block import wrote, or {}. */
  flowService: JsonObject;
}

export function readConfig(value: unknown, source: string): ConfigView {
  if (!isObject(value))
    throw new FlowShapeError(source, '', 'expected a destination config object');
  const connection: Partial<Record<ConnectionKey, string>> = {};
  for (const key of CONNECTION_KEYS) {
    const text = stringAt(value, key)?.trim();
    if (text) connection[key] = text;
  }
  return {
    source,
    name: stringAt(value, 'name'),
    description: stringAt(value, 'description'),
    connection,
    mappings: listOf(value, 'mappings', source).map((entry, index) => {
      const pair = isObject(entry)
        ? { source: stringAt(entry, 'source'), target: stringAt(entry, 'target') }
        : {};
      if (pair.source === undefined || pair.target === undefined) {
        throw new FlowShapeError(
          source,
          `/mappings/${index}`,
          'expected {"source", "target"} strings',
        );
      }
      return { source: pair.source, target: pair.target };
    }),
    audiences: listOf(value, 'audiences', source).map((entry, index) => {
      const id = isObject(entry) ? stringAt(entry, 'id') : undefined;
      if (!id || !isObject(entry))
        throw new FlowShapeError(source, `/audiences/${index}/id`, 'expected a string');
      return { id, name: stringAt(entry, 'name') };
    }),
    flowService: isObject(value.flowService) ? value.flowService : {},
  };
}

function listOf(config: JsonObject, key: string, source: string): unknown[] {
  const list = config[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new FlowShapeError(source, `/${key}`, 'expected an array');
  return list as unknown[];
}
