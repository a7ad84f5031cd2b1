import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const PACKAGE_NAME = 'aep-marketo-destination';

export interface PackageInfo {
  root: string;
  version: string;
  informationUri: string | undefined;
}

function readPackageJson(dir: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function informationUriOf(pkg: Record<string, unknown>): string | undefined {
  if (typeof pkg.homepage === 'string') return pkg.homepage;
  const repository = pkg.repository;
  const url =
    typeof repository === 'string'
      ? repository
      : typeof repository === 'object' && repository !== null && 'url' in repository
        ? repository.url
        : undefined;
  if (typeof url !== 'string' || !/^(git\+)?https?:\/\//.test(url)) return undefined;
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

let packageInfo: PackageInfo | undefined;

/**
 * The package root: the nearest directory above this module whose package.json
 * is this package. Bundled (`dist/cli`, `dist/server`) that is two levels up; run
 * from source through tsx, it is three levels above `server/src/<folder>`.
 */
export function findPackage(): PackageInfo {
  if (packageInfo) return packageInfo;
  let dir = __dirname;
  for (;;) {
    const pkg = readPackageJson(dir);
    if (pkg?.name === PACKAGE_NAME) {
      packageInfo = {
        root: dir,
        version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
        informationUri: informationUriOf(pkg),
      };
      return packageInfo;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  packageInfo = {
    root: path.resolve(__dirname, '..', '..'),
    version: '0.0.0',
    informationUri: undefined,
  };
  return packageInfo;
}

/** `file:///…/docs/rules/` of an installed copy of this package. */
export function docsBaseUriFor(packageRoot: string): string {
  return pathToFileURL(path.join(packageRoot, 'docs', 'rules') + path.sep).href;
}
