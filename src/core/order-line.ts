import { addDaysToMoment, parseDueMoment, type CalendarDate, type DateOrder, type DueMoment } from './dates.js';
import { parseEmail } from './email.js';
import { isCurrencyCode, parseAmount, type CellAmount, type NumberFormat } from './money.js';
import { Memo } from './memo.js';
import { classifyStatus, needsBalance, termsDays, type StatusClass, type StatusRules } from './order-status.js';
import { splitFullName } from './full-name.js';
import { fail, ok, type Parsed } from './result.js';
import { unwrapSpreadsheetText } from './spreadsheet.js';
import { cleanText } from './text.js';
import { parseIdentifier, parsePayLink, parseToken } from './order-cells.js';
import { parseCustomerType, type CustomerType } from './customer-type.js';

/** The fields an export row maps to. */
export const FIELDS = [
  'email', 'first_name', 'last_name', 'name', 'order_id', 'product',
  'open_amount', 'paid_amount', 'due_date', 'token', 'currency', 'locale',
  // Issue 18: an order's status, its order date and payment terms (a due date made from them).
  'status', 'order_date', 'payment_terms', 'pay_link',
  // Issue 24: whether the customer is a business or a consumer (the statutory interest and flat fee differ).
  'customer_type',
] as const;
export type Field = (typeof FIELDS)[number];

/** Fields an export must have for its rows to be cases (elopage's; other presets need no token). */
export const REQUIRED_FIELDS: readonly Field[] = ['email', 'order_id', 'open_amount', 'due_date', 'token'];

/** The cells of one row by field (after header mapping), raw. */
export type RawOrderLine = Partial<Record<Field, string>>;

/** How to read the values of one source. */
export interface ReadingRules {
  numberFormat: NumberFormat;
  dateOrder: DateOrder;
  timeZone: string;
  /** Used when neither a currency column nor the amount names one. */
  currency: string;
  /** The zone of a date-time the export writes without an offset (Stripe's UTC columns); default `timeZone`. */
  wallZone?: string | undefined;
  /** The platform's status values; undefined: the export has no status column and every row is open. */
  status?: StatusRules | undefined;
  /** Days after the order date a row with no due date falls due (`import.dueAfterDays`); null: such a row is rejected. */
  dueAfterDays?: number | null | undefined;
}

/** One open amount of an order with one due date, read from an export row: a case as the export sees it. */
export interface OrderLine {
  email: string;
  emailKey: string;
  firstName: string;
  lastName: string;
  orderId: string;
  product: string;
  openMinor: number;
  paidMinor: number;
  currency: string;
  dueDate: CalendarDate;
  /** The due instant (ISO, UTC) when the export gave a time of day; null: the start of `dueDate`. */
  dueAt: string | null;
  /** The secret for the manage link; null when the cell is empty. */
  token: string | null;
  /** A language or country hint for the message locale, as the export wrote it. */
  localeHint: string | null;
  /** The whole URL of the order's pay page (an https:// URL), or null. */
  payLink?: string | null | undefined;
  /** `b2b` or `b2c` as the export says; null: the config's `lateCharges.customerType`. */
  customerType?: CustomerType | null | undefined;
  /** Columns that map to no field, by header, for templates. */
  extra: Record<string, string>;
}

/** A problem with one field of one row. */
export interface FieldProblem {
  field: Field;
  message: string;
}

/** A row that is not an open debt: its order (when the row names one), what the status says, and the status as written. */
export interface NotOpenLine {
  orderId: string | null;
  status: Exclude<StatusClass, 'open'>;
  /** The status value in lower case, or `nothing open` for a row that owes nothing and has no due date. */
  value: string;
  /** For a row to follow up by hand (`status` `follow_up`): who owes what, as far as the row says. */
  followUp?: FollowUpOrder | undefined;
}

/** An order the platform gave up on (Stripe's `uncollectible`): listed for the merchant, never mailed. */
export interface FollowUpOrder {
  email: string;
  name: string;
  /** The amount still owed, or null when the row's amount could not be read. */
  openMinor: number | null;
  currency: string;
}

/** A good row, a bad row (its problems), or a row that is no open debt (`notOpen`, with no problems). */
export type OrderLineResult = { ok: true; line: OrderLine } | { ok: false; problems: FieldProblem[]; notOpen?: undefined } | { ok: false; problems: []; notOpen: NotOpenLine };

const MAX_NAME = 200;
const MAX_PRODUCT = 500;

/** Validates and converts one mapped row; every problem of the row is reported, not only the first. */
export function parseOrderLine(raw: RawOrderLine, extra: Record<string, string>, rules: ReadingRules): OrderLineResult {
  const problems: FieldProblem[] = [];
  const memo = memoFor(rules);
  const reading = rules.status === undefined || raw.status === undefined ? undefined : classifyStatus(cell(raw.status), rules.status);
  if (reading !== undefined && reading.status !== 'open') return notOpen(raw, reading.status, reading.value);

  const email = take(problems, 'email', required(parseEmail(cell(raw.email)), 'an e-mail address'), null);
  const names = splitNames(
    take(problems, 'first_name', memo.name.get(cell(raw.first_name), cleanName), ''),
    take(problems, 'last_name', memo.name.get(cell(raw.last_name), cleanName), ''),
    take(problems, 'name', memo.fullName.get(cell(raw.name), cleanFullName), ''),
  );
  const orderId = take(problems, 'order_id', required(parseIdentifier(cell(raw.order_id)), 'an order ID'), '');
  const product = take(problems, 'product', memo.product.get(cell(raw.product), cleanProduct), '');
  const columnCurrency = take(problems, 'currency', memo.currency.get(cell(raw.currency), parseCurrencyCell), undefined);
  const fallback = columnCurrency ?? rules.currency;
  const open = take(problems, 'open_amount', required(parseAmount(cell(raw.open_amount), rules.numberFormat, fallback), 'an amount'), null);
  const paid = take(problems, 'paid_amount', paidAmount(memo, fallback, cell(raw.paid_amount)), null);
  let due = take(problems, 'due_date', memo.dueDate.get(cell(raw.due_date), memo.readDueDate), null);
  const token = take(problems, 'token', parseToken(cell(raw.token)), null);
  const localeHint = take(problems, 'locale', memo.locale.get(cell(raw.locale), cleanLocale), '');
  const payLink = take(problems, 'pay_link', parsePayLink(cell(raw.pay_link)), null);
  const customerType = take(problems, 'customer_type', parseCustomerType(cell(raw.customer_type)), null);

  // Nothing to pay: Shopify's partially_paid with no balance left, or a paid order with no due date in an all-orders export.
  if (open?.minor === 0 && reading !== undefined && rules.status !== undefined && needsBalance(reading.value, rules.status)) return notOpen(raw, 'paid', reading.value);
  due ??= dueFromOrderDate(raw, rules, problems);
  if (open?.minor === 0 && due === null) return notOpen(raw, 'paid', 'nothing open');
  if (open && open.minor < 0) problems.push({ field: 'open_amount', message: `is negative (${raw.open_amount ?? ''}); a credit is not an open payment` });
  if (paid && paid.minor < 0) problems.push({ field: 'paid_amount', message: `is negative (${raw.paid_amount ?? ''})` });
  const currency = agreeOnCurrency(columnCurrency, open?.currency, paid?.currency, rules.currency);
  if (!currency.ok) problems.push({ field: 'currency', message: currency.error });

  if (problems.length > 0 || email === null || orderId === null || open === null || due === null || !currency.ok) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    line: {
      email: email.address,
      emailKey: email.key,
      firstName: names.first,
      lastName: names.last,
      orderId,
      product,
      openMinor: open.minor,
      paidMinor: paid?.minor ?? 0,
      currency: currency.value,
      dueDate: due.date,
      dueAt: due.at,
      token,
      localeHint: localeHint === '' ? null : localeHint,
      payLink,
      customerType,
      extra,
    },
  };
}

function notOpen(raw: RawOrderLine, status: NotOpenLine['status'], value: string): OrderLineResult {
  const id = parseIdentifier(cell(raw.order_id));
  return { ok: false, problems: [], notOpen: { orderId: id.ok ? id.value : null, status, value } };
}

/**
 * A due date made from the order date, for a row whose due date is empty: the days its payment
 * terms give (Shopify's `Net 30`), else `import.dueAfterDays`. Undefined when neither applies, so
 * the row is rejected for its due date as before.
 */
function dueFromOrderDate(raw: RawOrderLine, rules: ReadingRules, problems: FieldProblem[]): DueMoment | null {
  const dueProblem = problems.findIndex((p) => p.field === 'due_date');
  if (dueProblem < 0 || cell(raw.due_date).trim() !== '') return null;
  const days = termsDays(cell(raw.payment_terms)) ?? rules.dueAfterDays ?? null;
  if (days === null) return null;
  const ordered = parseDueMoment(cell(raw.order_date), rules.dateOrder, rules.timeZone, rules.wallZone);
  if (ordered.ok && ordered.value === null) return null;
  problems.splice(dueProblem, 1);
  if (!ordered.ok) {
    problems.push({ field: 'order_date', message: ordered.error });
    return null;
  }
  return ordered.value === null ? null : addDaysToMoment(ordered.value, days, rules.timeZone);
}

/** A field's value, or `fallback` with the problem noted. Module-level, not a closure per row: it ran for 1M rows. */
function take<T>(problems: FieldProblem[], field: Field, parsed: Parsed<T>, fallback: T): T {
  if (parsed.ok) return parsed.value;
  problems.push({ field, message: parsed.error });
  return fallback;
}

/** A raw cell as text, with a spreadsheet's text wrapping undone. */
function cell(raw: string | undefined): string {
  return unwrapSpreadsheetText(raw ?? '');
}

/**
 * Readings of the cells that repeat from row to row, for one source's rules. E-mail addresses,
 * order IDs, tokens and open amounts are mostly different in every row and are read each time.
 */
interface CellMemo {
  name: Memo<Parsed<string>>;
  fullName: Memo<Parsed<string>>;
  product: Memo<Parsed<string>>;
  locale: Memo<Parsed<string>>;
  currency: Memo<Parsed<string | undefined>>;
  dueDate: Memo<Parsed<DueMoment | null>>;
  readDueDate: (text: string) => Parsed<DueMoment | null>;
  /** Paid amounts by the currency they fall back to. */
  paid: Memo<PaidMemo>;
  paidFor: (fallback: string) => PaidMemo;
}

interface PaidMemo {
  memo: Memo<Parsed<CellAmount | null>>;
  read: (text: string) => Parsed<CellAmount | null>;
}

const MEMO_LIMIT = 4096;
const memos = new WeakMap<ReadingRules, CellMemo>();

function memoFor(rules: ReadingRules): CellMemo {
  let memo = memos.get(rules);
  if (memo === undefined) {
    memo = {
      name: new Memo(MEMO_LIMIT),
      fullName: new Memo(MEMO_LIMIT),
      product: new Memo(MEMO_LIMIT),
      locale: new Memo(MEMO_LIMIT),
      currency: new Memo(MEMO_LIMIT),
      dueDate: new Memo(MEMO_LIMIT),
      readDueDate: (text) => required(parseDueMoment(text, rules.dateOrder, rules.timeZone, rules.wallZone), 'a due date'),
      paid: new Memo(),
      // Made once per rules: a closure made per row for the lookup cost an allocation a row.
      paidFor: (fallback) => ({ memo: new Memo(MEMO_LIMIT), read: (cell) => parseAmount(cell, rules.numberFormat, fallback) }),
    };
    memos.set(rules, memo);
  }
  return memo;
}

function paidAmount(memo: CellMemo, fallback: string, text: string): Parsed<CellAmount | null> {
  const amounts = memo.paid.get(fallback, memo.paidFor);
  return amounts.memo.get(text, amounts.read);
}

const cleanName = (text: string): Parsed<string> => cleanText(text, MAX_NAME);
const cleanFullName = (text: string): Parsed<string> => cleanText(text, MAX_NAME * 2);
const cleanProduct = (text: string): Parsed<string> => cleanText(text, MAX_PRODUCT);
const cleanLocale = (text: string): Parsed<string> => cleanText(text, 35);

function required<T>(parsed: Parsed<T | null>, what: string): Parsed<T | null> {
  if (parsed.ok && parsed.value === null) return fail(`is empty; every row needs ${what}`);
  return parsed;
}

function splitNames(first: string, last: string, full: string): { first: string; last: string } {
  if (first !== '' || last !== '' || full === '') return { first, last };
  return splitFullName(full);
}

function parseCurrencyCell(text: string): Parsed<string | undefined> {
  const s = text.trim().toUpperCase();
  if (s === '') return ok(undefined);
  const code = s === '€' ? 'EUR' : s;
  return isCurrencyCode(code) ? ok(code) : fail(`"${text}" is not an ISO currency code such as EUR`);
}

function agreeOnCurrency(column: string | undefined, open: string | undefined, paid: string | undefined, fallback: string): Parsed<string> {
  // Nearly every row names no currency at all: no list to build for it.
  if (column === undefined && open === undefined && paid === undefined) return ok(fallback);
  const distinct = [...new Set([column, open, paid].filter((c): c is string => c !== undefined))];
  if (distinct.length > 1) return fail(`the row names different currencies (${distinct.join(', ')})`);
  return ok(distinct[0] ?? fallback);
}
