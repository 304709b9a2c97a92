/**
 * Suppressions (issue 23): an address that unsubscribed from offers gets plain reminders without a
 * code; one that bounced for good or complained gets nothing more, and its cases go to a person.
 */

/** 'offers': no more promo codes; 'all': no more messages. */
export type SuppressionScope = 'offers' | 'all';

/** Why: the customer unsubscribed (or the merchant imported them), the address bounced, or the customer marked a message as spam. */
export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

/** One suppressed address, as the store keeps it. */
export interface Suppression {
  emailKey: string;
  scope: SuppressionScope;
  reason: SuppressionReason;
  /** The report's words, e.g. "5.1.1 user unknown"; empty for an unsubscribe. */
  detail: string;
  /** When it happened (the report's date), ISO. */
  happenedAt: string;
  /** Where it came from: the file, or the provider. */
  source: string;
}

/** How `status`, `customer` and `send` say why an address gets nothing: "address bounced 2025-03-18: 5.1.1 user unknown". */
export function describeSuppression(s: Pick<Suppression, 'reason' | 'detail'>, day: string): string {
  const what = s.reason === 'bounced' ? 'address bounced' : s.reason === 'complained' ? 'the customer reported a message as spam' : 'unsubscribed';
  return `${what} ${day}${s.detail === '' ? '' : `: ${s.detail}`}`;
}

/** Temporary failures (4.x.x) in a row that count as a permanent one. */
export const TEMPORARY_FAILURES_AS_PERMANENT = 3;
