/**
 * A flow's `mandatoryFields` and `primaryFields` (update-destination-dataflows.md, "Look up
 * dataflow details": the mandatory sources, and the primary identity or attribute), kept in step
 * with the mappings by export and by plan alike, so that applying a plan leaves the flow as
 * export would write it. What the flow had is kept for the mappings that stay; a new mapping to
 * a required target adds its source; a new dedupe source replaces the primary field.
 */
import { DEDUPE_TARGET, REQUIRED_LEAD_FIELDS } from '../knowledge/marketoFields';
import type { JsonObject } from './flowShapes';
import { type MappingPair, flowPathOf, pairKey, primaryFieldsOf } from './selectors';

const REQUIRED_TARGETS = new Set<string>([DEDUPE_TARGET, ...REQUIRED_LEAD_FIELDS]);

export interface ProfileFields {
  mandatoryFields?: unknown[];
  primaryFields?: unknown[];
}

/**
 * `group` is the profile selectors as the flow holds them; `fromFlow` says whether there is
 * one (a config never imported gets both lists from its mappings); `kept` are the mappings the
 * flow already had and keeps.
 */
export function profileFieldsFor(
  group: JsonObject,
  fromFlow: boolean,
  mappings: readonly MappingPair[],
  kept: readonly MappingPair[],
): ProfileFields {
  const keptKeys = new Set(kept.map(pairKey));
  const mapped = new Set(mappings.map((pair) => flowPathOf(pair.source)));
  const required = (pairs: readonly MappingPair[]): string[] =>
    pairs
      .filter((pair) => REQUIRED_TARGETS.has(pair.target))
      .map((pair) => flowPathOf(pair.source));
  const fields: ProfileFields = {};
  if (Array.isArray(group.mandatoryFields)) {
    const stay = (group.mandatoryFields as unknown[]).filter(
      (path) => typeof path !== 'string' || mapped.has(path),
    );
    const added = required(mappings.filter((pair) => !keptKeys.has(pairKey(pair))));
    fields.mandatoryFields = [
      ...stay,
      ...added.filter((path, i) => !stay.includes(path) && added.indexOf(path) === i),
    ];
  } else if (!fromFlow) {
    fields.mandatoryFields = [...new Set(required(mappings))];
  }
  const dedupeKept = mappings
    .filter((pair) => pair.target === DEDUPE_TARGET)
    .every((pair) => keptKeys.has(pairKey(pair)));
  if (Array.isArray(group.primaryFields)) {
    fields.primaryFields = dedupeKept
      ? (group.primaryFields as unknown[])
      : primaryFieldsOf(mappings);
  } else if (!fromFlow) {
    fields.primaryFields = primaryFieldsOf(mappings);
  }
  return fields;
}
