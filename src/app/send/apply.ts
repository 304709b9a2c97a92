import type { ChannelName } from '../../config/schema.js';
import type { ApplyContext } from './apply-context.js';
import { withLetter } from './letter.js';
import { DunningError } from '../../core/errors.js';
import { countSkips, type CustomerPlan } from '../../core/plan.js';
import type { RenderedMessage } from '../message.js';
import type { Channel, OutgoingMessage } from '../ports.js';
import { createPacer } from './deliver.js';
import { batchSizeOf, channelFor, openChannel } from './channel-batches.js';
import { handOver, settleHandovers, skipLine, type Batch, type Ready, type Run } from './handover.js';
import { mailjetTemplateFor } from '../../config/mailjet-template.js';
import { describeMessage } from './lines.js';
import { buildOutgoing, requestFor } from './outgoing.js';
import type { MessageCode } from './promo-desk.js';
import type { SendReport } from './report.js';
import { claimFor } from '../late-charges.js';

/**
 * Applies a plan as it is read, customer by customer: renders each message, claims it, delivers it in
 * the channel's batches with retries, records the outcome, and stops when limits.maxErrors messages
 * failed in a row. `total` is how many messages the plan holds, for progress.
 */
export async function applyPlan(plans: AsyncIterable<CustomerPlan[]>, total: number, ctx: ApplyContext, report: SendReport): Promise<void> {
  const open = new Map<ChannelName, Channel>();
  const run: Pipeline = {
    ctx, report, pace: createPacer(ctx.config.limits.perSecond, ctx.sleep), failedInARow: 0, done: 0, total, plannedKept: 0,
    handing: new Set(), claimed: 0, failure: null, inFlight: new Set(), rendering: Promise.resolve(), delivering: Promise.resolve(),
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
        if (batch !== undefined && (batch.name !== name || batch.messages.length >= renderBatchOf(batch.channel, ctx))) {
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

/** A run of applyPlan, with the batches being rendered ahead of their hand-over. */
interface Pipeline extends Run {
  /** Batches on their way: being rendered (and composed) or handed over. */
  inFlight: Set<Promise<void>>;
  /** The batch being rendered: one at a time, in plan order. */
  rendering: Promise<unknown>;
  /** The batch being handed over: one at a time, in plan order. */
  delivering: Promise<unknown>;
}

/**
 * How many messages are rendered together: a channel's unit, or, for a channel with several units
 * on their way at once (SMTP's connections), four for each, so the next ones are composed while the
 * server answers (bench:send, 5 connections: 730-1,050 messages/s rendering 10 at a time, 840-1,130 with 20).
 */
function renderBatchOf(channel: Channel, ctx: ApplyContext): number {
  const slots = channel.batchesInFlight ?? 1;
  return batchSizeOf(channel, ctx.config) * (slots > 1 ? slots * 4 : 1);
}

/**
 * Hands a batch on, keeping two on their way at once: while the server answers one, the next is
 * rendered and composed. Its messages are claimed only as they leave (handOver). `last`: wait for
 * every message to end before going on (the channel changes, or the plan ends).
 */
async function dispatch(batch: Batch, run: Pipeline, last: boolean): Promise<void> {
  while (run.inFlight.size >= RENDERED_AHEAD) await Promise.race(run.inFlight);
  const rendered = run.rendering.then(() => renderBatch(batch, run));
  run.rendering = rendered.catch(() => undefined);
  const delivered = Promise.all([rendered, run.delivering]).then(([ready]) => deliverRendered(batch, ready, run));
  run.delivering = delivered.catch(() => undefined);
  const task: Promise<void> = delivered.finally(() => run.inFlight.delete(task));
  run.inFlight.add(task);
  if (last) await settle(run);
}

const RENDERED_AHEAD = 2;

/** Waits for every batch on its way and every message handed over; the first failure is thrown once all have ended. */
async function settle(run: Pipeline): Promise<void> {
  const outcomes = await Promise.allSettled([...run.inFlight, settleHandovers(run)]);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

/** What the plan says about cases without a message: counted, and those for manual follow-up listed. */
function tally(report: SendReport, plan: CustomerPlan): void {
  countSkips(report.skipped, plan);
  for (const d of plan.decisions) {
    if (d.skip?.reason === 'manual_follow_up' || d.skip?.reason === 'bounced') report.followUp.push({ caseId: d.case.id, orderId: d.case.orderId, email: d.case.email, daysOverdue: d.daysOverdue });
  }
}

/** Hands a rendered batch over; when the run has stopped, lists it as not attempted. */
async function deliverRendered(batch: Batch, rendered: Ready[], run: Run): Promise<void> {
  await handOver(batch, rendered, batchSizeOf(batch.channel, run.ctx.config), run);
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
      const claim = await claimFor(ctx.store, ctx.config, planned);
      rendered = ctx.renderer.render(requestFor(planned, code?.promo, claim));
      outgoing = buildOutgoing(planned, rendered, ctx.config, code?.promo, ctx.redirectTo, claim);
      if (!ctx.dryRun) outgoing = await withLetter(outgoing, planned, rendered, code?.promo, ctx);
    } catch (error) {
      if (!(error instanceof DunningError)) throw error;
      skipLine(run, planned, batch.name, 'render_failed', `cannot render "${planned.stage.template}": ${error.message}`);
      continue;
    }
    const line = describeMessage(planned, { outgoing, rendered }, batch.name, ctx.dryRun ? 'planned' : 'not_attempted');
    const template = batch.name === 'mailjet' ? mailjetTemplateFor(ctx.config.sequence.stages.find((s) => s.name === planned.stage.name)?.mailjetTemplateId, rendered.locale) : undefined;
    if (template?.fallback === true) line.note = `no Mailjet template for "${rendered.locale}": template ${template.id}, the first one listed`;
    ready.push({ planned, outgoing, line, rowId: null, code: code?.assignment });
    if (!ctx.dryRun) batch.channel.prepare?.(outgoing);
  }
  return ready;
}

export type { ApplyContext, LinePolicy } from './apply-context.js';
