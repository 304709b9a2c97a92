import { isShippedLocale, type ShippedLocale } from '../../core/locale.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import type { Plural, ReportLabels } from './labels.js';
import { nl } from './nl.js';
import { pl } from './pl.js';

export type { Plural, ReportLabels } from './labels.js';

/** Every shipped language's catalogue: a language without one fails to compile. */
export const REPORT_LABELS = { de, en, fr, es, it, nl, pl } satisfies Record<ShippedLocale, ReportLabels>;

/** The report's words for a locale (`de`, `de-DE`); a language dunning ships none for gets English. */
export function reportLabels(locale: string): ReportLabels {
  const language = locale.slice(0, 2).toLowerCase();
  return isShippedLocale(language) ? REPORT_LABELS[language] : en;
}

/** Fills the `{name}` marks of a label with figures already formatted for the locale. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (mark, name: string) => values[name] ?? mark);
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** The form of a label for a count by the locale's plural rules, `{n}` filled with the count as the locale writes it. */
export function plural(forms: Plural, n: number, locale: string, values: Readonly<Record<string, string>> = {}): string {
  let rules = pluralRules.get(locale);
  if (rules === undefined) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  const category = rules.select(n);
  const form = category === 'one' || category === 'few' || category === 'many' ? (forms[category] ?? forms.other) : forms.other;
  return fill(form, { n: n.toLocaleString(locale), ...values });
}
