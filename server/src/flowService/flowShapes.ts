/**
 * Readers of Adobe's Flow Service and audience objects, as saved from the API or sent by it.
 * Shapes: AdobeDocs/experience-platform.en, help/destinations/api/update-destination-dataflows.md
 * (GET /flows/{id}, PATCH) and streaming-destinations.md (target connections, POST /flows);
 * help/segmentation/api/audiences.md (GET /audiences). Only what the round trip relies on is
 * checked; everything else is carried through untouched.
 */
import { isRecord } from '../../../common/jsonValue';

export type JsonObject = Record<string, unknown>;

/** A named input: its parsed JSON and where it came from, for messages. */
export interface NamedJson {
  value: unknown;
  /** A file path or an endpoint (`GET /flows/{id}`). */
  source: string;
}

/** A Flow Service object that is not what it should be; the message names the source and the JSON Pointer. */
export class FlowShapeError extends Error {
  constructor(
    readonly source: string,
    readonly pointer: string,
    problem: string,
  ) {
    super(`${source}: ${pointer || '(top level)'}: ${problem}`);
    this.name = 'FlowShapeError';
  }
}

export const isObject: (value: unknown) => value is JsonObject = isRecord;

export function stringAt(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** A GET answer `{"items": [one]}`, or the object itself. */
function unwrapItems(input: NamedJson, what: string): JsonObject {
  const { value, source } = input;
  if (!isObject(value)) throw new FlowShapeError(source, '', `expected a JSON object (${what})`);
  if (!('items' in value)) return value;
  const items = value.items;
  if (!Array.isArray(items)) throw new FlowShapeError(source, '/items', 'expected an array');
  if (items.length !== 1) {
    throw new FlowShapeError(
      source,
      '/items',
      `expected exactly one ${what}, found ${items.length} (save the answer of GET …/${what === 'flow' ? 'flows' : 'targetConnections'}/{id})`,
    );
  }
  const [item] = items as unknown[];
  if (!isObject(item)) throw new FlowShapeError(source, '/items/0', `expected a ${what} object`);
  return item;
}

/** The first (GeneralTransform) transformation's selectors, as the flow holds them. */
export interface FlowSelectors {
  /** Index of the GeneralTransform in `transformations` (Adobe's examples: 0). */
  transformIndex: number;
  profileSelectors: JsonObject;
  profile: unknown[];
  segment: unknown[];
}

export interface FlowView {
  flow: JsonObject;
  source: string;
  /** The pointer prefix of the items, for messages: `/items/0` or ``. */
  pointer: string;
  selectors: FlowSelectors;
}

export function readFlow(input: NamedJson): FlowView {
  const flow = unwrapItems(input, 'flow');
  const pointer = isObject(input.value) && 'items' in input.value ? '/items/0' : '';
  const transformations = flow.transformations;
  if (transformations === undefined) {
    return {
      flow,
      source: input.source,
      pointer,
      selectors: { transformIndex: 0, profileSelectors: {}, profile: [], segment: [] },
    };
  }
  if (!Array.isArray(transformations)) {
    throw new FlowShapeError(input.source, `${pointer}/transformations`, 'expected an array');
  }
  const list = transformations as unknown[];
  const index = list.findIndex((t) => isObject(t) && t.name === 'GeneralTransform');
  if (index < 0) {
    throw new FlowShapeError(
      input.source,
      `${pointer}/transformations`,
      'no "GeneralTransform" transformation: is this a destination dataflow?',
    );
  }
  const params = (list[index] as JsonObject).params;
  const at = `${pointer}/transformations/${index}/params`;
  if (params !== undefined && !isObject(params)) {
    throw new FlowShapeError(input.source, at, 'expected an object');
  }
  const profileSelectors = selectorGroup(params, 'profileSelectors', input.source, at);
  const segmentSelectors = selectorGroup(params, 'segmentSelectors', input.source, at);
  return {
    flow,
    source: input.source,
    pointer,
    selectors: {
      transformIndex: index,
      profileSelectors,
      profile: selectorList(profileSelectors, input.source, `${at}/profileSelectors`),
      segment: selectorList(segmentSelectors, input.source, `${at}/segmentSelectors`),
    },
  };
}

function selectorGroup(
  params: JsonObject | undefined,
  key: string,
  source: string,
  at: string,
): JsonObject {
  const group = params?.[key];
  if (group === undefined || group === null) return {};
  if (!isObject(group)) throw new FlowShapeError(source, `${at}/${key}`, 'expected an object');
  return group;
}

function selectorList(group: JsonObject, source: string, at: string): unknown[] {
  const selectors = group.selectors;
  if (selectors === undefined || selectors === null) return [];
  if (!Array.isArray(selectors))
    throw new FlowShapeError(source, `${at}/selectors`, 'expected an array');
  return selectors as unknown[];
}

/** A saved target connection: a GET answer (`{"items": [tc]}`) or a POST /targetConnections body. */
export function readTargetConnection(input: NamedJson): JsonObject {
  const tc = unwrapItems(input, 'target connection');
  const params = tc.params;
  if (params !== undefined && !isObject(params)) {
    throw new FlowShapeError(input.source, '/params', 'expected an object');
  }
  return tc;
}

/** What a GET /data/core/ups/audiences answer says of one audience. */
export interface AudienceInfo {
  id: string;
  name: string | undefined;
  description: string | undefined;
  type: string | undefined;
  originName: string | undefined;
  /** `schema.name`: `_xdm.context.profile` for people audiences, `_xdm.context.account` for accounts. */
  schemaName: string | undefined;
  evaluation: { batch: boolean; continuous: boolean; synchronous: boolean } | undefined;
}

/** Audiences by `id` and by `audienceId` (a segment selector may carry either). */
export function readAudiences(input: NamedJson): Map<string, AudienceInfo> {
  const { value, source } = input;
  const children = isObject(value) ? value.children : Array.isArray(value) ? value : undefined;
  if (!Array.isArray(children)) {
    throw new FlowShapeError(
      source,
      '',
      'expected a GET /data/core/ups/audiences answer ({"children": [...]})',
    );
  }
  const byId = new Map<string, AudienceInfo>();
  (children as unknown[]).forEach((child, index) => {
    if (!isObject(child))
      throw new FlowShapeError(source, `/children/${index}`, 'expected an object');
    const id = stringAt(child, 'id');
    if (!id) throw new FlowShapeError(source, `/children/${index}/id`, 'expected a string');
    const info = audienceInfo(id, child);
    byId.set(id, info);
    const audienceId = stringAt(child, 'audienceId');
    if (audienceId && !byId.has(audienceId)) byId.set(audienceId, info);
  });
  return byId;
}

function audienceInfo(id: string, child: JsonObject): AudienceInfo {
  const schema = child.schema;
  const evaluationInfo = child.evaluationInfo;
  const enabled = (key: string): boolean => {
    const mode = isObject(evaluationInfo) ? evaluationInfo[key] : undefined;
    return isObject(mode) && mode.enabled === true;
  };
  return {
    id,
    name: stringAt(child, 'name'),
    description: stringAt(child, 'description'),
    type: stringAt(child, 'type'),
    originName: stringAt(child, 'originName'),
    schemaName: isObject(schema) ? stringAt(schema, 'name') : undefined,
    evaluation: isObject(evaluationInfo)
      ? {
          batch: enabled('batch'),
          continuous: enabled('continuous'),
          synchronous: enabled('synchronous'),
        }
      : undefined,
  };
}
