// The message keys of the product and the state of their translations.
//
// Every `l10n.t('…')` / `vscode.l10n.t('…')` call in server/src, common and client is read with
// the TypeScript compiler (never a regex: a key spans lines, holds quotes and backslashes), and
// compared with l10n/bundle.l10n.<locale>.json; package.json's %key% placeholders with the
// package.nls files. test/unit/l10n.test.ts fails on what this prints.
//
// The schema's texts (schemas/*.schema.json: titles hover shows, descriptions, enum and snippet
// descriptions) are compared with l10n/schema.l10n.<locale>.json, keyed by the English text;
// test/unit/l10n.schema.test.ts fails on what this prints of them.
//
//   node --import tsx scripts/l10nKeys.ts            # missing / unused keys per locale
//   node --import tsx scripts/l10nKeys.ts --stub sv  # a JSON object of sv's missing keys, English
//                                                    # as the value, to translate and merge in
//   node --import tsx scripts/l10nKeys.ts --schema-stub sv  # the same for the schema's texts
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import ts from 'typescript';

export const REPO = path.resolve(__dirname, '..');
/** VS Code's ids for the display languages the product speaks besides English. */
export const LOCALES = ['sv', 'fr', 'es', 'zh-tw'] as const;
export type Locale = (typeof LOCALES)[number];

export interface KeyUse {
  key: string;
  /** `file:line`, repo-relative. */
  where: string;
}

export interface KeyScan {
  uses: KeyUse[];
  /** Calls whose first argument is not a literal: no bundle can hold their text. */
  nonLiteral: string[];
}

const SOURCE_GLOBS = ['server/src/**/*.ts', 'common/**/*.ts', 'client/**/*.ts'];

/** `l10n.t(…)` or `vscode.l10n.t(…)`: the callee ends in `l10n.t`. */
function isTranslateCall(node: ts.CallExpression): boolean {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const owner = callee.expression;
  return (
    (ts.isIdentifier(owner) && owner.text === 'l10n') ||
    (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n')
  );
}

export function scanSources(repo: string = REPO): KeyScan {
  const uses: KeyUse[] = [];
  const nonLiteral: string[] = [];
  const files = fg.sync(SOURCE_GLOBS, { cwd: repo, ignore: ['**/node_modules/**'] }).sort();
  for (const file of files) {
    const text = readFileSync(path.join(repo, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isTranslateCall(node)) {
        const first = node.arguments[0];
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        const where = `${file}:${line}`;
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)))
          uses.push({ key: first.text, where });
        else nonLiteral.push(`${where}: ${node.getText(source).slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { uses, nonLiteral };
}

export function bundlePath(locale: Locale, repo: string = REPO): string {
  return path.join(repo, 'l10n', `bundle.l10n.${locale}.json`);
}

export function readBundle(locale: Locale, repo: string = REPO): Record<string, string> {
  const file = bundlePath(locale, repo);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** `{0}`, `{1}`…, sorted: a translation must use exactly the placeholders of its key. */
export function placeholders(text: string): string[] {
  return [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
}

export interface LocaleReport {
  locale: Locale;
  missing: KeyUse[];
  unused: string[];
  /** Translations whose placeholders differ from the key's. */
  placeholderMismatch: string[];
}

export function compareBundle(locale: Locale, scan: KeyScan, repo: string = REPO): LocaleReport {
  const bundle = readBundle(locale, repo);
  const used = new Set(scan.uses.map((u) => u.key));
  const seen = new Set<string>();
  const missing = scan.uses.filter((u) => {
    if (seen.has(u.key) || typeof bundle[u.key] === 'string') return false;
    seen.add(u.key);
    return true;
  });
  const unused = Object.keys(bundle).filter((key) => !used.has(key));
  const placeholderMismatch = Object.entries(bundle)
    .filter(
      ([key, value]) => used.has(key) && placeholders(key).join() !== placeholders(value).join(),
    )
    .map(([key, value]) => `${JSON.stringify(key)} → ${JSON.stringify(value)}`);
  return { locale, missing, unused, placeholderMismatch };
}

/** One text of a schema the user can be shown, and where it is. */
export interface SchemaText {
  text: string;
  /** `schemas/destination.schema.json#/properties/dedupeField/description`. */
  pointer: string;
}

const SCHEMA_GLOBS = ['schemas/*.schema.json'];

function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Every text of the schemas that hover and completion can show: `description`,
 * `markdownDescription`, `enumDescriptions`, `markdownEnumDescriptions`, the defaultSnippets'
 * `description`, and a `title` where the hover puts it in front of a description that does not
 * start with its own bold title (services/knowledgeText.ts, propertyMarkdown). Not `examples`,
 * enum values or snippet bodies: those are JSON the user writes.
 */
export function schemaTexts(repo: string = REPO): SchemaText[] {
  const out: SchemaText[] = [];
  for (const file of fg.sync(SCHEMA_GLOBS, { cwd: repo }).sort()) {
    const root = JSON.parse(readFileSync(path.join(repo, file), 'utf8')) as unknown;
    const visit = (node: unknown, pointer: string): void => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => visit(child, `${pointer}/${i}`));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      const add = (where: (string | number)[], value: unknown): void => {
        if (typeof value === 'string' && value.trim())
          out.push({
            text: value,
            pointer: `${file}#${pointer}/${where.map(escapePointer).join('/')}`,
          });
      };
      add(['description'], record.description);
      add(['markdownDescription'], record.markdownDescription);
      const body = record.markdownDescription ?? record.description;
      if (typeof record.title === 'string' && !(typeof body === 'string' && body.startsWith('**')))
        add(['title'], record.title);
      for (const key of ['enumDescriptions', 'markdownEnumDescriptions']) {
        const list = record[key];
        if (Array.isArray(list)) list.forEach((value, i) => add([key, i], value));
      }
      const snippets = record.defaultSnippets;
      if (Array.isArray(snippets))
        snippets.forEach((snippet, i) => {
          if (snippet && typeof snippet === 'object')
            add(
              ['defaultSnippets', i, 'description'],
              (snippet as Record<string, unknown>).description,
            );
        });
      for (const key of ['properties', 'items', 'additionalProperties']) {
        const child = record[key];
        if (key === 'properties' && child && typeof child === 'object' && !Array.isArray(child)) {
          for (const [name, sub] of Object.entries(child as Record<string, unknown>))
            visit(sub, `${pointer}/properties/${escapePointer(name)}`);
        } else if (key !== 'properties') visit(child, `${pointer}/${key}`);
      }
    };
    visit(root, '');
  }
  return out;
}

export function schemaBundlePath(locale: Locale, repo: string = REPO): string {
  return path.join(repo, 'l10n', `schema.l10n.${locale}.json`);
}

export function readSchemaBundle(locale: Locale, repo: string = REPO): Record<string, string> {
  const file = schemaBundlePath(locale, repo);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** The inline code spans (`…`) of a Markdown text, sorted: a translation keeps them all. */
export function codeSpans(text: string): string[] {
  return (text.match(/`[^`\n]+`/g) ?? []).sort();
}

export interface SchemaLocaleReport {
  locale: Locale;
  /** The first place of each English text the bundle lacks. */
  missing: SchemaText[];
  /** Keys no schema text has. */
  unused: string[];
  /** Translations whose inline code spans differ from the English text's. */
  codeMismatch: string[];
}

export function compareSchemaBundle(
  locale: Locale,
  texts: SchemaText[] = schemaTexts(),
  repo: string = REPO,
): SchemaLocaleReport {
  const bundle = readSchemaBundle(locale, repo);
  const known = new Set(texts.map((t) => t.text));
  const seen = new Set<string>();
  const missing = texts.filter((t) => {
    if (seen.has(t.text) || typeof bundle[t.text] === 'string') return false;
    seen.add(t.text);
    return true;
  });
  const unused = Object.keys(bundle).filter((key) => !known.has(key));
  const codeMismatch = texts
    .filter((t, i) => texts.findIndex((u) => u.text === t.text) === i)
    .filter((t) => {
      const value = bundle[t.text];
      return (
        typeof value === 'string' && codeSpans(value).join('\n') !== codeSpans(t.text).join('\n')
      );
    })
    .map(
      (t) =>
        `${t.pointer}: ${JSON.stringify(codeSpans(t.text))} → ${JSON.stringify(codeSpans(bundle[t.text] ?? ''))}`,
    );
  return { locale, missing, unused, codeMismatch };
}

/** package.json's `%key%` placeholders with no entry in a package.nls file. */
export function missingNlsKeys(repo: string = REPO): { file: string; missing: string[] }[] {
  const manifest = readFileSync(path.join(repo, 'package.json'), 'utf8');
  const keys = [...new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] as string))];
  return ['package.nls.json', ...LOCALES.map((l) => `package.nls.${l}.json`)].map((file) => {
    const full = path.join(repo, file);
    const nls = existsSync(full)
      ? (JSON.parse(readFileSync(full, 'utf8')) as Record<string, string>)
      : {};
    return { file, missing: keys.filter((key) => typeof nls[key] !== 'string') };
  });
}

function main(args: string[]): number {
  const scan = scanSources();
  const stub = args.indexOf('--stub');
  if (stub >= 0) {
    const locale = args[stub + 1] as Locale;
    if (!LOCALES.includes(locale)) {
      console.error(`--stub takes one of ${LOCALES.join(', ')}`);
      return 2;
    }
    const report = compareBundle(locale, scan);
    console.log(
      JSON.stringify(Object.fromEntries(report.missing.map((u) => [u.key, u.key])), null, 2),
    );
    return 0;
  }
  const schemaStub = args.indexOf('--schema-stub');
  if (schemaStub >= 0) {
    const locale = args[schemaStub + 1] as Locale;
    if (!LOCALES.includes(locale)) {
      console.error(`--schema-stub takes one of ${LOCALES.join(', ')}`);
      return 2;
    }
    const report = compareSchemaBundle(locale);
    console.log(
      JSON.stringify(Object.fromEntries(report.missing.map((t) => [t.text, t.text])), null, 2),
    );
    return 0;
  }
  let problems = scan.nonLiteral.length;
  console.log(`${new Set(scan.uses.map((u) => u.key)).size} keys in ${scan.uses.length} calls`);
  for (const line of scan.nonLiteral) console.log(`non-literal key: ${line}`);
  for (const locale of LOCALES) {
    const report = compareBundle(locale, scan);
    problems += report.missing.length + report.unused.length + report.placeholderMismatch.length;
    console.log(
      `${locale}: ${report.missing.length} missing, ${report.unused.length} unused, ${report.placeholderMismatch.length} placeholder mismatches`,
    );
    for (const use of report.missing)
      console.log(`  missing  ${use.where}  ${JSON.stringify(use.key)}`);
    for (const key of report.unused) console.log(`  unused   ${JSON.stringify(key)}`);
    for (const line of report.placeholderMismatch) console.log(`  placeholders  ${line}`);
  }
  const texts = schemaTexts();
  console.log(`${new Set(texts.map((t) => t.text)).size} schema texts in ${texts.length} places`);
  for (const locale of LOCALES) {
    const report = compareSchemaBundle(locale, texts);
    problems += report.missing.length + report.unused.length + report.codeMismatch.length;
    console.log(
      `schema ${locale}: ${report.missing.length} missing, ${report.unused.length} unused, ${report.codeMismatch.length} code span mismatches`,
    );
    for (const t of report.missing)
      console.log(`  missing  ${t.pointer}  ${JSON.stringify(t.text)}`);
    for (const key of report.unused) console.log(`  unused   ${JSON.stringify(key)}`);
    for (const line of report.codeMismatch) console.log(`  code spans  ${line}`);
  }
  for (const { file, missing } of missingNlsKeys()) {
    problems += missing.length;
    if (missing.length) console.log(`${file}: missing ${missing.join(', ')}`);
  }
  return problems ? 1 : 0;
}

if (require.main === module) {
  // A closed pipe (`… | head`) ends the listing, not with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = 2;
  });
  process.exitCode = main(process.argv.slice(2));
}
