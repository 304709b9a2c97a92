import type { StoredCase } from './case.js';
import { calendarDateIn, dayNumber, type CalendarDate } from './dates.js';
import { formatDuration, isWholeDays, type Duration } from './duration.js';
import { dayOf, formatMinute, formatMoment, gapAfter, isoText, momentAfter, startOfDay } from './moments.js';
import { dueMomentOf, nextStep, stageLabel, stageMoment, type Claim, type SequenceRules, type Step } from './stage-step.js';
import { describeSuppression, type Suppression } from './suppression.js';
import { hasPayLink } from './links.js';
import { tokenProblem } from './token.js';

export type { Claim, MessageState, SequenceRules, StageRule } from './stage-step.js';

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

/** Why a case gets no message in this run. */
export type SkipReason =
  | 'paid'
  | 'stopped'
  | 'rejected'
  | 'bounced'
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

/** The stage a case gets next and when: the day (`on`) and the moment (`at`, ISO); now, when it is due already. */
export interface NextStage {
  stage: string;
  /** 0, or which repeat of a repeating last stage. */
  repeat: number;
  on: CalendarDate;
  at: string;
}

/** What one case gets in this run: a stage now, or a reason; and what comes next. */
export interface CaseDecision {
  case: StoredCase;
  daysOverdue: number;
  /** The stage this case gets now (index into the sequence), or null when skipped. */
  stageIndex: number | null;
  /** Which repeat of that stage (0: the stage itself). */
  repeat: number;
  skip: Skip | null;
  next: NextStage | null;
  /** How many earlier messages about this case and stage failed (their claims were released). */
  failedAttempts: number;
}

/** Everything about one customer that the per-case rules look at, besides each case's own claims. */
export interface CaseFacts {
  now: Date;
  today: CalendarDate;
  timeZone: string;
  sequence: SequenceRules;
  tokenPattern: RegExp | undefined;
  /** False when the link is built without a token; default true. */
  linkNeedsToken?: boolean | undefined;
  control: CustomerControl | undefined;
  rejection: { at: string; error: string } | undefined;
  /** The address bounced or complained (a suppression of scope 'all'). */
  suppression?: Pick<Suppression, 'reason' | 'detail' | 'happenedAt'> | undefined;
}

/**
 * Decides the stage a case gets now, or why it gets none, and when its next stage is due;
 * `claims` are the case's own. A stage is due at the case's due moment plus grace plus its delay,
 * and never before `minGap` after the case's previous message.
 */
export function decideCase(c: StoredCase, facts: CaseFacts, claims: readonly Claim[]): CaseDecision {
  const { today, sequence, timeZone } = facts;
  const now = facts.now.getTime();
  const daysOverdue = dayNumber(today) - dayNumber(c.dueDate);
  const held = claims.filter((claim) => !claim.released);
  const step = nextStep(c, held, sequence, now, timeZone);
  const stage = step.kind === 'stage' ? sequence.stages[step.index] : undefined;
  const failedAttempts = step.kind === 'stage' ? claims.filter((claim) => claim.released && claim.stage === stage?.name && claim.repeat === step.repeat).length : 0;
  const decision = (skip: Skip | null, next: NextStage | null): CaseDecision => ({
    case: c, daysOverdue, stageIndex: skip === null && step.kind === 'stage' ? step.index : null, repeat: step.kind === 'stage' ? step.repeat : 0, skip, next, failedAttempts,
  });

  const blocked = blockingReason(c, facts, held, daysOverdue, step);
  if (blocked !== null) return decision(blocked, null);
  if (step.kind !== 'stage' || stage === undefined) return decision({ reason: 'all_stages_sent', detail: 'every stage was sent' }, null);

  const label = stageLabel(stage, step.repeat);
  const dueAt = stageMoment(c, held, step, sequence, timeZone);
  const last = latestClaim(held);
  const gapAt = last === null ? null : gapAfter(last, sequence.minGap, timeZone);
  const snoozedTo = laterOf(snoozeEnd(c.snoozedUntil, timeZone), snoozeEnd(facts.control?.snoozedUntil ?? null, timeZone));
  const snoozeAt = snoozedTo === null ? null : startOfDay(snoozedTo, timeZone);
  const next = nextAt(stage.name, step.repeat, Math.max(dueAt, gapAt ?? dueAt, snoozeAt ?? dueAt, now), timeZone);
  if (snoozeAt !== null && now < snoozeAt) return decision({ reason: 'snoozed', detail: `snoozed until ${snoozedTo ?? ''}` }, next);
  if (now < dueAt) return decision({ reason: 'not_yet_due', detail: `${label} is due on ${formatMoment(dueAt, timeZone)}` }, next);
  if (gapAt !== null && last !== null && now < gapAt) {
    const lastSeen = isWholeDays(sequence.minGap) ? dayOf(last, timeZone) : formatMinute(last, timeZone);
    return decision({ reason: 'gap_not_reached', detail: `last message on ${lastSeen}; ${label} from ${formatMoment(gapAt, timeZone)}` }, next);
  }
  return decision(null, next);
}

/** Reasons that keep a case from any message, whatever its dates: paid, stopped, rejected, pending, too old, no token. */
function blockingReason(c: StoredCase, facts: CaseFacts, held: readonly Claim[], daysOverdue: number, step: Step): Skip | null {
  if (c.openMinor <= 0) return { reason: 'paid', detail: 'nothing left to pay' };
  const stoppedAt = facts.control?.stoppedAt ?? c.stoppedAt;
  if (stoppedAt !== null) return { reason: 'stopped', detail: `stopped on ${stoppedAt.slice(0, 10)}` };
  if (facts.suppression !== undefined) {
    const on = calendarDateIn(new Date(facts.suppression.happenedAt), facts.timeZone);
    // An opt-out from everything (suppress import --all) is a stop; a bounce or complaint is for a person.
    if (facts.suppression.reason === 'unsubscribed') return { reason: 'stopped', detail: describeSuppression(facts.suppression, on) };
    return { reason: 'bounced', detail: `${describeSuppression(facts.suppression, on)}; follow up by hand` };
  }
  if (facts.rejection !== undefined) {
    const on = calendarDateIn(new Date(facts.rejection.at), facts.timeZone);
    return { reason: 'rejected', detail: `the last message to this address was refused on ${on}: ${facts.rejection.error}` };
  }
  // A message that may or may not have left: another one now could be a double or an out-of-order reminder.
  const pending = held.find((claim) => claim.state === 'unknown');
  if (pending !== undefined) return { reason: 'unknown_message_pending', detail: `"${pending.stage}" may or may not have been sent (state unknown)` };
  if (step.kind === 'repeats_done') {
    return { reason: 'manual_follow_up', detail: `${step.stage} was sent ${step.times + 1} times (repeat.times ${step.times}): follow up by hand` };
  }
  if (step.kind === 'finished') return null;
  const stopped = stoppedByAge(c, facts, daysOverdue);
  if (stopped !== null) return stopped;
  // A case with its own pay link from the export, or a link pattern without {token}, needs no token (issue 18).
  const problem = facts.linkNeedsToken === false || hasPayLink(c) ? null : tokenProblem(c.token, facts.tokenPattern);
  if (problem !== null) return { reason: 'no_token', detail: problem };
  return null;
}

/** `sequence.stopAfter`: a case overdue longer is for a person. In whole days, counted as days overdue (as `stopAfterDays` always was). */
function stoppedByAge(c: StoredCase, facts: CaseFacts, daysOverdue: number): Skip | null {
  const stopAfter: Duration | undefined = facts.sequence.stopAfter;
  if (stopAfter === undefined) return null;
  const over = isWholeDays(stopAfter)
    ? daysOverdue > stopAfter.days
    : facts.now.getTime() > momentAfter(dueMomentOf(c), stopAfter, facts.timeZone);
  if (!over) return null;
  return { reason: 'manual_follow_up', detail: `${daysOverdue} days overdue, more than sequence.stopAfter (${formatDuration(stopAfter)}): follow up by hand` };
}

/** The instant of the newest message about the case. */
function latestClaim(held: readonly Claim[]): number | null {
  let latest: string | null = null;
  for (const claim of held) if (latest === null || claim.at > latest) latest = claim.at;
  return latest === null ? null : Date.parse(latest);
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

function nextAt(stage: string, repeat: number, at: number, timeZone: string): NextStage {
  return { stage, repeat, on: dayOf(at, timeZone), at: isoText(at) };
}
