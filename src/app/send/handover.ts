import type { ChannelName } from '../../config/schema.js';
import { DunningError } from '../../core/errors.js';
import type { PlannedMessage } from '../../core/plan.js';
import { ChannelStopError, type Channel, type CodeAssignment, type DeliveryOutcome, type ListSync, type MessageOutcome, type OutgoingMessage } from '../ports.js';
import type { ApplyContext } from './apply-context.js';
import { deliverWithRetry } from './deliver.js';
import { describeMessage } from './lines.js';
import { countSkip, type MessageLine, type SendReport, type SendSkipReason } from './report.js';

/** One message, rendered and built, ready to leave. */
export interface Ready {
  planned: PlannedMessage;
  outgoing: OutgoingMessage;
  line: MessageLine;
  rowId: number | null;
  /** The promo code its claim hands out, if its stage has one. */
  code: CodeAssignment | undefined;
}

/** Consecutive messages of one channel. */
export interface Batch {
  name: ChannelName;
  channel: Channel;
  messages: PlannedMessage[];
}

/** The state of one run of applyPlan. */
export interface Run {
  ctx: ApplyContext;
  report: SendReport;
  pace: (count: number) => Promise<void>;
  failedInARow: number;
  done: number;
  total: number;
  plannedKept: number;
  /** Hand-overs on their way: claimed and given to the channel, their outcomes not yet recorded. */
  handing: Set<Promise<void>>;
  /** Messages claimed so far: none means nothing was attempted. */
  claimed: number;
  /** The first failure of a hand-over that is not a message's own (the store, a channel bug): no more claims. */
  failure: { error: unknown } | null;
}

/**
 * Hands a rendered batch to its channel in the channel's units (SMTP: one message; Mailjet: one API
 * call), at most `batchesInFlight` units on their way at once. Each unit is claimed only when a slot
 * is free, right before it leaves, and its outcome is recorded the moment its answer arrives: a
 * killed run leaves `sending` only what was truly in flight, and a case paid, snoozed or stopped
 * since the plan was made is skipped by its claim.
 */
export async function handOver(batch: Batch, ready: readonly Ready[], unitSize: number, run: Run): Promise<void> {
  const slots = batch.channel.batchesInFlight ?? 1;
  for (let from = 0; from < ready.length; from += unitSize) {
    const unit = ready.slice(from, from + unitSize);
    while (run.handing.size >= slots) await Promise.race(run.handing);
    if (run.failure !== null) throw run.failure.error;
    if (stoppedNow(run)) {
      for (const r of ready.slice(from)) skipLine(run, r.planned, batch.name, 'run_stopped', 'not attempted: the run stopped');
      run.done += ready.length - from;
      run.ctx.onProgress?.(run.done, run.total);
      return;
    }
    if (!run.ctx.dryRun) await run.pace(unit.length);
    const task: Promise<void> = handOverUnit(batch.channel, unit, run)
      .catch((error: unknown) => void (run.failure ??= { error }))
      .finally(() => run.handing.delete(task));
    run.handing.add(task);
  }
}

/** Waits until every hand-over on its way has its outcome recorded; a failure among them is thrown. */
export async function settleHandovers(run: Run): Promise<void> {
  while (run.handing.size > 0) await Promise.all([...run.handing]);
  if (run.failure !== null) throw run.failure.error;
}

/** True once the run stopped (limits.maxErrors, a channel stop, Ctrl-C): nothing more is claimed. */
function stoppedNow(run: Run): boolean {
  const { report, ctx } = run;
  if (report.stopped === null && ctx.signal?.aborted === true) report.stopped = { reason: 'interrupted', hint: 'the messages not attempted go first in the next run' };
  return report.stopped !== null;
}

async function handOverUnit(channel: Channel, unit: readonly Ready[], run: Run): Promise<void> {
  if (!(await channelReady(channel, unit, run))) {
    for (const r of unit) skipLine(run, r.planned, channel.name as ChannelName, 'run_stopped', 'not attempted: the run stopped');
    run.done += unit.length;
    return;
  }
  const ready = await claimUnit(channel.name as ChannelName, unit, run);
  if (!run.ctx.dryRun && ready.length > 0) await deliverUnit(channel, ready, run);
  for (const r of ready) keepLine(run, r.line);
  run.done += unit.length;
  run.ctx.onProgress?.(run.done, run.total);
}

/**
 * Waits until the channel can take the unit at once. False when the channel stopped (the run
 * stops); a channel unusable before anything was attempted is a configuration error (exit 2).
 */
async function channelReady(channel: Channel, unit: readonly Ready[], run: Run): Promise<boolean> {
  if (run.ctx.dryRun || channel.ready === undefined) return true;
  try {
    await channel.ready(unit.map((r) => r.outgoing));
    return run.report.stopped === null;
  } catch (error) {
    if (!(error instanceof ChannelStopError)) throw error;
    if (run.claimed === 0 && run.report.sent === 0) throw new DunningError(`${error.message}: nothing was sent`, { hint: error.hint });
    run.report.stopped ??= { reason: error.message, hint: error.hint };
    return false;
  }
}

/** Claims the messages of a unit; those whose claim fails (a case closed, snoozed, stopped or claimed meanwhile) are skipped with the reason. */
async function claimUnit(channel: ChannelName, unit: readonly Ready[], run: Run): Promise<Ready[]> {
  const { ctx, report } = run;
  if (ctx.dryRun || ctx.redirectTo !== undefined) return [...unit];
  const claims = await ctx.store.messages.claim(
    unit.map((r) => ({
      runId: ctx.runId, emailKey: r.planned.customer.emailKey, stage: r.planned.stage.name, channel, template: r.planned.stage.template,
      recipient: r.outgoing.to.address, messageId: r.outgoing.messageId, code: r.code, customerSnoozedUntil: r.planned.customerSnoozedUntil,
      cases: r.planned.cases.map((c) => ({ caseId: c.id, stage: c.stage, repeat: c.repeat, snoozedUntil: c.snoozedUntil })),
    })),
    ctx.clock(),
  );
  return unit.filter((r, i) => {
    const claim = claims[i];
    if (claim?.ok === true) {
      r.rowId = claim.id;
      run.claimed++;
    }
    else if (claim !== undefined) {
      r.line.fate = 'skipped';
      r.line.detail = claim.detail;
      countSkip(report, SKIP_OF_CLAIM[claim.reason], r.planned.cases.length);
      keepLine(run, r.line);
    }
    return claim?.ok === true;
  });
}

const SKIP_OF_CLAIM = {
  closed: 'closed_since_plan',
  snoozed: 'snoozed_since_plan',
  stopped: 'stopped_since_plan',
  already_claimed: 'already_claimed',
  code_taken: 'code_taken',
} as const satisfies Record<string, SendSkipReason>;

/** Delivers a unit with retries and records each outcome; counts failures in a row against limits.maxErrors. */
async function deliverUnit(channel: Channel, ready: readonly Ready[], run: Run): Promise<void> {
  const { ctx, report } = run;
  let outcomes: DeliveryOutcome[];
  try {
    outcomes = await deliverWithRetry(channel, ready.map((r) => r.outgoing), ctx.retry, ctx.sleep);
  } catch (error) {
    if (!(error instanceof ChannelStopError)) {
      // We cannot tell whether these left: unknown, never resent automatically.
      await record(ctx, ready.map(() => ({ state: 'unknown', error: `the channel failed: ${String(error)}` })), ready);
      throw error;
    }
    report.stopped ??= { reason: error.message, hint: error.hint };
    outcomes = ready.map((_, i) => error.done[i] ?? { state: 'failed', permanent: false, error: error.message });
  }
  await record(ctx, outcomes, ready);
  ready.forEach((r, i) => {
    const o = outcomes[i];
    if (o !== undefined) count(run, r.line, o);
  });
  const max = ctx.config.limits.maxErrors;
  if (report.stopped === null && run.failedInARow >= max) {
    report.stopped = {
      reason: `${run.failedInARow} messages failed in a row (limits.maxErrors is ${max}): the server seems to be down, so the run stopped`,
      hint: 'the messages not attempted go first in the next run; check the server, then run "dunning send" again',
    };
  }
}

function count(run: Run, line: MessageLine, o: DeliveryOutcome): void {
  if (o.state === 'sent') {
    run.report.sent++;
    run.failedInARow = 0;
    Object.assign(line, { fate: 'sent', detail: o.response });
    if (o.listSync !== undefined) countListSync(run.report, line.to, o.listSync);
  } else if (o.state === 'unknown') {
    // No answer after the request went out: it counts against the error budget like a failure.
    run.failedInARow++;
    Object.assign(line, { fate: 'unknown', detail: o.error });
  } else {
    run.report.failed++;
    run.failedInARow++;
    Object.assign(line, { fate: 'failed', detail: o.error, permanent: o.permanent });
  }
}

async function record(ctx: ApplyContext, outcomes: readonly DeliveryOutcome[], ready: readonly Ready[]): Promise<void> {
  if (ctx.redirectTo !== undefined) return;
  const rows: MessageOutcome[] = [];
  ready.forEach((r, i) => {
    const o = outcomes[i];
    if (r.rowId === null || o === undefined) return;
    if (o.state === 'sent') rows.push({ id: r.rowId, state: 'sent', providerId: o.providerId, response: o.response });
    else if (o.state === 'unknown') rows.push({ id: r.rowId, state: 'unknown', error: o.error });
    else rows.push({ id: r.rowId, state: 'failed', permanent: o.permanent, error: o.error });
  });
  if (rows.length > 0) await ctx.store.messages.record(rows, ctx.clock());
}

/** Counts one customer's contact-list sync. */
function countListSync(report: SendReport, email: string, sync: ListSync): void {
  report.contactList ??= { synced: 0, failed: 0, customers: [] };
  if (sync.ok) report.contactList.synced++;
  else report.contactList.failed++;
  report.contactList.customers.push(sync.ok ? { email, state: 'synced' } : { email, state: 'failed', error: sync.error });
}

/** Lists a message that was not handed over, and counts it. */
export function skipLine(run: Run, planned: PlannedMessage, name: ChannelName, reason: 'render_failed' | 'run_stopped', detail: string): void {
  const line = describeMessage(planned, null, name, reason === 'run_stopped' ? 'not_attempted' : 'skipped');
  line.detail = detail;
  keepLine(run, line);
  countSkip(run.report, reason, planned.cases.length);
}

/** Keeps a line in the report when the policy wants it: the report of a million messages holds what is worth saying. */
export function keepLine(run: Run, line: MessageLine): void {
  const policy = run.ctx.lines;
  const worthSaying = line.fate === 'failed' || line.fate === 'unknown' || (line.fate === 'skipped' && line.detail !== '') || line.lookalike !== undefined;
  const shown = line.fate === 'planned' && run.plannedKept < policy.planned;
  if (shown) run.plannedKept++;
  if (policy.all || worthSaying || shown) run.report.messages.push(line);
}
