import {
  type JSONPath,
  type Node as JsonNode,
  ScanError,
  SyntaxKind,
  createScanner,
  getLocation,
} from 'jsonc-parser';
import { childIndexAt } from '../engine/treeReuse';

/** A span of the text, as offsets; completion replaces it. Never spans a line break. */
export interface Span {
  start: number;
  end: number;
}

interface Token {
  kind: SyntaxKind;
  start: number;
  end: number;
  /** Strings only: the closing quote is missing. */
  unterminated: boolean;
}

/** The cursor is where a property name goes. */
export interface KeySlot {
  kind: 'key';
  /** Path of the object the property goes into. */
  objectPath: JSONPath;
  /** What a completion replaces: the partial key (with its quotes) or the empty spot at the cursor. */
  span: Span;
  /** The span starts with a quote, so items filter on their quoted form. */
  quoted: boolean;
  /** A colon already follows the key: insert the name only. */
  hasColon: boolean;
  /** The previous value lacks its comma: insert one before the property. */
  commaBefore: boolean;
  /** Another property follows: insert a comma after the new one. */
  commaAfter: boolean;
}

/** The cursor is where a value goes (after `:`, or as an array item). */
export interface ValueSlot {
  kind: 'value';
  /** JSON path of the value (ends with an index inside an array). */
  path: JSONPath;
  span: Span;
  /** The span is a string literal (with its quotes). */
  inString: boolean;
  /** Inside a string: the raw text between the opening quote and the cursor. */
  typedInString: string;
  /** Inside a string: the span ends with the string's closing quote. */
  closed: boolean;
  /** Another property follows without a comma (value inserted into an empty slot). */
  commaAfter: boolean;
}

export type CursorSlot = KeySlot | ValueSlot;

const MAX_WORD = /^[^\s"',:{}[\]/]*/;

function isSignificant(kind: SyntaxKind): boolean {
  return (
    kind !== SyntaxKind.Trivia &&
    kind !== SyntaxKind.LineBreakTrivia &&
    kind !== SyntaxKind.LineCommentTrivia &&
    kind !== SyntaxKind.BlockCommentTrivia &&
    kind !== SyntaxKind.EOF
  );
}

function isComment(kind: SyntaxKind): boolean {
  return kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia;
}

/** Whether the cursor is inside the token (so completing edits that token). */
function contains(token: Token, offset: number, text: string): boolean {
  if (offset <= token.start) return false;
  switch (token.kind) {
    case SyntaxKind.StringLiteral:
      return token.unterminated ? offset <= token.end : offset < token.end;
    case SyntaxKind.LineCommentTrivia:
      return offset <= token.end;
    case SyntaxKind.BlockCommentTrivia:
      return (
        offset < token.end ||
        (offset === token.end && !text.slice(token.start, token.end).endsWith('*/'))
      );
    case SyntaxKind.Unknown:
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
      return offset <= token.end;
    default:
      return false;
  }
}

interface Surroundings {
  /** The token the cursor is in (a string, a bare word or a comment), if any. */
  current?: Token;
  /** The last significant token before the current one / the cursor. */
  previous?: Token;
  /** The first significant token after the current one / the cursor. */
  next?: Token;
}

function surroundings(text: string, offset: number, from: number): Surroundings {
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  const result: Surroundings = {};
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    const token: Token = {
      kind,
      start,
      end: start + scanner.getTokenLength(),
      unterminated:
        kind === SyntaxKind.StringLiteral &&
        scanner.getTokenError() === ScanError.UnexpectedEndOfString,
    };
    if (token.end < offset || (token.end === offset && !contains(token, offset, text))) {
      if (isSignificant(kind)) result.previous = token;
    } else if (!result.current && contains(token, offset, text)) {
      result.current = token;
    } else if (isSignificant(kind)) {
      result.next = token;
      break;
    }
  }
  return result;
}

function endsValue(kind: SyntaxKind): boolean {
  return (
    kind === SyntaxKind.StringLiteral ||
    kind === SyntaxKind.NumericLiteral ||
    kind === SyntaxKind.TrueKeyword ||
    kind === SyntaxKind.FalseKeyword ||
    kind === SyntaxKind.NullKeyword ||
    kind === SyntaxKind.Unknown ||
    kind === SyntaxKind.CloseBraceToken ||
    kind === SyntaxKind.CloseBracketToken
  );
}

/** Where the scan for a cursor may start, and the JSON path of what starts there. */
interface ScanStart {
  offset: number;
  /** Where the object or array that starts there ends (exclusive); -1 from the start. */
  end: number;
  path: JSONPath;
}

const FROM_THE_START: ScanStart = { offset: 0, end: -1, path: [] };

/**
 * The innermost object or array of `tree` whose brackets hold `offset` strictly inside, found
 * by binary search down the tree: the scan can start at its opening bracket. A token before
 * it is no part of the answer (the bracket itself is a significant token before the cursor),
 * and jsonc-parser's location inside it is the location inside its text, below its path.
 */
function scanStart(tree: JsonNode | undefined, offset: number): ScanStart {
  if (!tree || !isInside(tree, offset)) return FROM_THE_START;
  let container = tree;
  const path: JSONPath = [];
  for (;;) {
    const children = container.children ?? [];
    const index = childIndexAt(children, offset);
    const child = children[index];
    const value = container.type === 'object' ? child?.children?.[1] : child;
    if (!child || !value || !isInside(value, offset)) break;
    path.push(container.type === 'object' ? String(child.children?.[0]?.value) : index);
    container = value;
  }
  return { offset: container.offset, end: container.offset + container.length, path };
}

/** Whether `offset` is between the brackets of an object or array node. */
function isInside(node: JsonNode, offset: number): boolean {
  return (
    (node.type === 'object' || node.type === 'array') &&
    node.offset < offset &&
    offset < node.offset + node.length
  );
}

/**
 * Where the cursor is, in terms completion cares about: a key slot, a value slot,
 * or nowhere useful (inside a comment, right after a value, after a key without a
 * colon). Works on any text, valid or not.
 *
 * `tree`: the text's tree when it parsed without a syntax error. The text is then scanned
 * from the innermost object or array around the cursor instead of from its start, which in a
 * config of 50,000 mappings is the difference between a mapping's few tokens and megabytes.
 */
export function analyzeCursor(
  rawText: string,
  offset: number,
  tree?: JsonNode,
): CursorSlot | undefined {
  // Blank a byte-order mark as the document parse does, so offsets are unchanged.
  const text = rawText.charCodeAt(0) === 0xfeff ? ' ' + rawText.slice(1) : rawText;
  const start = scanStart(tree, offset);
  const { current, previous, next } = surroundings(text, offset, start.offset);
  if (current && isComment(current.kind)) return undefined;

  let span: Span = { start: offset, end: offset };
  let inString = false;
  let closed = false;
  if (current?.kind === SyntaxKind.StringLiteral) {
    inString = true;
    closed = !current.unterminated;
    const end = current.unterminated
      ? offset + (MAX_WORD.exec(text.slice(offset))?.[0].length ?? 0)
      : current.end;
    span = { start: current.start, end: Math.min(end, current.end) };
    // A backslash escapes even a line break, so a broken string can run on past the end of
    // its line; a completion edit must stay on the cursor's line: cut the string there.
    const lineBreak = text.slice(span.start, span.end).search(/[\r\n]/);
    if (lineBreak >= 0) {
      if (offset > span.start + lineBreak) return undefined;
      span.end = span.start + lineBreak;
      closed = false;
    }
  } else if (current) {
    span = { start: current.start, end: current.end };
  }

  const location =
    start.end < 0
      ? getLocation(text, offset)
      : getLocation(text.slice(start.offset, start.end), offset - start.offset);
  const path = start.path.length === 0 ? location.path : [...start.path, ...location.path];
  const last = path[path.length - 1];
  const key = (objectPath: JSONPath, commaBefore: boolean): KeySlot => ({
    kind: 'key',
    objectPath,
    span,
    quoted: inString,
    hasColon: next?.kind === SyntaxKind.ColonToken,
    commaBefore,
    commaAfter: next?.kind === SyntaxKind.StringLiteral,
  });
  const value = (valuePath: JSONPath): ValueSlot => ({
    kind: 'value',
    path: valuePath,
    span,
    inString,
    typedInString: inString ? text.slice(span.start + 1, offset) : '',
    closed,
    commaAfter: !inString && typeof last === 'string' && next?.kind === SyntaxKind.StringLiteral,
  });

  if (!previous) return path.length === 0 ? value([]) : undefined;
  switch (previous.kind) {
    case SyntaxKind.ColonToken:
      return value(path);
    case SyntaxKind.OpenBracketToken:
      return typeof last === 'number' ? value(path) : undefined;
    case SyntaxKind.OpenBraceToken:
      return typeof last === 'string' ? key(path.slice(0, -1), false) : undefined;
    case SyntaxKind.CommaToken:
      if (typeof last === 'number') return value(path);
      return typeof last === 'string' ? key(path.slice(0, -1), false) : undefined;
    default:
      break;
  }
  // After a complete value: only a new property (missing its comma) can start here,
  // and only after some white space (right after `"x"` the user is not typing a key).
  if (!endsValue(previous.kind) || span.start <= previous.end) return undefined;
  if (location.isAtPropertyKey && previous.kind === SyntaxKind.StringLiteral) return undefined; // a key without colon
  if (typeof last !== 'string') return undefined;
  return key(path.slice(0, -1), true);
}
