/**
 * Source paths a mapping can read: XDM Individual Profile attributes and
 * identity namespaces (domain.md, "Identity and mappings"; the wider list of
 * XDM paths follows Adobe's public XDM field-group documentation).
 */

import * as l10n from '@vscode/l10n';

export interface SourcePath {
  path: string;
  description: string;
  /** The Marketo field this source usually feeds, offered as a hint. */
  suggestedTarget?: string;
}

export const IDENTITY_NAMESPACES: { name: string; description: string }[] = [
  {
    name: 'Email',
    get description() {
      return l10n.t('Email identity namespace: the usual source of the DedupeField mapping.');
    },
  },
  {
    name: 'Phone',
    get description() {
      return l10n.t('Phone identity namespace.');
    },
  },
  {
    name: 'ECID',
    get description() {
      return l10n.t(
        'Experience Cloud ID. Not supported as a deduplication field by Marketo Engage.',
      );
    },
  },
];

export const XDM_SOURCE_PATHS: SourcePath[] = [
  {
    path: 'person.name.firstName',
    get description() {
      return l10n.t('First name.');
    },
    suggestedTarget: 'firstName',
  },
  {
    path: 'person.name.lastName',
    get description() {
      return l10n.t('Last name.');
    },
    suggestedTarget: 'lastName',
  },
  {
    path: 'person.name.middleName',
    get description() {
      return l10n.t('Middle name.');
    },
    suggestedTarget: 'middleName',
  },
  {
    path: 'person.birthDate',
    get description() {
      return l10n.t('Date of birth.');
    },
    suggestedTarget: 'dateOfBirth',
  },
  {
    path: 'workEmail.address',
    get description() {
      return l10n.t('Work email address.');
    },
    suggestedTarget: 'email',
  },
  {
    path: 'personalEmail.address',
    get description() {
      return l10n.t('Personal email address.');
    },
    suggestedTarget: 'email',
  },
  {
    path: 'workPhone.number',
    get description() {
      return l10n.t('Work phone number.');
    },
    suggestedTarget: 'phone',
  },
  {
    path: 'mobilePhone.number',
    get description() {
      return l10n.t('Mobile phone number.');
    },
    suggestedTarget: 'mobilePhone',
  },
  {
    path: 'homePhone.number',
    get description() {
      return l10n.t('Home phone number.');
    },
    suggestedTarget: 'phone',
  },
  {
    path: 'workAddress.city',
    get description() {
      return l10n.t('Work address: city.');
    },
    suggestedTarget: 'city',
  },
  {
    path: 'workAddress.stateProvince',
    get description() {
      return l10n.t('Work address: state or province.');
    },
    suggestedTarget: 'state',
  },
  {
    path: 'workAddress.postalCode',
    get description() {
      return l10n.t('Work address: postal code.');
    },
    suggestedTarget: 'postalCode',
  },
  {
    path: 'workAddress.country',
    get description() {
      return l10n.t('Work address: country.');
    },
    suggestedTarget: 'country',
  },
  {
    path: 'homeAddress.city',
    get description() {
      return l10n.t('Home address: city.');
    },
    suggestedTarget: 'city',
  },
  {
    path: 'homeAddress.postalCode',
    get description() {
      return l10n.t('Home address: postal code.');
    },
    suggestedTarget: 'postalCode',
  },
  {
    path: 'homeAddress.country',
    get description() {
      return l10n.t('Home address: country.');
    },
    suggestedTarget: 'country',
  },
  {
    path: 'extendedWorkDetails.jobTitle',
    get description() {
      return l10n.t('Job title.');
    },
    suggestedTarget: 'title',
  },
  {
    path: 'b2b.companyName',
    get description() {
      return l10n.t('Company name (B2B person details).');
    },
    suggestedTarget: 'company',
  },
  {
    path: 'b2b.personStatus',
    get description() {
      return l10n.t('Person status (B2B person details).');
    },
    suggestedTarget: 'leadStatus',
  },
  {
    path: 'b2b.personScore',
    get description() {
      return l10n.t('Person score (B2B person details).');
    },
    suggestedTarget: 'leadScore',
  },
  {
    path: 'b2b.personSource',
    get description() {
      return l10n.t('Person source (B2B person details).');
    },
    suggestedTarget: 'leadSource',
  },
  {
    path: 'consents.marketing.email.val',
    get description() {
      return l10n.t('Email marketing consent.');
    },
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
  // Nearly every source is a plain path (a 1 MB config has 10,000): one that starts with an
  // ASCII letter other than the i and s of identityMap and segmentMembership, and holds no
  // bracket, is settled before a trim, a regex or a string made.
  const bracket = source.indexOf('[') >= 0;
  if (!bracket && startsWithOtherLetter(source)) return undefined;
  const s = source.trim();
  if (!bracket && !s.startsWith('identityMap') && !s.startsWith('segmentMembership'))
    return undefined;
  if (bracket && /\[[^\]]*\]/.test(s)) return l10n.t('it indexes into an array');
  if (s === 'identityMap')
    return l10n.t('it is the whole identity map; map one namespace, e.g. identityMap.Email');
  if (/^identityMap\.[^.]+\./.test(s))
    return l10n.t('it reaches inside an identity namespace, which is an array of identities');
  if (s === 'segmentMembership' || s.startsWith('segmentMembership.'))
    return l10n.t('segmentMembership is a map of audience memberships');
  return undefined;
}

function startsWithOtherLetter(text: string): boolean {
  const c = text.charCodeAt(0) | 32; // ASCII upper case folded onto lower case
  return c >= 97 && c <= 122 && c !== 105 && c !== 115;
}
