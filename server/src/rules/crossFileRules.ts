/**
 * Rules over a set of configs (the files given to the CLI, the workspace in the editor): what no
 * single file shows, because the harm comes from two destinations writing to one Marketo
 * instance. They read summaries (configSummary.ts), never trees, and report each finding in both
 * files, each naming the other.
 */
import * as l10n from '@vscode/l10n';
import type { Range, RelatedLocation } from '../engine/types';
import type { ConfigSummary } from './configSummary';
import type { RuleDefinition } from './ruleTypes';

/** Reports a finding in the config `uri`. */
export type CrossFileReporter = (
  uri: string,
  range: Range,
  message: string,
  related: RelatedLocation[],
) => void;

export interface CrossFileRule extends RuleDefinition {
  checkAcross(configs: readonly ConfigSummary[], report: CrossFileReporter): void;
}

/** The file name of a config, as messages name it (the related location gives its path). */
export function fileLabel(uri: string): string {
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function destinationLabel(config: ConfigSummary): string {
  return config.name
    ? l10n.t('"{0}" ({1})', config.name, fileLabel(config.uri))
    : fileLabel(config.uri);
}

/** The configs grouped by a key; a config without one takes no part. */
function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** Every unordered pair of a group, each config with a later one. */
function* pairs<T>(items: readonly T[]): Generator<[T, T]> {
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) yield [items[i] as T, items[j] as T];
  }
}

const DESTINATION_DETAILS = 'Marketo Engage Connection page, "Fill in destination details"';
const LEAD_MATCHING = 'Marketo Engage Connection page, lead matching across partitions';

function conflictMessage(self: ConfigSummary, other: ConfigSummary): string {
  const own = self.dedupeField?.value ?? '';
  const theirs = other.dedupeField?.value ?? '';
  const instance = self.munchkinId?.key ?? '';
  const who =
    self.createsLeads && other.createsLeads
      ? l10n.t('either may not find a lead the other one matches, and creates it again')
      : self.createsLeads
        ? l10n.t('this destination does not find a lead that one matches, and creates it again')
        : l10n.t('that destination does not find a lead this one matches, and creates it again');
  const workspaces =
    self.workspace && other.workspace && self.workspace.key !== other.workspace.key
      ? ' ' +
        l10n.t(
          'Their workspaces ("{0}", "{1}") do not keep them apart: matching searches every partition of the instance.',
          self.workspace.value,
          other.workspace.value,
        )
      : '';
  return (
    l10n.t(
      'Destination {0} writes to the same Marketo instance {1} but matches leads on "{2}", this one on "{3}": {4}, so Marketo fills up with duplicate leads. Use one dedupe field for every destination of an instance.',
      destinationLabel(other),
      instance,
      theirs,
      own,
      who,
    ) + workspaces
  );
}

export const conflictingDedupeFieldRule: CrossFileRule = {
  code: 'conflicting-dedupe-field',
  severity: 'error',
  title: 'Two destinations for one Marketo instance match leads on different dedupe fields',
  source: `${LEAD_MATCHING}; ${DESTINATION_DETAILS} (Munchkin ID, Marketo deduplication field)`,
  check() {
    // Nothing in one file: checkAcross compares the configs.
  },
  checkAcross(configs, report) {
    const instances = groupBy(
      configs.filter((c) => c.dedupeField),
      (c) => c.munchkinId?.key,
    );
    for (const group of instances) {
      for (const [a, b] of pairs(group)) {
        if (!a.dedupeField || !b.dedupeField) continue;
        if (a.dedupeField.key === b.dedupeField.key) continue;
        // Neither creates a lead: a lead one misses is skipped, never duplicated.
        if (!a.createsLeads && !b.createsLeads) continue;
        for (const [self, other] of [
          [a, b],
          [b, a],
        ] as const) {
          if (!self.dedupeField || !other.dedupeField) continue;
          report(self.uri, self.dedupeField.range, conflictMessage(self, other), [
            {
              uri: other.uri,
              range: other.dedupeField.range,
              message: l10n.t(
                'the dedupe field "{0}" of {1}',
                other.dedupeField.value,
                destinationLabel(other),
              ),
            },
          ]);
        }
      }
    }
  },
};

interface Activation {
  config: ConfigSummary;
  audience: ConfigSummary['audiences'][number];
}

export const duplicateActivationRule: CrossFileRule = {
  code: 'duplicate-activation',
  severity: 'warning',
  title: 'The same audience is activated to one Marketo workspace by two destinations',
  source: `${DESTINATION_DETAILS} (Munchkin ID, Workspace ID); "Activate audiences to this destination"`,
  check() {
    // Nothing in one file: checkAcross compares the configs.
  },
  checkAcross(configs, report) {
    const activations: Activation[] = configs.flatMap((config) =>
      config.munchkinId && config.workspace
        ? config.audiences.map((audience) => ({ config, audience }))
        : [],
    );
    const groups = groupBy(activations, ({ config, audience }) =>
      JSON.stringify([config.munchkinId?.key, config.workspace?.key, audience.id]),
    );
    for (const group of groups) {
      for (const [a, b] of pairs(group)) {
        // Twice in one file is duplicate-audience's finding.
        if (a.config.uri === b.config.uri) continue;
        for (const [self, other] of [
          [a, b],
          [b, a],
        ] as const) {
          report(
            self.config.uri,
            self.audience.range,
            l10n.t(
              'Audience "{0}" is also activated to Marketo instance {1}, workspace "{2}", by destination {3}: both dataflows send its members to the same workspace, into two lists, and update the same leads twice; the lists drift apart as soon as one destination changes. Activate it from one destination.',
              self.audience.id,
              self.config.munchkinId?.key ?? '',
              self.config.workspace?.value ?? '',
              destinationLabel(other.config),
            ),
            [
              {
                uri: other.config.uri,
                range: other.audience.range,
                message: l10n.t(
                  'audience "{0}" of {1}',
                  other.audience.id,
                  destinationLabel(other.config),
                ),
              },
            ],
          );
        }
      }
    }
  },
};
