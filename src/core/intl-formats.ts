import { Memo } from './memo.js';

// Making an Intl.NumberFormat or Intl.DateTimeFormat costs about 0.3 ms (it loads locale data), far
// more than formatting with one; a send formats several amounts and dates per message, 100,000
// messages and more (issue 4). Formatters hold no state between calls, so one per locale and
// options serves every message. A run meets a handful of locales, currencies and zones: the maps
// stay small.

const currencies = new Memo<Intl.NumberFormat>();
const percents = new Memo<Intl.NumberFormat>();
const dates = new Memo<Intl.DateTimeFormat>();
const dateTimes = new Memo<Intl.DateTimeFormat>();
const calendarDays = new Memo<Intl.DateTimeFormat>();
const timesOfDay = new Memo<Intl.DateTimeFormat>();

/** Date styles the templates offer. */
export type DateStyle = 'short' | 'medium' | 'long' | 'full';

/** The currency formatter of a locale (`1.234,56 €` in de-DE). */
export function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  return currencies.get(`${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency }));
}

/** The percent formatter of a locale, up to two decimals (`12,5 %` in de-DE). */
export function percentFormat(locale: string): Intl.NumberFormat {
  return percents.get(locale, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }));
}

/** A date formatter (no time of day) of a locale, style and time zone. */
export function dateFormat(locale: string, style: DateStyle, timeZone: string): Intl.DateTimeFormat {
  return dates.get(`${locale}|${style}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone }));
}

/** A date and time formatter (medium date, short time) of a locale and time zone. */
export function dateTimeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  return dateTimes.get(`${locale}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }));
}

/** A formatter whose parts give the calendar date (year, month, day) of an instant in a time zone. */
export function calendarDayFormat(timeZone: string): Intl.DateTimeFormat {
  return calendarDays.get(timeZone, () => new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));
}

/** A formatter of the time of day of an instant in a time zone, as `HH:mm` (24 hours). */
export function timeOfDayFormat(timeZone: string): Intl.DateTimeFormat {
  return timesOfDay.get(timeZone, () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
}
