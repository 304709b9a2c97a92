import { utcMidnight, type CalendarDate } from './dates.js';
import { dateFormat, dateTimeFormat, percentFormat } from './intl-formats.js';
import { Memo } from './memo.js';
import { formatMoney, openByCurrency } from './money.js';
import { applyDiscount, type Discount } from './promo.js';
import type { MessageClaim, OrderClaim } from './late-charges.js';

/**
 * The flat variables every provider template can use: Mailjet `{{var:NAME:""}}`, Mailchimp merge
 * tags (mapped in src/channels/mailchimp-fields.ts), and the merge-field CSV of `dunning export`.
 * One list, so a name is spelled the same everywhere.
 */
export const MERGE_FIELD_NAMES = [
  'first_name', 'last_name', 'full_name', 'email', 'company',
  'open_amount', 'open_amount_minor', 'currency',
  'due_date', 'due_date_iso', 'days_overdue',
  'order_ids', 'order_count', 'products', 'manage_link',
  'stage', 'stage_number',
  'promo_code', 'promo_discount', 'promo_expires', 'promo_expires_iso',
  'promo_before', 'promo_after', 'promo_valid_hours',
  // Issue 24: the claim with late charges (lateCharges) and the stage's pay-by date (payWithin).
  'claim_principal', 'claim_interest', 'claim_fees', 'claim_total', 'claim_total_minor', 'interest_rate', 'interest_days',
  'pay_by', 'pay_by_iso',
] as const;
export type MergeFieldName = (typeof MERGE_FIELD_NAMES)[number];

/** What each variable holds, for `dunning templates mailjet-vars` and the README. */
export const MERGE_FIELD_DESCRIPTIONS = {
  first_name: "customer's first name (may be empty)",
  last_name: "customer's last name (may be empty)",
  full_name: 'first and last name',
  email: "customer's e-mail address",
  company: 'your company name (sender.company)',
  open_amount: 'total open amount, formatted for the locale',
  open_amount_minor: 'total open amount in cents (a number)',
  currency: 'ISO currency code of the open amount',
  due_date: 'earliest due date, formatted for the locale',
  due_date_iso: 'earliest due date as YYYY-MM-DD',
  days_overdue: 'days past the earliest due date (a number)',
  order_ids: 'the open orders, comma-separated',
  order_count: 'how many open orders the message lists (a number)',
  products: 'product names of the open orders, comma-separated',
  manage_link: "the first order's own pay/manage link",
  stage: 'stage name, e.g. reminder',
  stage_number: 'position of the stage in the sequence, from 1 (a number)',
  promo_code: 'promo code of this stage, or empty',
  promo_discount: 'the promo discount, e.g. "10 %" or "5,00 €", or empty',
  promo_expires: 'when the promo code expires, formatted for the locale, or empty',
  promo_expires_iso: 'when the promo code expires, ISO 8601 UTC, or empty',
  promo_before: 'the open amount before the promo discount, formatted for the locale, or empty',
  promo_after: 'the open amount after the promo discount (what the customer pays with the code), or empty',
  promo_valid_hours: 'how many hours the promo code holds after the message (a number), or empty',
  claim_principal: 'the principal of the claim, formatted for the locale, or empty without lateCharges',
  claim_interest: 'default interest to today, formatted for the locale, or empty without lateCharges',
  claim_fees: 'the B2B flat fee and the dunning fees (this notice\'s included), formatted, or empty without lateCharges',
  claim_total: 'principal, interest and fees together, formatted for the locale, or empty without lateCharges',
  claim_total_minor: 'the claim\'s total in cents (a number), or empty without lateCharges',
  interest_rate: 'the yearly default interest rate, e.g. "7,27 %", or empty',
  interest_days: 'days of default interest (a number), or empty',
  pay_by: 'the pay-by date of the stage\'s payWithin, formatted for the locale, or empty',
  pay_by_iso: 'the pay-by date as YYYY-MM-DD, or empty',
} as const satisfies Record<MergeFieldName, string>;

/** The names of one order's record in the `orders` list (for loops in provider templates). */
export const ORDER_FIELD_NAMES = [
  'order_id', 'product', 'open', 'open_amount', 'open_amount_minor', 'currency', 'due_date', 'due_date_iso', 'days_overdue', 'manage_link',
] as const;
export type OrderFieldName = (typeof ORDER_FIELD_NAMES)[number];

/** One open case as a message lists it. */
export interface MergeFieldCase {
  orderId: string;
  product: string;
  openMinor: number;
  currency: string;
  dueDate: CalendarDate;
  daysOverdue: number;
  /** The case's own manage/pay link, built from its own token. */
  manageLink: string;
  /** The export's other columns of this case (customer number, company, city, ...), by header. */
  extra?: Readonly<Record<string, string>>;
}

/** A promo code handed out with a stage (terms as promoTerms() in promo.ts gives them). */
export interface MergeFieldPromo {
  code: string;
  /** ISO 8601 instant. */
  expiresAt: string;
  discount?: Discount;
  /** How long the code holds after the message, in hours. */
  validHours?: number;
}

/** Everything the variables are made of: one customer, the cases of one message, the stage. */
export interface MergeFieldInput {
  customer: { email: string; firstName: string; lastName: string };
  /** The cases this message is about, in the order it lists them; at least one. */
  cases: readonly MergeFieldCase[];
  stage: { name: string; number: number };
  /** BCP 47 language of the message, e.g. `de` or `en`. */
  locale: string;
  /** IANA zone in which the promo expiry is shown. */
  timeZone: string;
  company: string;
  promo?: MergeFieldPromo;
  /** The claim with late charges, when the config has `lateCharges`. */
  claim?: MessageClaim | undefined;
  /** The pay-by day of the stage's `payWithin`, or null. */
  payBy?: CalendarDate | null | undefined;
}

export type MergeFields = Record<MergeFieldName, string | number>;
export type OrderFields = Record<OrderFieldName, string | number>;

/** The flat variables of one message: every name in MERGE_FIELD_NAMES, always present (empty when unknown). */
export function mergeFields(input: MergeFieldInput): MergeFields {
  const first = input.cases[0];
  if (first === undefined) throw new Error('mergeFields needs at least one case');
  const { locale } = input;
  const firstName = plain(input.customer.firstName);
  const lastName = plain(input.customer.lastName);
  const earliest = input.cases.reduce((a, b) => (b.dueDate < a.dueDate ? b : a));
  const totals = openByCurrency(input.cases);
  const main = totals.find((t) => t.currency === first.currency) ?? { currency: first.currency, minor: first.openMinor };
  return {
    first_name: firstName,
    last_name: lastName,
    full_name: [firstName, lastName].filter((s) => s !== '').join(' '),
    email: plain(input.customer.email),
    company: plain(input.company),
    // Amounts in different currencies are never added up: each is listed on its own.
    open_amount: totals.map((t) => formatMoney(t, locale)).join(', '),
    open_amount_minor: main.minor,
    currency: main.currency,
    due_date: formatCalendarDate(earliest.dueDate, locale),
    due_date_iso: earliest.dueDate,
    days_overdue: Math.max(...input.cases.map((c) => c.daysOverdue)),
    order_ids: input.cases.map((c) => plain(c.orderId)).join(', '),
    order_count: input.cases.length,
    products: [...new Set(input.cases.map((c) => plain(c.product)).filter((p) => p !== ''))].join(', '),
    manage_link: first.manageLink,
    stage: input.stage.name,
    stage_number: input.stage.number,
    ...promoFields(input.promo, input.cases, locale, input.timeZone),
    ...claimFields(input.claim, locale),
    pay_by: input.payBy === undefined || input.payBy === null ? '' : formatCalendarDate(input.payBy, locale),
    pay_by_iso: input.payBy ?? '',
  };
}

type ClaimFieldName = 'claim_principal' | 'claim_interest' | 'claim_fees' | 'claim_total' | 'claim_total_minor' | 'interest_rate' | 'interest_days';

/** The claim's amounts (each currency on its own, as open_amount lists them), the rate and days of the oldest order. */
function claimFields(claim: MessageClaim | undefined, locale: string): Record<ClaimFieldName, string | number> {
  if (claim === undefined) return { claim_principal: '', claim_interest: '', claim_fees: '', claim_total: '', claim_total_minor: '', interest_rate: '', interest_days: '' };
  const list = (minor: (s: MessageClaim['sums'][number]) => number): string => claim.sums.map((s) => formatMoney({ minor: minor(s), currency: s.currency }, locale)).join(', ');
  const oldest = [...claim.orders.values()].reduce<OrderClaim | undefined>((a, b) => (a === undefined || b.interest.days > a.interest.days ? b : a), undefined);
  const rate = oldest?.interest.rate ?? null;
  return {
    claim_principal: list((s) => s.principalMinor),
    claim_interest: list((s) => s.interestMinor),
    claim_fees: list((s) => s.flatFeeMinor + s.feesMinor),
    claim_total: list((s) => s.totalMinor),
    claim_total_minor: claim.sums[0]?.totalMinor ?? '',
    interest_rate: rate === null ? '' : percentFormat(locale).format(rate / 10000),
    interest_days: oldest?.interest.days ?? 0,
  };
}

/**
 * A header of the export as a variable name: lower case, every run of other characters one `_`,
 * never starting with a digit (`Kunden-Nr.` -> `kunden_nr`, `2. Adresse` -> `x2_adresse`).
 */
export function safeFieldName(header: string): string {
  const name = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return name === '' ? '' : /^[0-9]/.test(name) ? `x${name}` : name;
}

/**
 * The merchant's own columns of a message (anything kept in a case's `extra`) under safe names:
 * the first order's value, else the first non-empty one of the others. A name that is one of ours
 * (MERGE_FIELD_NAMES, `orders`) or empty is left out: ours always win.
 */
export function extraFields(cases: readonly Pick<MergeFieldCase, 'extra'>[]): Record<string, string> {
  const out: Record<string, string> = {};
  const taken = new Set<string>([...MERGE_FIELD_NAMES, 'orders']);
  for (const c of cases) {
    for (const [header, value] of Object.entries(c.extra ?? {})) {
      const name = safeFieldName(header);
      if (name === '' || taken.has(name)) continue;
      const text = plain(value);
      if ((out[name] ?? '') === '') out[name] = text;
    }
  }
  return out;
}

/** One record per case, for loops over `orders` in provider templates. */
export function orderFields(input: Pick<MergeFieldInput, 'cases' | 'locale'>): OrderFields[] {
  return input.cases.map((c) => ({
    order_id: plain(c.orderId),
    product: plain(c.product),
    open: formatMoney({ minor: c.openMinor, currency: c.currency }, input.locale),
    open_amount: formatMoney({ minor: c.openMinor, currency: c.currency }, input.locale),
    open_amount_minor: c.openMinor,
    currency: c.currency,
    due_date: formatCalendarDate(c.dueDate, input.locale),
    due_date_iso: c.dueDate,
    days_overdue: c.daysOverdue,
    manage_link: c.manageLink,
  }));
}

type PromoFieldName = 'promo_code' | 'promo_discount' | 'promo_expires' | 'promo_expires_iso' | 'promo_before' | 'promo_after' | 'promo_valid_hours';

function promoFields(promo: MergeFieldPromo | undefined, cases: readonly MergeFieldCase[], locale: string, timeZone: string): Record<PromoFieldName, string | number> {
  if (promo === undefined) return { promo_code: '', promo_discount: '', promo_expires: '', promo_expires_iso: '', promo_before: '', promo_after: '', promo_valid_hours: '' };
  const expires = new Date(promo.expiresAt);
  const valid = !Number.isNaN(expires.getTime());
  const totals = openByCurrency(cases);
  const { discount } = promo;
  return {
    promo_code: plain(promo.code),
    promo_discount: discount === undefined ? '' : formatDiscount(discount, locale),
    promo_expires: valid ? dateTimeFormat(locale, timeZone).format(expires) : '',
    promo_expires_iso: valid ? expires.toISOString() : '',
    promo_before: totals.map((t) => formatMoney(t, locale)).join(', '),
    promo_after: discount === undefined ? '' : totals.map((t) => formatMoney(applyDiscount(t, discount), locale)).join(', '),
    promo_valid_hours: promo.validHours ?? '',
  };
}

function formatDiscount(discount: Discount, locale: string): string {
  if ('amountOff' in discount) return formatMoney(discount.amountOff, locale);
  return percentFormat(locale).format(discount.percentOff / 100);
}

/** A calendar date as people of `locale` write it (`01.03.2025`, `Mar 1, 2025`). */
export function formatCalendarDate(date: CalendarDate, locale: string): string {
  // The date is a calendar day, not an instant: format it in UTC so no zone shifts it by a day.
  return calendarDates.get(`${locale}|${date}`, () => dateFormat(locale, 'medium', 'UTC').format(utcMidnight(date)));
}

const calendarDates = new Memo<string>();

// Control characters and Unicode line breaks would end up in rendered provider e-mails (bad-inputs.md §1).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

function plain(text: string): string {
  return text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
}

/** An example customer with two orders at the final stage, for listings of the variables. */
export function sampleMergeInput(locale: string): MergeFieldInput {
  return {
    customer: { email: 'anna.mueller@example.com', firstName: 'Anna', lastName: 'Müller' },
    cases: [
      { orderId: 'A-1042', product: 'Online-Kurs Pro', openMinor: 4990, currency: 'EUR', dueDate: '2025-03-01', daysOverdue: 9, manageLink: 'https://example.com/payment/TOKEN1/manage' },
      { orderId: 'A-1077', product: 'Coaching', openMinor: 12000, currency: 'EUR', dueDate: '2025-03-04', daysOverdue: 6, manageLink: 'https://example.com/payment/TOKEN2/manage' },
    ],
    stage: { name: 'final', number: 3 },
    locale,
    timeZone: 'Europe/Berlin',
    company: 'Your Company',
    promo: { code: 'BACK10', expiresAt: '2025-03-13T17:00:00.000Z', discount: { percentOff: 10 }, validHours: 72 },
    claim: {
      orders: new Map([
        [1, { principalMinor: 4990, interest: { minor: 9, days: 9, from: '2025-03-02', rate: 727, spans: [] }, flatFeeMinor: 0, feesMinor: 250, totalMinor: 5249 }],
        [2, { principalMinor: 12000, interest: { minor: 14, days: 6, from: '2025-03-05', rate: 727, spans: [] }, flatFeeMinor: 0, feesMinor: 0, totalMinor: 12014 }],
      ]),
      sums: [{ currency: 'EUR', principalMinor: 16990, interestMinor: 23, flatFeeMinor: 0, feesMinor: 250, totalMinor: 17263 }],
    },
    payBy: '2025-03-17',
  };
}
