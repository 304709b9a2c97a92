import type { CalendarDate } from './dates.js';
import type { CustomerType } from './customer-type.js';

/**
 * The case model: one order's open amount with one due date. It has three shapes, and every other
 * view of a case is a `Pick` of one of them:
 *
 * - `OrderLine` (order-line.ts): a case as one export row gives it, before the store knows it;
 * - `StoredCase`: a case as the store keeps it, with its id, status and holds;
 * - `PlannedCase`: a case in a message, with how late it is and the stage it gets.
 */

/** Where a case stands. A stopped customer or case is a flag, not a status: it can be resumed. */
export type CaseStatus = 'open' | 'paid' | 'cancelled';

/** Why a case was closed. */
export type ClosedReason = 'paid_in_full' | 'missing_from_snapshot' | 'cancelled';

/** A case as the store keeps it; its customer's address and name are the newest export's. */
export interface StoredCase {
  id: number;
  /** The shop the case comes from (`elopage`, or `import.source`). */
  source: string;
  orderId: string;
  dueDate: CalendarDate;
  /** The due instant (ISO) when the export gave a time of day; null: due from the start of `dueDate`. */
  dueAt: string | null;
  email: string;
  /** The address lower-cased: what one customer's cases share. */
  emailKey: string;
  firstName: string;
  lastName: string;
  /** A language or country hint for the message locale, as the export wrote it. */
  localeHint: string | null;
  product: string;
  openMinor: number;
  paidMinor: number;
  currency: string;
  /** The secret the pay link is built from; null when the export had none. */
  token: string | null;
  /** The whole URL of the order's pay page from the export (`pay_link`), used as its link as it is; null: none. */
  payLink?: string | null | undefined;
  /** `b2b` or `b2c` from the export's customer_type column; null: the config's `lateCharges.customerType`. */
  customerType?: CustomerType | null | undefined;
  /** The export's columns that map to no field, by header. */
  extra: Readonly<Record<string, string>>;
  status: CaseStatus;
  closedReason: ClosedReason | null;
  closedAt: string | null;
  /** When an import first listed the case (ISO instant). */
  openedAt: string;
  /** A date (`YYYY-MM-DD`) or an instant; no message before it. */
  snoozedUntil: string | null;
  stoppedAt: string | null;
  stopReason: string | null;
}

/** A case as a message lists it: stored, with how late it is and the stage it gets in this message. */
export interface PlannedCase extends StoredCase {
  daysOverdue: number;
  /** This case's own stage; the message's stage is the highest among its cases. */
  stage: string;
  /** Which repeat of that stage (0: the stage itself). */
  repeat: number;
}

/** What holds a customer's or a case's messages: a snooze until a day, or a stop. */
export type Hold = Pick<StoredCase, 'snoozedUntil' | 'stoppedAt' | 'stopReason'>;

/** The customer a message goes to: the address and name of their newest case. */
export type Customer = Pick<StoredCase, 'email' | 'emailKey' | 'firstName' | 'lastName' | 'localeHint'>;

/** The customer of a list of cases: the address and name as the newest export (the highest id) gave them. */
export function customerOf(cases: readonly StoredCase[]): Customer {
  let newest = cases[0];
  for (const c of cases) if (newest === undefined || c.id > newest.id) newest = c;
  if (newest === undefined) throw new Error('customerOf: no cases');
  return { email: newest.email, emailKey: newest.emailKey, firstName: newest.firstName, lastName: newest.lastName, localeHint: newest.localeHint };
}

/** The extra columns of a case as stored (JSON); frozen, since the cases that share them share one object. */
export function parseExtra(json: string): Readonly<Record<string, string>> {
  const value: unknown = JSON.parse(json);
  if (value === null || typeof value !== 'object') return Object.freeze({});
  return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])));
}
