import { daysBetween, type CalendarDate } from './dates.js';
import { MoneyTotals, type Money } from './money.js';
import { applyDiscount } from './promo.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from './report-input.js';

/** One customer's payment after a reminder, for the list of who paid (newest first). */
export interface Payer {
  /** The calendar day the payment was seen, in the merchant's zone, and the instant. */
  day: CalendarDate;
  at: string;
  email: string;
  name: string;
  orders: string[];
  amount: Money[];
  /** The last reminder before the payment: its stage and template, and how many calendar days before. */
  stage: string;
  template: string;
  daysAfterReminder: number;
  /** True when the amount is the open amount less a promo code's discount (the export only said "closed"). */
  estimated: boolean;
}

/**
 * What a payment brought. A partial payment is what the open amount fell by. A case the export only
 * reports closed counts its open amount, less the discount of a code its customer held at that moment:
 * who paid with a 20 % code paid 80 % (issue 22).
 */
export function paidAmount(p: ReportPayment, c: ReportCase, codes: readonly ReportCode[]): { minor: number; estimated: boolean } {
  if (p.kind === undefined || p.kind === 'partial') return { minor: p.amountMinor, estimated: false };
  const held = codes.filter((code) => code.discount != null && code.issuedAt <= p.at && p.at <= code.expiresAt).at(-1);
  if (held?.discount == null) return { minor: p.amountMinor, estimated: false };
  const after = applyDiscount({ minor: p.amountMinor, currency: c.currency }, held.discount);
  return { minor: after.minor, estimated: after.minor !== p.amountMinor };
}

export interface PayerSums {
  first: ReportCase;
  at: string;
  day: CalendarDate;
  last: ReportReminder;
  reminderDay: CalendarDate;
  orders: Set<string>;
  sums: MoneyTotals;
  estimated: boolean;
}

/** Payments of one customer on one day after the same stage are one line of the list. */
export function addPayer(payers: Map<string, PayerSums>, p: { c: ReportCase; at: string; day: CalendarDate; last: ReportReminder; reminderDay: CalendarDate; minor: number; estimated: boolean }): void {
  const key = `${p.c.emailKey}|${p.day}|${p.last.stage}`;
  let found = payers.get(key);
  if (found === undefined) {
    found = { first: p.c, at: p.at, day: p.day, last: p.last, reminderDay: p.reminderDay, orders: new Set(), sums: new MoneyTotals(), estimated: false };
    payers.set(key, found);
  }
  if (p.at > found.at) found.at = p.at;
  found.orders.add(p.c.orderId ?? String(p.c.id));
  found.sums.add(p.c.currency, p.minor);
  found.estimated ||= p.estimated;
}

export function payerOf(p: PayerSums): Payer {
  return {
    day: p.day,
    at: p.at,
    email: p.first.email ?? p.first.emailKey,
    name: p.first.name ?? '',
    orders: [...p.orders].sort(),
    amount: p.sums.sorted().map(({ currency, minor }) => ({ currency, minor })),
    stage: p.last.stage,
    template: p.last.template,
    daysAfterReminder: daysBetween(p.reminderDay, p.day),
    estimated: p.estimated,
  };
}
