/**
 * The scanning half of the fast parser (fastParse.ts): where a token ends and what a string
 * holds, exactly as jsonc-parser's scanner reads it (the rules are listed in fastParse.ts),
 * with no token objects: positions in, positions out.
 */

export const QUOTE = 34;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
export const COMMA = 44;
export const COLON = 58;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** The unescaped value of the last string `escapedStringEnd` scanned. */
let escapedValue = '';

/** The value `escapedStringEnd` last unescaped, handed over once (no text stays referenced). */
export function takeEscapedValue(): string {
  const value = escapedValue;
  escapedValue = '';
  return value;
}

/**
 * The position of the first token at or after `pos` (or `text.length` at the end), skipping
 * whitespace and comments as jsonc-parser's scanner does; -1 at an unclosed block comment or
 * a lone `/` (both syntax errors).
 */
export function skipTrivia(text: string, pos: number, len: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      pos++;
    } else if (c === SLASH) {
      const next = text.charCodeAt(pos + 1);
      if (next === SLASH) {
        pos += 2;
        while (pos < len) {
          const d = text.charCodeAt(pos);
          if (d === 10 || d === 13) break;
          pos++;
        }
      } else if (next === STAR) {
        const close = text.indexOf('*/', pos + 2);
        if (close < 0) return -1;
        pos = close + 2;
      } else {
        return -1;
      }
    } else {
      return pos;
    }
  }
}

/**
 * The index of the closing quote of the string whose content starts at `from`, when that
 * content is plain: no backslash, no character below U+0020 (which jsonc-parser reports as an
 * error). -1 otherwise, and at the end of the text: the caller then tries `escapedStringEnd`.
 */
export function plainStringEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    // `!(c >= 32)` is also true for NaN, past the end of the text.
    if (!(c >= 32) || c === BACKSLASH) return -1;
    i++;
  }
}

/** The value of one hex digit, or -1. */
function hexDigit(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 65 && c <= 70) return c - 55; // A-F
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

/**
 * The index of the closing quote of the string whose content starts at `from`, unescaping it
 * exactly as jsonc-parser's scanner does into `escapedValue`; -1 at anything the scanner
 * reports as an error (a control character, an unknown escape, `\u` without four hex digits,
 * the end of the text).
 */
export function escapedStringEnd(text: string, from: number): number {
  let result = '';
  let start = from;
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      escapedValue = result + text.substring(start, i);
      return i;
    }
    if (c === BACKSLASH) {
      result += text.substring(start, i);
      const e = text.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case QUOTE:
          result += '"';
          break;
        case BACKSLASH:
          result += '\\';
          break;
        case SLASH:
          result += '/';
          break;
        case 98: // b
          result += '\b';
          break;
        case 102: // f
          result += '\f';
          break;
        case 110: // n
          result += '\n';
          break;
        case 114: // r
          result += '\r';
          break;
        case 116: // t
          result += '\t';
          break;
        case 117: {
          // u, then exactly four hex digits
          const h0 = hexDigit(text.charCodeAt(i));
          const h1 = hexDigit(text.charCodeAt(i + 1));
          const h2 = hexDigit(text.charCodeAt(i + 2));
          const h3 = hexDigit(text.charCodeAt(i + 3));
          if (h0 < 0 || h1 < 0 || h2 < 0 || h3 < 0) return -1;
          result += String.fromCharCode((h0 << 12) | (h1 << 8) | (h2 << 4) | h3);
          i += 4;
          break;
        }
        default:
          return -1;
      }
      start = i;
    } else if (!(c >= 32)) {
      return -1; // a control character (an error in jsonc-parser) or the end of the text
    } else {
      i++;
    }
  }
}

/** The end of the number token starting at `pos` (a digit or `-`), or -1 when malformed. */
export function numberEnd(text: string, pos: number): number {
  let i = pos;
  let c = text.charCodeAt(i);
  if (c === MINUS) c = text.charCodeAt(++i);
  if (c === ZERO) {
    i++;
  } else if (c > ZERO && c <= NINE) {
    do c = text.charCodeAt(++i);
    while (c >= ZERO && c <= NINE);
  } else {
    return -1;
  }
  c = text.charCodeAt(i);
  if (c === DOT) {
    c = text.charCodeAt(++i);
    if (!(c >= ZERO && c <= NINE)) return -1;
    do c = text.charCodeAt(++i);
    while (c >= ZERO && c <= NINE);
  }
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++i);
    if (c === PLUS || c === MINUS) c = text.charCodeAt(++i);
    if (!(c >= ZERO && c <= NINE)) return -1;
    do c = text.charCodeAt(++i);
    while (c >= ZERO && c <= NINE);
  }
  return i;
}

/**
 * The keys this parse has seen, by length and first character: keys repeat (every mapping has
 * a "source" and a "target"), and one string for all of them saves an allocation per key and a
 * hash per key in the rules' lookups. Made per parse and dropped after it, so it never keeps a
 * text alive (a long key is a slice of the text).
 */
let keyCache: (string | undefined)[] = [];

/** Starts a parse's key cache (`knownKey`). */
export function startKeyCache(): void {
  keyCache = new Array<string | undefined>(256);
}

/** Drops the key cache after a parse, with the slices of its text it holds. */
export function dropKeyCache(): void {
  keyCache = [];
}

/** The plain key `text[from, end)`: the string seen before, or a new one remembered. */
export function knownKey(text: string, from: number, end: number): string {
  const length = end - from;
  const slot = (length * 31 + text.charCodeAt(from)) & 255;
  const seen = keyCache[slot];
  if (seen !== undefined && seen.length === length && text.startsWith(seen, from)) return seen;
  const key = text.substring(from, end);
  keyCache[slot] = key;
  return key;
}
