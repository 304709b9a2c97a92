import type { BaseRatePeriod, BaseRates } from './base-rates.js';
import { addDays, dateOfDay, dayNumber, type CalendarDate } from './dates.js';
import { parseAmount } from './money.js';
import { fail, ok, type Parsed } from './result.js';

/** Who owes: a consumer or a business (§288 BGB treats them apart). */
import type { CustomerType } from './customer-type.js';

export type { CustomerType };

/** Percentage points over the base rate, in hundredths: §288(1) BGB for consumers, §288(2) for businesses. */
export const STATUTORY_MARGIN: Readonly<Record<CustomerType, number>> = { b2c: 500, b2b: 900 };

/** The Verzugspauschale of §288(5) BGB, in cents of EUR: once per claim, businesses only. */
export const FLAT_FEE_B2B_MINOR = 4000;

/** A partial payment as the imports saw it: the open amount is lower from that day on. */
export interface PaymentSeen {
  day: CalendarDate;
  minor: number;
}

/** Days at one rate on one open amount. */
export interface InterestSpan {
  from: CalendarDate;
  to: CalendarDate;
  days: number;
  /** The yearly rate, in hundredths of a percent (7.27 % is 727). */
  rate: number;
  openMinor: number;
}

/** Default interest on one order up to a day. */
export interface Interest {
  minor: number;
  days: number;
  /** The first day of interest (the day after the due date); null when none is owed yet. */
  from: CalendarDate | null;
  /** The rate on the last day counted, in hundredths of a percent; null when none is owed yet. */
  rate: number | null;
  spans: InterestSpan[];
}

/** What the interest of an order needs. */
export interface InterestInput {
  dueDate: CalendarDate;
  /** The day of the calculation ("today" in the merchant's zone), counted in full. */
  today: CalendarDate;
  /** Open now, after every payment in `payments`. */
  openMinor: number;
  payments: readonly PaymentSeen[];
  customerType: CustomerType;
  rates: BaseRates;
}

/**
 * Statutory default interest (§288 BGB): simple interest on the amount open on each day after the
 * due date up to and including `today`, one 365th of the yearly rate per day (leap years too), each
 * day at the rate in force, summed exactly and rounded once to the cent, half up. A day no base-rate
 * period covers is returned as `uncovered` instead of a guess.
 */
export function statutoryInterest(input: InterestInput): { ok: true; interest: Interest } | { ok: false; uncovered: CalendarDate } {
  const first = addDays(input.dueDate, 1);
  if (dayNumber(input.today) < dayNumber(first)) return { ok: true, interest: { minor: 0, days: 0, from: null, rate: null, spans: [] } };
  if (input.rates.on(first) === undefined) return { ok: false, uncovered: first };
  if (input.rates.on(input.today) === undefined) return { ok: false, uncovered: addDays(input.rates.coveredUntil, 1) };
  const margin = STATUTORY_MARGIN[input.customerType];
  const spans: InterestSpan[] = [];
  let numerator = 0n;
  for (const period of input.rates.spans(first, input.today)) {
    for (const piece of byOpenAmount(period.from, period.to, input.openMinor, input.payments)) {
      const days = dayNumber(piece.to) - dayNumber(piece.from) + 1;
      const rate = period.hundredths + margin;
      spans.push({ ...piece, days, rate });
      numerator += BigInt(piece.openMinor) * BigInt(rate) * BigInt(days);
    }
  }
  const days = dayNumber(input.today) - dayNumber(first) + 1;
  return { ok: true, interest: { minor: roundHalfUp(numerator, 365n * 10_000n), days, from: first, rate: spans[spans.length - 1]?.rate ?? null, spans } };
}

/** The days from `from` to `to` cut where a payment changed the open amount. */
function byOpenAmount(from: CalendarDate, to: CalendarDate, openNow: number, payments: readonly PaymentSeen[]): { from: CalendarDate; to: CalendarDate; openMinor: number }[] {
  const start = dayNumber(from);
  const end = dayNumber(to);
  const cuts = [...new Set(payments.map((p) => dayNumber(p.day)).filter((d) => d > start && d <= end))].sort((a, b) => a - b);
  const bounds = [start, ...cuts, end + 1];
  const out: { from: CalendarDate; to: CalendarDate; openMinor: number }[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i] ?? start;
    const b = (bounds[i + 1] ?? end + 1) - 1;
    // Open on day a: what is open now plus every payment seen after it.
    const openMinor = openNow + payments.filter((p) => dayNumber(p.day) > a).reduce((sum, p) => sum + p.minor, 0);
    if (openMinor > 0) out.push({ from: addDays(from, a - start), to: addDays(from, b - start), openMinor });
  }
  return out;
}

/** n / d rounded to the nearest integer, halves away from zero (kaufmännisch). */
function roundHalfUp(n: bigint, d: bigint): number {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const rounded = (abs * 2n + d) / (2n * d);
  return Number(negative ? -rounded : rounded);
}

/** One order's claim: what was open, the interest, the fees, the total. */
export interface OrderClaim {
  principalMinor: number;
  interest: Interest;
  flatFeeMinor: number;
  feesMinor: number;
  totalMinor: number;
}

/** What a claim of several orders adds: fees once per claim, interest per order. */
export interface ClaimTerms {
  customerType: CustomerType;
  /** Charge the 40 EUR Verzugspauschale (businesses only, claims in EUR only). */
  flatFeeB2B: boolean;
  /** Dunning fees of the stages that went out, this one included. */
  feesMinor: number;
  currency: string;
}

/**
 * The claim of a message: each order's principal and interest; the flat fee and the stage fees once
 * for the whole claim, booked on its first order so the orders add up to the total.
 */
export function claimOf(orders: readonly { principalMinor: number; interest: Interest }[], terms: ClaimTerms): OrderClaim[] {
  const flatFee = terms.flatFeeB2B && terms.customerType === 'b2b' && terms.currency === 'EUR' ? FLAT_FEE_B2B_MINOR : 0;
  return orders.map((order, i) => {
    const flatFeeMinor = i === 0 ? flatFee : 0;
    const feesMinor = i === 0 ? terms.feesMinor : 0;
    return { ...order, flatFeeMinor, feesMinor, totalMinor: order.principalMinor + order.interest.minor + flatFeeMinor + feesMinor };
  });
}

/** A stage's fee as the config writes it ("2,50"), in minor units of `currency`; an error when unreadable or negative. */
export function stageFee(text: string | undefined, currency: string): Parsed<number> {
  if (text === undefined) return ok(0);
  const parsed = parseAmount(text, 'auto', currency);
  if (!parsed.ok) return parsed;
  if (parsed.value === null) return fail('is empty');
  if (parsed.value.currency !== undefined && parsed.value.currency !== currency) return fail(`is in ${parsed.value.currency}, the claims in ${currency}`);
  if (parsed.value.minor < 0) return fail('is negative');
  return ok(parsed.value.minor);
}

/** The merchant's base-rate periods (`{"from", "rate"}` in percent) as periods of hundredths; an error names the entry. */
export function ownBaseRates(entries: readonly { from: string; rate: number }[]): Parsed<BaseRatePeriod[]> {
  const periods: BaseRatePeriod[] = [];
  for (const [i, entry] of entries.entries()) {
    if (dateOfDay(dayNumber(entry.from)) !== entry.from) return fail(`${i}.from: "${entry.from}" is not a calendar date`);
    const hundredths = Math.round(entry.rate * 100);
    if (Math.abs(entry.rate * 100 - hundredths) > 1e-6) return fail(`${i}.rate: ${entry.rate} has more than two decimals (the Bundesbank publishes e.g. 1.27)`);
    periods.push({ from: entry.from, hundredths });
  }
  return ok(periods);
}

/** One order of a message, as the claim needs it. */
export interface ClaimOrder {
  id: number;
  /** The export's customer type of this order; undefined or null: the terms' default. */
  customerType?: CustomerType | null | undefined;
  dueDate: CalendarDate;
  openMinor: number;
  currency: string;
  payments: readonly PaymentSeen[];
}

/** A claim's sums in one currency. */
export interface ClaimSums {
  currency: string;
  principalMinor: number;
  interestMinor: number;
  flatFeeMinor: number;
  feesMinor: number;
  totalMinor: number;
}

/** The claim of a message: each order's, by case id, and the sums per currency (one, almost always). */
export interface MessageClaim {
  orders: ReadonlyMap<number, OrderClaim>;
  sums: ClaimSums[];
}

/** What the claim of a message is made with. */
export interface MessageClaimTerms {
  interest: 'de-statutory' | 'none';
  customerType: CustomerType;
  flatFeeB2B: boolean;
  /** The stage fees of this message and the earlier ones that went out, in `feeCurrency`. */
  feesMinor: number;
  feeCurrency: string;
  today: CalendarDate;
  rates: BaseRates;
}

/**
 * The claim of one message: interest per order, the flat fee and the fees once per claim (on the
 * first order in the fees' currency). A day no base-rate period covers is returned as `uncovered`.
 */
export function messageClaim(orders: readonly ClaimOrder[], terms: MessageClaimTerms): { ok: true; claim: MessageClaim } | { ok: false; uncovered: CalendarDate } {
  const byCurrency = new Map<string, { order: ClaimOrder; interest: Interest }[]>();
  for (const order of orders) {
    const interest = interestOf(order, terms);
    if (!interest.ok) return interest;
    const group = byCurrency.get(order.currency) ?? [];
    group.push({ order, interest: interest.interest });
    byCurrency.set(order.currency, group);
  }
  const claims = new Map<number, OrderClaim>();
  const sums: ClaimSums[] = [];
  for (const [currency, group] of byCurrency) {
    const fees = currency === terms.feeCurrency ? terms.feesMinor : 0;
    // The flat fee is owed once per claim when the debtor is a business: any order of the claim says so.
    const customerType = group.some((g) => typeOfOrder(g.order, terms) === 'b2b') ? 'b2b' : 'b2c';
    const lines = claimOf(group.map((g) => ({ principalMinor: g.order.openMinor, interest: g.interest })), { customerType, flatFeeB2B: terms.flatFeeB2B, feesMinor: fees, currency });
    const sum: ClaimSums = { currency, principalMinor: 0, interestMinor: 0, flatFeeMinor: 0, feesMinor: 0, totalMinor: 0 };
    lines.forEach((line, i) => {
      const id = group[i]?.order.id;
      if (id !== undefined) claims.set(id, line);
      sum.principalMinor += line.principalMinor;
      sum.interestMinor += line.interest.minor;
      sum.flatFeeMinor += line.flatFeeMinor;
      sum.feesMinor += line.feesMinor;
      sum.totalMinor += line.totalMinor;
    });
    sums.push(sum);
  }
  return { ok: true, claim: { orders: claims, sums } };
}

const NO_INTEREST: Interest = { minor: 0, days: 0, from: null, rate: null, spans: [] };

function interestOf(order: ClaimOrder, terms: MessageClaimTerms): ReturnType<typeof statutoryInterest> {
  if (terms.interest === 'none') return { ok: true, interest: NO_INTEREST };
  return statutoryInterest({ dueDate: order.dueDate, today: terms.today, openMinor: order.openMinor, payments: order.payments, customerType: typeOfOrder(order, terms), rates: terms.rates });
}

function typeOfOrder(order: ClaimOrder, terms: MessageClaimTerms): CustomerType {
  return order.customerType ?? terms.customerType;
}
