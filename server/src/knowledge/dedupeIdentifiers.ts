/**
 * What a dedupe key can be: the Marketo Engage Connection page names Marketo's Lead ID and
 * Adobe's ECID as not supported for deduplication ("Marketo `Lead ID` och Experience Cloud
 * ID:n (`ECID`) stöds inte för deduplicering", seeds/004, line 151), and people write both in
 * many ways: `ECID`, `ecid`, `identityMap.ECID`, `IdentityMap.ecid`, `xdm:ECID`, `Experience
 * Cloud ID`, `experienceCloudId`, `Lead ID`, `leadId`, `person.marketoLeadId`…
 *
 * And which sources carry an email address, so that a dedupe field and the values the
 * DedupeField mapping sends can be checked against each other.
 */
import { XDM_SOURCE_PATHS, identityNamespaceOf } from './xdmPaths';

export type UnsupportedIdentifier = 'Lead ID' | 'ECID';

/** Lower case, without `xdm:` / `identityMap.` prefixes, spaces, punctuation and a `:n` ending. */
function fold(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^(?:xdm:|identitymap\.)+/, '')
    .replace(/[^a-z0-9]/g, '');
}

const LEAD_ID = new Set(['id', 'leadid', 'marketoleadid', 'marketoid']);
/** ECID was the Marketing Cloud ID (MCID) before it was renamed. */
const ECID = /^(?:ecid|mcid|experiencecloudid\w*|marketingcloudid\w*)$/;

function identifierKind(folded: string, allowBareId: boolean): UnsupportedIdentifier | undefined {
  if (ECID.test(folded)) return 'ECID';
  if (LEAD_ID.has(folded) && (allowBareId || folded !== 'id')) return 'Lead ID';
  return undefined;
}

/** A `dedupeField` value that names Lead ID or ECID, in any spelling. */
export function unsupportedDedupeField(name: string): UnsupportedIdentifier | undefined {
  return identifierKind(fold(name), true);
}

/** The namespace of `identityMap.<Namespace>`, any case of `identityMap` (people write both). */
function identityNamespace(source: string): string | undefined {
  return identityNamespaceOf(source, { anyCase: true });
}

/**
 * A mapping source that reads Lead ID or ECID: an identity namespace, a bare name or the last
 * segment of an XDM path (`person.marketoLeadId`). A path ending in a plain `id` is not taken
 * for Lead ID: XDM has many record ids that are not Marketo's.
 */
export function unsupportedDedupeSource(source: string): UnsupportedIdentifier | undefined {
  const namespace = identityNamespace(source);
  if (namespace !== undefined) return identifierKind(fold(namespace), false);
  const segments = source.trim().split('.');
  const last = segments[segments.length - 1] ?? '';
  return identifierKind(fold(last), false);
}

const EMAIL_PATHS = new Set(
  XDM_SOURCE_PATHS.filter((p) => p.suggestedTarget === 'email').map((p) => p.path),
);
const KNOWN_NON_EMAIL = new Map(
  XDM_SOURCE_PATHS.filter((p) => p.suggestedTarget && p.suggestedTarget !== 'email').map((p) => [
    p.path,
    p.suggestedTarget,
  ]),
);

/**
 * Whether a mapping source carries email addresses: `'yes'` (the Email namespace, an XDM email
 * address, a custom attribute named for one: `_acme.contactEmail`), `'no'` (another known
 * namespace or XDM attribute, Lead ID, ECID, an attribute named as an id, a phone or a name:
 * `person.crmId`) or `'unknown'` (a custom path that says nothing: it may hold anything).
 */
export function carriesEmail(source: string): 'yes' | 'no' | 'unknown' {
  const trimmed = source.trim();
  const namespace = identityNamespace(trimmed);
  if (namespace !== undefined) {
    const folded = fold(namespace);
    if (folded === 'email' || folded === 'emails') return 'yes';
    if (folded === 'phone' || unsupportedDedupeSource(trimmed)) return 'no';
    return 'unknown';
  }
  if (EMAIL_PATHS.has(trimmed) || /e-?mail/i.test(trimmed)) return 'yes';
  if (KNOWN_NON_EMAIL.has(trimmed) || unsupportedDedupeSource(trimmed)) return 'no';
  const last = trimmed.split('.').pop() ?? '';
  if (/(?:id|Id|ID|phone|Phone|number|Number|name|Name)$/.test(last)) return 'no';
  return 'unknown';
}
