import type { Suppression } from './suppression.js';
import { customerOf, type Customer, type PlannedCase, type StoredCase } from './case.js';
import type { CalendarDate } from './dates.js';
import type { Duration } from './duration.js';
import { decideCase, type CaseDecision, type Claim, type CustomerControl, type Rejection, type SequenceRules, type Skip, type SkipReason } from './plan-case.js';

export type { CaseDecision, Claim, CustomerControl, MessageState, NextStage, Rejection, SequenceRules, Skip, SkipReason, StageRule } from './plan-case.js';

/** One customer's open cases with everything the planner looks at about them. */
export interface CustomerFacts {
  /** The customer's open cases, oldest due date first. */
  cases: readonly StoredCase[];
  /** Every (case, stage) a message claimed for these cases. */
  claims: readonly Claim[];
  control: CustomerControl | undefined;
  rejection: Rejection | undefined;
  /** A bounce or complaint that stops every message to the address (issue 23). */
  suppression?: Pick<Suppression, 'reason' | 'detail' | 'happenedAt'> | undefined;
}

/** The rules of one run, the same for every customer; the planner reads nothing else, not even the clock. */
export interface PlanRules {
  now: Date;
  /** "Today" in the merchant's zone, from `now`. */
  today: CalendarDate;
  /** IANA zone whose calendar decides the day a message went out. */
  timeZone: string;
  sequence: SequenceRules;
  tokenPattern: RegExp | undefined;
  /** False when the configured link is built without `{token}` (issue 18): a case needs no token then. Default true. */
  linkNeedsToken?: boolean | undefined;
}

/** One message the run will send: a customer, their due cases, the stage (the renderer's MessageRequest). */
export interface PlannedMessage {
  customer: Customer;
  cases: PlannedCase[];
  /** `repeat`: 0, or which repeat of a repeating last stage this message is. */
  stage: { name: string; number: number; template: string; channel?: string | undefined; repeat: number; payWithin?: Duration | undefined };
  today: CalendarDate;
  now: Date;
  /** 1 for a first try; more when earlier messages about these cases at this stage failed. */
  attempt: number;
  /** The customer's own snooze as the plan saw it: a claim that finds another one skips the message. */
  customerSnoozedUntil: string | null;
}

/** What one customer gets in this run: a decision for each open case, and the message, if any. */
export interface CustomerPlan {
  customer: Customer;
  decisions: CaseDecision[];
  message: PlannedMessage | null;
}

const NO_CLAIMS: readonly Claim[] = [];

/**
 * Plans one customer: which of their cases gets which stage now, and why each other gets none.
 * Cases that are due together go out as ONE message at the highest stage among them.
 */
export function planCustomer(facts: CustomerFacts, rules: PlanRules): CustomerPlan {
  const claimsOf = new Map<number, Claim[]>();
  if (facts.claims.length > 0) for (const claim of facts.claims) {
    const list = claimsOf.get(claim.caseId);
    if (list === undefined) claimsOf.set(claim.caseId, [claim]);
    else list.push(claim);
  }
  const customerFacts = { ...rules, control: facts.control, rejection: facts.rejection, suppression: facts.suppression };
  const decisions = facts.cases.map((c) => decideCase(c, customerFacts, claimsOf.get(c.id) ?? NO_CLAIMS));
  const customer = customerOf(facts.cases);
  const due = decisions.filter((d) => d.stageIndex !== null);
  return { customer, decisions, message: due.length === 0 ? null : buildMessage(due, rules, facts.control?.snoozedUntil ?? null) };
}

/** Reasons `--now-due` sets aside: the stage's moment, the gap after the last message, the stages in between. Paid, stopped, snoozed, refused, unknown and too old still hold. */
const NOW_DUE_SETS_ASIDE = new Set<SkipReason>(['not_yet_due', 'gap_not_reached', 'all_stages_sent']);

/**
 * `send --email ADDR --stage NAME --now-due` (issue 21, the win-back workflow): the customer's open
 * cases get that stage in this run although its moment has not come, never a case that has it
 * already (a stage goes once), and never one that is paid, stopped, snoozed or otherwise held.
 */
export function planStageNow(facts: CustomerFacts, rules: PlanRules, stageName: string): CustomerPlan {
  const plan = planCustomer(facts, rules);
  const index = rules.sequence.stages.findIndex((s) => s.name === stageName);
  if (index < 0) return plan;
  for (const d of plan.decisions) {
    const own = facts.claims.filter((c) => c.caseId === d.case.id && c.stage === stageName);
    if (own.some((c) => !c.released)) {
      d.stageIndex = null;
      d.skip = { reason: 'all_stages_sent', detail: `${stageName} was sent already: a stage goes once` };
      continue;
    }
    if (d.skip !== null && !NOW_DUE_SETS_ASIDE.has(d.skip.reason)) continue;
    Object.assign(d, { stageIndex: index, repeat: 0, skip: null, failedAttempts: own.length });
  }
  const due = plan.decisions.filter((d) => d.stageIndex !== null);
  return { ...plan, message: due.length === 0 ? null : buildMessage(due, rules, facts.control?.snoozedUntil ?? null) };
}

function buildMessage(due: CaseDecision[], rules: PlanRules, customerSnoozedUntil: string | null): PlannedMessage {
  const stages = rules.sequence.stages;
  // Oldest first in the message, as the customer reads it.
  due.sort((a, b) => (a.case.dueDate < b.case.dueDate ? -1 : a.case.dueDate > b.case.dueDate ? 1 : a.case.id - b.case.id));
  const top = Math.max(...due.map((d) => d.stageIndex ?? 0));
  const repeat = Math.max(...due.map((d) => (d.stageIndex === top ? d.repeat : 0)));
  const stage = stages[top];
  if (stage === undefined) throw new Error('planCustomer: a message without a stage');
  // Made when first read: status plans every customer and reads no message's cases, and copying the
  // cases of the bench's 511,704 due customers cost it 1.5 s of 11.6 (a CPU profile of `dunning status`).
  let cases: PlannedCase[] | undefined;
  return {
    // The message carries the address and name as the newest export of its cases gave them.
    customer: customerOf(due.map((d) => d.case)),
    get cases() {
      return (cases ??= due.map((d) => ({ ...d.case, daysOverdue: d.daysOverdue, stage: stages[d.stageIndex ?? 0]?.name ?? stage.name, repeat: d.repeat })));
    },
    stage: { name: stage.name, number: top + 1, template: stage.template, channel: stage.channel, repeat, payWithin: stage.payWithin },
    today: rules.today,
    now: rules.now,
    attempt: 1 + Math.max(0, ...due.map((d) => d.failedAttempts)),
    customerSnoozedUntil,
  };
}

/** What `send --stage/--email/--limit` narrow a run to. */
export interface PlanSelection {
  stage?: string | undefined;
  emailKey?: string | undefined;
  limit?: number | undefined;
  /** `--now-due`: the selected customer gets the selected stage now (planStageNow). */
  nowDue?: boolean | undefined;
}

/** The caps of a run; `sentToday` counts the messages already sent (or possibly sent) today. */
export interface PlanLimits {
  perRun?: number | undefined;
  perDay?: number | undefined;
  sentToday: number;
}

/**
 * Narrows a run to what was selected and caps it, customer by customer in the order they are
 * planned (the oldest open case first): a message past a cap is held back, and since the held-back
 * customers keep their place in that order, they go first next time.
 */
export class PlanGate {
  private admitted = 0;
  private readonly cap: { cap: number; detail: string } | undefined;
  private readonly notSelected: string;

  constructor(
    private readonly only: PlanSelection | undefined,
    limits: PlanLimits | undefined,
  ) {
    this.cap = bindingCap(limits, only?.limit);
    this.notSelected = [only?.stage === undefined ? '' : `--stage ${only.stage}`, only?.emailKey === undefined ? '' : `--email ${only.emailKey}`].filter(Boolean).join(' ');
  }

  /** True when a cap holds back what comes after it: then the order customers come in decides who is held. */
  get caps(): boolean {
    return this.cap !== undefined;
  }

  /** Lets a customer's message through, or takes it back and marks its cases not selected or held by a limit. */
  admit(plan: CustomerPlan): CustomerPlan {
    const message = plan.message;
    if (message === null) return plan;
    const only = this.only;
    const wanted = (only?.stage === undefined || message.stage.name === only.stage) && (only?.emailKey === undefined || message.customer.emailKey === only.emailKey);
    if (!wanted) return withdraw(plan, { reason: 'not_selected', detail: `not selected by ${this.notSelected}` });
    if (this.cap !== undefined && this.admitted >= this.cap.cap) return withdraw(plan, { reason: 'held_by_limit', detail: `${this.cap.detail}; goes first next time` });
    this.admitted++;
    return plan;
  }
}

function bindingCap(limits: PlanLimits | undefined, limit: number | undefined): { cap: number; detail: string } | undefined {
  const caps: { cap: number; detail: string }[] = [];
  if (limits?.perRun !== undefined) caps.push({ cap: limits.perRun, detail: `limits.perRun is ${limits.perRun}` });
  if (limits?.perDay !== undefined) caps.push({ cap: Math.max(0, limits.perDay - limits.sentToday), detail: `limits.perDay is ${limits.perDay} and ${limits.sentToday} went out today` });
  if (limit !== undefined) caps.push({ cap: limit, detail: `--limit ${limit}` });
  return caps.length === 0 ? undefined : caps.reduce((a, b) => (b.cap < a.cap ? b : a));
}

function withdraw(plan: CustomerPlan, skip: Skip): CustomerPlan {
  const ids = new Set(plan.message?.cases.map((c) => c.id) ?? []);
  for (const d of plan.decisions) {
    if (!ids.has(d.case.id)) continue;
    d.stageIndex = null;
    d.skip = skip;
  }
  return { ...plan, message: null };
}

/** Cases per reason they got no message, counted over a run. */
export type SkipCounts = Partial<Record<SkipReason, number>>;

/** Adds a customer's skipped cases to the counts. */
export function countSkips(into: SkipCounts, plan: CustomerPlan): void {
  for (const d of plan.decisions) if (d.skip !== null) into[d.skip.reason] = (into[d.skip.reason] ?? 0) + 1;
}
