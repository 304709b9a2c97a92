import { calendarDateIn } from '../core/dates.js';
import { digestOf, type Digest } from '../core/digest.js';
import { addressOption } from '../core/email.js';
import { DunningError } from '../core/errors.js';
import { messageIdFor } from '../core/message-id.js';
import { computeReport, type RecoveryReport } from '../core/report.js';
import { dayBounds } from '../core/send-window.js';
import { headerText } from '../core/text.js';
import { loadPlan, type AppConfig } from './plan.js';
import { sendOneMessage } from './send/one-message.js';
import type { Attachment, ChannelTable, DeliveryOutcome, OutgoingMessage, Store } from './ports.js';
import { calendarDay } from './report.js';

/** The digest's figures and the full report beside them, over the same period. */
export interface DigestResult {
  digest: Digest;
  report: RecoveryReport;
}

/**
 * What happened since the last digest: sent, failed, unknown, who paid and how much, who waits for a
 * personal follow-up, codes that expire today, and what needs attention first. `since` is a day
 * (`yesterday`, `2026-11-01`); without it the digest counts from the start of the last digest's run
 * (a run of `report --mail-to` that finished), or from the start of yesterday.
 */
export async function collectDigest(store: Store, config: AppConfig, now: Date, since: string | undefined): Promise<DigestResult> {
  const from = since === undefined ? await lastDigestStart(store, config, now) : dayBounds(calendarDay(since, config.timeZone, '--since', now), config.timeZone).start.toISOString();
  const data = await store.report.reportData();
  const report = computeReport({
    ...data,
    since: from,
    until: null,
    days: { from: calendarDateIn(new Date(from), config.timeZone), to: null },
    now,
    timeZone: config.timeZone,
    stages: config.sequence.stages.map((s) => s.name),
  });
  const states = await store.report.messagesSince(from);
  const today = dayBounds(calendarDateIn(now, config.timeZone), config.timeZone);
  const open = new Set(data.cases.filter((c) => c.status === 'open').map((c) => c.emailKey));
  const expiring = data.codes.filter((c) => open.has(c.emailKey) && c.expiresAt >= today.start.toISOString() && c.expiresAt < today.end.toISOString());
  return {
    digest: digestOf({
      since: from,
      sent: states.sent,
      failed: states.failed,
      unknown: (await store.messages.countByState()).unknown,
      payers: report.payers,
      paid: report.recovered,
      manualFollowUp: await manualFollowUps(store, config, now),
      codesExpiringToday: expiring.length,
    }),
    report,
  };
}

async function lastDigestStart(store: Store, config: AppConfig, now: Date): Promise<string> {
  const runs = await store.runs.list(500);
  const last = runs.find((r) => r.command === 'report' && r.args.includes('--mail-to') && r.exitCode !== null && r.exitCode <= 1);
  return last?.startedAt ?? dayBounds(calendarDay('yesterday', config.timeZone, '--since', now), config.timeZone).start.toISOString();
}

/** Customers with a case the plan gives up on (`manual_follow_up`): the same plan status shows. */
async function manualFollowUps(store: Store, config: AppConfig, now: Date): Promise<number> {
  let count = 0;
  for await (const page of loadPlan(store, config, { now, capped: false })) {
    for (const plan of page) if (plan.decisions.some((d) => d.skip?.reason === 'manual_follow_up')) count++;
  }
  return count;
}

/** The address `--mail-to` names: exactly one, or exit 2 before anything is read. */
export function digestAddress(text: string): string {
  return addressOption('--mail-to', text).address;
}

/** What mailing the digest needs. */
export interface DigestMailDeps {
  channels: ChannelTable;
  config: AppConfig;
  env: NodeJS.ProcessEnv;
  baseDir: string;
  runId: number;
  now: Date;
}

/** The digest as written for the merchant: subject, text, HTML and the attached full report. */
export interface DigestMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: readonly Attachment[];
}

/**
 * Sends the digest to the merchant through the configured channel. The outbox and SMTP carry a
 * message of our own with its attachment; Mailchimp only pushes contacts to an audience and Mailjet
 * sends customers' reminders, so the digest is refused there with the channel that can carry it.
 */
export async function mailDigest(deps: DigestMailDeps, mail: DigestMail): Promise<DeliveryOutcome> {
  const { config } = deps;
  if (config.channel !== 'outbox' && config.channel !== 'smtp') {
    throw new DunningError(`the digest goes through the outbox or SMTP, not "${config.channel}"`, { hint: 'run it with a config whose "channel" is "outbox" (the default) or "smtp"' });
  }
  const kit = deps.channels[config.channel];
  if (kit === undefined) throw new DunningError(`unknown channel "${config.channel}"`);
  const channel = kit.create({ config, env: deps.env, baseDir: deps.baseDir, runId: deps.runId });
  const message: OutgoingMessage = {
    messageId: messageIdFor({ emailKey: mail.to.toLowerCase(), stage: 'digest', repeat: 0, caseIds: [deps.runId], attempt: 1 }, config.sender.email),
    to: { name: '', address: mail.to },
    from: { name: config.sender.name, address: config.sender.email },
    subject: headerText(mail.subject),
    text: mail.text,
    html: mail.html,
    date: deps.now,
    headers: { 'X-Dunning-Digest': calendarDateIn(deps.now, config.timeZone) },
    data: {
      emailKey: mail.to.toLowerCase(),
      caseIds: [],
      customer: { email: mail.to, firstName: '', lastName: '' },
      cases: [],
      stage: { name: 'digest', number: 0 },
      locale: config.locale,
      timeZone: config.timeZone,
      company: config.sender.company,
    },
    attachments: mail.attachments,
  };
  return sendOneMessage(channel, message);
}
