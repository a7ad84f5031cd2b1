import {
  type JSONPath,
  type Node as JsonNode,
  type ParseError,
  ParseErrorCode,
  parseTree,
} from 'jsonc-parser';
import { fastParseTree } from './fastParse';
import type { Position, Range, TextDocumentLike } from './types';

export type { JsonNode };

/** Deeper nesting than this is refused before parsing: the recursive parser would overflow. */
export const MAX_NESTING_DEPTH = 256;
/** More syntax errors than this add nothing but noise. */
const MAX_SYNTAX_ERRORS = 50;

export interface SyntaxProblem {
  offset: number;
  length: number;
  message: string;
}

export interface StringProperty {
  value: string;
  /** The value node. */
  node: JsonNode;
}

export interface MappingEntry {
  index: number;
  node: JsonNode;
  /** The `source` value, when it is a string. */
  source?: StringProperty;
  /** The `target` value, when it is a string. */
  target?: StringProperty;
}

export interface AudienceEntry {
  index: number;
  node: JsonNode;
}

export interface ParseLimits {
  /** Files larger than this (in UTF-16 code units) skip parsing and the rules. */
  maxFileSize: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxFileSize: 10 * 1024 * 1024 };

/**
 * One parse of one document version. Every feature (validation, completion,
 * hover, code actions, symbols) reads this object; nothing reparses.
 */
export class DestinationDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly root: JsonNode | undefined;
  readonly syntaxErrors: SyntaxProblem[];
  /** Set when the file was not parsed at all, with the reason. */
  readonly notParsed: 'too-large' | 'binary' | 'too-deep' | undefined;
  /** The size limit this parse applied, so a settings change invalidates it. */
  readonly limits: number;
  private memo = new Map<string, unknown>();

  constructor(
    readonly textDocument: TextDocumentLike,
    limits: ParseLimits = DEFAULT_LIMITS,
  ) {
    this.uri = textDocument.uri;
    this.version = textDocument.version;
    this.text = textDocument.getText();
    this.limits = limits.maxFileSize;
    const { root, errors, notParsed } = parseText(this.text, limits);
    this.root = root;
    this.syntaxErrors = errors;
    this.notParsed = notParsed;
  }

  positionAt(offset: number): Position {
    return this.textDocument.positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.textDocument.offsetAt(position);
  }

  rangeOf(node: JsonNode): Range {
    return this.rangeOfOffsets(node.offset, node.offset + node.length);
  }

  rangeOfOffsets(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The root object, when the document is an object. */
  get rootObject(): JsonNode | undefined {
    return this.root?.type === 'object' ? this.root : undefined;
  }

  /** The property node (`key: value` pair) of a top-level key; the last one wins, as in JSON.parse. */
  property(name: string): JsonNode | undefined {
    return this.cached(`prop:${name}`, () => findProperty(this.rootObject, name));
  }

  /** The value node of a top-level key. */
  value(name: string): JsonNode | undefined {
    return this.property(name)?.children?.[1];
  }

  /** The key node of a top-level key. */
  key(name: string): JsonNode | undefined {
    return this.property(name)?.children?.[0];
  }

  /** The string value of a top-level key, or undefined when absent or not a string. */
  stringValue(name: string): StringProperty | undefined {
    return asStringProperty(this.value(name));
  }

  get mappings(): MappingEntry[] {
    return this.cached('mappings', () =>
      arrayItems(this.value('mappings')).map((node, index) => ({
        index,
        node,
        source: asStringProperty(findProperty(node, 'source')?.children?.[1]),
        target: asStringProperty(findProperty(node, 'target')?.children?.[1]),
      })),
    );
  }

  get audiences(): AudienceEntry[] {
    return this.cached('audiences', () =>
      arrayItems(this.value('audiences')).map((node, index) => ({ index, node })),
    );
  }

  /**
   * Every object, property and string node, gathered in one walk and shared by the
   * rules that look at the whole tree (duplicate keys, credentials).
   */
  get nodeIndex(): { objects: JsonNode[]; properties: JsonNode[]; strings: JsonNode[] } {
    return this.cached('nodeIndex', () => {
      const index = {
        objects: [] as JsonNode[],
        properties: [] as JsonNode[],
        strings: [] as JsonNode[],
      };
      const stack: JsonNode[] = this.root ? [this.root] : [];
      while (stack.length) {
        const node = stack.pop() as JsonNode;
        if (node.type === 'object') index.objects.push(node);
        else if (node.type === 'property') index.properties.push(node);
        else if (node.type === 'string') index.strings.push(node);
        const children = node.children;
        if (children)
          for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as JsonNode);
      }
      return index;
    });
  }

  /** The plain JavaScript value of the document (for schema validation), computed once. */
  get jsonValue(): unknown {
    return this.cached('value', () => (this.root ? nodeValue(this.root) : undefined));
  }

  /** Memoises a derived fact for the lifetime of this document version. */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}

export function findProperty(object: JsonNode | undefined, name: string): JsonNode | undefined {
  if (object?.type !== 'object' || !object.children) return undefined;
  let found: JsonNode | undefined;
  for (const property of object.children) {
    if (property.children?.[0]?.value === name) found = property;
  }
  return found;
}

export function propertyValue(object: JsonNode | undefined, name: string): JsonNode | undefined {
  return findProperty(object, name)?.children?.[1];
}

export function nodeAtPath(root: JsonNode | undefined, path: JSONPath): JsonNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number')
      node = node.type === 'array' ? node.children?.[segment] : undefined;
    else node = propertyValue(node, segment);
  }
  return node;
}

export function asStringProperty(node: JsonNode | undefined): StringProperty | undefined {
  return node?.type === 'string' && typeof node.value === 'string'
    ? { value: node.value, node }
    : undefined;
}

export function arrayItems(node: JsonNode | undefined): JsonNode[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

/**
 * The node's value as JSON.parse would give it, with null-prototype objects so
 * that `__proto__` and `constructor` keys are plain data.
 */
export function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) result[String(key.value)] = nodeValue(value);
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

interface ParseOutcome {
  root: JsonNode | undefined;
  errors: SyntaxProblem[];
  notParsed: DestinationDocument['notParsed'];
}

function parseText(raw: string, limits: ParseLimits): ParseOutcome {
  if (raw.length > limits.maxFileSize)
    return { root: undefined, errors: [], notParsed: 'too-large' };
  const nul = raw.indexOf('\u0000');
  if (nul >= 0) {
    return {
      root: undefined,
      notParsed: 'binary',
      errors: [
        { offset: nul, length: 1, message: 'The file contains NUL bytes: it is binary, not JSON.' },
      ],
    };
  }
  // A byte-order mark is legal at the start of a UTF-8 file; blank it so offsets stay put.
  const text = raw.charCodeAt(0) === 0xfeff ? ' ' + raw.slice(1) : raw;
  // Well-formed and not too deep: exactly parseTree's tree, built without recursion. Anything
  // irregular (syntax errors, deep nesting) takes the checks and jsonc-parser's recovery below.
  const fast = fastParseTree(text, MAX_NESTING_DEPTH);
  if (fast) return { root: fast, errors: [], notParsed: undefined };
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

function tooDeepOutcome(offset: number): ParseOutcome {
  return {
    root: undefined,
    notParsed: 'too-deep',
    errors: [
      {
        offset,
        length: 1,
        message: `Nesting is deeper than ${MAX_NESTING_DEPTH} levels; a destination config is never that deep.`,
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
  if (empty) return 'The file is empty: a destination config is a JSON object.';
  switch (code) {
    case ParseErrorCode.InvalidSymbol:
      return 'Invalid symbol: expected a JSON value, property name or punctuation.';
    case ParseErrorCode.InvalidNumberFormat:
      return 'Invalid number format.';
    case ParseErrorCode.PropertyNameExpected:
      return 'Property name expected (a double-quoted string).';
    case ParseErrorCode.ValueExpected:
      return 'Value expected.';
    case ParseErrorCode.ColonExpected:
      return 'Colon expected after the property name.';
    case ParseErrorCode.CommaExpected:
      return 'Comma expected.';
    case ParseErrorCode.CloseBraceExpected:
      return 'Closing brace `}` expected.';
    case ParseErrorCode.CloseBracketExpected:
      return 'Closing bracket `]` expected.';
    case ParseErrorCode.EndOfFileExpected:
      return 'End of file expected: only one JSON value is allowed.';
    case ParseErrorCode.InvalidCommentToken:
      return 'Invalid comment.';
    case ParseErrorCode.UnexpectedEndOfComment:
      return 'Unterminated block comment.';
    case ParseErrorCode.UnexpectedEndOfString:
      return 'Unterminated string.';
    case ParseErrorCode.UnexpectedEndOfNumber:
      return 'Unterminated number.';
    case ParseErrorCode.InvalidUnicode:
      return 'Invalid unicode escape sequence.';
    case ParseErrorCode.InvalidEscapeCharacter:
      return 'Invalid escape character in string.';
    case ParseErrorCode.InvalidCharacter:
      return 'Invalid character in string (control characters must be escaped).';
    default:
      return 'Invalid JSON.';
  }
}
