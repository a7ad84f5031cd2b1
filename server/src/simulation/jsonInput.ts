/**
 * JSON and NDJSON inputs: parsing with JSON.parse, locating syntax errors by line,
 * and finding the line of every record (lazily, with one scan of the text, since
 * JSON.parse gives no positions).
 */
import {
  ParseErrorCode,
  ScanError,
  SyntaxKind,
  createScanner,
  printParseErrorCode,
  visit,
} from 'jsonc-parser';
import { SimulationInputError } from './types';

export type JsonObject = Record<string, unknown>;

export interface ObjectList {
  objects: JsonObject[];
  /** The 1-based line where record `index` starts. */
  lineOf: (index: number) => number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toString(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** JSON shapes a caller accepts beyond an array and a `result` array. */
export interface JsonShapes {
  /**
   * A Profile access API answer, `{<entityId>: {entityId, entity, …}, …}`
   * (`POST /data/core/ups/access/entities`): its values are the records.
   */
  entityMap?: boolean;
}

/** Whether `value` is a Profile access API answer: every value an object with an `entity`. */
function isEntityMap(value: JsonObject): boolean {
  let any = false;
  for (const key in value) {
    const entry = value[key];
    if (!isJsonObject(entry) || !isJsonObject(entry.entity)) return false;
    any = true;
  }
  return any;
}

/** Lines of the keys of a top-level object, found in order (1 when a key is written escaped). */
function keyLines(text: string, keys: string[]): Int32Array {
  const offsets: number[] = [];
  let from = 0;
  for (const key of keys) {
    const at = text.indexOf(JSON.stringify(key), from);
    offsets.push(at === -1 ? from : at);
    if (at !== -1) from = at + 1;
  }
  return offsetsToLines(text, offsets);
}

/**
 * Parses a JSON array of records, or an object with a `result` array (Marketo's REST
 * responses), or, when `shapes.entityMap`, a Profile access API answer. Every record
 * must be an object.
 */
export function parseJsonRecords(text: string, file: string, shapes: JsonShapes = {}): ObjectList {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(text, file, error, 0);
  }
  let array: unknown[];
  let arrayStart: number;
  if (Array.isArray(value)) {
    array = value;
    arrayStart = text.indexOf('[');
  } else if (isJsonObject(value) && Array.isArray(value.result)) {
    array = value.result;
    arrayStart = topLevelValueOffset(text, 'result');
  } else if (isJsonObject(value) && value.success === false) {
    // A Marketo error answer ({"success": false, "errors": [{code, message}]}) saved by mistake.
    const errors = Array.isArray(value.errors) ? value.errors : [];
    const first: unknown = errors[0];
    const what = isJsonObject(first)
      ? `${toString(first.code)} ${toString(first.message)}`.trim()
      : 'no error given';
    throw new SimulationInputError(
      file,
      1,
      `a failed Marketo answer ("success": false: ${what}), not records`,
    );
  } else if (shapes.entityMap && isJsonObject(value) && isEntityMap(value)) {
    const keys = Object.keys(value);
    const lines = keyLines(text, keys);
    return {
      objects: keys.map((key) => value[key] as JsonObject),
      lineOf: (index) => lines[index] ?? 1,
    };
  } else {
    throw new SimulationInputError(
      file,
      1,
      `expected a JSON array of records (or an object with a "result" array${shapes.entityMap ? ', or a Profile access API answer' : ''}), found ${describeValue(value)}`,
    );
  }
  let lines: Int32Array | undefined;
  const lineOf = (index: number): number => {
    lines ??= offsetsToLines(text, elementOffsets(text, arrayStart));
    return lines[index] ?? 1;
  };
  for (let i = 0; i < array.length; i++) {
    if (!isJsonObject(array[i])) {
      throw new SimulationInputError(
        file,
        lineOf(i),
        `record ${i + 1} is ${describeValue(array[i])}, not an object`,
      );
    }
  }
  return { objects: array as JsonObject[], lineOf };
}

/**
 * Parses NDJSON: one object a line, blank lines ignored. The fast path parses all
 * lines as one array; it is trusted only when every line looks like one object and
 * the counts agree, otherwise the lines are parsed one by one to name the bad one.
 */
export function parseNdjsonRecords(text: string, file: string): ObjectList {
  const rawLines = text.split('\n');
  const kept: string[] = [];
  const lines: number[] = [];
  let shaped = true;
  for (let i = 0; i < rawLines.length; i++) {
    const s = (rawLines[i] as string).trim();
    if (s.length === 0) continue;
    if (s.charCodeAt(0) !== OPEN_BRACE || s.charCodeAt(s.length - 1) !== CLOSE_BRACE)
      shaped = false;
    kept.push(s);
    lines.push(i + 1);
  }
  if (shaped) {
    try {
      const all: unknown = JSON.parse(`[${kept.join(',\n')}]`);
      if (Array.isArray(all) && all.length === kept.length && all.every(isJsonObject)) {
        return { objects: all, lineOf: (index) => lines[index] ?? 1 };
      }
    } catch {
      // located below, line by line
    }
  }
  const objects: JsonObject[] = [];
  for (let k = 0; k < kept.length; k++) {
    const line = lines[k] as number;
    let value: unknown;
    try {
      value = JSON.parse(kept[k] as string);
    } catch (error) {
      throw jsonSyntaxError(kept[k] as string, file, error, line - 1);
    }
    if (!isJsonObject(value)) {
      throw new SimulationInputError(
        file,
        line,
        `expected one JSON object a line, found ${describeValue(value)}`,
      );
    }
    objects.push(value);
  }
  return { objects, lineOf: (index) => lines[index] ?? 1 };
}

/** A SimulationInputError at the first syntax error of `text`, found with jsonc-parser. */
function jsonSyntaxError(
  text: string,
  file: string,
  error: unknown,
  lineOffset: number,
): SimulationInputError {
  const v8 = error instanceof Error ? error.message : String(error);
  let found: { code: ParseErrorCode; line: number; column: number } | undefined;
  try {
    visit(
      text,
      {
        onError(code, _offset, _length, startLine, startCharacter) {
          found ??= { code, line: startLine + 1, column: startCharacter + 1 };
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (visitError) {
    // visit recurses per nesting level: very deep input overflows the stack. Locate the
    // error by matching brackets instead, without recursion.
    if (!(visitError instanceof RangeError)) throw visitError;
    found ??= firstBracketError(text);
  }
  const what = cleanV8Message(v8);
  if (found) {
    const detail = what || printParseErrorCode(found.code);
    return new SimulationInputError(
      file,
      found.line + lineOffset,
      `malformed JSON: ${detail} (column ${found.column})`,
    );
  }
  const position = /at position (\d+)/.exec(v8);
  const line = position ? lineAt(text, Number(position[1])) : 1;
  return new SimulationInputError(file, line + lineOffset, `malformed JSON: ${what || v8}`);
}

/**
 * The first structural error by bracket matching alone (a closer that does not match, a bad
 * token, an unclosed bracket at the end): for input too deep for `visit`.
 */
function firstBracketError(
  text: string,
): { code: ParseErrorCode; line: number; column: number } | undefined {
  const scanner = createScanner(text, true);
  const open: SyntaxKind[] = [];
  for (let kind = scanner.scan(); ; kind = scanner.scan()) {
    const at = () => ({
      line: scanner.getTokenStartLine() + 1,
      column: scanner.getTokenStartCharacter() + 1,
    });
    if (scanner.getTokenError() !== ScanError.None || kind === SyntaxKind.Unknown)
      return { code: ParseErrorCode.InvalidSymbol, ...at() };
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) open.push(kind);
    else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      const opener = open.pop();
      const expected =
        opener === SyntaxKind.OpenBraceToken
          ? SyntaxKind.CloseBraceToken
          : SyntaxKind.CloseBracketToken;
      if (opener === undefined || kind !== expected) {
        const code =
          expected === SyntaxKind.CloseBraceToken
            ? ParseErrorCode.CloseBraceExpected
            : ParseErrorCode.CloseBracketExpected;
        return { code, ...at() };
      }
    } else if (kind === SyntaxKind.EOF) {
      return open.length ? { code: ParseErrorCode.ValueExpected, ...at() } : undefined;
    }
  }
}

/** V8's message without the position and the quoted copy of the input. */
function cleanV8Message(message: string): string {
  return message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .trim();
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  let i = text.indexOf('\n');
  while (i !== -1 && i < offset) {
    line++;
    i = text.indexOf('\n', i + 1);
  }
  return line;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Offset of the closing quote of the string opening at `start`. */
function endOfString(text: string, start: number): number {
  let q = text.indexOf('"', start + 1);
  while (q !== -1) {
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}

/** Start offsets of the elements of the array opening at `arrayStart` (valid JSON assumed). */
function elementOffsets(text: string, arrayStart: number): number[] {
  const out: number[] = [];
  let depth = 0;
  let expecting = true;
  for (let i = arrayStart + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (depth === 0) {
      if (c === COMMA) {
        expecting = true;
        continue;
      }
      if (c === CLOSE_BRACKET) break;
      if (expecting) {
        out.push(i);
        expecting = false;
      }
    }
    if (c === QUOTE) i = endOfString(text, i);
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return out;
}

/** Offset of the value of `key` in the top-level object of `text` (valid JSON assumed). */
function topLevelValueOffset(text: string, key: string): number {
  let depth = 0;
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = endOfString(text, i);
      if (depth === 1 && expectingKey) {
        expectingKey = false;
        if (JSON.parse(text.slice(i, end + 1)) === key) {
          let j = end + 1;
          while (j < text.length && (isSpace(text.charCodeAt(j)) || text[j] === ':')) j++;
          return j;
        }
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth === 1) expectingKey = true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA && depth === 1) {
      expectingKey = true;
    }
  }
  return 0;
}

/** 1-based lines of ascending offsets. */
function offsetsToLines(text: string, offsets: number[]): Int32Array {
  const lines = new Int32Array(offsets.length);
  let line = 1;
  let nl = text.indexOf('\n');
  for (let k = 0; k < offsets.length; k++) {
    const offset = offsets[k] as number;
    while (nl !== -1 && nl < offset) {
      line++;
      nl = text.indexOf('\n', nl + 1);
    }
    lines[k] = line;
  }
  return lines;
}
