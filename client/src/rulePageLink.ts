/**
 * Where a diagnostic's rule link points in the editor. The server links each finding to
 * `file:///…/docs/rules/<code>.md` (the CLI and SARIF print that link as it is); opened as
 * it is, VS Code shows that file as an editable text document. The client swaps it for the
 * same page under its own read-only scheme, which package.json associates with the Markdown
 * preview, so a click in the hover, the peek or the Problems panel shows the rendered page.
 *
 * Free of the `vscode` module so unit tests can load it.
 */

/** The scheme of the rule pages as the editor opens them (package.json's editorAssociations). */
export const RULE_PAGE_SCHEME = 'aep-destination-rule';

/** The rule pages' folder, the same path as in the package. */
export const RULE_PAGES_DIR = '/docs/rules/';

/** Only pages of this folder are served: a rule code or the index, never a path. */
const PAGE_NAME = /^[a-z0-9][a-z0-9-]*\.md$|^README\.md$/;

export interface UriParts {
  scheme: string;
  path: string;
}

/**
 * The path (under `RULE_PAGE_SCHEME`) that replaces a diagnostic's link, or undefined to
 * leave the link alone: only a `file:` link to the page of the diagnostic's own code is
 * the server's rule link.
 */
export function rulePageLinkPath(target: UriParts, code: string): string | undefined {
  if (target.scheme !== 'file') return undefined;
  const name = `${code}.md`;
  if (!PAGE_NAME.test(name) || !target.path.endsWith(`${RULE_PAGES_DIR}${name}`)) return undefined;
  return `${RULE_PAGES_DIR}${name}`;
}

/** The file name of the page a `RULE_PAGE_SCHEME` path shows, or undefined if it names none. */
export function rulePageFile(path: string): string | undefined {
  if (!path.startsWith(RULE_PAGES_DIR)) return undefined;
  const name = path.slice(RULE_PAGES_DIR.length);
  return PAGE_NAME.test(name) ? name : undefined;
}
