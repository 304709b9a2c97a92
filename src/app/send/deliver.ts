import { ChannelStopError, type Channel, type DeliveryOutcome, type OutgoingMessage } from '../ports.js';

/** How temporary failures are retried: a bounded number of tries with doubling delays. */
export interface RetryPolicy {
  /** Tries after the first one. */
  retries: number;
  /** Delay before the first retry; doubles for each further one. */
  baseDelayMs: number;
  /** A server asking to wait longer than this is not waited for: the message fails and a later run retries. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Waits; a parameter so that an abort can cut a wait short. */
export type Sleep = (ms: number) => Promise<void>;

/** Waits for `ms` milliseconds. */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function retryable(outcome: DeliveryOutcome | undefined): boolean {
  return outcome !== undefined && outcome.state === 'failed' && !outcome.permanent;
}

/**
 * Sends a batch and retries the messages that failed temporarily (SMTP 4xx, dropped connections,
 * timeouts), waiting longer each time and at least as long as the server asked. Returns one
 * outcome per message, in order. A ChannelStopError from the channel passes through.
 */
export async function deliverWithRetry(channel: Channel, batch: readonly OutgoingMessage[], policy: RetryPolicy, wait: Sleep): Promise<DeliveryOutcome[]> {
  const outcomes = await channel.send(batch);
  if (outcomes.length !== batch.length) throw new Error(`channel ${channel.name} returned ${outcomes.length} outcomes for ${batch.length} messages`);
  for (let retry = 1; retry <= policy.retries; retry++) {
    const again = outcomes.flatMap((o, i) => (retryable(o) ? [i] : []));
    if (again.length === 0) break;
    const asked = Math.max(0, ...again.map((i) => outcomes[i]?.state === 'failed' ? (outcomes[i]?.retryAfterMs ?? 0) : 0));
    if (asked > policy.maxDelayMs) break;
    await wait(Math.min(policy.maxDelayMs, Math.max(asked, policy.baseDelayMs * 2 ** (retry - 1))));
    const retried = await channel.send(again.flatMap((i) => batch[i] ?? [])).catch((error: unknown) => {
      // A stop during a retry: what the first try (and this one, so far) did stays known.
      if (!(error instanceof ChannelStopError)) throw error;
      const done = [...outcomes];
      again.forEach((index, k) => (done[index] = error.done[k] ?? { state: 'failed', permanent: false, error: error.message }));
      throw new ChannelStopError(error.message, error.hint, done);
    });
    again.forEach((index, k) => {
      const outcome = retried[k];
      if (outcome !== undefined) outcomes[index] = outcome;
    });
  }
  return outcomes;
}

/** Spaces sends so that no more than `perSecond` messages start in any second. */
export function createPacer(perSecond: number | undefined, wait: Sleep, clock: () => number = () => performance.now()): (count: number) => Promise<void> {
  if (perSecond === undefined) return () => Promise.resolve();
  let next = clock();
  return async (count) => {
    const now = clock();
    if (next > now) await wait(next - now);
    next = Math.max(next, now) + (count * 1000) / perSecond;
  };
}

/** The retry policy, with DUNNING_RETRY_DELAY_MS setting the first delay (tests and impatient rehearsals). */
export function retryPolicyFrom(env: NodeJS.ProcessEnv): RetryPolicy {
  const text = env.DUNNING_RETRY_DELAY_MS;
  const base = text === undefined || text === '' ? NaN : Number(text);
  return Number.isFinite(base) && base >= 0 ? { ...DEFAULT_RETRY, baseDelayMs: base } : DEFAULT_RETRY;
}
