/**
 * The parse of one document version's text: the fast parser on well-formed text, jsonc-parser's
 * error-recovering parser otherwise, with the size, binary and nesting checks in front.
 */
import * as l10n from '@vscode/l10n';
import { type Node as JsonNode, type ParseError, ParseErrorCode, parseTree } from 'jsonc-parser';
import { type NodeIndex, fastParseTree } from './fastParse';

/** Deeper nesting than this is refused before parsing: the recursive parser would overflow. */
export const MAX_NESTING_DEPTH = 256;
/** More syntax errors than this add nothing but noise. */
const MAX_SYNTAX_ERRORS = 50;

export interface SyntaxProblem {
  offset: number;
  length: number;
  message: string;
}

export interface ParseLimits {
  /** Files larger than this (in UTF-16 code units) skip parsing and the rules. */
  maxFileSize: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxFileSize: 10 * 1024 * 1024 };

/** Why a file was not parsed at all. */
export type NotParsedReason = 'too-large' | 'binary' | 'too-deep' | undefined;

export interface ParseOutcome {
  root: JsonNode | undefined;
  errors: SyntaxProblem[];
  notParsed: NotParsedReason;
  /** The tree's objects, properties and strings, when the parser gathered them on the way. */
  index?: NodeIndex;
}

export function parseText(raw: string, limits: ParseLimits): ParseOutcome {
  if (raw.length > limits.maxFileSize)
    return { root: undefined, errors: [], notParsed: 'too-large' };
  const nul = raw.indexOf('\u0000');
  if (nul >= 0) {
    return {
      root: undefined,
      notParsed: 'binary',
      errors: [
        {
          offset: nul,
          length: 1,
          message: l10n.t('The file contains NUL bytes: it is binary, not JSON.'),
        },
      ],
    };
  }
  // A byte-order mark is legal at the start of a UTF-8 file; blank it so offsets stay put.
  const text = raw.charCodeAt(0) === 0xfeff ? ' ' + raw.slice(1) : raw;
  // Well-formed and not too deep: exactly parseTree's tree, built without recursion. Anything
  // irregular (syntax errors, deep nesting) takes the checks and jsonc-parser's recovery below.
  const index: NodeIndex = { objects: [], properties: [], stringValues: [] };
  const fast = fastParseTree(text, MAX_NESTING_DEPTH, index);
  if (fast) return { root: fast, errors: [], notParsed: undefined, index };
  const tooDeep = firstOffsetDeeperThan(text, MAX_NESTING_DEPTH);
  if (tooDeep >= 0) return tooDeepOutcome(tooDeep);
  const parseErrors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = parseTree(text, parseErrors, {
      allowTrailingComma: true,
      disallowComments: false,
      allowEmptyContent: false,
    });
  } catch (error) {
    // The parser recovers from stray closing brackets without leaving a level, so the bracket
    // count above can miss deep nesting; its recursion then overflows the stack.
    if (error instanceof RangeError) return tooDeepOutcome(0);
    throw error;
  }
  const deepNode = root ? firstNodeDeeperThan(root, MAX_NESTING_DEPTH) : -1;
  if (deepNode >= 0) return tooDeepOutcome(deepNode);
  const errors = parseErrors.slice(0, MAX_SYNTAX_ERRORS).map((error) => ({
    offset: error.offset,
    length: error.length,
    message: describeParseError(error.error, text.length === 0 || text.trim() === ''),
  }));
  return { root, errors, notParsed: undefined };
}

/**
 * The value of a text as JSON.parse gives it, or undefined when JSON.parse refuses the text
 * (comments, trailing commas, a byte-order mark: JSONC that is not JSON). For a text that
 * parsed without syntax errors it is the tree's value (`nodeValue` in document.ts: the last of
 * duplicate keys wins, `__proto__` an own property), made by V8's native parser at a tenth of
 * the time and none of the garbage of a walk over the tree.
 */
export function strictJsonValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function tooDeepOutcome(offset: number): ParseOutcome {
  return {
    root: undefined,
    notParsed: 'too-deep',
    errors: [
      {
        offset,
        length: 1,
        message: l10n.t(
          'Nesting is deeper than {0} levels; a destination config is never that deep.',
          MAX_NESTING_DEPTH,
        ),
      },
    ],
  };
}

/**
 * Offset of the first bracket that opens a level deeper than `limit`, or -1. Strings and
 * comments end where the parser's scanner ends them (a string at a line break, a line comment
 * at CR or LF); a stray closing bracket never takes the count below 0.
 */
function firstOffsetDeeperThan(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */ || c === 0x0a || c === 0x0d) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth--;
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (
        i + 1 < text.length &&
        text.charCodeAt(i + 1) !== 0x0a &&
        text.charCodeAt(i + 1) !== 0x0d
      )
        i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
    }
  }
  return -1;
}

/** Offset of a node nested deeper than `limit` in the parsed tree, or -1 (no recursion). */
function firstNodeDeeperThan(root: JsonNode, limit: number): number {
  const nodes: JsonNode[] = [root];
  const depths: number[] = [0];
  for (let node = nodes.pop(); node; node = nodes.pop()) {
    let depth = depths.pop() as number;
    if ((node.type === 'object' || node.type === 'array') && ++depth > limit) return node.offset;
    for (const child of node.children ?? []) {
      if (child.children) {
        nodes.push(child);
        depths.push(depth);
      }
    }
  }
  return -1;
}

function describeParseError(code: ParseErrorCode, empty: boolean): string {
  if (empty) return l10n.t('The file is empty: a destination config is a JSON object.');
  switch (code) {
    case ParseErrorCode.InvalidSymbol:
      return l10n.t('Invalid symbol: expected a JSON value, property name or punctuation.');
    case ParseErrorCode.InvalidNumberFormat:
      return l10n.t('Invalid number format.');
    case ParseErrorCode.PropertyNameExpected:
      return l10n.t('Property name expected (a double-quoted string).');
    case ParseErrorCode.ValueExpected:
      return l10n.t('Value expected.');
    case ParseErrorCode.ColonExpected:
      return l10n.t('Colon expected after the property name.');
    case ParseErrorCode.CommaExpected:
      return l10n.t('Comma expected.');
    case ParseErrorCode.CloseBraceExpected:
      return l10n.t('Closing brace `}` expected.');
    case ParseErrorCode.CloseBracketExpected:
      return l10n.t('Closing bracket `]` expected.');
    case ParseErrorCode.EndOfFileExpected:
      return l10n.t('End of file expected: only one JSON value is allowed.');
    case ParseErrorCode.InvalidCommentToken:
      return l10n.t('Invalid comment.');
    case ParseErrorCode.UnexpectedEndOfComment:
      return l10n.t('Unterminated block comment.');
    case ParseErrorCode.UnexpectedEndOfString:
      return l10n.t('Unterminated string.');
    case ParseErrorCode.UnexpectedEndOfNumber:
      return l10n.t('Unterminated number.');
    case ParseErrorCode.InvalidUnicode:
      return l10n.t('Invalid unicode escape sequence.');
    case ParseErrorCode.InvalidEscapeCharacter:
      return l10n.t('Invalid escape character in string.');
    case ParseErrorCode.InvalidCharacter:
      return l10n.t('Invalid character in string (control characters must be escaped).');
    default:
      return l10n.t('Invalid JSON.');
  }
}
