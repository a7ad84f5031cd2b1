// The message keys of the product and the state of their translations.
//
// Every `l10n.t('…')` / `vscode.l10n.t('…')` call in server/src, common and client is read with
// the TypeScript compiler (never a regex: a key spans lines, holds quotes and backslashes), and
// compared with l10n/bundle.l10n.<locale>.json; package.json's %key% placeholders with the
// package.nls files. test/unit/l10n.test.ts fails on what this prints.
//
//   node --import tsx scripts/l10nKeys.ts            # missing / unused keys per locale
//   node --import tsx scripts/l10nKeys.ts --stub sv  # a JSON object of sv's missing keys, English
//                                                    # as the value, to translate and merge in
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
  for (const { file, missing } of missingNlsKeys()) {
    problems += missing.length;
    if (missing.length) console.log(`${file}: missing ${missing.join(', ')}`);
  }
  return problems ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
