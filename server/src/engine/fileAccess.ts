/**
 * Which files a config may make the editor read. A config is data from someone else (a pull
 * request, a colleague's repository): opening it must not read a file its user did not choose.
 * In an untrusted workspace nothing a config names is read; in a trusted one only files inside
 * the workspace folders (after following symbolic links) are. The CLI has no policy: it reads
 * what its user points it at.
 */
import * as path from 'node:path';

export interface FileAccessPolicy {
  /** VS Code's workspace trust: false in Restricted Mode. */
  trusted: boolean;
  /** Absolute paths of the workspace folders; none when a lone file is open. */
  workspaceFolders: readonly string[];
}

export type AccessDecision =
  | { allowed: true; absolute: string }
  | { allowed: false; reason: 'untrusted'; absolute: string }
  | { allowed: false; reason: 'outsideWorkspace'; absolute: string; roots: readonly string[] };

/** What the check needs of the file system: symbolic links resolved (a test passes its own). */
export type RealPath = (absolute: string) => string | undefined;

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * May `relative`, named by a config in `configDir`, be read? With no workspace folder the
 * config's own directory is the root: a lone file may read beside itself, not above.
 */
export function decideAccess(
  policy: FileAccessPolicy | undefined,
  configDir: string,
  relative: string,
  realPath: RealPath,
): AccessDecision {
  const absolute = path.resolve(configDir, relative);
  if (!policy) return { allowed: true, absolute };
  if (!policy.trusted) return { allowed: false, reason: 'untrusted', absolute };
  const roots = policy.workspaceFolders.length ? policy.workspaceFolders : [configDir];
  // A link inside the folder may point anywhere: what counts is where it leads. A file that
  // does not exist yet is judged by its path (reading it will fail on its own).
  const real = realPath(absolute) ?? absolute;
  const realRoots = roots.map((root) => realPath(root) ?? root);
  if (realRoots.some((root) => isInside(root, real))) return { allowed: true, absolute };
  return { allowed: false, reason: 'outsideWorkspace', absolute, roots };
}
