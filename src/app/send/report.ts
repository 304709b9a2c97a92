import type { ChannelName } from '../../config/schema.js';
import type { SkipReason } from '../../core/plan.js';
import type { TagRemovalState } from '../../core/tag-removal.js';

/** Why a case got no message: the planner's reasons plus what can only happen while sending. */
export type SendSkipReason = SkipReason | 'render_failed' | 'closed_since_plan' | 'snoozed_since_plan' | 'stopped_since_plan' | 'already_claimed' | 'code_taken' | 'run_stopped';

/** What became of one planned message. */
export type MessageFate = 'planned' | 'sent' | 'failed' | 'unknown' | 'skipped' | 'not_attempted';

/** One planned message as the report lists it; links are masked. */
export interface MessageLine {
  to: string;
  /** The customer's address when --to redirected the message. */
  originalTo: string | null;
  name: string;
  stage: string;
  channel: ChannelName;
  caseIds: number[];
  orderIds: string[];
  /** Open amount per currency, e.g. "49.00 EUR". */
  amounts: string[];
  links: string[];
  subject: string;
  messageId: string;
  fate: MessageFate;
  /** Where it went (outbox file, provider ID) or why it failed or was skipped. */
  detail: string;
  /** What a person should know before the real run (a dry run prints it), e.g. the Mailjet template a language falls back to. */
  note?: string;
  permanent?: boolean;
  /** The address's domain as it reads, when it mixes Latin with Cyrillic or Greek letters (a lookalike). */
  lookalike?: string;
}

/** A case too old for the sequence: the merchant follows it up by hand. */
export interface FollowUpLine {
  caseId: number;
  orderId: string;
  email: string;
  daysOverdue: number;
}

/** A customer whose Mailchimp dunning tags were due to go: removed, not in the audience, failed, or (dry run) planned. */
export interface TagRemovalLine {
  email: string;
  state: TagRemovalState | 'planned' | 'not_attempted';
  error?: string;
  permanent?: boolean;
}

/** What send did about the Mailchimp tags of customers with nothing left to remind (all paid or stopped). */
export interface TagRemovalReport {
  /** Customers whose tags were due to go in this run. */
  due: number;
  removed: number;
  notInAudience: number;
  failed: number;
  customers: TagRemovalLine[];
}

/** Everything `send` did or would do; `--json` prints exactly this. */
export interface SendReport {
  runId: number;
  dryRun: boolean;
  rehearsalTo: string | null;
  today: string;
  timeZone: string;
  /** Set when the send window was closed and nothing was sent. */
  windowClosed: { opensAt: string; opensAtLocal: string } | null;
  planned: number;
  sent: number;
  failed: number;
  /** Messages in state unknown after this run (never resent automatically). */
  unknown: number;
  /** Messages a run that died left `sending`, found and marked unknown by this run. */
  foundUnknown: number;
  /** Unknown messages released for a retry by --retry-unknown. */
  releasedUnknown: number;
  /** With --retry-unknown: the unknown messages the run's --email/--stage/--limit left as they were. */
  keptUnknown: number;
  /** Cases per reason they got no message. */
  skipped: Partial<Record<SendSkipReason, number>>;
  /**
   * The messages: every one with --json; otherwise the first planned ones (a dry run's table) and
   * every one with something to say (failed, unknown, skipped, an address to check).
   */
  stopped: { reason: string; hint: string | null } | null;
  outboxDir: string | null;
  messages: MessageLine[];
  followUp: FollowUpLine[];
  /** Mailchimp tag removal; null when the run does not use Mailchimp (or is a --to rehearsal). */
  tagRemoval: TagRemovalReport | null;
  /** The Mailjet contact list (mailjet.contactListId), per customer sent; null when no message went to one. */
  contactList: ContactListReport | null;
  /** `bounces.syncBeforeSend`: per provider channel, how many addresses its bounces and complaints stopped before the plan. */
  bounceSync: { channel: string; stopped: number }[];
}

/** What became of the contact-list sync of the customers sent through Mailjet. */
export interface ContactListReport {
  synced: number;
  failed: number;
  customers: { email: string; state: 'synced' | 'failed'; error?: string }[];
}

/** The exit code a send report stands for: 1 when anything failed or the run had to stop. */
export function sendExitCode(report: SendReport): 0 | 1 {
  const unknownNow = report.messages.some((m) => m.fate === 'unknown');
  const tagsFailed = (report.tagRemoval?.failed ?? 0) > 0;
  const listFailed = (report.contactList?.failed ?? 0) > 0;
  return report.failed > 0 || unknownNow || tagsFailed || listFailed || report.stopped !== null || (report.skipped.render_failed ?? 0) > 0 ? 1 : 0;
}

/** Adds `count` cases to a skip reason. */
export function countSkip(report: SendReport, reason: SendSkipReason, count: number): void {
  report.skipped[reason] = (report.skipped[reason] ?? 0) + count;
}

/** The counts the run log keeps of a send. */
export function sendSummary(report: SendReport): Record<string, unknown> {
  const skipped = Object.values(report.skipped).reduce((sum, n) => sum + n, 0);
  return {
    dryRun: report.dryRun,
    planned: report.planned,
    sent: report.sent,
    failed: report.failed,
    skipped,
    unknown: report.unknown,
    ...(report.rehearsalTo === null ? {} : { rehearsalTo: report.rehearsalTo }),
    ...(report.windowClosed === null ? {} : { windowClosed: report.windowClosed.opensAtLocal }),
    ...(report.stopped === null ? {} : { stopped: report.stopped.reason }),
    ...(report.tagRemoval === null || report.dryRun ? {} : { tagsRemoved: report.tagRemoval.removed, tagRemovalsFailed: report.tagRemoval.failed }),
    ...(report.contactList === null ? {} : { contactListSynced: report.contactList.synced, contactListFailed: report.contactList.failed }),
  };
}
