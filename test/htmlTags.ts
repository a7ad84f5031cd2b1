/**
 * The tags of a rendered webview page, read with a pattern (no HTML parser is a dependency):
 * what the hostile-value tests of every panel check for elements or attributes made of data.
 */
export interface HtmlTag {
  closing: boolean;
  /** Lower case. */
  name: string;
  /** Lower-case names → values (an attribute without a value maps to ''). */
  attributes: Map<string, string>;
  source: string;
}

export const TAG =
  /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Every tag of the document, closing ones too, in order. */
export function htmlTags(html: string): HtmlTag[] {
  return [...html.matchAll(TAG)].map((match) => {
    const attributes = new Map<string, string>();
    for (const a of (match[3] ?? '').matchAll(ATTRIBUTE)) {
      attributes.set(a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
    }
    return {
      closing: Boolean(match[1]),
      name: match[2]!.toLowerCase(),
      attributes,
      source: match[0],
    };
  });
}
