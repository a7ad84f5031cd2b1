/** How the mapping rules read `mappings`: shared by the dedupe and the mapping rules. */
import type { DestinationDocument, MappingEntry, StringProperty } from '../engine/document';
import { DEDUPE_TARGET } from '../knowledge/marketoFields';

/** A string value that is not blank: a blank source or target is no source or target. */
export function filled(property: StringProperty | undefined): StringProperty | undefined {
  return property && property.value.trim() ? property : undefined;
}

/** The mappings that target DedupeField, once per version: five rules ask for them. */
export function dedupeMappings(doc: DestinationDocument): readonly MappingEntry[] {
  return doc.cached('dedupeMappings', () => {
    const mappings = doc.mappings;
    const found: MappingEntry[] = [];
    for (let i = 0; i < mappings.length; i++) {
      const mapping = mappings[i] as MappingEntry;
      if (mapping.target?.value === DEDUPE_TARGET) found.push(mapping);
    }
    return found;
  });
}

/**
 * Where a finding about the mappings as a whole goes: the `mappings` key, when it is an array
 * or names a shared mappings file that was read.
 */
export function mappingsAnchor(doc: DestinationDocument) {
  return doc.value('mappings')?.type === 'array' || doc.mappingFile
    ? (doc.key('mappings') ?? doc.value('mappings'))
    : undefined;
}
