/** How one removal of a customer's dunning tags ended. */
export type TagRemovalState = 'removed' | 'not_in_audience' | 'failed';

/** The newest removal of a customer's dunning tags. */
export interface TagRemovalAttempt {
  run: number;
  state: TagRemovalState;
  /** For a failure: true when trying again cannot help (Mailchimp refused the call itself). */
  permanent: boolean;
}

/** A customer a Mailchimp push reached, as the store knows them. */
export interface PushedCustomer {
  emailKey: string;
  /** The address of their newest push: the member in the audience. */
  email: string;
  /** The run of their newest push that tagged them (sent) or may have (unknown). */
  pushedInRun: number;
  /**
   * Their cases the reminders still pursue: open, in any source, and not stopped; 0 once the
   * merchant stopped dunning the customer (`dunning customer EMAIL --stop`).
   */
  casesInDunning: number;
  lastRemoval: TagRemovalAttempt | null;
}

/** Why a pushed customer's tags go now, or stay. */
export type TagDecision = 'due' | 'in_dunning' | 'removed_already' | 'refused';

/**
 * Decides whether a customer's dunning tags go now. A tag keeps the merchant's Customer Journey
 * going, so it goes once no case of the customer is pursued any more (paid, cancelled, missing from
 * a newer full export, or stopped by the merchant): exactly once after their newest push. A
 * removal that failed for a passing reason is due again; one Mailchimp refused for good is not
 * repeated until a later push.
 */
export function decideTagRemoval(customer: PushedCustomer): TagDecision {
  if (customer.casesInDunning > 0) return 'in_dunning';
  const last = customer.lastRemoval;
  // A removal in the run of the push came after it: a run pushes first and removes last.
  if (last === null || last.run < customer.pushedInRun) return 'due';
  if (last.state !== 'failed') return 'removed_already';
  return last.permanent ? 'refused' : 'due';
}

/** The customers whose dunning tags go in this run, optionally only one (send --email), by address key. */
export function dueTagRemovals(customers: readonly PushedCustomer[], onlyEmailKey?: string): PushedCustomer[] {
  return customers.filter((c) => (onlyEmailKey === undefined || c.emailKey === onlyEmailKey) && decideTagRemoval(c) === 'due');
}
