// What a Swedish, French, Spanish or Traditional Chinese user sees: the diagnostics, hover,
// completion details and quick-fix titles of one config through the language service, the CLI
// (--locale, LANG, LC_ALL) and the language server (initialize's locale), in the domain words
// of Adobe's own localized pages (l10n/GLOSSARY.md). Rule codes stay as they are.
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import {
  type Locale,
  environmentLocale,
  resolveLocale,
  useLocale,
} from '../../server/src/host/locale';
import { main } from '../../server/src/cli/aep-dest';
import { runCli } from '../cliRunner';
import { LspTestClient } from '../lspClient';
import {
  VALID_CONFIG,
  codes,
  edit,
  service,
  tempFiles,
  textDocument,
  validate,
  withCursor,
} from '../helpers';

/** Lead ID as dedupe field and a lower-case Munchkin ID: two errors with a quick fix each. */
const BROKEN = edit(
  edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "leadId"'),
  '"123-ABC-456"',
  '"123-abc-456"',
);

interface Expected {
  /** The unsupported-dedupe-field message holds the locale's word for the deduplication field. */
  dedupe: string;
  /** The invalid-munchkin-id message. */
  munchkin: string;
  /** The invalid-munchkin-id quick fix's title. */
  fix: string;
  /** The Suppress action offered after the rule's own fixes. */
  suppress: string;
  /** Hover on the `email` target of a mapping: the field's description. */
  hover: string;
  /** Completion detail of the DedupeField target. */
  detail: string;
}

const EXPECTED: Record<Exclude<Locale, 'en'>, Expected> = {
  sv: {
    dedupe: 'stöds inte som dedupliceringsfält',
    munchkin: '"123-abc-456" är inget Munchkin-ID',
    fix: 'Ändra till "123-ABC-456"',
    suppress: 'Undertryck invalid-munchkin-id på den här raden',
    hover: 'Marketo-fält för leads',
    detail: 'Målidentitet · matchar befintliga leads',
  },
  fr: {
    dedupe: 'pris en charge comme champs de déduplication',
    munchkin: '« 123-abc-456 » n’est pas un ID Munchkin',
    fix: 'Remplacer par « 123-ABC-456 »',
    suppress: 'Masquer invalid-munchkin-id sur cette ligne',
    hover: 'champ de personne Marketo',
    detail: 'Identité cible · fait correspondre les personnes existantes',
  },
  es: {
    dedupe: 'no se admiten como campos de deduplicación',
    munchkin: '"123-abc-456" no es un ID de Munchkin',
    fix: 'Cambiar a "123-ABC-456"',
    suppress: 'Suprimir invalid-munchkin-id en esta línea',
    hover: 'campo de persona de Marketo',
    detail: 'Identidad de destino · hace coincidir las personas existentes',
  },
  'zh-tw': {
    dedupe: '不支援作為重複資料刪除欄位',
    munchkin: '「123-abc-456」不是 Munchkin ID',
    fix: '變更為「123-ABC-456」',
    suppress: '在此行隱藏 invalid-munchkin-id',
    hover: 'Marketo 人員欄位',
    detail: '目標身分 · 比對現有人員',
  },
};

afterEach(() => useLocale('en'));

function messageOf(text: string, code: string): string {
  const finding = validate(text).find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding`);
  return finding.message;
}

describe('resolveLocale', () => {
  const cases: [string | undefined, Locale][] = [
    ['sv', 'sv'],
    ['sv-SE', 'sv'],
    ['sv_SE.UTF-8', 'sv'],
    ['fr', 'fr'],
    ['fr_CA', 'fr'],
    ['fr_FR@euro', 'fr'],
    ['es-419', 'es'],
    ['zh-tw', 'zh-tw'],
    ['zh-TW', 'zh-tw'],
    ['zh-Hant', 'zh-tw'],
    ['zh_TW.UTF-8', 'zh-tw'],
    ['zh-HK', 'zh-tw'],
    ['zh-CN', 'en'],
    ['zh-Hans', 'en'],
    ['de', 'en'],
    ['C', 'en'],
    ['POSIX', 'en'],
    ['C.UTF-8', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ];
  for (const [tag, locale] of cases) {
    test(`${JSON.stringify(tag)} → ${locale}`, () => assert.equal(resolveLocale(tag), locale));
  }

  test('the environment: LC_ALL, then LC_MESSAGES, then LANG; empty ones skipped', () => {
    assert.equal(environmentLocale({ LC_ALL: 'fr_FR.UTF-8', LANG: 'sv_SE.UTF-8' }), 'fr_FR.UTF-8');
    assert.equal(environmentLocale({ LC_ALL: '', LC_MESSAGES: 'es_ES', LANG: 'sv' }), 'es_ES');
    assert.equal(environmentLocale({ LANG: 'zh_TW.UTF-8' }), 'zh_TW.UTF-8');
    assert.equal(environmentLocale({}), undefined);
  });
});

describe('the language service', () => {
  const english = validate(BROKEN);

  for (const [locale, expected] of Object.entries(EXPECTED) as [Locale, Expected][]) {
    test(`${locale}: the same findings, every message translated`, () => {
      useLocale(locale);
      const findings = validate(BROKEN);
      assert.deepEqual(codes(findings), codes(english));
      findings.forEach((finding, i) =>
        assert.notEqual(finding.message, english[i]?.message, `${finding.code} left in English`),
      );
      assert.ok(
        messageOf(BROKEN, 'unsupported-dedupe-field').includes(expected.dedupe),
        messageOf(BROKEN, 'unsupported-dedupe-field'),
      );
      assert.ok(messageOf(BROKEN, 'invalid-munchkin-id').startsWith(expected.munchkin));
    });

    test(`${locale}: quick-fix title, hover and completion detail`, () => {
      useLocale(locale);
      const svc = service();
      const doc = textDocument(BROKEN);
      const munchkin = svc.validate(doc).find((f) => f.code === 'invalid-munchkin-id');
      assert.ok(munchkin);
      assert.deepEqual(
        svc.codeActions(doc, munchkin.range, [munchkin]).map((a) => a.title),
        [expected.fix, expected.suppress],
      );

      const hovered = withCursor(
        VALID_CONFIG.replace('"target": "lastName"', '"target": "last|Name"'),
      );
      const hover = svc.hover(textDocument(hovered.text), hovered.position);
      assert.ok(JSON.stringify(hover).includes(expected.hover), JSON.stringify(hover));

      const typing = withCursor(VALID_CONFIG.replace('"target": "DedupeField"', '"target": "|"'));
      const items = svc.complete(textDocument(typing.text), typing.position).items;
      const dedupe = items.find((item) => item.label === 'DedupeField');
      assert.equal(dedupe?.detail, expected.detail);
    });
  }

  test('back in English, the messages are the English text again', () => {
    useLocale('sv');
    useLocale('en');
    assert.deepEqual(
      validate(BROKEN).map((f) => f.message),
      english.map((f) => f.message),
    );
    assert.match(messageOf(BROKEN, 'invalid-munchkin-id'), /^"123-abc-456" is not a Munchkin ID/);
  });
});

describe('the CLI', () => {
  const dir = tempFiles({ 'broken.destination.json': BROKEN });

  test('--locale sv: Swedish messages, the rule codes unchanged', async () => {
    const run = await runCli(dir, 'validate', '--locale', 'sv', 'broken.destination.json');
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /dedupliceringsfält/);
    assert.match(run.stdout, /unsupported-dedupe-field/);
    assert.match(run.stdout, /invalid-munchkin-id/);
    assert.doesNotMatch(run.stdout, /is not a Munchkin ID/);
    const errors = (run.stdout.match(/ error /g) ?? []).length;
    const warnings = (run.stdout.match(/ warning /g) ?? []).length;
    assert.ok(errors > 1, run.stdout);
    const summary = `1 fil kontrollerad: ${errors} fel, ${warnings} ${warnings === 1 ? 'varning' : 'varningar'}`;
    assert.equal(run.stdout.trimEnd().split('\n').at(-1), summary);
  });

  test('the summary line: each language its words, numbers and punctuation', async () => {
    const two = tempFiles({ 'a.destination.json': BROKEN, 'b.destination.json': BROKEN });
    const last = async (...args: string[]) =>
      (await runCli(two, 'validate', ...args)).stdout.trimEnd().split('\n').at(-1);
    const en = await last('a.destination.json', 'b.destination.json');
    const [, errors, warnings] =
      /^2 files checked: (\d+) errors, (\d+) warnings?$/.exec(en ?? '') ?? [];
    assert.ok(errors && warnings, en);
    const fr = await last('a.destination.json', 'b.destination.json', '--locale', 'fr');
    assert.match(
      fr ?? '',
      new RegExp(`^2 fichiers vérifiés : ${errors} erreurs, ${warnings} avertissements?$`),
    );
    const zh = await last('--locale=zh-TW', 'a.destination.json');
    assert.match(zh ?? '', /^已檢查 1 個檔案：\d+ 個錯誤，\d+ 個警告$/);
    const es = await last('--locale', 'es', 'a.destination.json');
    assert.match(es ?? '', /^1 archivo revisado: \d+ errores, \d+ advertencias?$/);
  });

  test('--locale=zh-TW and --locale fr, before or after the command', async () => {
    const zh = await runCli(dir, '--locale=zh-TW', 'validate', 'broken.destination.json');
    assert.match(zh.stdout, /重複資料刪除欄位/);
    const fr = await runCli(dir, 'validate', 'broken.destination.json', '--locale', 'fr');
    assert.match(fr.stdout, /champs de déduplication/);
  });

  test('LANG, LC_MESSAGES and LC_ALL choose the language when --locale is absent', async () => {
    let stdout = '';
    const io = (env: Record<string, string | undefined>) => ({
      stdout: (s: string) => void (stdout += s),
      stderr: () => undefined,
      cwd: dir,
      env,
    });
    const run = async (env: Record<string, string | undefined>, ...args: string[]) => {
      stdout = '';
      await main(['validate', ...args, 'broken.destination.json'], io(env));
      return stdout;
    };
    assert.match(await run({ LANG: 'es_ES.UTF-8' }), /campos de deduplicación/);
    assert.match(
      await run({ LC_MESSAGES: 'fr_FR.UTF-8', LANG: 'es_ES' }),
      /champs de déduplication/,
    );
    assert.match(await run({ LANG: 'es_ES.UTF-8', LC_ALL: 'sv_SE.UTF-8' }), /dedupliceringsfält/);
    assert.match(await run({ LC_ALL: 'sv_SE.UTF-8' }, '--locale', 'en'), /is not a Munchkin ID/);
    assert.match(await run({ LANG: 'C' }), /is not a Munchkin ID/);
  });

  test('--locale without a value is a usage error', async () => {
    const run = await runCli(dir, 'validate', 'broken.destination.json', '--locale');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--locale/);
  });
});

describe('the language server over stdio', () => {
  const clients: LspTestClient[] = [];
  after(async () => {
    for (const client of clients) await client.stop();
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['initialize locale "sv"', { locale: 'sv' }, /dedupliceringsfält/],
    ['initialize locale "zh-TW"', { locale: 'zh-TW' }, /重複資料刪除欄位/],
    [
      'initializationOptions.locale "es" over locale "fr"',
      { locale: 'fr', initializationOptions: { locale: 'es' } },
      /campos de deduplicación/,
    ],
  ];
  for (const [name, params, expected] of cases) {
    test(name, async () => {
      const client = new LspTestClient();
      clients.push(client);
      await client.initialize(undefined, params);
      const published = await client.open('file:///work/l10n.destination.json', BROKEN);
      const dedupe = published.diagnostics.find((d) => d.code === 'unsupported-dedupe-field');
      assert.ok(dedupe, JSON.stringify(published.diagnostics));
      assert.match(dedupe.message, expected);
    });
  }

  test('no locale: the language of its environment (LC_ALL, LC_MESSAGES, LANG)', async () => {
    const client = new LspTestClient();
    clients.push(client);
    await client.initialize();
    const published = await client.open('file:///work/l10n-env.destination.json', BROKEN);
    const dedupe = published.diagnostics.find((d) => d.code === 'unsupported-dedupe-field');
    useLocale(environmentLocale(process.env));
    assert.equal(dedupe?.message, messageOf(BROKEN, 'unsupported-dedupe-field'));
  });
});
