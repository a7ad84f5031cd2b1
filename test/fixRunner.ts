// Applying a quick fix as the editor does: validate, ask for the code actions of one finding,
// apply one, validate the result again; and the checks every fix must pass.
import assert from 'node:assert/strict';
import { parse, type ParseError } from 'jsonc-parser';
import type { FileHost } from '../server/src/engine/catalogLoader';
import type { CodeActionLike, DiagnosticRef, Finding } from '../server/src/engine/types';
import { NEXT_LINE_DIRECTIVE } from '../server/src/engine/suppressions';
import type { DestinationLanguageService } from '../server/src/languageService';
import { applyEdits, findingsOf, service, textDocument } from './helpers';

export interface FixRun {
  text: string;
  before: Finding[];
  finding: Finding;
  /** The rule's own fixes, without the *Suppress CODE on this line* every finding also offers. */
  actions: CodeActionLike<Finding>[];
  titles: string[];
  /** That suppression action (test/unit/suppressions.test.ts checks it), when offered. */
  suppression: CodeActionLike<Finding> | undefined;
  action: CodeActionLike<Finding>;
  result: string;
  after: Finding[];
}

export interface RunOptions {
  /** Which of the findings with that code (document order). */
  which?: number;
  /** Apply the action with this title (the suppression too) instead of the preferred one. */
  title?: string;
  uri?: string;
  host?: FileHost;
}

/** Validates, asks for the fixes of one finding, applies one (the preferred by default), re-validates. */
export function runFix(text: string, code: string, options: RunOptions = {}): FixRun {
  const svc = service(options.host);
  const doc = textDocument(text, options.uri);
  const before = svc.validate(doc);
  const found = findingsOf(before, code);
  const finding = found[options.which ?? 0];
  assert.ok(
    finding,
    `expected a ${code} finding, got ${JSON.stringify(before.map((f) => f.code))}`,
  );
  const offered = svc.codeActions(doc, finding.range, [finding]);
  const actions = ruleFixes(offered);
  const suppression = offered.find(isSuppression);
  const titles = actions.map((a) => a.title);
  let action: CodeActionLike<Finding> | undefined;
  if (options.title !== undefined) {
    action = offered.find((a) => a.title === options.title);
  } else {
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(
      preferred.length,
      1,
      `exactly one preferred action expected, got ${JSON.stringify(titles)}`,
    );
    action = preferred[0];
  }
  assert.ok(action, `no action to apply among ${JSON.stringify(titles)}`);
  assert.equal(action.kind, 'quickfix');
  assert.deepEqual(action.diagnostics, [finding]);
  assert.deepEqual(Object.keys(action.edit.changes), [doc.uri]);
  const result = applyEdits(text, action.edit.changes[doc.uri] ?? []);
  const after = service(options.host).validate(textDocument(result, options.uri));
  return { text, before, finding, actions, titles, suppression, action, result, after };
}

/**
 * Whether an action is the *Suppress CODE on this line* one: a single edit that writes a
 * next-line suppression comment, or adds `, CODE` to one. It hides a finding, it fixes nothing.
 */
export function isSuppression(action: CodeActionLike<DiagnosticRef>): boolean {
  const edits = Object.values(action.edit.changes).flat();
  const newText = edits[0]?.newText ?? '';
  return (
    edits.length === 1 &&
    (newText.includes(`// ${NEXT_LINE_DIRECTIVE} `) || /^, [a-z-]+$/.test(newText))
  );
}

/** The actions that are a rule's own fixes (everything but the suppression). */
export function ruleFixes<D extends DiagnosticRef>(
  actions: CodeActionLike<D>[],
): CodeActionLike<D>[] {
  return actions.filter((action) => !isSuppression(action));
}

/** The codes of the errors among the findings. */
export function errorCodes(findings: Finding[]): Set<string> {
  return new Set(findings.filter((f) => f.severity === 'error').map((f) => f.code));
}

/** (a) the code is gone, (b) the text still parses, (c) no new error code appeared. */
export function assertFixed(run: FixRun, code: string): void {
  assert.deepEqual(
    findingsOf(run.after, code),
    [],
    `${code} still reported after "${run.action.title}"`,
  );
  assertStillSound(run);
}

/**
 * The one fix offered for the `code` finding: its title, the text it gives, and a config without
 * any finding afterwards.
 */
export function assertSoleFix(
  text: string,
  code: string,
  fix: { title: string; result: string },
  options: RunOptions = {},
): FixRun {
  const run = runFix(text, code, options);
  assert.deepEqual(run.titles, [fix.title]);
  assert.equal(run.result, fix.result);
  assertFixed(run, code);
  assert.deepEqual(run.after, []);
  return run;
}

export function assertStillSound(run: FixRun): void {
  assert.deepEqual(findingsOf(run.after, 'syntax'), [], `the fix broke the syntax:\n${run.result}`);
  const errors: ParseError[] = [];
  parse(run.result, errors, { allowTrailingComma: true });
  assert.deepEqual(errors, []);
  const before = errorCodes(run.before);
  const added = [...errorCodes(run.after)].filter((c) => !before.has(c));
  assert.deepEqual(added, [], `new errors after "${run.action.title}":\n${run.result}`);
}

/** The titles of the fixes offered for one finding, without applying any. */
export function fixTitles(text: string, code: string, which = 0): string[] {
  const svc = service();
  const doc = textDocument(text);
  const finding = findingsOf(svc.validate(doc), code)[which];
  assert.ok(finding, `expected a ${code} finding`);
  return ruleFixes(svc.codeActions(doc, finding.range, [finding])).map((a) => a.title);
}

/** The service, whose code actions leave out the suppression: for tests of the rules' own fixes. */
export function withoutSuppression(svc: DestinationLanguageService): DestinationLanguageService {
  const codeActions = svc.codeActions.bind(svc);
  svc.codeActions = (doc, range, diagnostics) => ruleFixes(codeActions(doc, range, diagnostics));
  return svc;
}
