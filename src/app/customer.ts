import type { StoredCase } from '../core/case.js';
import { calendarDateIn, type CalendarDate } from '../core/dates.js';
import { parseEmail } from '../core/email.js';
import { DunningError } from '../core/errors.js';
import { changeHold, snoozeUntil, type HoldChange } from '../core/snooze.js';
import { describeSuppression, type SuppressionScope } from '../core/suppression.js';
import { claimsForOverview, type ClaimFigures } from './late-charges.js';
import type { AppConfig } from './plan.js';
import type { CustomerHold, CustomerMessage, CustomerNote, HeldCode, Store } from './ports.js';

/** What `dunning customer` was asked to show or change. */
export interface CustomerOptions {
  email: string;
  /** Apply the change to this order only. */
  order?: string | undefined;
  snooze?: string | undefined;
  until?: string | undefined;
  stop?: boolean | undefined;
  reason?: string | undefined;
  resume?: boolean | undefined;
  note?: string | undefined;
}

/** A customer's cases, holds, messages, codes and notes, and what this run changed. */
export interface CustomerView {
  email: string;
  control: CustomerHold | null;
  cases: (StoredCase & { claim: ClaimFigures | null })[];
  messages: CustomerMessage[];
  notes: CustomerNote[];
  codes: HeldCode[];
  /** Bounces, complaints and unsubscribes of the address (issue 23), as people read them. */
  suppressions: { scope: SuppressionScope; reason: string; said: string; source: string }[];
  changed: string[];
  today: CalendarDate;
  locale: string;
}

/** What `dunning customer` needs. */
export interface CustomerDeps {
  store: Store;
  config: AppConfig;
  runId: number;
  now: Date;
}

/** Shows a customer, and snoozes, stops or resumes their reminders or adds a note, in one transaction. */
export async function manageCustomer(deps: CustomerDeps, options: CustomerOptions): Promise<CustomerView> {
  const { store, config, now } = deps;
  const today = calendarDateIn(now, config.timeZone);
  const parsed = parseEmail(options.email);
  if (!parsed.ok || parsed.value === null) throw new DunningError(`"${options.email}": ${parsed.ok ? 'no address given' : parsed.error}`);
  const key = parsed.value.key;
  const cases = await store.cases.ofCustomer(key);
  if (cases.length === 0) throw new DunningError(`no customer ${options.email} in the database`, { hint: '"dunning status" lists the customers with open cases' });
  const targets = options.order === undefined ? undefined : casesOf(cases, options.order, options.email);
  const change = holdChange(options, today, config.timeZone, now);
  const changed = await store.customers.transaction(async () => {
    const done: string[] = [];
    if (change !== undefined) {
      await applyHold(store, key, change, targets, cases);
      done.push(change.kind);
    }
    if (options.note !== undefined) {
      await store.customers.addNote(key, targets?.[0]?.id ?? null, deps.runId, options.note, now.toISOString());
      done.push('note');
    }
    return done;
  });
  return {
    email: cases[0]?.email ?? options.email,
    control: (await store.customers.hold(key)) ?? null,
    cases: await withClaims(store, config, await store.cases.ofCustomer(key), today),
    messages: await store.customers.messages(key),
    notes: await store.customers.notes(key),
    codes: await store.promos.heldCodes(key),
    suppressions: (await store.suppressions.of(key)).map((x) => ({
      scope: x.scope,
      reason: x.reason,
      said: describeSuppression(x, calendarDateIn(new Date(x.happenedAt), config.timeZone)),
      source: x.source,
    })),
    changed,
    today,
    locale: config.locale,
  };
}

/**
 * A change of the whole customer holds the customer; with --order (`targets`), only that order's
 * cases. Resuming a customer lifts the holds on each of their cases too ("resume" means all of it),
 * and the refusal of their last message: the merchant has looked at the address.
 */
async function applyHold(store: Store, key: string, change: HoldChange, targets: readonly StoredCase[] | undefined, all: readonly StoredCase[]): Promise<void> {
  if (targets === undefined) await store.customers.setHold(key, changeHold(await store.customers.hold(key), change));
  const cases = targets ?? (change.kind === 'resume' ? all : []);
  await store.customers.setCaseHolds(cases.map((c) => ({ caseId: c.id, hold: changeHold(c, change) })));
  if (change.kind === 'resume' && targets === undefined) {
    await store.customers.clearRejection(key);
    // The merchant has looked at the address: a bounce, complaint or unsubscribe no longer holds it.
    await store.suppressions.lift(key);
  }
}

/** The cases with each open one's claim to today (interest and fees), when the config has `lateCharges`. */
async function withClaims(store: Store, config: AppConfig, cases: StoredCase[], today: CalendarDate): Promise<(StoredCase & { claim: ClaimFigures | null })[]> {
  const { claims } = await claimsForOverview(store, config, cases, today);
  return cases.map((c) => ({ ...c, claim: claims?.get(c.id) ?? null }));
}

function casesOf(cases: readonly StoredCase[], orderId: string, email: string): StoredCase[] {
  const matching = cases.filter((c) => c.orderId === orderId);
  if (matching.length === 0) throw new DunningError(`${email} has no order "${orderId}"`, { hint: `their orders: ${[...new Set(cases.map((c) => c.orderId))].join(', ')}` });
  return matching;
}

function holdChange(options: CustomerOptions, today: CalendarDate, timeZone: string, now: Date): HoldChange | undefined {
  const chosen = [options.snooze, options.until, options.stop, options.resume].filter((o) => o !== undefined);
  if (chosen.length > 1) throw new DunningError('give one of --snooze, --until, --stop and --resume at a time');
  if (options.reason !== undefined && options.stop !== true) throw new DunningError('--reason goes with --stop');
  const when = options.snooze ?? options.until;
  if (when !== undefined) {
    const until = snoozeUntil(when, today, timeZone);
    if (!until.ok) throw new DunningError(`--${options.snooze !== undefined ? 'snooze' : 'until'}: ${until.error}`);
    return { kind: 'snooze', until: until.value };
  }
  if (options.stop === true) return { kind: 'stop', at: now.toISOString(), reason: options.reason ?? null };
  if (options.resume === true) return { kind: 'resume' };
  return undefined;
}
