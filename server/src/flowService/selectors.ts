/**
 * Profile selectors ↔ mappings and segment selectors ↔ audiences. A profile selector with a
 * `mapping` (update-destination-dataflows.md, "Look up dataflow details") names its source as
 * the flow does: identities by namespace (`"Email"`), attributes by XDM path; the config writes
 * identities as `identityMap.<Namespace>`, as profiles carry them.
 */
import { DEDUPE_TARGET } from '../knowledge/marketoFields';
import { type JsonObject, isObject, stringAt } from './flowShapes';

export interface MappingPair {
  source: string;
  target: string;
}

const IDENTITY_PREFIX = 'identityMap.';

/** An identity namespace written bare (`Email`, `ECID`): no dot, no slash, not a tenant field. */
function isBareNamespace(source: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*$/.test(source);
}

/** The config mapping a profile selector stands for; undefined for a selector without `mapping`. */
export function mappingOfSelector(selector: unknown): MappingPair | undefined {
  if (!isObject(selector) || !isObject(selector.value)) return undefined;
  const value = selector.value;
  const mapping = value.mapping;
  if (!isObject(mapping)) return undefined;
  const rawSource =
    stringAt(mapping, 'sourceAttribute') ?? stringAt(mapping, 'source') ?? stringAt(value, 'path');
  const target = stringAt(mapping, 'destinationXdmPath') ?? stringAt(mapping, 'destination');
  if (!rawSource || !target) return undefined;
  const namespace = isObject(value.identity) ? stringAt(value.identity, 'namespace') : undefined;
  const source =
    namespace !== undefined && (rawSource === namespace || isBareNamespace(rawSource))
      ? `${IDENTITY_PREFIX}${namespace}`
      : isBareNamespace(rawSource)
        ? `${IDENTITY_PREFIX}${rawSource}`
        : rawSource;
  return {
    source,
    target: target.startsWith(IDENTITY_PREFIX) ? target.slice(IDENTITY_PREFIX.length) : target,
  };
}

/** Mapping pairs compare as the config compares them: exact source and target. */
export function pairKey(pair: MappingPair): string {
  return `${pair.source}\u0000${pair.target}`;
}

/**
 * The profile selector a mapping becomes when the flow has none for it, in the shape of
 * Adobe's GET answer. [I] What a Marketo card sends for the `DedupeField` target identity is not
 * published; it is written as an identity (`identity` and `primaryIdentity` true).
 */
export function selectorOfMapping(pair: MappingPair): JsonObject {
  const namespace = pair.source.startsWith(IDENTITY_PREFIX)
    ? pair.source.slice(IDENTITY_PREFIX.length)
    : undefined;
  const source = namespace ?? pair.source;
  const isIdentityTarget = pair.target === DEDUPE_TARGET;
  return {
    type: 'JSON_PATH',
    value: {
      path: source,
      operator: 'EXISTS',
      ...(namespace !== undefined ? { identity: { namespace } } : {}),
      mapping: {
        sourceType: 'text/x.schema-path',
        source,
        destination: pair.target,
        identity: isIdentityTarget,
        primaryIdentity: isIdentityTarget,
        functionVersion: 0,
        copyModeMapping: false,
        sourceAttribute: source,
        destinationXdmPath: pair.target,
      },
    },
  };
}

/** The path a flow lists a mapping's source under in `mandatoryFields`. */
export function flowPathOf(source: string): string {
  return source.startsWith(IDENTITY_PREFIX) ? source.slice(IDENTITY_PREFIX.length) : source;
}

/** `primaryFields` for the dedupe mapping's source, as Adobe's GET answer writes it. */
export function primaryFieldsOf(pairs: readonly MappingPair[]): JsonObject[] {
  const dedupe = pairs.find((pair) => pair.target === DEDUPE_TARGET);
  if (!dedupe) return [];
  return dedupe.source.startsWith(IDENTITY_PREFIX)
    ? [{ identityNamespace: flowPathOf(dedupe.source), fieldType: 'IDENTITY' }]
    : [{ fieldType: 'ATTRIBUTE', attributePath: dedupe.source }];
}

/** The segment selector's audience id and name; undefined for anything but a PLATFORM_SEGMENT with an id. */
export function audienceOfSelector(
  selector: unknown,
): { id: string; name: string | undefined } | undefined {
  if (!isObject(selector) || !isObject(selector.value)) return undefined;
  const id = stringAt(selector.value, 'id');
  return id ? { id, name: stringAt(selector.value, 'name') } : undefined;
}

/** The segment selector for an audience the flow does not have yet (streaming-destinations.md, "Activate data"). */
export function selectorOfAudience(audience: { id: string; name?: string }): JsonObject {
  return {
    type: 'PLATFORM_SEGMENT',
    value: { id: audience.id, ...(audience.name !== undefined ? { name: audience.name } : {}) },
  };
}
