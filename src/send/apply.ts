import { ChannelStopError, type Channel, type ChannelFactory, type DeliveryOutcome, type OutgoingMessage } from '../channels/channel.js';
import { channelOf } from '../config/channels.js';
import type { ChannelName, Config } from '../config/schema.js';
import { DunningError } from '../core/errors.js';
import type { Plan, PlannedMessage } from '../core/plan.js';
import { claimMessages, recordOutcomes, type MessageOutcome } from '../store/messages.js';
import type { RenderedMessage } from '../templates/types.js';
import type { CodeAssignment } from '../store/promo.js';
import type { MessageCode, PromoDesk } from './promo.js';
import { buildOutgoing, requestFor, type RenderMessage } from './build-message.js';
import { createPacer, deliverWithRetry, type RetryPolicy, type Sleep } from './deliver.js';
import { describeMessage } from './lines.js';
import { countSkip, type MessageLine, type SendReport } from './report.js';
import type { SendRunMode, SendScope } from './scope.js';

/** What applying a plan needs besides the plan. */
export interface ApplyContext extends SendScope, SendRunMode {
  render: RenderMessage;
  channels: Record<ChannelName, ChannelFactory>;
  retry: RetryPolicy;
  sleep: Sleep;
  onProgress: ((done: number, total: number) => void) | undefined;
  /** Hands out the promo codes of the run. */
  promos: PromoDesk;
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

/**
 * Applies a plan: renders each message, claims it, delivers it in the channel's batches with
 * retries, records the outcome, and stops when limits.maxErrors messages failed in a row.
 */
export async function applyPlan(plan: Plan, ctx: ApplyContext, report: SendReport): Promise<void> {
  const open = new Map<ChannelName, Channel>();
  const pace = createPacer(ctx.config.limits.perSecond, ctx.sleep);
  const budget = { failedInARow: 0 };
  let index = 0;
  try {
    while (index < plan.messages.length) {
      const name = channelFor(plan.messages[index], ctx);
      const channel = open.get(name) ?? openChannel(name, ctx, open);
      const batch = takeBatch(plan.messages, index, name, batchSizeOf(channel, ctx.config), ctx);
      index += batch.length;
      if (report.stopped !== null) {
        for (const m of batch) skipLine(report, m, name, 'run_stopped', 'not attempted: the run stopped');
        continue;
      }
      const ready = prepareBatch(batch, ctx, { name, channel }, report);
      if (!ctx.dryRun && ready.length > 0) {
        await pace(ready.length);
        await deliverBatch(channel, ready, ctx, report, budget);
      }
      if (report.stopped === null && ctx.signal?.aborted === true) report.stopped = { reason: 'interrupted', hint: 'the messages not attempted go first in the next run' };
      ctx.onProgress?.(index, plan.messages.length);
    }
  } finally {
    for (const channel of open.values()) await channel.close();
  }
}

function channelFor(message: PlannedMessage | undefined, ctx: ApplyContext): ChannelName {
  return channelOf(ctx.config, ctx.config.sequence.stages.find((s) => s.name === message?.stage.name), ctx.channelOverride);
}

function openChannel(name: ChannelName, ctx: ApplyContext, open: Map<ChannelName, Channel>): Channel {
  const channel = ctx.channels[name]({ config: ctx.config, env: ctx.env, baseDir: ctx.baseDir, runId: ctx.runId });
  open.set(name, channel);
  return channel;
}

/** A per-second limit also caps the batch: a batch leaves at once. */
function batchSizeOf(channel: Channel, config: Config): number {
  const perSecond = config.limits.perSecond;
  return Math.max(1, Math.min(channel.batchSize, perSecond === undefined ? Infinity : Math.floor(perSecond)));
}

function takeBatch(messages: readonly PlannedMessage[], start: number, name: ChannelName, size: number, ctx: ApplyContext): PlannedMessage[] {
  const batch: PlannedMessage[] = [];
  for (let i = start; i < messages.length && batch.length < size; i++) {
    const m = messages[i];
    if (m === undefined || channelFor(m, ctx) !== name) break;
    batch.push(m);
  }
  return batch;
}

/** Renders and builds each message; a customer whose message cannot be rendered is skipped with the reason. */
function prepareBatch(batch: readonly PlannedMessage[], ctx: ApplyContext, { name, channel }: { name: ChannelName; channel: Channel }, report: SendReport): Ready[] {
  const ready: Ready[] = [];
  for (const planned of batch) {
    let outgoing: OutgoingMessage;
    let rendered: RenderedMessage;
    let code: MessageCode | undefined;
    try {
      code = ctx.promos.codeFor(planned, ctx.clock());
      rendered = ctx.render(requestFor(planned, code?.promo));
      outgoing = buildOutgoing(planned, rendered, ctx.config, code?.promo, ctx.redirectTo);
    } catch (error) {
      if (!(error instanceof DunningError)) throw error;
      skipLine(report, planned, name, 'render_failed', `cannot render "${planned.stage.template}": ${error.message}`);
      continue;
    }
    const line = describeMessage(planned, { outgoing, rendered }, name, ctx.dryRun ? 'planned' : 'not_attempted');
    report.messages.push(line);
    ready.push({ planned, outgoing, line, rowId: null, code: code?.assignment });
    if (!ctx.dryRun) channel.prepare?.(outgoing);
  }
  if (ctx.dryRun || ctx.redirectTo !== undefined || ready.length === 0) return ready;
  const claims = claimMessages(
    ctx.db,
    ready.map((r) => ({
      runId: ctx.runId, emailKey: r.planned.customer.emailKey, stage: r.planned.stage.name, channel: name, template: r.planned.stage.template,
      recipient: r.outgoing.to.address, messageId: r.outgoing.messageId, cases: r.planned.cases.map((c) => ({ caseId: c.id, stage: c.stage })),
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
    }
    return claim?.ok === true;
  });
}

function skipLine(report: SendReport, planned: PlannedMessage, name: ChannelName, reason: 'render_failed' | 'run_stopped', detail: string): void {
  const line = describeMessage(planned, null, name, reason === 'run_stopped' ? 'not_attempted' : 'skipped');
  line.detail = detail;
  report.messages.push(line);
  countSkip(report, reason, planned.cases.length);
}

async function deliverBatch(channel: Channel, ready: Ready[], ctx: ApplyContext, report: SendReport, budget: { failedInARow: number }): Promise<void> {
  let outcomes: DeliveryOutcome[];
  try {
    outcomes = await deliverWithRetry(channel, ready.map((r) => r.outgoing), ctx.retry, ctx.sleep);
  } catch (error) {
    if (!(error instanceof ChannelStopError)) {
      // We cannot tell whether these left: unknown, never resent automatically.
      store(ctx, ready.map(() => ({ state: 'unknown', error: `the channel failed: ${String(error)}` })), ready);
      throw error;
    }
    report.stopped = { reason: error.message, hint: error.hint };
    outcomes = ready.map(() => ({ state: 'failed', permanent: false, error: error.message }));
  }
  store(ctx, outcomes, ready);
  ready.forEach((r, i) => {
    const o = outcomes[i];
    if (o === undefined) return;
    if (o.state === 'sent') {
      report.sent++;
      budget.failedInARow = 0;
      Object.assign(r.line, { fate: 'sent', detail: o.response });
    } else if (o.state === 'unknown') {
      // No answer after the request went out: it counts against the error budget like a failure.
      budget.failedInARow++;
      Object.assign(r.line, { fate: 'unknown', detail: o.error });
    } else {
      report.failed++;
      budget.failedInARow++;
      Object.assign(r.line, { fate: 'failed', detail: o.error, permanent: o.permanent });
    }
  });
  const max = ctx.config.limits.maxErrors;
  if (report.stopped === null && budget.failedInARow >= max) {
    report.stopped = {
      reason: `${budget.failedInARow} messages failed in a row (limits.maxErrors is ${max}): the server seems to be down, so the run stopped`,
      hint: 'the messages not attempted go first in the next run; check the server, then run "dunning send" again',
    };
  }
}

function store(ctx: ApplyContext, outcomes: readonly DeliveryOutcome[], ready: readonly Ready[]): void {
  if (ctx.redirectTo !== undefined) return;
  const rows: MessageOutcome[] = [];
  ready.forEach((r, i) => {
    const o = outcomes[i];
    if (r.rowId === null || o === undefined) return;
    if (o.state === 'sent') rows.push({ id: r.rowId, state: 'sent', providerId: o.providerId, response: o.response });
    else if (o.state === 'unknown') rows.push({ id: r.rowId, state: 'unknown', error: o.error });
    else rows.push({ id: r.rowId, state: 'failed', permanent: o.permanent, error: o.error });
  });
  recordOutcomes(ctx.db, rows, ctx.clock());
}
