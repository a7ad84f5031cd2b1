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

/**
 * `readArgs` for a command whose specs include `help`: `--help` / `-h` is taken out of the
 * options (the command still reads every other option first, so a bad one is reported
 * even beside --help), and `usage` builds the command's usage errors.
 */
export function readCommandArgs<S extends OptionSpecs & { help: { type: 'boolean' } }>(
  command: string,
  args: readonly string[],
  specs: S,
): {
  positionals: string[];
  options: ParsedOption<Exclude<keyof S & string, 'help'>>[];
  help: boolean;
  usage: (message: string) => CliError;
} {
  const { positionals, options } = readArgs(command, args, specs);
  const rest = options.filter(
    (option): option is ParsedOption<Exclude<keyof S & string, 'help'>> => option.name !== 'help',
  );
  return {
    positionals,
    options: rest,
    help: rest.length < options.length,
    usage: (message) => usageError(command, message),
  };
}

/** `value` if it is one of `allowed`, else the usage error `unknown <what> '<value>' (expected …)`. */
export function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  what: string,
  usage: (message: string) => CliError,
): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined)
    throw usage(`unknown ${what} '${value}' (expected ${allowed.join(', ')})`);
  return found;
}
