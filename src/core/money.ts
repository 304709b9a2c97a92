import { currencyFormat } from './intl-formats.js';
import { Memo } from './memo.js';
import { fail, ok, type Parsed } from './result.js';

/** How a source writes numbers; only decides amounts like `1.200` or `1,200` that read two ways. */
export type NumberFormat = 'auto' | 'de' | 'en';

/** An amount in minor units (cents) with its ISO 4217 currency code. Never a float. */
export interface Money {
  minor: number;
  currency: string;
}

/** An amount read from one cell: minor units, and the currency the cell itself named, if any. */
export interface CellAmount {
  minor: number;
  currency: string | undefined;
}

const SYMBOLS: Readonly<Record<string, string>> = { '€': 'EUR', $: 'USD', '£': 'GBP', '¥': 'JPY', Fr: 'CHF', 'Fr.': 'CHF' };
const EMPTY_MARKERS = new Set(['', '-', '–', '—']);
const CURRENCY_AT_START = /^(€|\$|£|¥|Fr\.?|[A-Z]{3})\s*/;
const CURRENCY_AT_END = /\s*(€|\$|£|¥|Fr\.?|[A-Z]{3})$/;
const SPACES = /[\u00a0\u202f\u2009\u2007]/g;

const digitsCache = new Map<string, number>();
let knownCurrencies: Set<string> | undefined;

/** True when `code` is an ISO 4217 currency code this runtime knows. */
export function isCurrencyCode(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code);
}

/** Number of minor-unit digits of a currency (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * Parses an amount as exports write it (`1.234,56`, `1,234.56`, `€ 12,00`, `12,00 EUR`, `-5,00`).
 * Returns null for an empty cell. An amount that reads two ways is an error, never a guess.
 */
export function parseAmount(text: string, format: NumberFormat, fallbackCurrency: string): Parsed<CellAmount | null> {
  // Fast path for what nearly every row holds (1.234,56 / 1234.56): a million rows per import.
  const plain = plainCents(text);
  if (plain !== undefined && minorDigits(fallbackCurrency) === 2) return ok({ minor: plain, currency: undefined });
  let s = text.replace(SPACES, ' ').trim();
  if (EMPTY_MARKERS.has(s)) return ok(null);
  let negative = false;
  let currency: string | undefined;
  for (let pass = 0; pass < 2; pass++) {
    const sign = takeSign(s);
    negative ||= sign.negative;
    s = sign.rest;
    const cur = takeCurrency(s);
    if (cur.currency !== undefined) {
      if (currency !== undefined) return fail(`"${text}" names a currency twice`);
      currency = cur.currency;
      s = cur.rest;
    }
  }
  if (currency !== undefined && !isCurrencyCode(currency)) return fail(`"${text}": ${currency} is not a currency code`);
  const number = parseUnsigned(s, format, minorDigits(currency ?? fallbackCurrency));
  if (!number.ok) return fail(`"${text}" ${number.error}`);
  return ok({ minor: negative ? -number.value : number.value, currency });
}

/**
 * The cents of an amount that reads one way only: digits, optionally in thousands groups of one
 * separator, then the other separator and exactly two decimals (`1.234,56`, `1234.56`, `0,00`).
 * Undefined for anything else, and for more cents than a safe integer holds. Written out instead
 * of a regular expression, whose match, replace and two Number() calls cost ~0.3 s per 1M rows.
 */
export function plainCents(text: string): number | undefined {
  const n = text.length;
  if (n < 4) return undefined;
  const decimal = text.charCodeAt(n - 3);
  if (decimal !== COMMA && decimal !== DOT) return undefined;
  const cents = digitAt(text, n - 2) * 10 + digitAt(text, n - 1);
  if (!(cents >= 0)) return undefined;
  const thousands = decimal === COMMA ? DOT : COMMA;
  let units = 0;
  let digitsInGroup = 0;
  let grouped = false;
  for (let i = 0; i < n - 3; i++) {
    const c = text.charCodeAt(i);
    if (c === thousands) {
      // A separator needs 1-3 digits before the first one, exactly 3 between the others, and digits after.
      if (digitsInGroup === 0 || digitsInGroup > 3 || (grouped && digitsInGroup !== 3)) return undefined;
      grouped = true;
      digitsInGroup = 0;
      continue;
    }
    const digit = digitAt(text, i);
    if (Number.isNaN(digit)) return undefined;
    units = units * 10 + digit;
    digitsInGroup++;
  }
  if (digitsInGroup === 0 || (grouped && digitsInGroup !== 3)) return undefined;
  const minor = units * 100 + cents;
  return Number.isSafeInteger(minor) ? minor : undefined;
}

const COMMA = 0x2c;
const DOT = 0x2e;
const ZERO = 0x30;

/** The digit at `i`, or NaN. */
function digitAt(text: string, i: number): number {
  const digit = text.charCodeAt(i) - ZERO;
  return digit >= 0 && digit <= 9 ? digit : NaN;
}

function takeSign(s: string): { negative: boolean; rest: string } {
  if (s.startsWith('(') && s.endsWith(')')) return { negative: true, rest: s.slice(1, -1).trim() };
  if (s.startsWith('-') || s.startsWith('\u2212')) return { negative: true, rest: s.slice(1).trim() };
  if (s.endsWith('-') && s.length > 1) return { negative: true, rest: s.slice(0, -1).trim() };
  return { negative: false, rest: s };
}

function takeCurrency(s: string): { currency: string | undefined; rest: string } {
  const start = CURRENCY_AT_START.exec(s);
  if (start?.[1] !== undefined) return { currency: SYMBOLS[start[1]] ?? start[1], rest: s.slice(start[0].length) };
  const end = CURRENCY_AT_END.exec(s);
  if (end?.[1] !== undefined) return { currency: SYMBOLS[end[1]] ?? end[1], rest: s.slice(0, end.index) };
  return { currency: undefined, rest: s };
}

function parseUnsigned(s: string, format: NumberFormat, digits: number): Parsed<number> {
  if (!/^\d[\d.,' ]*$/.test(s) || !/\d$/.test(s)) return fail('is not an amount');
  const split = splitDecimal(s, format);
  if (!split.ok) return split;
  const { integer, fraction } = split.value;
  if (fraction.length > digits) {
    return fail(digits === 0 ? 'has decimals, but its currency has no minor unit' : `has more than ${digits} decimal places`);
  }
  const minor = Number(integer) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return fail('is too large');
  return ok(minor);
}

/** Finds the decimal separator and checks the thousands grouping of the rest. */
function splitDecimal(s: string, format: NumberFormat): Parsed<{ integer: string; fraction: string }> {
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let decimal: '.' | ',' | undefined;
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? '.' : ',';
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const count = s.split(sep).length - 1;
    const after = s.length - s.lastIndexOf(sep) - 1;
    const hasOtherGrouping = /[' ]/.test(s);
    if (count > 1) decimal = undefined;
    else if (after !== 3 || hasOtherGrouping || /^0[.,]/.test(s)) decimal = sep;
    else if (format === 'de') decimal = sep === ',' ? ',' : undefined;
    else if (format === 'en') decimal = sep === '.' ? '.' : undefined;
    else return fail(`reads two ways (${s.replace(sep, sep === '.' ? ',' : '.')} or ${s.replace(sep, '')}); set "import.numberFormat" to "de" or "en" in dunning.config.json`);
  }
  let integerPart = s;
  let fraction = '';
  if (decimal !== undefined) {
    const at = s.lastIndexOf(decimal);
    integerPart = s.slice(0, at);
    fraction = s.slice(at + 1);
    if (!/^\d+$/.test(fraction)) return fail('is not an amount');
  }
  const groups = integerPart.split(/[.,' ]/);
  if (groups.length > 1) {
    const [first, ...rest] = groups;
    const sepChars = new Set(integerPart.replace(/\d/g, ''));
    if (sepChars.size > 1 || !/^\d{1,3}$/.test(first ?? '') || rest.some((g) => !/^\d{3}$/.test(g))) {
      return fail('has misplaced thousands separators');
    }
  }
  return ok({ integer: groups.join(''), fraction });
}

/** The amount as a plain decimal string ("1234.56"), exact, for Intl formatting and CSV output. */
export function toDecimalString(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor).toString().padStart(digits + 1, '0');
  return digits === 0 ? sign + abs : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

// A send prints the same few amounts (a course price) over and over; formatting one costs microseconds.
const formatted = new Memo<string>();

/** Formats money for people in a locale (`1.234,56 €` in de), without ever going through a float. */
export function formatMoney(money: Money, locale: string): string {
  return formatted.get(`${locale}|${money.currency}|${money.minor}`, () => formatExactly(money, locale));
}

function formatExactly(money: Money, locale: string): string {
  const format = currencyFormat(locale, money.currency);
  const decimal = toDecimalString(money.minor, money.currency);
  // Intl formats decimal strings exactly (ECMA-402 NumberFormat v3), so no float ever holds the amount.
  if (!isDecimalLiteral(decimal)) throw new Error(`not a decimal: ${decimal}`);
  return format.format(decimal);
}

function isDecimalLiteral(s: string): s is `${number}` {
  return /^-?\d+(\.\d+)?$/.test(s);
}

/**
 * Integer sums per currency, and how many items each counts: money in different currencies is
 * never added together. The one place amounts are summed (status totals, a message's open amount,
 * the report).
 */
export class MoneyTotals {
  private readonly byCurrency = new Map<string, { minor: number; count: number }>();

  add(currency: string, minor: number): void {
    const total = this.byCurrency.get(currency);
    if (total === undefined) this.byCurrency.set(currency, { minor, count: 1 });
    else {
      total.minor += minor;
      total.count++;
    }
  }

  /** The sums in the order their currencies first came. */
  inOrder(): (Money & { count: number })[] {
    return [...this.byCurrency].map(([currency, t]) => ({ currency, minor: t.minor, count: t.count }));
  }

  /** The sums by currency code. */
  sorted(): (Money & { count: number })[] {
    return this.inOrder().sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  }
}

/** The open amount of some cases per currency, in order of first appearance. */
export function openByCurrency(cases: readonly { currency: string; openMinor: number }[]): Money[] {
  const totals = new MoneyTotals();
  for (const c of cases) totals.add(c.currency, c.openMinor);
  return totals.inOrder().map(({ currency, minor }) => ({ currency, minor }));
}
