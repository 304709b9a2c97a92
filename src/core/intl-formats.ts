// Making an Intl.NumberFormat or Intl.DateTimeFormat costs about 0.3 ms (it loads locale data), far
// more than formatting with one; a send formats several amounts and dates per message, 100,000
// messages and more (issue 4). Formatters hold no state between calls, so one per locale and
// options serves every message. A run meets a handful of locales, currencies and zones: the maps
// stay small.

const currencies = new Map<string, Intl.NumberFormat>();
const percents = new Map<string, Intl.NumberFormat>();
const dates = new Map<string, Intl.DateTimeFormat>();
const dateTimes = new Map<string, Intl.DateTimeFormat>();

/** Date styles the templates offer. */
export type DateStyle = 'short' | 'medium' | 'long';

/** The currency formatter of a locale (`1.234,56 €` in de-DE). */
export function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = currencies.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    currencies.set(key, format);
  }
  return format;
}

/** The percent formatter of a locale, up to two decimals (`12,5 %` in de-DE). */
export function percentFormat(locale: string): Intl.NumberFormat {
  let format = percents.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
    percents.set(locale, format);
  }
  return format;
}

/** A date formatter (no time of day) of a locale, style and time zone. */
export function dateFormat(locale: string, style: DateStyle, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${style}|${timeZone}`;
  let format = dates.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone });
    dates.set(key, format);
  }
  return format;
}

/** A date and time formatter (medium date, short time) of a locale and time zone. */
export function dateTimeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let format = dateTimes.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    dateTimes.set(key, format);
  }
  return format;
}

// Reminders print the same few amounts and due dates over and over (a course price, the dates an
// export's instalments fall due), and formatting one costs a few microseconds even with a kept
// formatter: what was made is remembered. The cap keeps a long run's memory flat.
const MEMO_LIMIT = 10_000;

/** The text remembered under `key`, or what `make` returns, remembered from now on. */
export function remembered(memo: Map<string, string>, key: string, make: () => string): string {
  let text = memo.get(key);
  if (text === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    text = make();
    memo.set(key, text);
  }
  return text;
}
