import type { CalendarDate } from './dates.js';
import type { OrderLine } from './order-line.js';

/** Where a case stands. A stopped customer or case is a flag, not a status: it can be resumed. */
export type CaseStatus = 'open' | 'paid' | 'cancelled';

/** Why a case was closed. */
export type ClosedReason = 'paid_in_full' | 'missing_from_snapshot' | 'cancelled';

/** What the store knows of a case, as far as an import can change it. */
export interface KnownCase {
  status: CaseStatus;
  closedReason: ClosedReason | null;
  email: string;
  firstName: string;
  lastName: string;
  product: string;
  openMinor: number;
  paidMinor: number;
  currency: string;
  token: string | null;
  localeHint: string | null;
  extraJson: string;
}

/** What an export row does to a case. */
export type CaseChange =
  | { kind: 'new'; status: CaseStatus }
  | { kind: 'unchanged' }
  | { kind: 'updated'; status: CaseStatus; closedReason: ClosedReason | null; paymentMinor: number; reopened: boolean };

/** True when an export row owes nothing: its case is paid (a new one is never opened). */
export function isPaidInFull(line: Pick<OrderLine, 'openMinor'>): boolean {
  return line.openMinor === 0;
}

/** Decides what an export row means for the case it names: new, unchanged, a partial payment, paid, reopened. */
export function compareCase(known: KnownCase | undefined, line: Omit<OrderLine, 'extra'>, extraJson: string): CaseChange {
  const paid = isPaidInFull(line);
  if (known === undefined) return { kind: 'new', status: paid ? 'paid' : 'open' };
  const sameData =
    known.email === line.email &&
    known.firstName === line.firstName &&
    known.lastName === line.lastName &&
    known.product === line.product &&
    known.openMinor === line.openMinor &&
    known.paidMinor === line.paidMinor &&
    known.currency === line.currency &&
    known.token === line.token &&
    known.localeHint === line.localeHint &&
    known.extraJson === extraJson;
  // A case closed because a snapshot lacked it, that an export lists as open again, was not paid after all.
  const reopened = known.status === 'paid' && !paid;
  if (sameData && !reopened) return { kind: 'unchanged' };
  if (known.status === 'cancelled') return { kind: 'updated', status: 'cancelled', closedReason: known.closedReason, paymentMinor: 0, reopened: false };
  const drop = known.currency === line.currency ? known.openMinor - line.openMinor : 0;
  return {
    kind: 'updated',
    status: paid ? 'paid' : 'open',
    closedReason: paid ? 'paid_in_full' : null,
    paymentMinor: known.status === 'open' && drop > 0 ? drop : 0,
    reopened,
  };
}

/**
 * A snapshot that would close more than half of a source's open cases is more likely a wrong
 * file than a wave of payments; it needs `--force`.
 */
export function snapshotNeedsForce(openBefore: number, wouldClose: number): boolean {
  return wouldClose > 0 && wouldClose * 2 > openBefore;
}

/** Days a case is past due on `today` (negative before the due date). */
export type DaysOverdue = number;

/** The natural key of a case: one order's instalment due on one date, from one source. */
export interface CaseKey {
  source: string;
  orderId: string;
  dueDate: CalendarDate;
}
