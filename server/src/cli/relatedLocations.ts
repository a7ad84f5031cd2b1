/**
 * How the outputs of `validate` show a finding's related locations (the other file of a
 * cross-file finding): the other file's path as the reports name it, in text as
 * `related: other.destination.json:12:5 message`, in JSON as `relatedInformation`, in SARIF as
 * `relatedLocations`.
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { fileURLToPath } from 'node:url';
import type * as sarif from 'sarif';
import type { Finding, RelatedLocation } from '../engine/types';
import { oneLine } from './cliError';
import { toForwardSlashes } from './fileArgs';

/** What these functions need of a file report. */
interface NamedFile {
  displayPath: string;
  absolutePath: string;
}

interface RelatedFile {
  displayPath: string;
  /** Undefined when the URI is not a file URI. */
  absolutePath: string | undefined;
  /** Its position among the reports (SARIF's artifact index), when it is one of them. */
  index: number | undefined;
}

function relatedFile(
  related: RelatedLocation,
  files: readonly NamedFile[],
  cwd: string,
): RelatedFile {
  let absolutePath: string;
  try {
    absolutePath = fileURLToPath(related.uri);
  } catch {
    return { displayPath: related.uri, absolutePath: undefined, index: undefined };
  }
  const index = files.findIndex((file) => file.absolutePath === absolutePath);
  const known = files[index];
  return {
    displayPath: known
      ? known.displayPath
      : toForwardSlashes(path.relative(cwd, absolutePath) || absolutePath),
    absolutePath,
    index: index < 0 ? undefined : index,
  };
}

/** The text lines under a finding, one per related location (1-based, as the finding's). */
export function relatedTextLines(
  finding: Finding,
  files: readonly NamedFile[],
  cwd: string,
): string[] {
  return (finding.related ?? []).map((related) => {
    const { line, character } = related.range.start;
    const file = relatedFile(related, files, cwd).displayPath;
    // The label is translated; the location and message after it stay as the finding gives them.
    return `  ${l10n.t('related: {0}', `${file}:${line + 1}:${character + 1} ${oneLine(related.message)}`)}`;
  });
}

/** The JSON output's `relatedInformation` (0-based, as its ranges), or nothing when none. */
export function relatedJson(
  finding: Finding,
  files: readonly NamedFile[],
  cwd: string,
): { relatedInformation?: { path: string; message: string; range: Finding['range'] }[] } {
  if (!finding.related?.length) return {};
  return {
    relatedInformation: finding.related.map((related) => ({
      path: relatedFile(related, files, cwd).displayPath,
      message: related.message,
      range: {
        start: { line: related.range.start.line, character: related.range.start.character },
        end: { line: related.range.end.line, character: related.range.end.character },
      },
    })),
  };
}

/**
 * A SARIF result's `relatedLocations`, or nothing when none; `locate` gives a file's artifact
 * location (relative to %SRCROOT% as the results' own are).
 */
export function relatedSarif(
  finding: Finding,
  files: readonly NamedFile[],
  cwd: string,
  locate: (absolutePath: string) => sarif.ArtifactLocation,
): { relatedLocations?: sarif.Location[] } {
  if (!finding.related?.length) return {};
  return {
    relatedLocations: finding.related.map((related, id) => {
      const file = relatedFile(related, files, cwd);
      const artifactLocation: sarif.ArtifactLocation = file.absolutePath
        ? {
            ...locate(file.absolutePath),
            ...(file.index === undefined ? {} : { index: file.index }),
          }
        : { uri: related.uri };
      return {
        id,
        physicalLocation: {
          artifactLocation,
          region: {
            startLine: related.range.start.line + 1,
            startColumn: related.range.start.character + 1,
            endLine: related.range.end.line + 1,
            endColumn: related.range.end.character + 1,
          },
        },
        message: { text: related.message },
      };
    }),
  };
}
