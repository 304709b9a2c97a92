import type { Money } from './money.js';
import type { Payer } from './report-payers.js';

/** What the merchant's daily digest counts (issue 22, `dunning report --mail-to`). */
export interface DigestFacts {
  /** The instant the digest counts from: the last digest's run, or the start of the day given. */
  since: string;
  /** Messages of the period by what became of them. */
  sent: number;
  failed: number;
  /** Every message whose fate is unknown, whenever it was sent: each needs a look before it is resent. */
  unknown: number;
  /** Who paid after a reminder in the period, and the amount per currency. */
  payers: readonly Payer[];
  paid: readonly Money[];
  /** Customers the sequence has given up on: they wait for the merchant to follow up by hand. */
  manualFollowUp: number;
  /** Promo codes held by customers with something open that stop holding today. */
  codesExpiringToday: number;
}

/** One thing the merchant should look at, most urgent first, with the command that shows it. */
export interface Attention {
  what: 'unknown' | 'failed' | 'manual_follow_up';
  count: number;
  text: string;
  command: string;
}

export interface Digest extends DigestFacts {
  attention: Attention[];
}

/**
 * What needs attention first: an unknown message may have reached the customer or not (a double
 * reminder costs goodwill, so nothing resends it by itself); then messages that failed; then
 * customers waiting for a personal word. A digest with any of them exits 1, so cron's own mail
 * reaches the merchant too.
 */
export function digestOf(facts: DigestFacts): Digest {
  const attention: Attention[] = [];
  if (facts.unknown > 0) {
    attention.push({ what: 'unknown', count: facts.unknown, text: `${facts.unknown} ${facts.unknown === 1 ? 'message' : 'messages'} of unknown fate: check whether ${facts.unknown === 1 ? 'it' : 'they'} arrived, then resend or leave ${facts.unknown === 1 ? 'it' : 'them'}`, command: 'dunning status' });
  }
  if (facts.failed > 0) {
    attention.push({ what: 'failed', count: facts.failed, text: `${facts.failed} ${facts.failed === 1 ? 'message' : 'messages'} failed since the last digest`, command: 'dunning runs --last 5' });
  }
  if (facts.manualFollowUp > 0) {
    attention.push({ what: 'manual_follow_up', count: facts.manualFollowUp, text: `${facts.manualFollowUp} ${facts.manualFollowUp === 1 ? 'customer waits' : 'customers wait'} for a personal follow-up: the sequence has ended for them`, command: 'dunning status' });
  }
  return { ...facts, attention };
}
