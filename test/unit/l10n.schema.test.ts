// The schema's own texts (titles hover shows, descriptions, enum and snippet descriptions) in
// every locale: l10n/schema.l10n.<locale>.json holds each text the services can show, keyed by its
// English, nothing else, and with the English inline code (`dedupeField`, `"DedupeField"`) kept;
// hover and completion speak the locale through the language service. A failure names the JSON
// Pointer of the text (scripts/l10nKeys.ts --schema-stub <locale> prints the missing ones).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { type Locale, useLocale } from '../../server/src/host/locale';
import {
  LOCALES,
  codeSpans,
  compareSchemaBundle,
  readSchemaBundle,
  schemaTexts,
} from '../../scripts/l10nKeys';
import { REPO_ROOT, VALID_CONFIG, service, textDocument, withCursor } from '../helpers';

const texts = schemaTexts(REPO_ROOT);

afterEach(() => useLocale('en'));

describe('schema texts', () => {
  test('are read from every part of the schema hover and completion show', () => {
    const pointers = texts.map((t) => t.pointer.replace(/^[^#]*#/, ''));
    for (const pointer of [
      '/properties/dedupeField/description',
      '/properties/dedupeField/markdownDescription',
      '/properties/syncType/enumDescriptions/0',
      '/properties/syncType/markdownEnumDescriptions/2',
      '/properties/alerts/items/enumDescriptions/0',
      '/properties/audiences/items/properties/entities/items/markdownEnumDescriptions/4',
      '/properties/mappings/items/defaultSnippets/1/description',
      '/properties/$schema/title',
      '/properties/flowService/properties/etag/description',
    ])
      assert.ok(pointers.includes(pointer), `${pointer} is not among the schema texts`);
    // Titles the hover never shows (the description opens with its own bold title) are left out.
    assert.ok(!pointers.includes('/properties/dedupeField/title'));
  });

  test('inline code spans are compared as sorted lists', () => {
    assert.deepEqual(codeSpans('map `b` to `a`, then `b`'), ['`a`', '`b`', '`b`']);
    assert.deepEqual(codeSpans('no code'), []);
  });
});

for (const locale of LOCALES) {
  describe(`l10n/schema.l10n.${locale}.json`, () => {
    const report = compareSchemaBundle(locale, texts, REPO_ROOT);

    test('translates every schema text', () => {
      assert.deepEqual(
        report.missing.map((t) => t.pointer),
        [],
        `schema texts without a ${locale} translation`,
      );
    });

    test('holds no text the schema no longer has', () => {
      assert.deepEqual(report.unused, [], `keys in schema.l10n.${locale}.json no schema text has`);
    });

    test('keeps the inline code of each text', () => {
      assert.deepEqual(report.codeMismatch, []);
    });

    test('keeps the Markdown of each text: its lines, table cells and bold spans', () => {
      const bundle = readSchemaBundle(locale, REPO_ROOT);
      const shape = (text: string): string =>
        [text.split('\n').length, text.split('|').length, text.split('**').length].join('/');
      assert.deepEqual(
        texts
          .filter((t) => t.text in bundle && shape(t.text) !== shape(bundle[t.text] ?? ''))
          .map((t) => t.pointer),
        [],
        'lines / table pipes / bold markers differ from the English text',
      );
    });

    test('is not English: the texts differ from their key, product names aside', () => {
      const same = Object.entries(readSchemaBundle(locale, REPO_ROOT)).filter(
        ([key, value]) => key === value,
      );
      assert.ok(
        same.length <= 2,
        `${same.length} texts are the English text: ${same.map(([k]) => k).join(' | ')}`,
      );
    });
  });
}

interface Expected {
  /** How the hover on the `dedupeField` key starts: the property's bold title. */
  dedupeHover: string;
  /** The completion detail of the `audienceAndProfile` value of `syncType`. */
  syncDetail: string;
  /** How that value's completion documentation starts. */
  syncDocumentation: string;
  /** The completion detail of `updateExistingAndCreateNew`: a label longer than the English one. */
  personDetail: string;
}

const EXPECTED: Record<Exclude<Locale, 'en'>, Expected> = {
  sv: {
    dedupeHover: '**Marketos dedupliceringsfält** — Marketo-fältet',
    syncDetail: 'Målgrupp och profil',
    syncDocumentation: '**Synkroniseringstyp** — *Målgrupp och profil*.',
    personDetail: 'Uppdatera befintliga och skapa nya personer',
  },
  fr: {
    dedupeHover: '**Champ de déduplication Marketo** — le champ Marketo',
    syncDetail: 'Audience et profil',
    syncDocumentation: '**Type de synchronisation** — *Audience et profil*.',
    personDetail: 'Mettre à jour les personnes existantes et en créer de nouvelles',
  },
  es: {
    dedupeHover: '**Campo de deduplicación de Marketo** — el campo de Marketo',
    syncDetail: 'Audiencia y perfil',
    syncDocumentation: '**Tipo de sincronización** — *Audiencia y perfil*.',
    personDetail: 'Actualizar personas existentes y crear nuevas',
  },
  'zh-tw': {
    dedupeHover: '**Marketo 重複資料刪除欄位** — 以 REST 名稱指定的 Marketo 欄位',
    syncDetail: '對象與個人資料',
    syncDocumentation: '**同步類型** — *對象與個人資料*。',
    personDetail: '更新現有人員並建立新人員',
  },
};

function dedupeHover(): string {
  const hovered = withCursor(VALID_CONFIG.replace('"dedupeField":', '"dedupe|Field":'));
  const hover = service().hover(textDocument(hovered.text), hovered.position);
  const contents = hover?.contents;
  assert.ok(contents && typeof contents === 'object' && 'value' in contents, 'no hover');
  return contents.value;
}

/** The completion item of `label` when the value of `key` (now `current`) is being typed. */
function valueItem(key: string, current: string, label: string) {
  const typing = withCursor(VALID_CONFIG.replace(`"${key}": "${current}"`, `"${key}": "|"`));
  const items = service().complete(textDocument(typing.text), typing.position).items;
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no ${label} item among ${items.map((i) => i.label).join(', ')}`);
  const documentation =
    typeof item.documentation === 'string' ? item.documentation : item.documentation?.value;
  return { detail: item.detail, documentation: documentation ?? '' };
}

const syncTypeItem = () => valueItem('syncType', 'audienceAndProfile', 'audienceAndProfile');
const personActionItem = () =>
  valueItem('personAction', 'updateExistingAndCreateNew', 'updateExistingAndCreateNew');

describe('the language service', () => {
  const english = { hover: dedupeHover(), sync: syncTypeItem() };

  test('en: the schema speaks English', () => {
    assert.match(english.hover, /^\*\*Marketo deduplication field\*\* — /);
    assert.equal(english.sync.detail, 'Audience and profile');
    assert.match(english.sync.documentation, /^\*\*Sync type\*\* — \*Audience and profile\*\./);
    assert.equal(personActionItem().detail, 'Update existing and create new persons');
  });

  for (const [locale, expected] of Object.entries(EXPECTED) as [Locale, Expected][]) {
    test(`${locale}: the hover on dedupeField and the syncType value completion`, () => {
      useLocale(locale);
      const hover = dedupeHover();
      assert.ok(hover.startsWith(expected.dedupeHover), hover);
      // The code of the English text is all there.
      for (const code of ['`email`', '`DedupeField`', '`POST /rest/v1/leads.json`'])
        assert.ok(hover.includes(code), `${code} missing from ${hover}`);

      const sync = syncTypeItem();
      assert.equal(sync.detail, expected.syncDetail);
      assert.ok(sync.documentation.startsWith(expected.syncDocumentation), sync.documentation);
      assert.equal(personActionItem().detail, expected.personDetail);
    });
  }

  test('back in English, the schema texts are the English ones again', () => {
    useLocale('zh-tw');
    useLocale('en');
    assert.equal(dedupeHover(), english.hover);
    assert.deepEqual(syncTypeItem(), english.sync);
  });
});
