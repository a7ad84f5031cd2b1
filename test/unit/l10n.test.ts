// Every message the product makes is in every bundle, and every bundle holds only messages the
// product makes: a new `l10n.t('…')` without its four translations fails here, naming the key
// and where it is made (scripts/l10nKeys.ts --stub <locale> prints the missing ones as JSON).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  LOCALES,
  compareBundle,
  missingNlsKeys,
  placeholders,
  readBundle,
  scanSources,
} from '../../scripts/l10nKeys';
import { REPO_ROOT } from '../helpers';

const scan = scanSources(REPO_ROOT);

describe('message keys', () => {
  test('are read from the sources: the rules, hover, completion and the parser make them', () => {
    const files = new Set(scan.uses.map((u) => u.where.replace(/:\d+$/, '')));
    for (const file of [
      'server/src/rules/dedupeRules.ts',
      'server/src/services/hover.ts',
      'server/src/services/completionValues.ts',
      'server/src/engine/parseText.ts',
    ])
      assert.ok(files.has(file), `no l10n.t call found in ${file}`);
    assert.ok(
      scan.uses.some((u) => u.key === 'Read {0} instead'),
      'the quick-fix title "Read {0} instead" is not among the keys',
    );
  });

  test('are literals: a computed text can have no translation', () => {
    assert.deepEqual(scan.nonLiteral, []);
  });
});

for (const locale of LOCALES) {
  describe(`l10n/bundle.l10n.${locale}.json`, () => {
    const report = compareBundle(locale, scan, REPO_ROOT);

    test('translates every message', () => {
      assert.deepEqual(
        report.missing.map((u) => `${u.where}: ${JSON.stringify(u.key)}`),
        [],
        `messages without a ${locale} translation`,
      );
    });

    test('holds no message the product no longer makes', () => {
      assert.deepEqual(report.unused, [], `keys in bundle.l10n.${locale}.json nobody uses`);
    });

    test('keeps the placeholders of each message', () => {
      assert.deepEqual(report.placeholderMismatch, []);
    });

    test('is not English: most messages differ from their key', () => {
      const bundle = readBundle(locale, REPO_ROOT);
      const same = Object.entries(bundle).filter(([key, value]) => key === value);
      assert.ok(
        same.length <= 3,
        `${same.length} messages are the English text: ${same.map(([k]) => k).join(' | ')}`,
      );
    });
  });
}

describe('placeholders', () => {
  test('are compared as sets of {n}', () => {
    assert.deepEqual(placeholders('{1} and {0}, then {0}'), ['{0}', '{1}']);
    assert.deepEqual(placeholders('no placeholder'), []);
  });
});

describe('the rule pages', () => {
  test('each says it is in English while the messages are translated', () => {
    const docs = path.join(REPO_ROOT, 'docs', 'rules');
    const silent = readdirSync(docs)
      .filter((name) => name.endsWith('.md'))
      .filter(
        (name) =>
          !/^\*This page is in English, whatever the editor's language/m.test(
            readFileSync(path.join(docs, name), 'utf8'),
          ),
      );
    assert.deepEqual(silent, [], 'pages without the line saying they are in English');
  });
});

describe('package.nls', () => {
  test('every %key% of package.json is in package.nls.json and in each locale', () => {
    assert.deepEqual(
      missingNlsKeys(REPO_ROOT).filter((f) => f.missing.length),
      [],
    );
  });

  test('each locale has exactly the keys of package.nls.json, none left in English', () => {
    const read = (file: string): Record<string, string> =>
      JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Record<string, string>;
    const english = read('package.nls.json');
    for (const locale of LOCALES) {
      const translated = read(`package.nls.${locale}.json`);
      assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort(), locale);
      const untranslated = Object.keys(english).filter(
        // The category and the configuration title name the product in every language.
        (key) =>
          translated[key] === english[key] &&
          !/^(command\.category|configuration\.title)$/.test(key),
      );
      assert.deepEqual(untranslated, [], `${locale}: left in English`);
    }
  });

  test('package.json names no user-facing text directly: titles and descriptions are %keys%', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: {
        commands: { title: string; category: string }[];
        configuration: { title: string; properties: Record<string, { description: string }> };
      };
    };
    const texts = [
      ...manifest.contributes.commands.flatMap((c) => [c.title, c.category]),
      manifest.contributes.configuration.title,
      ...Object.values(manifest.contributes.configuration.properties).map((p) => p.description),
    ];
    assert.deepEqual(
      texts.filter((t) => !/^%[^%]+%$/.test(t)),
      [],
    );
  });
});
