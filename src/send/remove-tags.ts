import { ChannelStopError } from '../channels/channel.js';
import { createMailchimpChannel, type TagRemoval } from '../channels/mailchimp.js';
import { runUses } from '../config/channels.js';
import { DunningError } from '../core/errors.js';
import { dueTagRemovals, type PushedCustomer } from '../core/tag-removal.js';
import { loadPushedCustomers, recordTagRemovals } from '../store/mailchimp-tags.js';
import type { SendReport, TagRemovalLine, TagRemovalReport } from './report.js';
import type { SendRunMode, SendScope } from './scope.js';

/** What the tag removal of a run needs. */
export interface RemoveTagsContext extends SendScope, SendRunMode {
  /** send --email: only this customer. */
  emailKey: string | undefined;
}

/**
 * After the messages, removes the dunning tags of customers a Mailchimp push tagged who have nothing
 * left open, once each (issue 5): their Customer Journey must not remind someone who paid. Each
 * removal is recorded; a failure is reported, never thrown, and a temporary one is repeated by the
 * next run. A dry run only lists them; a rehearsal (--to) or a run without Mailchimp leaves tags alone.
 */
export async function removeTagsOfClosedCustomers(ctx: RemoveTagsContext, report: SendReport): Promise<void> {
  if (ctx.redirectTo !== undefined || !runUses(ctx.config, 'mailchimp', ctx.channelOverride)) return;
  const due = dueTagRemovals(loadPushedCustomers(ctx.db), ctx.emailKey);
  const result: TagRemovalReport = { due: due.length, removed: 0, notInAudience: 0, failed: 0, customers: [] };
  report.tagRemoval = result;
  if (due.length === 0) return;
  if (ctx.dryRun || report.stopped !== null || ctx.signal?.aborted === true) {
    // What the run did not get to goes first in the next one: nothing is recorded.
    result.customers = due.map((c) => ({ email: c.email, state: ctx.dryRun ? 'planned' : 'not_attempted' }));
    return;
  }
  const removals = await removeTags(ctx, due, report);
  if (removals === null) {
    result.customers = due.map((c) => ({ email: c.email, state: 'not_attempted' }));
    return;
  }
  result.customers = removals.lines;
  for (const line of removals.lines) {
    if (line.state === 'removed') result.removed++;
    else if (line.state === 'not_in_audience') result.notInAudience++;
    else result.failed++;
  }
}

/**
 * Asks Mailchimp and records the outcome per customer; null when the channel could not start (a
 * missing key or audience ID, after messages of other channels may have gone out: the run stops).
 */
async function removeTags(ctx: RemoveTagsContext, due: readonly PushedCustomer[], report: SendReport): Promise<{ lines: TagRemovalLine[] } | null> {
  let channel: ReturnType<typeof createMailchimpChannel>;
  try {
    channel = createMailchimpChannel({ config: ctx.config, env: ctx.env, baseDir: ctx.baseDir, runId: ctx.runId });
  } catch (error) {
    if (!(error instanceof DunningError)) throw error;
    report.stopped ??= { reason: `Mailchimp tags not removed: ${error.message}`, hint: error.hint ?? null };
    return null;
  }
  let removals: TagRemoval[];
  try {
    removals = await channel.removeDunningTags(due.map((c) => c.email));
  } catch (error) {
    if (!(error instanceof ChannelStopError)) throw error;
    report.stopped ??= { reason: error.message, hint: error.hint };
    removals = due.map((c) => ({ email: c.email, state: 'failed', permanent: false, error: `not removed: ${error.message}` }));
  }
  const records = due.map((customer, i) => {
    const r = removals[i];
    return { emailKey: customer.emailKey, email: customer.email, state: r?.state ?? 'failed', permanent: r?.permanent === true, error: r?.error ?? null };
  });
  recordTagRemovals(ctx.db, { runId: ctx.runId, listId: channel.listId, tags: channel.dunningTags }, records, ctx.clock());
  return {
    lines: records.map((r) => ({
      email: r.email,
      state: r.state,
      ...(r.error === null ? {} : { error: r.error }),
      ...(r.state === 'failed' ? { permanent: r.permanent } : {}),
    })),
  };
}
