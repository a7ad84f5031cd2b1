/**
 * "Validate, then simulate", once for the language server and the CLI: a config with
 * errors is refused (an export would be refused too), the sample files are resolved, and
 * what decides the export is taken from the same parse the editor validated.
 */
import * as l10n from '@vscode/l10n';
import type { DestinationDocument } from './engine/document';
import type { Finding, TextDocumentLike } from './engine/types';
import type { DestinationLanguageService, DocumentSettings } from './languageService';
import { type CatalogState, type PartitionState, configDirectory } from './engine/catalogLoader';
import { configFromJson } from './simulation/config';
import {
  type InputName,
  type ResolvedInputs,
  missingInputs,
  resolveSimulationInputs,
  simulationEncoding,
} from './simulation/simulationInputs';
import type { SimulationConfig } from './simulation/types';

export type PreparedSimulation =
  /** The config has errors (those the user sees: disabled rules do not block). */
  | { kind: 'configErrors'; errors: Finding[] }
  /** The config passed the rules but lacks what the simulation needs (a rule was disabled). */
  | { kind: 'unusableConfig'; message: string }
  /** Neither the overrides nor the config's `simulation` block name these inputs. */
  | { kind: 'needsInputs'; missing: InputName[] }
  /** The editor may not read the inputs (Restricted Mode, or a path outside the workspace). */
  | { kind: 'refused'; message: string }
  | {
      kind: 'ready';
      config: SimulationConfig;
      /** Absolute paths of the sample files. */
      inputs: { profiles: string; leads: string };
      /** The destination's `name`, when it is a string. */
      configName: string | undefined;
      /**
       * Partition id → name from the config's `marketoPartitions`, to name the leads'
       * `leadPartitionId`s; undefined without one (a broken one is a config error).
       */
      partitionNames: ReadonlyMap<string, string> | undefined;
      /** `simulation.encoding`: how to read sample files that have no BOM and are not UTF-8. */
      encoding: string | undefined;
      /** The catalog's fields (`marketoFields`), to resolve a UI lead export's display-name headers. */
      leadFields: { name: string; displayName: string }[] | undefined;
    };

/**
 * Decides whether `textDocument` can be simulated. `overrides` are absolute paths that take
 * the place of the config's `simulation` block (whose paths are relative to the config).
 */
export function prepareSimulation(
  service: DestinationLanguageService,
  textDocument: TextDocumentLike,
  settings: DocumentSettings = {},
  overrides: ResolvedInputs = {},
): PreparedSimulation {
  const errors = service.validate(textDocument, settings).filter((f) => f.severity === 'error');
  if (errors.length) return { kind: 'configErrors', errors };
  const doc = service.parse(textDocument, settings);
  if (doc.isMappingsFile) {
    return {
      kind: 'unusableConfig',
      message: l10n.t(
        'This is a shared mappings file, not a destination config: simulate a config that names it in "mappings".',
      ),
    };
  }
  const unread = unreadMappings(service, doc);
  if (unread)
    return { kind: 'refused', message: refusedInputs(service, doc.uri, {}, {}) ?? unread };
  let config: SimulationConfig;
  try {
    // The shared mappings file's array in place of its path.
    config = configFromJson(doc.resolvedValue);
  } catch (error) {
    return {
      kind: 'unusableConfig',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const refused = refusedInputs(service, textDocument.uri, doc.jsonValue, overrides);
  if (refused) return { kind: 'refused', message: refused };
  const resolved = resolveSimulationInputs(
    doc.jsonValue,
    configDirectory(textDocument.uri),
    overrides,
  );
  const missing = missingInputs(resolved);
  if (missing.length || !resolved.profiles || !resolved.leads)
    return { kind: 'needsInputs', missing };
  return {
    kind: 'ready',
    config,
    inputs: { profiles: resolved.profiles, leads: resolved.leads },
    configName: doc.stringValue('name')?.value,
    partitionNames: partitionNamesOf(service.partitions(doc)),
    encoding: simulationEncoding(doc.jsonValue),
    leadFields: leadFieldsOf(service.catalog(doc)),
  };
}

/**
 * Why the editor may not read the sample files, if it may not: nothing in Restricted Mode, and
 * no file the config names outside the workspace. Files the user picked (`overrides`) are theirs.
 */
function refusedInputs(
  service: DestinationLanguageService,
  uri: string,
  config: unknown,
  overrides: ResolvedInputs,
): string | undefined {
  const policy = service.fileAccessPolicy;
  if (policy && !policy.trusted) {
    return 'Simulate Export is disabled in Restricted Mode: it reads sample files, and this workspace is not trusted. Trust the workspace to simulate.';
  }
  const block = (config as { simulation?: Record<string, unknown> } | null)?.simulation;
  for (const name of ['profiles', 'leads'] as const) {
    const value = typeof block === 'object' && block !== null ? block[name] : undefined;
    if (overrides[name] || typeof value !== 'string' || !value.trim()) continue;
    const decision = service.access(uri, value);
    if (decision && !decision.allowed) {
      return `simulation.${name} "${value}" resolves to ${decision.absolute}, outside the workspace folder: it is not read. Keep sample files in the workspace, or choose them with "Simulate Export with Other Sample Files…".`;
    }
  }
  return undefined;
}

/**
 * Why the shared mappings file the config names is not read, when the editor may not read it
 * (a missing or broken one is a config error, and never gets here).
 */
function unreadMappings(
  service: DestinationLanguageService,
  doc: DestinationDocument,
): string | undefined {
  const state = service.mappingFile(doc);
  if (state.status !== 'blocked') return undefined;
  return l10n.t(
    'mappings "{0}" resolves to {1}, outside the workspace folder: it is not read, so there are no mappings to simulate. Keep the shared mappings file in the workspace.',
    state.path,
    state.decision.absolute,
  );
}

/** The id → name map of loaded partitions; undefined when none are loaded. */
export function partitionNamesOf(state: PartitionState): ReadonlyMap<string, string> | undefined {
  return state.status === 'loaded' ? state.value.nameById : undefined;
}

/** The loaded catalog's REST and display names; undefined without a catalog. */
function leadFieldsOf(state: CatalogState): { name: string; displayName: string }[] | undefined {
  if (state.status !== 'loaded') return undefined;
  return state.catalog.fields.map(({ name, displayName }) => ({ name, displayName }));
}
