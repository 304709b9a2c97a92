/**
 * What an export's status column says about an order (issue 18): the platforms export every order,
 * and only some of them are open debts. A paid order closes its case as paid, a refunded, cancelled
 * or voided one as cancelled; a debt the platform gave up on (Stripe's `uncollectible`) is for the
 * merchant to follow up by hand, never mailed; a draft, an authorisation the merchant has yet to
 * capture or an unknown status leaves the case as it is and opens none.
 */
export type StatusClass = 'open' | 'paid' | 'cancelled' | 'follow_up' | 'other';

/** Status values of one platform, written as the export writes them (matched in any case). */
export interface StatusRules {
  open: readonly string[];
  paid: readonly string[];
  cancelled: readonly string[];
  /** Still owed, but for the merchant to follow up by hand, not to mail (Stripe's `uncollectible`). */
  followUp?: readonly string[];
  /** Open only while the open amount is above zero (Shopify's `partially_paid`). */
  openWithBalance?: readonly string[];
}

/** How a status value reads: its class and the value as a key for the summary (lower case, trimmed). */
export interface StatusReading {
  status: StatusClass;
  value: string;
}

/** Reads a status cell; an empty cell is `open` (the row says nothing), an unknown value `other`. */
export function classifyStatus(cell: string, rules: StatusRules): StatusReading {
  const value = cell.trim().replace(/\s+/g, ' ').toLowerCase();
  if (value === '') return { status: 'open', value };
  if (has(rules.open, value) || has(rules.openWithBalance ?? [], value)) return { status: 'open', value };
  if (has(rules.paid, value)) return { status: 'paid', value };
  if (has(rules.cancelled, value)) return { status: 'cancelled', value };
  if (has(rules.followUp ?? [], value)) return { status: 'follow_up', value };
  return { status: 'other', value };
}

/** True for a status that is open only while something is left to pay. */
export function needsBalance(value: string, rules: StatusRules): boolean {
  return has(rules.openWithBalance ?? [], value);
}

function has(list: readonly string[], value: string): boolean {
  for (const item of list) if (item.toLowerCase() === value) return true;
  return false;
}

/** Days a payment-terms cell gives (`Net 15`, `Net 30`, `Due on receipt`, `14 Tage netto`), or null when it names none. */
export function termsDays(cell: string): number | null {
  const s = cell.trim().toLowerCase();
  if (s === '') return null;
  if (/^due on (receipt|fulfil?lment)$/.test(s) || s === 'sofort') return 0;
  const match = /(?:^|\D)(\d{1,3})(?:\D|$)/.exec(s);
  return match ? Number(match[1]) : null;
}
