import type { ChannelName } from '../../config/schema.js';
import { DunningError } from '../../core/errors.js';
import { countSkips, type CustomerPlan, type PlannedMessage } from '../../core/plan.js';
import type { RenderedMessage } from '../message.js';
import type { AppConfig } from '../plan.js';
import { ChannelStopError, type Channel, type ChannelTable, type CodeAssignment, type DeliveryOutcome, type MessageOutcome, type OutgoingMessage, type Renderer, type Store } from '../ports.js';
import { createPacer, deliverWithRetry, type RetryPolicy, type Sleep } from './deliver.js';
import { batchSizeOf, channelFor, openChannel } from './channel-batches.js';
import { describeMessage } from './lines.js';
import { buildOutgoing, requestFor } from './outgoing.js';
import type { MessageCode, PromoDesk } from './promo-desk.js';
import { countSkip, type MessageLine, type SendReport } from './report.js';

/** Which message lines a report keeps: all (--json), or the first planned ones and those with something to say. */
export interface LinePolicy {
  all: boolean;
  /** Planned lines kept for a dry run's table. */
  planned: number;
}

/** What applying a plan needs besides the plan. */
export interface ApplyContext {
  store: Store;
  config: AppConfig;
  baseDir: string;
  runId: number;
  env: NodeJS.ProcessEnv;
  /** The program's clock (fixed by --now): when messages are claimed and end. */
  clock: () => Date;
  dryRun: boolean;
  /** send --to: every message goes there, nothing is recorded, no tag is touched. */
  redirectTo: string | undefined;
  channelOverride: ChannelName | undefined;
  signal: AbortSignal | undefined;
  renderer: Renderer;
  channels: ChannelTable;
  retry: RetryPolicy;
  sleep: Sleep;
  onProgress: ((done: number, total: number) => void) | undefined;
  promos: PromoDesk;
  lines: LinePolicy;
}

/** One message of a batch, ready to leave. */
interface Ready {
  planned: PlannedMessage;
  outgoing: OutgoingMessage;
  line: MessageLine;
  rowId: number | null;
  /** The promo code its claim hands out, if its stage has one. */
  code: CodeAssignment | undefined;
}

/** Consecutive messages of one channel, sent together. */
interface Batch {
  name: ChannelName;
  channel: Channel;
  messages: PlannedMessage[];
}

/**
 * Applies a plan as it is read, customer by customer: renders each message, claims it, delivers it in
 * the channel's batches with retries, records the outcome, and stops when limits.maxErrors messages
 * failed in a row. `total` is how many messages the plan holds, for progress.
 */
export async function applyPlan(plans: AsyncIterable<CustomerPlan[]>, total: number, ctx: ApplyContext, report: SendReport): Promise<void> {
  const open = new Map<ChannelName, Channel>();
  const run: Run = {
    ctx, report, pace: createPacer(ctx.config.limits.perSecond, ctx.sleep), failedInARow: 0, done: 0, total, plannedKept: 0,
    inFlight: new Set(), rendering: Promise.resolve(), delivering: Promise.resolve(),
  };
  let batch: Batch | undefined;
  try {
    for await (const page of plans) {
      for (const plan of page) {
        tally(report, plan);
        const message = plan.message;
        if (message === null) continue;
        report.planned++;
        const name = channelFor(message, ctx);
        if (batch !== undefined && (batch.name !== name || batch.messages.length >= batchSizeOf(batch.channel, ctx.config))) {
          await dispatch(batch, run, batch.name !== name);
          batch = undefined;
        }
        batch ??= { name, channel: open.get(name) ?? openChannel(name, ctx, open), messages: [] };
        batch.messages.push(message);
      }
    }
    if (batch !== undefined) await dispatch(batch, run, true);
  } finally {
    await settle(run);
    for (const channel of open.values()) {
      // A stage of its own may go to the outbox when the rest goes elsewhere; its folder exists once a file was written.
      report.outboxDir ??= channel.folder ?? null;
      await channel.close();
    }
  }
}

/** The state of one run of applyPlan. */
interface Run {
  ctx: ApplyContext;
  report: SendReport;
  pace: (count: number) => Promise<void>;
  failedInARow: number;
  done: number;
  total: number;
  plannedKept: number;
  /** Batches on their way: rendered (and composed) or being delivered. */
  inFlight: Set<Promise<void>>;
  /** The batch being rendered: one at a time, in plan order. */
  rendering: Promise<unknown>;
  /** The batch being claimed and delivered: one at a time, so a stop (limits.maxErrors, Ctrl-C) falls between two. */
  delivering: Promise<unknown>;
}

/**
 * Hands a batch on, keeping up to the channel's `batchesInFlight` on their way at once: while the
 * server answers one batch, the next is rendered and composed. It is claimed and delivered only
 * after the batch before it: a run that stops claims nothing more. `last`: wait for every batch
 * before going on (the channel changes, or the plan ends).
 */
async function dispatch(batch: Batch, run: Run, last: boolean): Promise<void> {
  const limit = batch.channel.batchesInFlight ?? 1;
  while (run.inFlight.size >= limit) await Promise.race(run.inFlight);
  const rendered = run.rendering.then(() => renderBatch(batch, run));
  run.rendering = rendered.catch(() => undefined);
  const delivered = Promise.all([rendered, run.delivering]).then(([ready]) => deliverRendered(batch, ready, run));
  run.delivering = delivered.catch(() => undefined);
  const task: Promise<void> = delivered.finally(() => run.inFlight.delete(task));
  run.inFlight.add(task);
  if (last || limit === 1) await settle(run);
}

/** Waits for every batch in flight; the first failure is thrown once all have ended. */
async function settle(run: Run): Promise<void> {
  const outcomes = await Promise.allSettled([...run.inFlight]);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

/** What the plan says about cases without a message: counted, and those for manual follow-up listed. */
function tally(report: SendReport, plan: CustomerPlan): void {
  countSkips(report.skipped, plan);
  for (const d of plan.decisions) {
    if (d.skip?.reason === 'manual_follow_up') report.followUp.push({ caseId: d.case.id, orderId: d.case.orderId, email: d.case.email, daysOverdue: d.daysOverdue });
  }
}

/** Claims and delivers a rendered batch, or, when the run has stopped, lists it as not attempted. */
async function deliverRendered(batch: Batch, rendered: Ready[], run: Run): Promise<void> {
  const { ctx, report } = run;
  if (report.stopped !== null) {
    for (const r of rendered) skipLine(run, r.planned, batch.name, 'run_stopped', 'not attempted: the run stopped');
  } else {
    const ready = await claimBatch(batch, rendered, run);
    if (!ctx.dryRun && ready.length > 0) {
      await run.pace(ready.length);
      await deliverBatch(batch.channel, ready, run);
    }
    for (const r of ready) keepLine(run, r.line);
  }
  if (report.stopped === null && ctx.signal?.aborted === true) report.stopped = { reason: 'interrupted', hint: 'the messages not attempted go first in the next run' };
  run.done += batch.messages.length;
  ctx.onProgress?.(run.done, run.total);
}

/** Renders and builds each message and has the channel start on it; a customer whose message cannot be rendered is skipped with the reason. */
async function renderBatch(batch: Batch, run: Run): Promise<Ready[]> {
  const { ctx } = run;
  const ready: Ready[] = [];
  for (const planned of batch.messages) {
    let outgoing: OutgoingMessage;
    let rendered: RenderedMessage;
    let code: MessageCode | undefined;
    try {
      code = await ctx.promos.codeFor(planned, ctx.clock());
      rendered = ctx.renderer.render(requestFor(planned, code?.promo));
      outgoing = buildOutgoing(planned, rendered, ctx.config, code?.promo, ctx.redirectTo);
    } catch (error) {
      if (!(error instanceof DunningError)) throw error;
      skipLine(run, planned, batch.name, 'render_failed', `cannot render "${planned.stage.template}": ${error.message}`);
      continue;
    }
    const line = describeMessage(planned, { outgoing, rendered }, batch.name, ctx.dryRun ? 'planned' : 'not_attempted');
    ready.push({ planned, outgoing, line, rowId: null, code: code?.assignment });
    if (!ctx.dryRun) batch.channel.prepare?.(outgoing);
  }
  return ready;
}

/** Claims the messages of a batch; those whose claim fails (a case closed or claimed meanwhile) are skipped with the reason. */
async function claimBatch(batch: Batch, ready: Ready[], run: Run): Promise<Ready[]> {
  const { ctx, report } = run;
  if (ctx.dryRun || ctx.redirectTo !== undefined || ready.length === 0) return ready;
  const claims = await ctx.store.messages.claim(
    ready.map((r) => ({
      runId: ctx.runId, emailKey: r.planned.customer.emailKey, stage: r.planned.stage.name, channel: batch.name, template: r.planned.stage.template,
      recipient: r.outgoing.to.address, messageId: r.outgoing.messageId, cases: r.planned.cases.map((c) => ({ caseId: c.id, stage: c.stage, repeat: c.repeat })),
      code: r.code,
    })),
    ctx.clock(),
  );
  return ready.filter((r, i) => {
    const claim = claims[i];
    if (claim?.ok === true) r.rowId = claim.id;
    else if (claim !== undefined) {
      r.line.fate = 'skipped';
      r.line.detail = claim.detail;
      countSkip(report, claim.reason === 'closed' ? 'closed_since_plan' : claim.reason, r.planned.cases.length);
      keepLine(run, r.line);
    }
    return claim?.ok === true;
  });
}

function skipLine(run: Run, planned: PlannedMessage, name: ChannelName, reason: 'render_failed' | 'run_stopped', detail: string): void {
  const line = describeMessage(planned, null, name, reason === 'run_stopped' ? 'not_attempted' : 'skipped');
  line.detail = detail;
  keepLine(run, line);
  countSkip(run.report, reason, planned.cases.length);
}

/** Keeps a line in the report when the policy wants it: the report of a million messages holds what is worth saying. */
function keepLine(run: Run, line: MessageLine): void {
  const policy = run.ctx.lines;
  const worthSaying = line.fate === 'failed' || line.fate === 'unknown' || (line.fate === 'skipped' && line.detail !== '') || line.lookalike !== undefined;
  const shown = line.fate === 'planned' && run.plannedKept < policy.planned;
  if (shown) run.plannedKept++;
  if (policy.all || worthSaying || shown) run.report.messages.push(line);
}

async function deliverBatch(channel: Channel, ready: Ready[], run: Run): Promise<void> {
  const { ctx, report } = run;
  let outcomes: DeliveryOutcome[];
  try {
    outcomes = await deliverWithRetry(channel, ready.map((r) => r.outgoing), ctx.retry, ctx.sleep);
  } catch (error) {
    if (!(error instanceof ChannelStopError)) {
      // We cannot tell whether these left: unknown, never resent automatically.
      await store(ctx, ready.map(() => ({ state: 'unknown', error: `the channel failed: ${String(error)}` })), ready);
      throw error;
    }
    report.stopped = { reason: error.message, hint: error.hint };
    outcomes = ready.map(() => ({ state: 'failed', permanent: false, error: error.message }));
  }
  await store(ctx, outcomes, ready);
  ready.forEach((r, i) => {
    const o = outcomes[i];
    if (o === undefined) return;
    if (o.state === 'sent') {
      report.sent++;
      run.failedInARow = 0;
      Object.assign(r.line, { fate: 'sent', detail: o.response });
    } else if (o.state === 'unknown') {
      // No answer after the request went out: it counts against the error budget like a failure.
      run.failedInARow++;
      Object.assign(r.line, { fate: 'unknown', detail: o.error });
    } else {
      report.failed++;
      run.failedInARow++;
      Object.assign(r.line, { fate: 'failed', detail: o.error, permanent: o.permanent });
    }
  });
  const max = ctx.config.limits.maxErrors;
  if (report.stopped === null && run.failedInARow >= max) {
    report.stopped = {
      reason: `${run.failedInARow} messages failed in a row (limits.maxErrors is ${max}): the server seems to be down, so the run stopped`,
      hint: 'the messages not attempted go first in the next run; check the server, then run "dunning send" again',
    };
  }
}

async function store(ctx: ApplyContext, outcomes: readonly DeliveryOutcome[], ready: readonly Ready[]): Promise<void> {
  if (ctx.redirectTo !== undefined) return;
  const rows: MessageOutcome[] = [];
  ready.forEach((r, i) => {
    const o = outcomes[i];
    if (r.rowId === null || o === undefined) return;
    if (o.state === 'sent') rows.push({ id: r.rowId, state: 'sent', providerId: o.providerId, response: o.response });
    else if (o.state === 'unknown') rows.push({ id: r.rowId, state: 'unknown', error: o.error });
    else rows.push({ id: r.rowId, state: 'failed', permanent: o.permanent, error: o.error });
  });
  await ctx.store.messages.record(rows, ctx.clock());
}
