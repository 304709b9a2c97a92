/** The languages dunning ships templates and report labels in (issue 22); the one list of them. */
export const SHIPPED_LOCALES = ['de', 'en', 'fr', 'es', 'it', 'nl', 'pl'] as const;
export type ShippedLocale = (typeof SHIPPED_LOCALES)[number];

/** True for a language dunning ships. */
export function isShippedLocale(language: string): language is ShippedLocale {
  return SHIPPED_LOCALES.some((shipped) => shipped === language);
}

/**
 * The shipped language a customer's language or country column names (`fr-BE`, `Frankreich`,
 * `AT`), or null: a country or language we ship none for (`JP`, `Brasil`) chooses nothing, and the
 * config's locale applies (issue 18).
 */
export function shippedLanguageFromHint(hint: string | null): ShippedLocale | null {
  const language = languageFromHint(hint);
  return language !== null && isShippedLocale(language) ? language : null;
}

// Countries whose customers get messages in a language we would otherwise not guess from the code.
const COUNTRY_LANGUAGE: Readonly<Record<string, string>> = {
  de: 'de', at: 'de', ch: 'de', li: 'de', lu: 'de',
  gb: 'en', uk: 'en', us: 'en', ie: 'en', au: 'en', nz: 'en', ca: 'en',
  fr: 'fr', be: 'fr', mc: 'fr', es: 'es', mx: 'es', ar: 'es', co: 'es', cl: 'es', pe: 'es', it: 'it', sm: 'it', nl: 'nl', pl: 'pl', pt: 'pt', br: 'pt',
};

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  deutsch: 'de', german: 'de', deutschland: 'de', österreich: 'de', schweiz: 'de', germany: 'de', austria: 'de', switzerland: 'de',
  englisch: 'en', english: 'en', 'united kingdom': 'en', 'united states': 'en', usa: 'en',
  französisch: 'fr', french: 'fr', frankreich: 'fr', france: 'fr', français: 'fr', francais: 'fr', française: 'fr',
  spanisch: 'es', spanish: 'es', spanien: 'es', spain: 'es', español: 'es', espanol: 'es', castellano: 'es', españa: 'es', espana: 'es',
  italienisch: 'it', italian: 'it', italien: 'it', italy: 'it', italiano: 'it', italia: 'it',
  niederländisch: 'nl', dutch: 'nl', niederlande: 'nl', netherlands: 'nl', 'the netherlands': 'nl', nederlands: 'nl', nederland: 'nl', holland: 'nl',
  polnisch: 'pl', polish: 'pl', polen: 'pl', poland: 'pl', polski: 'pl', polska: 'pl',
};

/**
 * The language of a customer's messages from what the export says (a language such as `de-AT`
 * or `Deutsch`, or a country such as `AT`), or null when it says nothing we recognise.
 */
export function languageFromHint(hint: string | null): string | null {
  if (hint === null) return null;
  const s = hint.trim().toLowerCase();
  if (s === '') return null;
  const named = LANGUAGE_NAMES[s];
  if (named !== undefined) return named;
  const tag = /^([a-z]{2})(?:[-_]([a-z]{2}))?$/.exec(s);
  if (tag?.[1] === undefined) return null;
  // A bare two-letter code is a language when we know it as one, else a country.
  if (tag[2] === undefined && COUNTRY_LANGUAGE[tag[1]] !== undefined && !isLanguageCode(tag[1])) return COUNTRY_LANGUAGE[tag[1]] ?? null;
  return tag[1];
}

// Language codes that are also country codes: read as the language (`pt` is Portuguese, not shipped).
function isLanguageCode(code: string): boolean {
  return isShippedLocale(code) || code === 'pt';
}
