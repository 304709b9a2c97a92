import type { StoredCase } from './case.js';
import type { CalendarDate } from './dates.js';
import { addDurations, isNegative, type Duration } from './duration.js';
import { gapAfter, momentAfter } from './moments.js';

/** A message's state in the store. */
export type MessageState = 'sending' | 'sent' | 'failed' | 'unknown';

/** One (case, stage, repeat) a message claimed, and when. A released claim (the message failed) does not count as sent. */
export interface Claim {
  caseId: number;
  stage: string;
  /** 0 for the stage itself; 1, 2, … for the repeats of a repeating last stage. */
  repeat: number;
  state: MessageState;
  released: boolean;
  /** ISO instant the message was claimed. */
  at: string;
}

/** One stage of the sequence as the planner needs it (the config's stage is assignable to it). */
export interface StageRule {
  name: string;
  /** From the due moment (plus grace); negative: before the due date. */
  after: Duration;
  template: string;
  channel?: string | undefined;
  /** The last stage only: it goes again `times` times, each `every` after the one before. */
  repeat?: { every: Duration; times: number } | undefined;
  /** How long the customer has to pay, from the message (templates get a deadline). */
  payWithin?: Duration | undefined;
}

/** The configured sequence: stages in order, the gap between two messages, grace and the manual cut-off. */
export interface SequenceRules {
  stages: readonly StageRule[];
  minGap: Duration;
  grace: Duration;
  stopAfter?: Duration | undefined;
}

/** Where a case stands in the sequence: a stage (or a repeat of the last) comes next, or none does. */
export type Step =
  | { kind: 'stage'; index: number; repeat: number }
  /** Every stage was sent (or skipped). */
  | { kind: 'finished' }
  /** The repeating last stage went as often as configured: a person takes over. */
  | { kind: 'repeats_done'; stage: string; times: number };

/** A case's due moment: its day, and the exact instant (ms) when the export gave a time; null means the start of the day. */
export function dueMomentOf(c: Pick<StoredCase, 'dueDate' | 'dueAt'>): { date: CalendarDate; at: number | null } {
  return { date: c.dueDate, at: c.dueAt === null ? null : Date.parse(c.dueAt) };
}

/**
 * The step after the case's held claims: the stage after the highest it has, or the next repeat of
 * a repeating last stage. A stage before the due date is passed over when it is too late for it:
 * the case was imported after its moment, or the due moment itself has passed.
 */
export function nextStep(c: StoredCase, held: readonly Claim[], sequence: SequenceRules, now: number, timeZone: string): Step {
  const stages = sequence.stages;
  let highest = -1;
  let lastRepeat = -1;
  for (const claim of held) {
    const index = stages.findIndex((s) => s.name === claim.stage);
    if (index > highest) [highest, lastRepeat] = [index, claim.repeat];
    else if (index === highest && claim.repeat > lastRepeat) lastRepeat = claim.repeat;
  }
  const top = stages[highest];
  if (top !== undefined && highest === stages.length - 1) {
    if (top.repeat === undefined) return { kind: 'finished' };
    if (lastRepeat < top.repeat.times) return { kind: 'stage', index: highest, repeat: lastRepeat + 1 };
    return { kind: 'repeats_done', stage: top.name, times: top.repeat.times };
  }
  let index = highest + 1;
  while (index < stages.length && tooLateBeforeDue(c, stages[index], sequence, now, timeZone)) index++;
  return index < stages.length ? { kind: 'stage', index, repeat: 0 } : { kind: 'finished' };
}

function tooLateBeforeDue(c: StoredCase, stage: StageRule | undefined, sequence: SequenceRules, now: number, timeZone: string): boolean {
  // grace is never negative: only a negative delay can point before the due moment.
  if (stage === undefined || !isNegative(stage.after)) return false;
  const due = dueMomentOf(c);
  const dueAt = momentAfter(due, { days: 0, minutes: 0 }, timeZone);
  const at = momentAfter(due, addDurations(sequence.grace, stage.after), timeZone);
  if (at >= dueAt) return false;
  return now >= dueAt || Date.parse(c.openedAt) > at;
}

/**
 * When a step is due: the due moment plus grace plus the stage's delay; a repeat, `repeat.every`
 * after the message before it.
 */
export function stageMoment(c: StoredCase, held: readonly Claim[], step: Extract<Step, { kind: 'stage' }>, sequence: SequenceRules, timeZone: string): number {
  const stage = sequence.stages[step.index];
  if (stage === undefined) throw new Error('stageMoment: no such stage');
  if (step.repeat === 0 || stage.repeat === undefined) return momentAfter(dueMomentOf(c), addDurations(sequence.grace, stage.after), timeZone);
  const previous = held.find((claim) => claim.stage === stage.name && claim.repeat === step.repeat - 1);
  return previous === undefined ? momentAfter(dueMomentOf(c), addDurations(sequence.grace, stage.after), timeZone) : gapAfter(Date.parse(previous.at), stage.repeat.every, timeZone);
}

/** A stage as a merchant reads it in a detail: `final`, or `final (repeat 2 of 3)`. */
export function stageLabel(stage: StageRule, repeat: number): string {
  return repeat === 0 || stage.repeat === undefined ? stage.name : `${stage.name} (repeat ${repeat} of ${stage.repeat.times})`;
}
