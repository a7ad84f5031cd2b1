import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportPayloads } from '../flowService/exportFlow';
import { readCommandArgs } from './cliArgs';
import { CliError } from './cliError';
import type { CliCommand, CommandContext } from './commandTypes';
import { describeFsError, toForwardSlashes } from './fileArgs';
import { printLines, readCheckedConfig, shownPath, withFlowShapes } from './flowServiceFiles';

export const EXPORT_USAGE = `Usage: aep-dest export <config> [options]

Writes what Experience Platform's Flow Service takes to create the destination: the
body of POST /targetConnections and the body of POST /flows (GeneralTransform with
the profile and segment selectors). A config made by import gives back the imported
params and selectors; for anything only Experience Platform knows (a base connection
id, a source connection id) a {PLACEHOLDER} is written and named on stderr.
The config is validated first; a config with errors is refused.

Options:
      --out-dir <dir>  Write target-connection.json and flow.json into <dir> (created
                       if missing; both or neither), instead of
                       {"targetConnection": ..., "flow": ...} on stdout
  -h, --help           Show this help

Exit codes: 0 exported, 1 the config has errors, 2 usage or file error.
`;

export interface ExportOptions {
  config: string;
  outDir: string | undefined;
}

const OPTIONS = {
  'out-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseExportArgs(args: readonly string[]): ExportOptions | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('export', args, OPTIONS);
  let outDir: string | undefined;
  for (const { name, value } of parsed) if (name === 'out-dir') outDir = value;
  if (help) return 'help';
  if (positionals.length === 0) throw usage('no config given');
  if (positionals.length > 1) {
    throw usage(`one config at a time (got ${positionals.length}: ${positionals.join(', ')})`);
  }
  return { config: positionals[0] as string, outDir };
}

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

interface PlannedFile {
  absolute: string;
  display: string;
  text: string;
}

/**
 * Both files or neither: each is written to a temp file beside its target, then both are
 * renamed; when a write or a rename fails, every temp file and every target already renamed
 * is removed.
 */
function writeAll(files: readonly PlannedFile[]): void {
  const temps = files.map((file) => ({
    ...file,
    temp: path.join(
      path.dirname(file.absolute),
      `.${path.basename(file.absolute)}.${process.pid}.tmp`,
    ),
  }));
  const renamed: string[] = [];
  let current = temps[0];
  try {
    for (const file of temps) {
      current = file;
      fs.writeFileSync(file.temp, file.text, { flag: 'w' });
    }
    for (const file of temps) {
      current = file;
      fs.renameSync(file.temp, file.absolute);
      renamed.push(file.absolute);
    }
  } catch (error) {
    for (const file of temps) fs.rmSync(file.temp, { force: true });
    for (const written of renamed) fs.rmSync(written, { force: true });
    throw new CliError(
      `cannot write ${current?.display ?? 'the output'}: ${describeFsError(error)} (nothing written)`,
      'file',
    );
  }
}

export async function runExport(args: readonly string[], ctx: CommandContext): Promise<number> {
  const options = parseExportArgs(args);
  if (options === 'help') {
    ctx.io.stdout(EXPORT_USAGE);
    return 0;
  }
  const config = await readCheckedConfig(ctx, options.config, 'exporting');
  if (!config) return 1;
  const { targetConnection, flow, placeholders } = withFlowShapes(() =>
    exportPayloads(config.value, config.source),
  );
  printLines(
    ctx,
    placeholders.map((sentence) => `placeholder ${sentence}`),
  );
  if (options.outDir === undefined) {
    ctx.io.stdout(jsonText({ targetConnection, flow }));
    return 0;
  }
  const dir = shownPath(ctx, options.outDir);
  try {
    fs.mkdirSync(dir.absolute, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create ${dir.display}: ${describeFsError(error)}`, 'file');
  }
  const files: PlannedFile[] = [
    { name: 'target-connection.json', value: targetConnection },
    { name: 'flow.json', value: flow },
  ].map(({ name, value }) => ({
    absolute: path.join(dir.absolute, name),
    display: toForwardSlashes(path.join(dir.display, name)),
    text: jsonText(value),
  }));
  writeAll(files);
  ctx.io.stdout(files.map((file) => `${file.display}\n`).join(''));
  return 0;
}

export const exportCommand: CliCommand = {
  usage: EXPORT_USAGE,
  run: runExport,
};
