/**
 * Source paths a mapping can read: XDM Individual Profile attributes and
 * identity namespaces (domain.md, "Identity and mappings"; the wider list of
 * XDM paths follows Adobe's public XDM field-group documentation).
 */

export interface SourcePath {
  path: string;
  description: string;
  /** The Marketo field this source usually feeds, offered as a hint. */
  suggestedTarget?: string;
}

export const IDENTITY_NAMESPACES: { name: string; description: string }[] = [
  {
    name: 'Email',
    description: 'Email identity namespace: the usual source of the DedupeField mapping.',
  },
  { name: 'Phone', description: 'Phone identity namespace.' },
  {
    name: 'ECID',
    description: 'Experience Cloud ID. Not supported as a deduplication field by Marketo Engage.',
  },
];

export const XDM_SOURCE_PATHS: SourcePath[] = [
  { path: 'person.name.firstName', description: 'First name.', suggestedTarget: 'firstName' },
  { path: 'person.name.lastName', description: 'Last name.', suggestedTarget: 'lastName' },
  { path: 'person.name.middleName', description: 'Middle name.', suggestedTarget: 'middleName' },
  { path: 'person.birthDate', description: 'Date of birth.', suggestedTarget: 'dateOfBirth' },
  { path: 'workEmail.address', description: 'Work email address.', suggestedTarget: 'email' },
  {
    path: 'personalEmail.address',
    description: 'Personal email address.',
    suggestedTarget: 'email',
  },
  { path: 'workPhone.number', description: 'Work phone number.', suggestedTarget: 'phone' },
  {
    path: 'mobilePhone.number',
    description: 'Mobile phone number.',
    suggestedTarget: 'mobilePhone',
  },
  { path: 'homePhone.number', description: 'Home phone number.', suggestedTarget: 'phone' },
  { path: 'workAddress.city', description: 'Work address: city.', suggestedTarget: 'city' },
  {
    path: 'workAddress.stateProvince',
    description: 'Work address: state or province.',
    suggestedTarget: 'state',
  },
  {
    path: 'workAddress.postalCode',
    description: 'Work address: postal code.',
    suggestedTarget: 'postalCode',
  },
  {
    path: 'workAddress.country',
    description: 'Work address: country.',
    suggestedTarget: 'country',
  },
  { path: 'homeAddress.city', description: 'Home address: city.', suggestedTarget: 'city' },
  {
    path: 'homeAddress.postalCode',
    description: 'Home address: postal code.',
    suggestedTarget: 'postalCode',
  },
  {
    path: 'homeAddress.country',
    description: 'Home address: country.',
    suggestedTarget: 'country',
  },
  { path: 'extendedWorkDetails.jobTitle', description: 'Job title.', suggestedTarget: 'title' },
  {
    path: 'b2b.companyName',
    description: 'Company name (B2B person details).',
    suggestedTarget: 'company',
  },
  {
    path: 'b2b.personStatus',
    description: 'Person status (B2B person details).',
    suggestedTarget: 'leadStatus',
  },
  {
    path: 'b2b.personScore',
    description: 'Person score (B2B person details).',
    suggestedTarget: 'leadScore',
  },
  {
    path: 'b2b.personSource',
    description: 'Person source (B2B person details).',
    suggestedTarget: 'leadSource',
  },
  {
    path: 'consents.marketing.email.val',
    description: 'Email marketing consent.',
    suggestedTarget: 'unsubscribed',
  },
];

/** The source a quick fix proposes for a required Marketo field. */
export const DEFAULT_SOURCE_FOR_FIELD: Record<string, string> = {
  firstName: 'person.name.firstName',
  lastName: 'person.name.lastName',
  email: 'workEmail.address',
  DedupeField: 'identityMap.Email',
};

/** `identityMap.<Namespace>`: returns the namespace, or undefined for an XDM path. */
export function identityNamespaceOf(
  source: string,
  options: { anyCase?: boolean } = {},
): string | undefined {
  const pattern = options.anyCase ? /^identitymap\.([^.[\]]+)$/i : /^identityMap\.([^.[\]]+)$/;
  const match = pattern.exec(source.trim());
  return match?.[1];
}

/**
 * Array and map attributes other than `identityMap.<Namespace>` cannot be exported
 * (public docs, activation guardrails). Returns why a source is one, or undefined.
 */
export function arraySourceReason(source: string): string | undefined {
  const s = source.trim();
  if (/\[[^\]]*\]/.test(s)) return 'it indexes into an array';
  if (s === 'identityMap')
    return 'it is the whole identity map; map one namespace, e.g. identityMap.Email';
  if (/^identityMap\.[^.]+\./.test(s))
    return 'it reaches inside an identity namespace, which is an array of identities';
  if (s === 'segmentMembership' || s.startsWith('segmentMembership.'))
    return 'segmentMembership is a map of audience memberships';
  return undefined;
}
