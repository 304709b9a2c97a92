import { describe, expect, it } from 'vitest';
import { SHIPPED_LOCALES } from '../../src/core/locale.js';
import { plural, REPORT_LABELS, reportLabels } from '../../src/output/report-labels/index.js';

// Issue 22: the report's own words in every shipped language, one catalogue each with the same keys.

/** Every text of a catalogue by its path (`days.one`, `ages.2`), so nested plurals and buckets are compared too. */
function texts(value: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === 'string') found.set(path, value);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) for (const [p, text] of texts(inner, path === '' ? key : `${path}.${key}`)) found.set(p, text);
  }
  return found;
}

const marks = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
const english = texts(REPORT_LABELS.en);
// Plural forms beyond one/other are the language's own (Polish few/many): compare the keys every language must have.
const required = [...english.keys()];

describe('the report\'s catalogues', () => {
  it('has one for every shipped language', () => {
    expect(Object.keys(REPORT_LABELS).sort()).toEqual([...SHIPPED_LOCALES].sort());
  });

  it.each(SHIPPED_LOCALES.map((locale) => [locale]))('%s has every key, none empty, with the same {marks} as English', (locale) => {
    const own = texts(REPORT_LABELS[locale]);
    for (const key of required) {
      const text = own.get(key);
      expect(text, `${locale}: ${key}`).toBeTruthy();
      expect(marks(text ?? ''), `${locale}: ${key}`).toEqual(marks(english.get(key) ?? ''));
    }
    for (const key of own.keys()) expect(required.includes(key) || /\.(few|many)$/.test(key), `${locale}: unknown key ${key}`).toBe(true);
  });

  it('differs from English in every other language (no label left untranslated by accident)', () => {
    for (const locale of SHIPPED_LOCALES.filter((l) => l !== 'en')) {
      expect(REPORT_LABELS[locale].heading, locale).not.toBe(REPORT_LABELS.en.heading);
      expect(REPORT_LABELS[locale].cardRecovered, locale).not.toBe(REPORT_LABELS.en.cardRecovered);
    }
  });

  it('picks a catalogue by the language of a locale, English for one not shipped', () => {
    expect(reportLabels('de-DE')).toBe(REPORT_LABELS.de);
    expect(reportLabels('pl')).toBe(REPORT_LABELS.pl);
    expect(reportLabels('pt')).toBe(REPORT_LABELS.en);
  });

  it('chooses the plural form by the locale\'s rules', () => {
    const pl = REPORT_LABELS.pl.days;
    expect([1, 2, 5, 22].map((n) => plural(pl, n, 'pl'))).toEqual(['1 dzień', '2 dni', '5 dni', '22 dni']);
    expect([1, 3].map((n) => plural(REPORT_LABELS.de.amountInCases, n, 'de', { amount: '5 €' }))).toEqual(['5 € in 1 Fall', '5 € in 3 Fällen']);
  });
});
