import type { Config } from '../config/schema.js';
import { calendarDateIn } from '../core/dates.js';
import { PlanGate, planCustomer, planStageNow, type CustomerPlan, type PlanRules, type PlanSelection } from '../core/plan.js';
import { dayBounds } from '../core/send-window.js';
import { linkNeedsToken, noSecretNote } from '../core/links.js';
import { compileTokenPattern } from '../core/token.js';
import type { Store } from './ports.js';

/** The configuration in effect, with its time zone decided. */
export type AppConfig = Config & { timeZone: string };

/** What a plan is made for. */
export interface PlanRequest {
  now: Date;
  /** What `send --stage/--email/--limit` narrow the run to. */
  only?: PlanSelection | undefined;
  /** Apply limits.perRun and limits.perDay: they cap sending; an export lists everyone due. */
  capped: boolean;
  /** Plan customers in the order send goes in even when no cap makes it matter (send's own order of messages). */
  sendOrder?: boolean | undefined;
}

/** What `status` and `send --dry-run` say once about the links of this config (a pattern with no secret). */
export function linkNotes(config: AppConfig): string[] {
  const note = noSecretNote(config.manageLink);
  return note === null ? [] : [note];
}

/** The rules every customer of a run is planned by. */
export function planRules(config: AppConfig, now: Date): PlanRules {
  return {
    now,
    today: calendarDateIn(now, config.timeZone),
    timeZone: config.timeZone,
    sequence: config.sequence,
    tokenPattern: compileTokenPattern(config.tokenPattern),
    linkNeedsToken: linkNeedsToken(config.manageLink),
  };
}

/**
 * The plan of a run, customer by customer, in pages: which case gets which stage now and why every
 * other case gets none. `status`, `preview`, `export`, `send --dry-run` and `send` all start here;
 * only `send` applies it. Customers come in the order the store reads them (the oldest open case
 * first), so memory stays flat however many there are, and what a cap holds back goes first next time.
 */
export async function* loadPlan(store: Store, config: AppConfig, request: PlanRequest): AsyncGenerator<CustomerPlan[]> {
  const rules = planRules(config, request.now);
  const limits = request.capped
    ? { perRun: config.limits.perRun, perDay: config.limits.perDay, sentToday: config.limits.perDay === undefined ? 0 : await sentToday(store, config.timeZone, request.now) }
    : undefined;
  const gate = new PlanGate(request.only, limits);
  // Only a cap decides by the order customers come in (who is held back); otherwise the cheapest will do.
  const capped = gate.caps || request.sendOrder === true;
  for await (const page of store.plan.customers({ order: capped ? 'send' : 'any', emailKey: request.only?.emailKey })) {
    const stageNow = request.only?.nowDue === true ? request.only.stage : undefined;
    yield page.map((facts) => gate.admit(stageNow === undefined ? planCustomer(facts, rules) : planStageNow(facts, rules, stageNow)));
  }
}

/** The plan of one customer now, without caps; undefined when they have no open case. */
export async function planOneCustomer(store: Store, config: AppConfig, emailKey: string, now: Date): Promise<CustomerPlan | undefined> {
  for await (const page of loadPlan(store, config, { now, only: { emailKey }, capped: false })) return page[0];
  return undefined;
}

/** Messages that went out (or may have) today in the merchant's zone: what counts against limits.perDay. */
export async function sentToday(store: Store, timeZone: string, now: Date): Promise<number> {
  const { start, end } = dayBounds(calendarDateIn(now, timeZone), timeZone);
  return store.plan.countSentBetween(start, end);
}
