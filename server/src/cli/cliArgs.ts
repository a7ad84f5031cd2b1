import { parseArgs } from 'node:util';
import { CliError } from './cliError';

export type OptionSpecs = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedOption<N extends string> {
  name: N;
  /** As the user wrote it (`--format`, `-f`), for messages. */
  label: string;
  /** The value of a string option; '' for a flag. */
  value: string;
}

export function usageError(command: string, message: string): CliError {
  return new CliError([message, `run 'aep-dest ${command} --help' for usage`], 'usage');
}

/**
 * A command's options, in the order given, and its positionals. An unknown option, a
 * value given to a flag and a string option without a value are usage errors naming it.
 */
export function readArgs<S extends OptionSpecs>(
  command: string,
  args: readonly string[],
  specs: S,
): { positionals: string[]; options: ParsedOption<keyof S & string>[] } {
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: [...args],
      options: specs,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }));
  } catch (error) {
    throw usageError(command, error instanceof Error ? error.message : String(error));
  }
  const positionals: string[] = [];
  const options: ParsedOption<keyof S & string>[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const label = token.rawName.startsWith('-') ? token.rawName : `--${token.rawName}`;
    const spec = Object.prototype.hasOwnProperty.call(specs, token.name)
      ? specs[token.name]
      : undefined;
    if (!spec) throw usageError(command, `unknown option '${label}'`);
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw usageError(command, `option '${label}' takes no value`);
    }
    if (spec.type === 'string' && (token.value === undefined || token.value === '')) {
      throw usageError(command, `option '${label}' needs a value`);
    }
    options.push({ name: token.name, label, value: token.value ?? '' });
  }
  return { positionals, options };
}
