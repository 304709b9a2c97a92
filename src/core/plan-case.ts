import type { StoredCase } from './case.js';
import { calendarDateIn, dateOfDay, dayNumber, type CalendarDate } from './dates.js';
import { tokenProblem } from './token.js';

/** One stage of the sequence as the planner needs it (the config's stage is assignable to it). */
export interface StageRule {
  name: string;
  afterDays: number;
  template: string;
  channel?: string | undefined;
}

/** The configured sequence: stages in order, the gap between two messages, grace and the manual cut-off. */
export interface SequenceRules {
  stages: readonly StageRule[];
  minGapDays: number;
  graceDays: number;
  stopAfterDays?: number | undefined;
}

/** What the merchant decided about one customer. */
export interface CustomerControl {
  emailKey: string;
  snoozedUntil: string | null;
  stoppedAt: string | null;
}

/** A customer whose last message the server refused for good (an SMTP 5xx): no further messages until cleared. */
export interface Rejection {
  emailKey: string;
  at: string;
  error: string;
}

/** A message's state in the store. */
export type MessageState = 'sending' | 'sent' | 'failed' | 'unknown';

/** One (case, stage) a message claimed, and when. A released claim (the message failed) does not count as sent. */
export interface Claim {
  caseId: number;
  stage: string;
  state: MessageState;
  released: boolean;
  /** ISO instant the message was claimed. */
  at: string;
}

/** Why a case gets no message in this run. */
export type SkipReason =
  | 'paid'
  | 'stopped'
  | 'rejected'
  | 'unknown_message_pending'
  | 'all_stages_sent'
  | 'manual_follow_up'
  | 'no_token'
  | 'snoozed'
  | 'not_yet_due'
  | 'gap_not_reached'
  | 'not_selected'
  | 'held_by_limit';

/** A skip reason with the detail a merchant needs (dates, limits, the server's words). */
export interface Skip {
  reason: SkipReason;
  detail: string;
}

/** The stage a case gets next and the day it is due. */
export interface NextStage {
  stage: string;
  on: CalendarDate;
}

/** What one case gets in this run: a stage now, or a reason; and what comes next. */
export interface CaseDecision {
  case: StoredCase;
  daysOverdue: number;
  /** The stage this case gets now (index into the sequence), or null when skipped. */
  stageIndex: number | null;
  skip: Skip | null;
  next: NextStage | null;
  /** How many earlier messages about this case and stage failed (their claims were released). */
  failedAttempts: number;
}

/** Everything about one customer that the per-case rules look at, besides each case's own claims. */
export interface CaseFacts {
  today: CalendarDate;
  timeZone: string;
  sequence: SequenceRules;
  tokenPattern: RegExp | undefined;
  control: CustomerControl | undefined;
  rejection: { at: string; error: string } | undefined;
}

/** Decides the stage a case gets today, or why it gets none, and when its next stage is due; `claims` are the case's own. */
export function decideCase(c: StoredCase, facts: CaseFacts, claims: readonly Claim[]): CaseDecision {
  const { today, sequence } = facts;
  const due = dayNumber(c.dueDate);
  const daysOverdue = dayNumber(today) - due;
  const held = claims.filter((claim) => !claim.released);
  const nextIndex = nextStageIndex(held, sequence.stages);
  const stage = sequence.stages[nextIndex];
  const failedAttempts = stage === undefined ? 0 : claims.filter((claim) => claim.released && claim.stage === stage.name).length;
  const decision = (skip: Skip | null, next: NextStage | null): CaseDecision => ({
    case: c, daysOverdue, stageIndex: skip === null ? nextIndex : null, skip, next, failedAttempts,
  });

  const blocked = blockingReason(c, facts, held, daysOverdue, stage === undefined);
  if (blocked !== null) return decision(blocked, null);
  if (stage === undefined) return decision({ reason: 'all_stages_sent', detail: 'every stage was sent' }, null);

  const dueOn = dateOfDay(due + stage.afterDays + sequence.graceDays);
  const lastOn = latestDay(held, facts.timeZone);
  const gapOn = lastOn === null ? null : dateOfDay(dayNumber(lastOn) + sequence.minGapDays);
  const snoozedTo = laterOf(snoozeEnd(c.snoozedUntil, facts.timeZone), snoozeEnd(facts.control?.snoozedUntil ?? null, facts.timeZone));
  const on = laterOf(laterOf(dueOn, gapOn), snoozedTo === null || snoozedTo <= today ? null : snoozedTo) ?? dueOn;
  const next = { stage: stage.name, on: on < today ? today : on };
  if (snoozedTo !== null && today < snoozedTo) return decision({ reason: 'snoozed', detail: `snoozed until ${snoozedTo}` }, next);
  if (today < dueOn) return decision({ reason: 'not_yet_due', detail: `${stage.name} is due on ${dueOn}` }, next);
  if (gapOn !== null && today < gapOn) {
    return decision({ reason: 'gap_not_reached', detail: `last message on ${lastOn ?? ''}; ${stage.name} from ${gapOn}` }, next);
  }
  return decision(null, next);
}

/** Reasons that keep a case from any message, whatever its dates: paid, stopped, rejected, pending, too old, no token. */
function blockingReason(c: StoredCase, facts: CaseFacts, held: readonly Claim[], daysOverdue: number, finished: boolean): Skip | null {
  if (c.openMinor <= 0) return { reason: 'paid', detail: 'nothing left to pay' };
  const stoppedAt = facts.control?.stoppedAt ?? c.stoppedAt;
  if (stoppedAt !== null) return { reason: 'stopped', detail: `stopped on ${stoppedAt.slice(0, 10)}` };
  if (facts.rejection !== undefined) {
    const on = calendarDateIn(new Date(facts.rejection.at), facts.timeZone);
    return { reason: 'rejected', detail: `the last message to this address was refused on ${on}: ${facts.rejection.error}` };
  }
  // A message that may or may not have left: another one now could be a double or an out-of-order reminder.
  const pending = held.find((claim) => claim.state === 'unknown');
  if (pending !== undefined) return { reason: 'unknown_message_pending', detail: `"${pending.stage}" may or may not have been sent (state unknown)` };
  if (finished) return null;
  const stopAfter = facts.sequence.stopAfterDays;
  if (stopAfter !== undefined && daysOverdue > stopAfter) {
    return { reason: 'manual_follow_up', detail: `${daysOverdue} days overdue, more than stopAfterDays (${stopAfter}): follow up by hand` };
  }
  const problem = tokenProblem(c.token, facts.tokenPattern);
  if (problem !== null) return { reason: 'no_token', detail: problem };
  return null;
}

/** Stages go in order: the one after the highest stage this case already has. */
function nextStageIndex(held: readonly Claim[], stages: readonly StageRule[]): number {
  let highest = -1;
  for (const claim of held) {
    const index = stages.findIndex((s) => s.name === claim.stage);
    if (index > highest) highest = index;
  }
  return highest + 1;
}

/** The calendar day (in the merchant's zone) of the newest message about the case. */
function latestDay(held: readonly Claim[], timeZone: string): CalendarDate | null {
  let latest: string | null = null;
  for (const claim of held) if (latest === null || claim.at > latest) latest = claim.at;
  return latest === null ? null : calendarDateIn(new Date(latest), timeZone);
}

/** A snooze may be stored as a date or as an instant; either way it ends on a calendar day. */
function snoozeEnd(until: string | null, timeZone: string): CalendarDate | null {
  if (until === null || until === '') return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? until : calendarDateIn(new Date(until), timeZone);
}

function laterOf(a: CalendarDate | null, b: CalendarDate | null): CalendarDate | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
