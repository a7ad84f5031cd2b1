/**
 * The schema's texts (titles, descriptions, enum and snippet descriptions) in the user's language.
 * The host picks the locale and hands its table here (`l10n/schema.l10n.<locale>.json`: the exact
 * English text as the key); every service that shows a schema text reads it through `schemaText`.
 * Not `l10n.t`: those keys are literals in the sources, these are the schema's own strings.
 */
let translations: Readonly<Record<string, string>> = {};

/** Makes every later `schemaText` answer from `map`; `{}` is English. */
export function setSchemaTranslations(map: Readonly<Record<string, string>>): void {
  translations = map;
}

/** The translation of an English schema text, or the English text when there is none. */
export function schemaText(english: string | undefined): string | undefined {
  if (english === undefined) return undefined;
  const translated = Object.hasOwn(translations, english) ? translations[english] : undefined;
  return typeof translated === 'string' && translated ? translated : english;
}
