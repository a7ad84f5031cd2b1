/**
 * A problem the user can act on: a bad argument (usage) or a path that cannot
 * be used. The CLI prints `aep-dest: <message>` and exits with `exitCode`;
 * never a stack trace.
 */
export class CliError extends Error {
  /** One line each; printed as `aep-dest: <line>`. */
  readonly lines: string[];

  constructor(
    message: string | string[],
    readonly kind: 'usage' | 'file',
    readonly exitCode = 2,
  ) {
    const lines = (Array.isArray(message) ? message : [message]).map(oneLine);
    super(lines.join('; '));
    this.lines = lines;
    this.name = 'CliError';
  }
}

/** Folds a message onto one line: each CLI message is one `aep-dest: …` line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
