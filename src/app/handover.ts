import type { StoredCase } from '../core/case.js';
import { calendarDateIn } from '../core/dates.js';
import { parseDuration } from '../core/duration.js';
import { DunningError } from '../core/errors.js';
import type { MessageClaim } from '../core/late-charges.js';
import { gapAfter } from '../core/moments.js';
import { claimOfCases } from './late-charges.js';
import type { AppConfig } from './plan.js';
import type { SentReminder, Store } from './ports.js';

/** What the hand-over to collections needs. */
export interface HandoverDeps {
  store: Store;
  config: AppConfig;
  now: Date;
}

/** `export --handover`: how long after the last stage, and whether to record the hand-over. */
export interface HandoverOptions {
  /** As the merchant wrote it, e.g. "14d". */
  after: string;
  markHandedOver: boolean;
}

/** One case for the collection agency: the debtor, the order, the claim and the proof of each reminder. */
export interface HandoverCase {
  case: StoredCase;
  customerType: string;
  principalMinor: number;
  interestMinor: number;
  feesMinor: number;
  totalMinor: number;
  reminders: SentReminder[];
}

/** The stop reason a hand-over leaves on a case; `customer --resume` lifts it like any stop. */
export const HANDED_OVER = 'handed over to collections';

/**
 * The cases still open `after` their last stage went out, one per case with its claim to today and
 * every reminder sent about it; with `markHandedOver` each is stopped as handed over, so no more
 * messages go out about it.
 */
export async function casesToHandOver(deps: HandoverDeps, options: HandoverOptions): Promise<{ cases: HandoverCase[]; marked: number }> {
  const { store, config, now } = deps;
  const last = config.sequence.stages[config.sequence.stages.length - 1];
  if (last === undefined) throw new DunningError('the sequence has no stages to hand over after');
  const after = parseDuration(options.after);
  if (!after.ok) throw new DunningError(`--after: "${options.after}" ${after.error}`, { hint: 'give a duration such as "14d" or "2w"' });
  const today = calendarDateIn(now, config.timeZone);
  const due = (await store.cases.sentTheStage(last.name)).filter(({ reminders }) => {
    const lastSent = reminders.filter((r) => r.stage === last.name).at(-1);
    return lastSent !== undefined && gapAfter(Date.parse(lastSent.sentAt), after.value, config.timeZone) <= now.getTime();
  });
  // One claim per customer, as their notices made it: a notice about several orders charged its fee
  // once, and the flat fee is owed once per claim; each lands on the claim's first order.
  const byCustomer = new Map<string, StoredCase[]>();
  for (const { case: c } of due) byCustomer.set(c.emailKey, [...(byCustomer.get(c.emailKey) ?? []), c]);
  const claims = new Map<string, MessageClaim['orders']>();
  for (const [emailKey, group] of byCustomer) claims.set(emailKey, (await claimOfCases(store, config, group, today)).orders);
  const cases = due.map(({ case: c, reminders }): HandoverCase => {
    const line = claims.get(c.emailKey)?.get(c.id);
    return {
      case: c, customerType: c.customerType ?? config.lateCharges?.customerType ?? '', reminders,
      principalMinor: c.openMinor, interestMinor: line?.interest.minor ?? 0, feesMinor: (line?.feesMinor ?? 0) + (line?.flatFeeMinor ?? 0), totalMinor: line?.totalMinor ?? c.openMinor,
    };
  });
  if (!options.markHandedOver) return { cases, marked: 0 };
  const at = now.toISOString();
  await store.customers.setCaseHolds(cases.map(({ case: c }) => ({ caseId: c.id, hold: { snoozedUntil: c.snoozedUntil, stoppedAt: at, stopReason: HANDED_OVER } })));
  return { cases, marked: cases.length };
}
