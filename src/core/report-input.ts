import type { CalendarDate } from './dates.js';
import type { Discount } from './promo.js';

/** A case as the report sees it. */
export interface ReportCase {
  id: number;
  emailKey: string;
  currency: string;
  status: 'open' | 'paid' | 'cancelled';
  openMinor: number;
  dueDate: CalendarDate;
  closedAt: string | null;
  /** The customer's address as the export wrote it, the order and the name, for the list of who paid. */
  email?: string;
  orderId?: string;
  name?: string;
}

/** A message that went out about a case (one row per case of a sent message). */
export interface ReportReminder {
  caseId: number;
  stage: string;
  template: string;
  sentAt: string;
}

/** Money that came in on a case, as an import recorded it. */
export interface ReportPayment {
  caseId: number;
  amountMinor: number;
  at: string;
  /**
   * How the import learnt of it: `partial` (the open amount fell by this much), `in_full` (the
   * export says nothing is open any more), `missing_from_snapshot` (a full export no longer lists
   * the case). Only a partial payment says what was paid; the other two say the case closed.
   */
  kind?: 'partial' | 'in_full' | 'missing_from_snapshot';
}

/** A promo code handed to a customer. */
export interface ReportCode {
  emailKey: string;
  stage: string;
  issuedAt: string;
  expiresAt: string;
  /** What the code gives, when known. */
  discount?: Discount | null;
}
