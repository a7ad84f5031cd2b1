/**
 * The language of the server's and the CLI's messages. The bundles are imported, not read from
 * disk, so `dist/cli/aep-dest.js` and `dist/server/server.js` speak every language on their own.
 */
import * as l10n from '@vscode/l10n';
import es from '../../../l10n/bundle.l10n.es.json';
import fr from '../../../l10n/bundle.l10n.fr.json';
import sv from '../../../l10n/bundle.l10n.sv.json';
import zhTw from '../../../l10n/bundle.l10n.zh-tw.json';
import schemaEs from '../../../l10n/schema.l10n.es.json';
import schemaFr from '../../../l10n/schema.l10n.fr.json';
import schemaSv from '../../../l10n/schema.l10n.sv.json';
import schemaZhTw from '../../../l10n/schema.l10n.zh-tw.json';
import { setSchemaTranslations } from '../engine/schemaText';

/** VS Code's ids of the display languages the product speaks. */
export const LOCALES = ['en', 'sv', 'fr', 'es', 'zh-tw'] as const;
export type Locale = (typeof LOCALES)[number];

const BUNDLES: Record<Exclude<Locale, 'en'>, Record<string, string>> = {
  sv,
  fr,
  es,
  'zh-tw': zhTw,
};

/** The schema's texts (hover, completion details), keyed by their English text. */
const SCHEMA_BUNDLES: Record<Exclude<Locale, 'en'>, Record<string, string>> = {
  sv: schemaSv,
  fr: schemaFr,
  es: schemaEs,
  'zh-tw': schemaZhTw,
};

/**
 * The locale a tag means: a BCP 47 tag as VS Code sends it (`sv`, `zh-TW`, `zh-Hant`) or a POSIX
 * one from the environment (`sv_SE.UTF-8`, `fr_FR@euro`). Chinese in the Traditional script
 * (Taiwan, Hong Kong, Macau, or `Hant`) is zh-tw; Simplified Chinese and any other language,
 * `C` and `POSIX` are English.
 */
export function resolveLocale(tag: string | undefined): Locale {
  const parts = (tag ?? '')
    .trim()
    .replace(/[.@].*$/, '')
    .toLowerCase()
    .split(/[-_]/);
  const [language, ...rest] = parts;
  if (language === 'zh')
    return rest.some((p) => ['tw', 'hk', 'mo', 'hant'].includes(p)) ? 'zh-tw' : 'en';
  return language === 'sv' || language === 'fr' || language === 'es' ? language : 'en';
}

/**
 * The locale POSIX programs would use: the first of LC_ALL, LC_MESSAGES and LANG that is set
 * and not empty.
 */
export function environmentLocale(env: Record<string, string | undefined>): string | undefined {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value) return value;
  }
  return undefined;
}

/**
 * Makes every later `l10n.t`, and every schema text hover and completion show, speak the locale
 * `tag` means; returns that locale.
 */
export function useLocale(tag: string | undefined): Locale {
  const locale = resolveLocale(tag);
  l10n.config({ contents: locale === 'en' ? {} : BUNDLES[locale] });
  setSchemaTranslations(locale === 'en' ? {} : SCHEMA_BUNDLES[locale]);
  return locale;
}
