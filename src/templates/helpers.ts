import type { HelperDelegate, HelperOptions } from 'handlebars';
import { daysBetween } from '../core/dates.js';
import { dateFormat, dateTimeFormat, percentFormat, type DateStyle } from '../core/intl-formats.js';
import { Memo } from '../core/memo.js';
import { formatMoney, type Money } from '../core/money.js';

/** What the helpers format for: the message's language and the merchant's time zone and day. */
export interface HelperSettings {
  /** A BCP 47 tag for Intl, e.g. `de-DE` or `en-GB`. */
  intlLocale: string;
  timeZone: string;
  today: string;
}

/** Names of every helper a template may use; `templates check` refuses any other. */
export const HELPER_NAMES = [
  'money', 'date', 'datetime', 'daysOverdue', 'percent', 'plural', 'default', 'join',
  'eq', 'ne', 'gt', 'lt', 'and', 'or', 'not',
] as const;

/** The template helpers, bound to one locale: money, dates and the small logic a reminder needs. */
export function createHelpers(settings: HelperSettings): Record<(typeof HELPER_NAMES)[number], HelperDelegate> {
  const { intlLocale, timeZone, today } = settings;
  return {
    money: (value: unknown) => formatMoneyValue(value, intlLocale),
    date: (value: unknown, options: HelperOptions) => formatDate(value, intlLocale, styleOf(options)),
    datetime: (value: unknown) => formatDateTime(value, intlLocale, timeZone),
    // {{daysOverdue dueDate}}, or {{daysOverdue}} inside an order, where it reads the order's own due date.
    daysOverdue: function (this: unknown, ...args: unknown[]) {
      const dueDate = args.length > 1 ? args[0] : typeof this === 'object' && this !== null && 'dueDate' in this ? this.dueDate : undefined;
      return daysBetween(requireString(dueDate, 'daysOverdue'), today);
    },
    percent: (value: unknown) => percentFormat(intlLocale).format(requireNumber(value, 'percent') / 100),
    // {{plural n "one" "other"}}, or with three forms {{plural n "godzinę" "godziny" "godzin"}} (one,
    // few, many) where the language has them (Polish): the form is chosen by the locale's plural rules.
    plural: (count: unknown, ...args: unknown[]) => pluralForm(intlLocale, requireNumber(count, 'plural'), args.slice(0, -1).map(String)),
    default: (value: unknown, fallback: unknown) => (value === undefined || value === null || value === '' ? fallback : value),
    join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.map(String).join(typeof separator === 'string' ? separator : ', ') : ''),
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    gt: (a: unknown, b: unknown) => requireNumber(a, 'gt') > requireNumber(b, 'gt'),
    lt: (a: unknown, b: unknown) => requireNumber(a, 'lt') < requireNumber(b, 'lt'),
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    not: (value: unknown) => !value,
  };
}

const pluralRules = new Memo<Intl.PluralRules>();

/** The form of a word for a count: `one`, then `few` when three forms are given, else the last form. */
function pluralForm(locale: string, count: number, forms: readonly string[]): string {
  const category = pluralRules.get(locale, () => new Intl.PluralRules(locale)).select(count);
  if (category === 'one') return forms[0] ?? '';
  if (category === 'few' && forms.length >= 3) return forms[1] ?? '';
  return forms.at(-1) ?? '';
}

function isMoney(value: unknown): value is Money {
  return typeof value === 'object' && value !== null && 'minor' in value && 'currency' in value && typeof value.minor === 'number' && typeof value.currency === 'string';
}

function formatMoneyValue(value: unknown, locale: string): string {
  // A sum over several currencies is a list: amounts in different currencies are never added.
  if (Array.isArray(value) && value.every(isMoney)) return value.map((m) => formatMoney(m, locale)).join(' + ');
  if (isMoney(value)) return formatMoney(value, locale);
  throw new Error(`money needs an amount, got ${JSON.stringify(value) ?? 'nothing'}`);
}

function styleOf(options: HelperOptions): DateStyle {
  const style: unknown = options.hash.style;
  return style === 'long' || style === 'short' || style === 'full' ? style : 'medium';
}

const formattedDates = new Memo<string>();

function formatDate(value: unknown, locale: string, style: DateStyle): string {
  const text = requireString(value, 'date');
  return formattedDates.get(`${locale}|${style}|${text}`, () => {
    const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
    if (Number.isNaN(date.getTime())) throw new Error(`date needs YYYY-MM-DD, got "${text}"`);
    return dateFormat(locale, style, 'UTC').format(date);
  });
}

function formatDateTime(value: unknown, locale: string, timeZone: string): string {
  const date = new Date(requireString(value, 'datetime'));
  if (Number.isNaN(date.getTime())) throw new Error(`datetime needs an ISO date-time, got "${String(value)}"`);
  return dateTimeFormat(locale, timeZone).format(date);
}

function requireString(value: unknown, helper: string): string {
  if (typeof value !== 'string') throw new Error(`${helper} needs a text value, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

function requireNumber(value: unknown, helper: string): number {
  if (typeof value !== 'number') throw new Error(`${helper} needs a number, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}
