import * as path from 'node:path';

export type InputName = 'profiles' | 'leads';

export interface ResolvedInputs {
  profiles?: string;
  leads?: string;
}

/**
 * Where the sample files of a simulation are: the explicit overrides (already
 * absolute), else the config's `"simulation"` block, whose paths are relative to
 * the config's directory.
 */
export function resolveSimulationInputs(
  config: unknown,
  configDirectory: string | undefined,
  overrides: ResolvedInputs = {},
): ResolvedInputs {
  const block =
    typeof config === 'object' && config !== null && 'simulation' in config
      ? (config as { simulation?: unknown }).simulation
      : undefined;
  const fromBlock = (name: InputName): string | undefined => {
    const value =
      typeof block === 'object' && block !== null
        ? (block as Record<string, unknown>)[name]
        : undefined;
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    if (path.isAbsolute(value)) return value;
    return configDirectory ? path.resolve(configDirectory, value) : undefined;
  };
  const profiles = overrides.profiles ?? fromBlock('profiles');
  const leads = overrides.leads ?? fromBlock('leads');
  return { ...(profiles ? { profiles } : {}), ...(leads ? { leads } : {}) };
}

export function missingInputs(inputs: ResolvedInputs): InputName[] {
  return (['profiles', 'leads'] as const).filter((name) => !inputs[name]);
}

/**
 * The config's `simulation.encoding`: how to read sample files that have no BOM and are
 * not UTF-8 (e.g. `windows-1252`); undefined when unset or blank.
 */
export function simulationEncoding(config: unknown): string | undefined {
  const block =
    typeof config === 'object' && config !== null && 'simulation' in config
      ? (config as { simulation?: unknown }).simulation
      : undefined;
  const value =
    typeof block === 'object' && block !== null
      ? (block as Record<string, unknown>).encoding
      : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
