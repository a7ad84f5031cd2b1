/**
 * Text from a file or from Experience Platform as a webview shows it, before it is HTML-escaped.
 * Pure (no `vscode` import), for the webviews' HTML and the panels' titles.
 *
 * - Bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates,
 *   U+200E/U+200F/U+061C marks) are shown as their code point, `⟨U+202E⟩`: a name holding a
 *   right-to-left override cannot make the rest of a line read backwards. Right-to-left
 *   letters themselves are kept; the stylesheets isolate each value (`unicode-bidi: isolate`).
 * - A value longer than its limit is cut (never inside a surrogate pair) and says how much is
 *   left out; the stylesheets wrap what remains (`overflow-wrap: anywhere`).
 */

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Each bidirectional control as a visible `⟨U+XXXX⟩`. */
export function neutraliseBidi(value: string): string {
  return value.replace(
    BIDI_CONTROLS,
    (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}

/** At most `max` UTF-16 units of `value`, then `… (N more characters)`. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}… (${(value.length - end).toLocaleString('en-US')} more characters)`;
}

/** A value as shown: cut to `max`, its bidirectional controls made visible. */
export function shownValue(value: string, max: number): string {
  return neutraliseBidi(clip(value, max));
}
