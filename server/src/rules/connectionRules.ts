import * as l10n from '@vscode/l10n';
import type { CarriedFact, JsonNode, TreePatch } from '../engine/document';
import type { JSONPath } from 'jsonc-parser';
import { removeNodeEdits, setValueEdits } from '../engine/edits';
import { schemaAt } from '../engine/schema';
import type { FixProposal, RuleDefinition } from './ruleTypes';
import type { DestinationDocument } from '../engine/document';

const MUNCHKIN = /^[0-9]{3}-[A-Z]{3}-[0-9]{3}$/;
const SYNC_TYPES_WRITING_PROFILES = new Set(['profileOnly', 'audienceAndProfile']);
const DESTINATION_DETAILS = 'Marketo Engage Connection page, "Fill in destination details"';

export const invalidMunchkinIdRule: RuleDefinition = {
  code: 'invalid-munchkin-id',
  severity: 'error',
  title: 'munchkinId is not three digits, three capital letters, three digits',
  source: `${DESTINATION_DETAILS} (Munchkin ID); domain.md, Destination details`,
  check(ctx) {
    const munchkin = ctx.doc.stringValue('munchkinId');
    if (!munchkin || MUNCHKIN.test(munchkin.value)) return;
    const fixed = normaliseMunchkin(munchkin.value);
    ctx.report(
      munchkin.node,
      fixed
        ? l10n.t(
            '"{0}" is not a Munchkin ID: it has the form NNN-AAA-NNN (three digits, three capital letters, three digits), e.g. 123-ABC-456. Did you mean "{1}"?',
            munchkin.value,
            fixed,
          )
        : l10n.t(
            '"{0}" is not a Munchkin ID: it has the form NNN-AAA-NNN (three digits, three capital letters, three digits), e.g. 123-ABC-456.',
            munchkin.value,
          ),
      fixed ? { replacements: [fixed] } : undefined,
    );
  },
  fix({ doc, data }) {
    const replacement = data?.replacements?.[0];
    if (!replacement || !MUNCHKIN.test(replacement)) return [];
    return [
      {
        title: l10n.t('Change to "{0}"', replacement),
        edits: setValueEdits(doc, ['munchkinId'], replacement),
        isPreferred: true,
      },
    ];
  },
};

/** A Munchkin ID typed in lower case or with spaces or underscores is still recognisable. */
export function normaliseMunchkin(value: string): string | undefined {
  const candidate = value
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '-');
  if (MUNCHKIN.test(candidate)) return candidate;
  const compact = /^([0-9]{3})-?([A-Z]{3})-?([0-9]{3})$/.exec(candidate);
  return compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : undefined;
}

/**
 * A top-level property that an audience-only destination does not have: reported on its
 * value whatever it is, with the quick fix that removes it.
 */
function notWithAudienceOnly(
  rule: Pick<RuleDefinition, 'code' | 'title' | 'source'>,
  property: string,
  message: () => string,
): RuleDefinition {
  return {
    ...rule,
    severity: 'error',
    check(ctx) {
      const node = ctx.doc.property(property);
      if (!node || ctx.doc.stringValue('syncType')?.value !== 'audienceOnly') return;
      ctx.report(node.children?.[1] ?? node, message());
    },
    fix: ({ doc }) => [removeTopLevel(doc, property)],
  };
}

export const partitionNotAllowedRule = notWithAudienceOnly(
  {
    code: 'partition-not-allowed',
    title: 'partition is set with syncType audienceOnly',
    source: `${DESTINATION_DETAILS} (Partition: only for Profile only and Audience and profile)`,
  },
  'partition',
  () =>
    l10n.t(
      'partition cannot be set with syncType "audienceOnly": audience-only exports never create leads, so no partition receives any.',
    ),
);

export const personActionNotApplicableRule = notWithAudienceOnly(
  {
    code: 'person-action-not-applicable',
    title: 'personAction is set with syncType audienceOnly',
    source: `${DESTINATION_DETAILS} (Person action); lead-matching table (Audience only: N/A)`,
  },
  'personAction',
  () =>
    l10n.t(
      'personAction does not apply to syncType "audienceOnly": matched leads are only added to lists; none is updated or created.',
    ),
);

export const missingPersonActionRule: RuleDefinition = {
  code: 'missing-person-action',
  severity: 'error',
  title: 'syncType writes profiles but personAction is missing',
  source: `${DESTINATION_DETAILS} (Person action); lead-matching table`,
  check(ctx) {
    const syncType = ctx.doc.stringValue('syncType');
    if (
      !syncType ||
      !SYNC_TYPES_WRITING_PROFILES.has(syncType.value) ||
      ctx.doc.property('personAction')
    )
      return;
    ctx.report(
      ctx.doc.key('syncType') ?? syncType.node,
      l10n.t(
        'syncType "{0}" needs a personAction: "updateExistingAndCreateNew" (update matched leads, create the others) or "updateExistingOnly" (never create a lead).',
        syncType.value,
      ),
    );
  },
  fix({ doc }) {
    const add = (value: string, isPreferred: boolean): FixProposal => ({
      title: l10n.t('Add "personAction": "{0}"', value),
      edits: setValueEdits(doc, ['personAction'], value),
      isPreferred,
    });
    // Updating only is the choice that cannot create duplicate leads by mistake; but a
    // partition says new leads are meant (and would have no effect without them).
    if (doc.property('partition'))
      return [add('updateExistingAndCreateNew', true), add('updateExistingOnly', false)];
    return [add('updateExistingOnly', true), add('updateExistingAndCreateNew', false)];
  },
};

export const partitionWithoutEffectRule: RuleDefinition = {
  code: 'partition-without-effect',
  severity: 'warning',
  title: 'partition is set but personAction never creates a lead',
  source: `${DESTINATION_DETAILS} (Partition receives new leads); lead-matching "Cross-partition matching"`,
  check(ctx) {
    const partition = ctx.doc.property('partition');
    const syncType = ctx.doc.stringValue('syncType')?.value;
    if (!partition || !syncType || !SYNC_TYPES_WRITING_PROFILES.has(syncType)) return;
    if (ctx.doc.stringValue('personAction')?.value !== 'updateExistingOnly') return;
    ctx.report(
      partition.children?.[1] ?? partition,
      l10n.t(
        'partition has no effect with personAction "updateExistingOnly": the partition only receives new leads, none is created, and matching searches every partition anyway.',
      ),
    );
  },
  fix: ({ doc }) => [removeTopLevel(doc, 'partition')],
};

const SECRET_KEY =
  /(secret|passw(or)?d|passwd|token|api[-_]?key|private[-_]?key|credential|authorization)/i;

const secretKeyNames = new Map<string, boolean>();

/** Key names repeat (source, target, …): each is tested against the pattern once. */
function isSecretKeyName(name: string): boolean {
  let known = secretKeyNames.get(name);
  if (known === undefined) {
    known = SECRET_KEY.test(name);
    if (secretKeyNames.size < 10_000) secretKeyNames.set(name, known);
  }
  return known;
}

/** A property whose name reads like a credential and that holds a value. */
export function isCredentialProperty(property: JsonNode): boolean {
  const key = property.children?.[0];
  if (!key || !isSecretKeyName(String(key.value))) return false;
  const value = property.children?.[1];
  return !!value && value.type !== 'null' && value.value !== '';
}

interface SecretValue {
  pattern: RegExp;
  message: () => string;
}

const SECRET_VALUES: SecretValue[] = [
  {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[a-z]{2,4}$/i,
    message: () =>
      l10n.t(
        'This value looks like a Marketo access token. Remove it: credentials do not belong in a config file.',
      ),
  },
  {
    pattern: /^Bearer\s+\S{8,}$/i,
    message: () =>
      l10n.t(
        'This value looks like a bearer token. Remove it: credentials do not belong in a config file.',
      ),
  },
  {
    pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
    message: () =>
      l10n.t(
        'This value looks like a URL with a password. Remove it: credentials do not belong in a config file.',
      ),
  },
  {
    pattern: /^-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    message: () =>
      l10n.t(
        'This value looks like a private key. Remove it: credentials do not belong in a config file.',
      ),
  },
];

export const secretInConfigRule: RuleDefinition = {
  code: 'secret-in-config',
  severity: 'error',
  title: 'A credential is written into the config file',
  source:
    'Marketo Engage Connection page, "Authenticate to destination" (authentication happens in Experience Platform, not in the config)',
  check(ctx) {
    const secrets = ctx.doc.cached('secret-in-config', () => Secrets.of(ctx.doc));
    for (const property of secrets.properties) {
      const key = property.children?.[0];
      if (!key) continue;
      ctx.report(
        key,
        l10n.t(
          '"{0}" looks like a credential. The destination authenticates through Experience Platform ("Connect to destination"); credentials in a config file end up in version control.',
          String(key.value),
        ),
        { property: String(key.value) },
      );
    }
    for (const [node, hit] of secrets.values) ctx.report(node, hit.message());
  },
  fix({ doc, range }) {
    const offset = doc.offsetAt(range.start);
    const { properties, stringValues } = doc.nodeIndex;
    const byKey = properties.find((p) => p.children?.[0]?.offset === offset);
    const value = byKey ? undefined : stringValues.find((n) => n.offset === offset);
    // A secret inside an array item or an optional property goes with its holder; a required
    // property's value cannot simply go, so it is left to the user.
    const holder = byKey ?? (value?.parent?.type === 'array' ? value : value?.parent);
    if (!holder || (holder === value?.parent && isRequiredProperty(holder))) return [];
    const name = holder.type === 'property' ? String(holder.children?.[0]?.value) : undefined;
    return [
      {
        // The title names the key, never the value: it is shown in menus and logs.
        title: name ? l10n.t('Remove "{0}"', name) : l10n.t('Remove this value'),
        edits: removeNodeEdits(doc, holder),
        isPreferred: true,
      },
    ];
  },
};

/**
 * What secret-in-config finds, kept with the document: after an edit inside a value, only that
 * value (and its property) is tested again, not the 1 MB config's other strings.
 */
class Secrets implements CarriedFact {
  private constructor(
    /** The properties whose key reads like a credential and that hold a value. */
    readonly properties: readonly JsonNode[],
    /** The other values that look like a credential, and what they look like. */
    readonly values: ReadonlyMap<JsonNode, SecretValue>,
  ) {}

  static of(doc: DestinationDocument): Secrets {
    const { properties, stringValues } = doc.nodeIndex;
    const values = new Map<JsonNode, SecretValue>();
    for (let i = 0; i < stringValues.length; i++) {
      const node = stringValues[i] as JsonNode;
      // Most values fail mayLookSecret's test: made here, not in a call per value.
      const text = node.value as string;
      if (text.indexOf(':') < 0 && text.indexOf(' ') < 0 && text.charCodeAt(0) !== 45) continue;
      const hit = secretValueOf(node);
      if (hit) values.set(node, hit);
    }
    const credentials: JsonNode[] = [];
    // Where the text has no escape, every key is a piece of it: a text in which the pattern
    // finds nothing has no credential key, told by one search instead of a lookup per key.
    const mayHoldKey = doc.text.indexOf('\\') >= 0 || SECRET_KEY.test(doc.text);
    for (let i = 0; mayHoldKey && i < properties.length; i++) {
      const property = properties[i] as JsonNode;
      if (isCredentialProperty(property)) credentials.push(property);
    }
    return new Secrets(credentials, values);
  }

  afterValueEdit(patch: TreePatch): Secrets {
    const node = patch.node;
    const holder = node.parent;
    let properties = this.properties;
    // Whether a credential's key is reported depends on its value (an empty one is not).
    if (holder?.type === 'property') {
      const credential = isCredentialProperty(holder);
      if (properties.includes(holder) !== credential)
        properties = credential ? [...properties, holder] : properties.filter((p) => p !== holder);
    }
    const values = new Map(this.values);
    values.delete(node);
    const hit = secretValueOf(node);
    if (hit) values.set(node, hit);
    return new Secrets(properties, values);
  }
}

/** What a string value looks like, unless it is a credential's (reported on its key). */
function secretValueOf(node: JsonNode): SecretValue | undefined {
  const parent = node.parent;
  const text = node.value as string;
  if (!mayLookSecret(text)) return undefined;
  if (parent?.type === 'property' && isCredentialProperty(parent)) return undefined;
  return SECRET_VALUES.find((s) => s.pattern.test(text));
}

/**
 * Every pattern of SECRET_VALUES needs a colon, a space or a PEM header's dash: the rest are
 * skipped without a regex. `indexOf`, not `includes`, which first asks whether its argument is
 * a RegExp, twice as slow in a fresh process.
 */
function mayLookSecret(text: string): boolean {
  return text.indexOf(':') >= 0 || text.indexOf(' ') >= 0 || text.charCodeAt(0) === 45;
}

/** A property the schema requires where it stands (its removal would be an error). */
function isRequiredProperty(property: JsonNode): boolean {
  const name = String(property.children?.[0]?.value);
  const path: JSONPath = [];
  for (let node = property.parent; node?.parent;) {
    const parent: JsonNode = node.parent;
    if (parent.type === 'property') {
      path.unshift(String(parent.children?.[0]?.value));
      node = parent.parent;
    } else if (parent.type === 'array') {
      path.unshift(0);
      node = parent;
    } else break;
  }
  return schemaAt(path)?.required?.includes(name) ?? false;
}

function removeTopLevel(doc: DestinationDocument, property: string): FixProposal {
  return {
    title: l10n.t('Remove "{0}"', property),
    edits: setValueEdits(doc, [property], undefined),
    isPreferred: true,
  };
}
