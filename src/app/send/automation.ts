import { channelsOfRun } from '../../config/channels.js';
import type { ChannelName } from '../../config/schema.js';
import { DunningError } from '../../core/errors.js';
import { dueTagRemovals, type PushedCustomer } from '../../core/tag-removal.js';
import type { AppConfig } from '../plan.js';
import { ChannelStopError, type AutomationStop, type Channel, type ChannelTable, type Store } from '../ports.js';
import type { SendReport, TagRemovalLine, TagRemovalReport } from './report.js';

/** What stopping the automations of a run needs. */
export interface AutomationContext {
  store: Store;
  config: AppConfig;
  baseDir: string;
  runId: number;
  env: NodeJS.ProcessEnv;
  clock: () => Date;
  channels: ChannelTable;
  dryRun: boolean;
  redirectTo: string | undefined;
  channelOverride: ChannelName | undefined;
  signal: AbortSignal | undefined;
  /** send --email: only this customer. */
  emailKey: string | undefined;
}

/**
 * After the messages, stops the automation a channel started (Mailchimp: removes the dunning tags)
 * for customers with nothing left open, once each (issue 5): their Customer Journey must not remind
 * someone who paid. Each removal is recorded; a failure is reported, never thrown, and a temporary one
 * is repeated by the next run. A dry run only lists them; a rehearsal (--to) leaves tags alone.
 */
export async function stopFinishedAutomations(ctx: AutomationContext, report: SendReport): Promise<void> {
  if (ctx.redirectTo !== undefined) return;
  for (const name of channelsOfRun(ctx.config, ctx.channelOverride)) {
    if (ctx.channels[name]?.automates !== true) continue;
    await stopForChannel(name, ctx, report);
  }
}

async function stopForChannel(name: ChannelName, ctx: AutomationContext, report: SendReport): Promise<void> {
  const due = dueTagRemovals(await ctx.store.messages.automatedCustomers(name), ctx.emailKey);
  const result: TagRemovalReport = { due: due.length, removed: 0, notInAudience: 0, failed: 0, customers: [] };
  report.tagRemoval = result;
  if (due.length === 0) return;
  if (ctx.dryRun || report.stopped !== null || ctx.signal?.aborted === true) {
    // What the run did not get to goes first in the next one: nothing is recorded.
    result.customers = due.map((c) => ({ email: c.email, state: ctx.dryRun ? 'planned' : 'not_attempted' }));
    return;
  }
  const lines = await stopAll(name, ctx, due, report);
  result.customers = lines ?? due.map((c) => ({ email: c.email, state: 'not_attempted' }));
  for (const line of lines ?? []) {
    if (line.state === 'removed') result.removed++;
    else if (line.state === 'not_in_audience') result.notInAudience++;
    else result.failed++;
  }
}

/**
 * Asks the provider and records the outcome per customer; null when the channel could not start (a
 * missing key or audience ID, after messages of other channels may have gone out: the run stops).
 */
async function stopAll(name: ChannelName, ctx: AutomationContext, due: readonly PushedCustomer[], report: SendReport): Promise<TagRemovalLine[] | null> {
  let channel: Channel;
  try {
    channel = ctx.channels[name]?.create({ config: ctx.config, env: ctx.env, baseDir: ctx.baseDir, runId: ctx.runId }) ?? missing(name);
  } catch (error) {
    if (!(error instanceof DunningError)) throw error;
    report.stopped ??= { reason: `Mailchimp tags not removed: ${error.message}`, hint: error.hint ?? null };
    return null;
  }
  const automation = channel.automation;
  if (automation === undefined) return null;
  let stops: AutomationStop[];
  try {
    stops = await automation.stop(due.map((c) => c.email));
  } catch (error) {
    if (!(error instanceof ChannelStopError)) throw error;
    report.stopped ??= { reason: error.message, hint: error.hint };
    stops = due.map((c) => ({ email: c.email, state: 'failed', permanent: false, error: `not removed: ${error.message}` }));
  } finally {
    await channel.close();
  }
  const records = due.map((customer, i) => {
    const r = stops[i];
    return { emailKey: customer.emailKey, email: customer.email, state: r?.state ?? 'failed', permanent: r?.permanent === true, error: r?.error ?? null };
  });
  await ctx.store.messages.recordTagRemovals({ runId: ctx.runId, listId: automation.listId, tags: automation.tags }, records, ctx.clock());
  return records.map((r) => ({
    email: r.email,
    state: r.state,
    ...(r.error === null ? {} : { error: r.error }),
    ...(r.state === 'failed' ? { permanent: r.permanent } : {}),
  }));
}

function missing(name: string): never {
  throw new Error(`no channel "${name}" in the channel table`);
}
