import { DunningError } from '../core/errors.js';
import { TEMPORARY_FAILURES_AS_PERMANENT } from '../core/suppression.js';
import { stopAddress } from './bounces.js';
import type { AppConfig } from './plan.js';
import type { ChannelTable, ProviderFeedback, Store } from './ports.js';

/** How far back `bounces sync` asks about sent messages: providers keep message states about this long. */
const SYNC_DAYS = 30;

/** What `bounces sync` found and did. */
export interface SyncSummary {
  channel: string;
  /** Messages (Mailjet) or members (Mailchimp) asked about. */
  asked: number;
  permanent: number;
  temporary: number;
  complaints: number;
  optedOut: number;
  /** States read before: a second sync changes nothing. */
  already: number;
  stopped: { email: string; said: string; where: string }[];
}

/** What `bounces sync` needs. */
export interface SyncDeps {
  store: Store;
  config: AppConfig;
  baseDir: string;
  runId: number;
  env: NodeJS.ProcessEnv;
  now: Date;
  channels: ChannelTable;
}

/**
 * `dunning bounces sync --channel mailjet|mailchimp` (issue 23): asks the provider what became of
 * what we sent in the last 30 days and stops every further message to addresses that bounced,
 * complained or opted out, as `bounces import` does for SMTP. Each state counts once.
 */
export async function syncBounces(deps: SyncDeps, channel: string): Promise<SyncSummary> {
  const kit = deps.channels[channel];
  if (kit?.feedback === undefined) {
    throw new DunningError(`bounces sync: the ${channel} channel keeps no delivery state to read`, {
      hint: 'use "--channel mailjet" or "--channel mailchimp"; for smtp, save the bounces as an mbox or Maildir and run "dunning bounces import FILE"',
    });
  }
  const since = new Date(deps.now.getTime() - SYNC_DAYS * 86_400_000);
  const sent = await deps.store.suppressions.sentThrough(channel, since);
  const feedback = await kit.feedback({ config: deps.config, env: deps.env, baseDir: deps.baseDir, runId: deps.runId }, sent);
  const summary: SyncSummary = { channel, asked: sent.length, permanent: 0, temporary: 0, complaints: 0, optedOut: 0, already: 0, stopped: [] };
  await deps.store.suppressions.transaction(async () => {
    for (const f of feedback) await applyFeedback(deps, channel, f, summary);
  });
  return summary;
}

async function applyFeedback(deps: SyncDeps, channel: string, f: ProviderFeedback, summary: SyncSummary): Promise<void> {
  const { store } = deps;
  const at = deps.now.toISOString();
  const reportKey = `${channel}:${f.messageId ?? f.emailKey}:${f.state}`;
  const fresh = await store.suppressions.recordReport({ reportKey, emailKey: f.emailKey, messageId: f.messageId, kind: f.kind, status: f.state, detail: f.detail, reportedAt: at }, deps.runId);
  if (!fresh) return void summary.already++;
  const where = channel === 'mailjet' ? 'Mailjet' : channel === 'mailchimp' ? 'Mailchimp' : channel;
  const ctx = { store, runId: deps.runId, timeZone: deps.config.timeZone };
  if (f.kind === 'permanent') {
    summary.permanent++;
    return stopAddress(ctx, summary, where, { emailKey: f.emailKey, reason: 'bounced', detail: f.detail, happenedAt: at });
  }
  if (f.kind === 'complaint') {
    summary.complaints++;
    return stopAddress(ctx, summary, where, { emailKey: f.emailKey, reason: 'complained', detail: f.detail, happenedAt: at });
  }
  if (f.kind === 'unsubscribed') {
    summary.optedOut++;
    return stopAddress(ctx, summary, where, { emailKey: f.emailKey, reason: 'unsubscribed', detail: f.detail, happenedAt: at });
  }
  summary.temporary++;
  const inARow = await store.suppressions.temporaryFailures(f.emailKey);
  if (inARow >= TEMPORARY_FAILURES_AS_PERMANENT) {
    await stopAddress(ctx, summary, where, { emailKey: f.emailKey, reason: 'bounced', detail: `${inARow} temporary failures in a row, the last ${f.detail}`, happenedAt: at });
  }
}
