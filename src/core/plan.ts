import { calendarDateIn, dayNumber, type CalendarDate } from './dates.js';
import { groupBy } from './group.js';
import {
  decideCase,
  type CaseDecision,
  type Claim,
  type CustomerControl,
  type PlanCase,
  type SequenceRules,
  type Skip,
  type SkipReason,
} from './plan-case.js';

export type { CaseDecision, Claim, CustomerControl, MessageState, NextStage, PlanCase, SequenceRules, Skip, SkipReason, StageRule } from './plan-case.js';

/** A customer whose last message the server refused for good (an SMTP 5xx): no further messages until cleared. */
export interface Rejection {
  emailKey: string;
  at: string;
  error: string;
}

/** The caps of a run; `sentToday` counts the messages already sent (or possibly sent) today. */
export interface PlanLimits {
  perRun?: number | undefined;
  perDay?: number | undefined;
  sentToday: number;
}

/** What `send --stage/--email/--limit` narrow a run to. */
export interface PlanSelection {
  stage?: string | undefined;
  emailKey?: string | undefined;
  limit?: number | undefined;
}

/** Everything the planner looks at; it reads nothing else, not even the clock. */
export interface PlanInput {
  now: Date;
  /** IANA zone whose calendar decides "today" and the day a message went out. */
  timeZone: string;
  sequence: SequenceRules;
  cases: readonly PlanCase[];
  controls: readonly CustomerControl[];
  claims: readonly Claim[];
  rejections: readonly Rejection[];
  tokenPattern?: RegExp | undefined;
  limits: PlanLimits;
  only?: PlanSelection | undefined;
}

/** A case as a message lists it (the renderer's MessageCase), with the stage it gets. */
export type PlannedCase = Pick<PlanCase, 'id' | 'source' | 'orderId' | 'dueDate' | 'product' | 'openMinor' | 'paidMinor' | 'currency' | 'token' | 'extra'> & {
  daysOverdue: number;
  /** This case's own stage; the message's stage is the highest among its cases. */
  stage: string;
};

/** One message the run will send: a customer, their due cases, the stage (the renderer's MessageRequest). */
export interface PlannedMessage {
  customer: { email: string; emailKey: string; firstName: string; lastName: string; localeHint: string | null };
  cases: PlannedCase[];
  stage: { name: string; number: number; template: string; channel?: string | undefined };
  today: CalendarDate;
  now: Date;
  /** 1 for a first try; more when earlier messages about these cases at this stage failed. */
  attempt: number;
}

/** The whole plan: the messages in sending order and a decision for every case. */
export interface Plan {
  today: CalendarDate;
  messages: PlannedMessage[];
  decisions: CaseDecision[];
  /** Cases per skip reason. */
  skipped: Partial<Record<SkipReason, number>>;
}

/**
 * Plans a run: which case gets which stage now and why every other case gets none. Cases of one
 * customer that are due together go out as one message at the highest stage among them; limits hold
 * back the rest, oldest and highest stage first going out first.
 */
export function planRun(input: PlanInput): Plan {
  const today = calendarDateIn(input.now, input.timeZone);
  const decisions = decideAll(input, today);
  const groups = groupBy(decisions.filter((d) => d.stageIndex !== null), (d) => d.case.emailKey);
  let messages = byPriority([...groups.values()].map((group) => buildMessage(group, input, today)));
  messages = selectMessages(messages, input.only, decisions);
  messages = applyLimits(messages, input, decisions);
  const skipped: Partial<Record<SkipReason, number>> = {};
  for (const d of decisions) if (d.skip !== null) skipped[d.skip.reason] = (skipped[d.skip.reason] ?? 0) + 1;
  return { today, messages, decisions, skipped };
}

function decideAll(input: PlanInput, today: CalendarDate): CaseDecision[] {
  const controls = new Map(input.controls.map((c) => [c.emailKey, c]));
  const rejections = new Map(input.rejections.map((r) => [r.emailKey, r]));
  const claims = groupBy(input.claims, (claim) => claim.caseId);
  return input.cases.map((c) =>
    decideCase(c, {
      today,
      timeZone: input.timeZone,
      sequence: input.sequence,
      tokenPattern: input.tokenPattern,
      control: controls.get(c.emailKey),
      rejection: rejections.get(c.emailKey),
      claims: claims.get(c.id) ?? [],
    }),
  );
}

function buildMessage(group: CaseDecision[], input: PlanInput, today: CalendarDate): PlannedMessage {
  const stages = input.sequence.stages;
  // Oldest first in the message, as the customer reads it.
  group.sort((a, b) => (a.case.dueDate < b.case.dueDate ? -1 : a.case.dueDate > b.case.dueDate ? 1 : a.case.id - b.case.id));
  let top = 0;
  let newest = group[0]?.case;
  for (const d of group) {
    top = Math.max(top, d.stageIndex ?? 0);
    // A case carries the address and name as the newest export gave them.
    if (newest === undefined || d.case.id > newest.id) newest = d.case;
  }
  const stage = stages[top];
  if (stage === undefined || newest === undefined) throw new Error('planRun: a message without a stage or a case');
  return {
    customer: { email: newest.email, emailKey: newest.emailKey, firstName: newest.firstName, lastName: newest.lastName, localeHint: newest.localeHint },
    cases: group.map((d) => ({
      id: d.case.id, source: d.case.source, orderId: d.case.orderId, dueDate: d.case.dueDate, product: d.case.product,
      openMinor: d.case.openMinor, paidMinor: d.case.paidMinor, currency: d.case.currency, token: d.case.token, extra: d.case.extra,
      daysOverdue: d.daysOverdue, stage: stages[d.stageIndex ?? 0]?.name ?? stage.name,
    })),
    stage: { name: stage.name, number: top + 1, template: stage.template, channel: stage.channel },
    today,
    now: input.now,
    attempt: 1 + Math.max(0, ...group.map((d) => d.failedAttempts)),
  };
}

/** Oldest case first, then the highest stage, then by address so that equal runs plan alike. */
function byPriority(messages: readonly PlannedMessage[]): PlannedMessage[] {
  // With a million messages, following three objects per comparison costs seconds in cache misses;
  // the keys side by side in arrays cost a fraction.
  const due = new Float64Array(messages.length);
  const stage = new Float64Array(messages.length);
  const address: string[] = [];
  const order = new Uint32Array(messages.length);
  messages.forEach((m, i) => {
    due[i] = dayNumber(m.cases[0]?.dueDate ?? '');
    stage[i] = m.stage.number;
    address.push(m.customer.emailKey);
    order[i] = i;
  });
  order.sort((a, b) => (due[a] ?? 0) - (due[b] ?? 0) || (stage[b] ?? 0) - (stage[a] ?? 0) || compareText(address[a] ?? '', address[b] ?? ''));
  const sorted: PlannedMessage[] = [];
  for (const i of order) {
    const m = messages[i];
    if (m !== undefined) sorted.push(m);
  }
  return sorted;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function selectMessages(messages: PlannedMessage[], only: PlanSelection | undefined, decisions: CaseDecision[]): PlannedMessage[] {
  if (only?.stage === undefined && only?.emailKey === undefined) return messages;
  const kept: PlannedMessage[] = [];
  const dropped: PlannedMessage[] = [];
  for (const m of messages) {
    const wanted = (only.stage === undefined || m.stage.name === only.stage) && (only.emailKey === undefined || m.customer.emailKey === only.emailKey);
    (wanted ? kept : dropped).push(m);
  }
  const detail = [only.stage === undefined ? '' : `--stage ${only.stage}`, only.emailKey === undefined ? '' : `--email ${only.emailKey}`].filter(Boolean).join(' ');
  markSkipped(dropped, decisions, { reason: 'not_selected', detail: `not selected by ${detail}` });
  return kept;
}

function applyLimits(messages: PlannedMessage[], input: PlanInput, decisions: CaseDecision[]): PlannedMessage[] {
  const { perRun, perDay, sentToday } = input.limits;
  const caps: { cap: number; detail: string }[] = [];
  if (perRun !== undefined) caps.push({ cap: perRun, detail: `limits.perRun is ${perRun}` });
  if (perDay !== undefined) caps.push({ cap: Math.max(0, perDay - sentToday), detail: `limits.perDay is ${perDay} and ${sentToday} went out today` });
  const limit = input.only?.limit;
  if (limit !== undefined) caps.push({ cap: limit, detail: `--limit ${limit}` });
  if (caps.length === 0) return messages;
  const binding = caps.reduce((a, b) => (b.cap < a.cap ? b : a));
  if (messages.length <= binding.cap) return messages;
  markSkipped(messages.slice(binding.cap), decisions, { reason: 'held_by_limit', detail: `${binding.detail}; goes first next time` });
  return messages.slice(0, binding.cap);
}

function markSkipped(messages: readonly PlannedMessage[], decisions: CaseDecision[], skip: Skip): void {
  const ids = new Set(messages.flatMap((m) => m.cases.map((c) => c.id)));
  for (const d of decisions) {
    if (ids.has(d.case.id)) {
      d.stageIndex = null;
      d.skip = skip;
    }
  }
}
