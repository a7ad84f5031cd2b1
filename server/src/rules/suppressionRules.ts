import * as l10n from '@vscode/l10n';
import { closest, distance } from 'fastest-levenshtein';
import type { DestinationDocument } from '../engine/document';
import {
  FILE_DIRECTIVE,
  NEXT_LINE_DIRECTIVE,
  type SuppressedCode,
  type SuppressionDirective,
  mayHoldDirectives,
  suppressionsOf,
} from '../engine/suppressions';
import type { Finding, FindingData, Range, TextEdit } from '../engine/types';
import type { FixProposal, RuleDefinition } from './ruleTypes';

export const UNUSED_SUPPRESSION = 'unused-suppression';
/** A text that is not JSON has no findings worth trusting, so its errors are never hidden. */
const UNSUPPRESSIBLE = new Set(['syntax', UNUSED_SUPPRESSION]);

/** Reported after the other rules, from their findings: see `applySuppressions`. */
export const unusedSuppressionRule: RuleDefinition = {
  code: UNUSED_SUPPRESSION,
  severity: 'warning',
  title: 'A suppression comment suppresses nothing',
  source:
    'domain.md, "The flow": mistakes are costly, so a suppression left behind must not hide the next one',
  check() {},
  fix({ doc, range, data }) {
    return unusedSuppressionFixes(doc, range, data);
  },
};

/** A finding hidden by one or more directives. */
export interface SuppressedFinding extends Finding {
  suppressions: { justification: string | undefined; range: Range }[];
}

export interface SuppressionOutcome {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

export interface SuppressionOptions {
  /** Every rule code there is; a directive naming another is reported. */
  knownCodes: ReadonlySet<string>;
  disabledRules: ReadonlySet<string> | undefined;
  href(code: string): string;
}

/**
 * Splits `findings` (sorted) into the shown and the suppressed, and adds an unused-suppression
 * finding for every code of a directive that hid nothing. Syntax errors are never hidden, and an
 * unused-suppression finding cannot be hidden by the comment it is about (or any other).
 */
export function applySuppressions(
  doc: DestinationDocument,
  findings: Finding[],
  options: SuppressionOptions,
): SuppressionOutcome {
  if (doc.notParsed || !mayHoldDirectives(doc)) return { findings, suppressed: [] };
  const directives = suppressionsOf(doc).directives;
  if (!directives.length) return { findings, suppressed: [] };
  const used = new Set<SuppressedCode>();
  const shown: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    // A finding located in another file (one the config names) is not this file's to hide.
    const elsewhere = 'uri' in finding && finding.uri !== doc.uri;
    const by = UNSUPPRESSIBLE.has(finding.code) || elsewhere ? [] : matching(directives, finding);
    if (!by.length) {
      shown.push(finding);
      continue;
    }
    for (const { code } of by) used.add(code);
    suppressed.push({
      ...finding,
      suppressions: by.map(({ directive }) => ({
        justification: directive.reason,
        range: doc.rangeOfOffsets(directive.start, directive.end),
      })),
    });
  }
  if (!options.disabledRules?.has(UNUSED_SUPPRESSION)) {
    // With a syntax error some rules may not have seen the text: "unused" would be a guess.
    const trustFindings = doc.syntaxErrors.length === 0;
    for (const directive of directives) {
      for (const finding of unusedFindings(doc, directive, used, options, trustFindings))
        shown.push(finding);
    }
    shown.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character,
    );
  }
  return { findings: shown, suppressed };
}

function matching(
  directives: readonly SuppressionDirective[],
  finding: Finding,
): { directive: SuppressionDirective; code: SuppressedCode }[] {
  const found: { directive: SuppressionDirective; code: SuppressedCode }[] = [];
  for (const directive of directives) {
    if (directive.problem) continue;
    if (directive.kind === 'next-line' && directive.line !== finding.range.start.line) continue;
    const code = directive.codes.find((c) => c.code === finding.code);
    if (code) found.push({ directive, code });
  }
  return found;
}

function unusedFindings(
  doc: DestinationDocument,
  directive: SuppressionDirective,
  used: ReadonlySet<SuppressedCode>,
  options: SuppressionOptions,
  trustFindings: boolean,
): Finding[] {
  const report = (start: number, end: number, message: string, data?: FindingData): Finding => ({
    code: UNUSED_SUPPRESSION,
    severity: unusedSuppressionRule.severity,
    message,
    range: doc.rangeOfOffsets(start, end),
    href: options.href(UNUSED_SUPPRESSION),
    ...(data ? { data } : {}),
  });
  const comment = (message: string): Finding[] => [report(directive.start, directive.end, message)];
  switch (directive.problem) {
    case 'unknown-directive':
      return comment(
        l10n.t(
          '"{0}" is not a directive, so this comment suppresses nothing. Write "{1} CODE" above a line, or "{2} CODE" at the top of the file.',
          directive.name,
          NEXT_LINE_DIRECTIVE,
          FILE_DIRECTIVE,
        ),
      );
    case 'no-codes':
      return comment(
        l10n.t(
          'This suppression names no rule code, so it suppresses nothing: write the codes after it, as in "{0} CODE -- reason".',
          directive.name,
        ),
      );
    case 'misplaced':
      return comment(
        l10n.t(
          '"{0}" suppresses for the whole file only before the opening brace; here it suppresses nothing. Move it to the top, or write "{1}" above the line.',
          FILE_DIRECTIVE,
          NEXT_LINE_DIRECTIVE,
        ),
      );
    case undefined:
      break;
  }
  const unused = directive.codes.flatMap((entry) => {
    const message = used.has(entry)
      ? undefined
      : unusedMessage(doc, directive, entry, options, trustFindings);
    return message ? [{ entry, message }] : [];
  });
  // When every code is unused the comment is the problem; otherwise the codes that are.
  const whole = unused.length === directive.codes.length;
  return unused.map(({ entry, message }) => {
    const near = nearestCode(entry.code, options);
    const [start, end] = whole ? [directive.start, directive.end] : [entry.start, entry.end];
    return report(start, end, message, near ? { replacements: [near] } : undefined);
  });
}

function unusedMessage(
  doc: DestinationDocument,
  directive: SuppressionDirective,
  { code }: SuppressedCode,
  options: SuppressionOptions,
  trustFindings: boolean,
): string | undefined {
  if (code === 'syntax')
    return l10n.t('Syntax errors cannot be suppressed: the text must be fixed.');
  if (code === UNUSED_SUPPRESSION)
    return l10n.t(
      '"{0}" cannot be suppressed by a comment; turn it off with the setting aepDestination.disabledRules or --disable.',
      UNUSED_SUPPRESSION,
    );
  if (!options.knownCodes.has(code)) {
    const near = nearestCode(code, options);
    return near
      ? l10n.t(
          '"{0}" is not a rule code, so it suppresses nothing. Did you mean "{1}"?',
          code,
          near,
        )
      : l10n.t('"{0}" is not a rule code, so it suppresses nothing.', code);
  }
  // A rule that is turned off reports nothing; its suppression is kept for when it is back on.
  if (options.disabledRules?.has(code) || !trustFindings) return undefined;
  if (directive.kind === 'file')
    return l10n.t('No "{0}" finding in this file: this suppression suppresses nothing.', code);
  return l10n.t(
    'No "{0}" finding on line {1}: this suppression suppresses nothing.',
    code,
    String((directive.line ?? doc.positionAt(directive.end).line + 1) + 1),
  );
}

function nearestCode(code: string, options: SuppressionOptions): string | undefined {
  if (options.knownCodes.has(code) || UNSUPPRESSIBLE.has(code)) return undefined;
  const codes = [...options.knownCodes].filter((c) => !UNSUPPRESSIBLE.has(c));
  const near = codes.length ? closest(code.toLowerCase(), codes) : undefined;
  return near && distance(code.toLowerCase(), near) <= 3 ? near : undefined;
}

/** Remove the comment (with its line when it is alone there), or just the one code, or retype it. */
function unusedSuppressionFixes(
  doc: DestinationDocument,
  range: Range,
  data: FindingData | undefined,
): FixProposal[] {
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const directive = suppressionsOf(doc).directives.find((d) => d.start <= start && end <= d.end);
  if (!directive) return [];
  const entry = directive.codes.find((c) => c.start === start && c.end === end);
  const proposals: FixProposal[] = [];
  const replacement = data?.replacements?.[0];
  const retyped = entry ?? (directive.codes.length === 1 ? directive.codes[0] : undefined);
  if (typeof replacement === 'string' && retyped && /^[a-z-]+$/.test(replacement)) {
    proposals.push({
      title: l10n.t('Change to "{0}"', replacement),
      edits: [{ range: doc.rangeOfOffsets(retyped.start, retyped.end), newText: replacement }],
      isPreferred: true,
    });
  }
  if (entry && directive.codes.length > 1) {
    proposals.push({
      title: l10n.t('Remove "{0}" from this suppression', entry.code),
      edits: [removeCodeEdit(doc, directive, entry)],
      ...(proposals.length ? {} : { isPreferred: true }),
    });
  } else if (start === directive.start && end === directive.end) {
    proposals.push({
      title: l10n.t('Remove this suppression comment'),
      edits: [removeCommentEdit(doc, directive)],
      ...(proposals.length ? {} : { isPreferred: true }),
    });
  }
  return proposals;
}

/** The code with the comma and blanks that join it to the previous code (or to the next one). */
function removeCodeEdit(
  doc: DestinationDocument,
  directive: SuppressionDirective,
  entry: SuppressedCode,
): TextEdit {
  const index = directive.codes.indexOf(entry);
  const previous = directive.codes[index - 1];
  const next = directive.codes[index + 1];
  const [start, end] = previous
    ? [previous.end, entry.end]
    : [entry.start, next ? next.start : entry.end];
  return { range: doc.rangeOfOffsets(start, end), newText: '' };
}

/** The comment; its whole line too when nothing else is on it, else the blanks before it. */
function removeCommentEdit(doc: DestinationDocument, directive: SuppressionDirective): TextEdit {
  const text = doc.text;
  let start = directive.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = directive.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const lineStart = start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r';
  const lineEnd = end === text.length || text[end] === '\n' || text[end] === '\r';
  if (lineStart && lineEnd && end < text.length) {
    end += text.startsWith('\r\n', end) ? 2 : 1;
  } else if (!lineEnd) {
    // Code follows on the line: it moves to where the comment began.
    start = directive.start;
  }
  return { range: doc.rangeOfOffsets(start, end), newText: '' };
}
