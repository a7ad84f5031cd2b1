/**
 * What the Flow Service commands (import, export, plan, pull, apply) read and write: saved
 * Experience Platform answers, the destination config (validated first, as simulate does) and
 * the config or payload files they write. Every problem is one `aep-dest:` line naming the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineColumn } from '../engine/catalogLoader';
import type { Finding } from '../engine/types';
import { FlowShapeError, type NamedJson } from '../flowService/flowShapes';
import { DestinationLanguageService } from '../languageService';
import { prepareFlowConfig } from '../prepareFlowService';
import { writeAtomically } from './atomicWrite';
import { CliError } from './cliError';
import type { CommandContext } from './commandTypes';
import { type LoadedFile, describeFsError, readInputFile, toForwardSlashes } from './fileArgs';
import { formatText } from './formatters';

/** A path argument: where it is and how messages name it (as given, normalised). */
export interface ShownPath {
  absolute: string;
  display: string;
}

export function shownPath(ctx: CommandContext, arg: string): ShownPath {
  return { absolute: path.resolve(ctx.cwd, arg), display: toForwardSlashes(path.normalize(arg)) };
}

/** The environment the command runs in: the one the caller passed, else the process's. */
export function envOf(ctx: CommandContext): Record<string, string | undefined> {
  return ctx.io.env ?? process.env;
}

/** ANSI colours only on a terminal, and never with --no-color or NO_COLOR. */
export function colorWanted(ctx: CommandContext, noColor: boolean): boolean {
  return !noColor && !envOf(ctx).NO_COLOR && ctx.io.isTTY === true;
}

/**
 * A saved JSON answer (a flow, a target connection, the audiences), parsed. A missing file,
 * malformed JSON (`file:line:column`) or a binary file is one file error naming it.
 */
export async function readJsonAnswer(ctx: CommandContext, arg: string): Promise<NamedJson> {
  const file = shownPath(ctx, arg);
  const loaded = await readInputFile({ absolutePath: file.absolute, displayPath: file.display });
  const text = loaded.text;
  if (text.includes('\u0000')) throw new CliError(`${file.display}: binary, not JSON`, 'file');
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  } catch (error) {
    // jsonc-parser recurses per nesting level: a pathologically deep file overflows the stack.
    if (!(error instanceof RangeError)) throw error;
    throw new CliError(`${file.display}: nested too deeply to read`, 'file');
  }
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    throw new CliError(
      `${file.display}:${line}:${column}: invalid JSON (${printParseErrorCode(first.error)})`,
      'file',
    );
  }
  return { value, source: file.display };
}

/** Runs the pure Flow Service code; a FlowShapeError (it names the source and pointer) is a file error. */
export function withFlowShapes<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof FlowShapeError) throw new CliError(error.message, 'file');
    throw error;
  }
}

/**
 * The errors of a config the command refuses, as `validate` prints them, then one line saying
 * what is refused (`fix them before simulating`). Shared with simulate.
 */
export function printConfigErrors(
  ctx: CommandContext,
  loaded: LoadedFile,
  errors: Finding[],
  before: string,
): void {
  ctx.io.stderr(
    formatText({
      reports: [{ ...loaded, findings: errors }],
      summary: { errors: errors.length, warnings: 0 },
      cwd: ctx.cwd,
      tool: ctx.tool,
    }),
  );
  ctx.io.stderr(`aep-dest: ${loaded.displayPath} has errors: fix them before ${before}\n`);
}

/**
 * The config, validated with the rules: its JSON and how to name it, or undefined when it has
 * errors (printed on stderr; the command then exits 1).
 */
export async function readCheckedConfig(
  ctx: CommandContext,
  arg: string,
  before: string,
): Promise<NamedJson | undefined> {
  const file = shownPath(ctx, arg);
  const loaded = await readInputFile({ absolutePath: file.absolute, displayPath: file.display });
  const service = new DestinationLanguageService({ docsBaseUri: ctx.tool.docsBaseUri });
  const document = TextDocument.create(
    pathToFileURL(file.absolute).href,
    'aep-destination',
    0,
    loaded.text,
  );
  const prepared = prepareFlowConfig(service, document);
  if (prepared.kind === 'configErrors') {
    printConfigErrors(ctx, loaded, prepared.errors, before);
    return undefined;
  }
  return { value: prepared.json, source: file.display };
}

/** A regular file or directory is there (a device such as /dev/null may always be written). */
function occupied(absolute: string): boolean {
  try {
    const stat = fs.statSync(absolute);
    return stat.isFile() || stat.isDirectory();
  } catch {
    return false;
  }
}

/** `--out FILE` that exists is refused unless --force: checked before anything is read or sent. */
export function checkOutFree(ctx: CommandContext, out: string | undefined, force: boolean): void {
  if (out === undefined || force) return;
  const file = shownPath(ctx, out);
  if (occupied(file.absolute)) {
    throw new CliError(`${file.display} exists: give --force to overwrite it`, 'file');
  }
}

/** The config on stdout, or written all or nothing to `--out`. */
export function writeConfigOut(ctx: CommandContext, out: string | undefined, text: string): void {
  if (out === undefined) {
    ctx.io.stdout(text);
    return;
  }
  const file = shownPath(ctx, out);
  try {
    writeAtomically(file.absolute, [text]);
  } catch (error) {
    throw new CliError(`cannot write ${file.display}: ${describeFsError(error)}`, 'file');
  }
}

/** Lines for stderr, each `aep-dest: …` (indentation kept, line breaks folded). */
export function printLines(ctx: CommandContext, lines: readonly string[]): void {
  if (!lines.length) return;
  ctx.io.stderr(lines.map((line) => `aep-dest: ${line.replace(/\s*[\r\n]+\s*/g, ' ')}\n`).join(''));
}
