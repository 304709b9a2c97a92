import type { MessageLine, SendReport, SendSkipReason } from '../app/send/report.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

/** Messages a dry run's table lists. */
export const SHOWN_MESSAGES = 50;

const REASONS: Record<SendSkipReason, string> = {
  not_yet_due: 'not yet due',
  gap_not_reached: 'too soon after the last message',
  snoozed: 'snoozed',
  stopped: 'stopped',
  paid: 'paid',
  no_token: 'no usable token',
  all_stages_sent: 'every stage sent',
  held_by_limit: 'held back by a limit (they go first next time)',
  manual_follow_up: 'for manual follow-up (older than stopAfterDays)',
  unknown_message_pending: 'waiting on a message in state unknown',
  rejected: 'last message refused by the server',
  bounced: 'address bounced or complained (for manual follow-up)',
  not_selected: 'not selected by --stage/--email',
  render_failed: 'template failed',
  closed_since_plan: 'paid or closed while the run was sending',
  snoozed_since_plan: 'snoozed while the run was sending',
  stopped_since_plan: 'stopped while the run was sending',
  already_claimed: 'already claimed by another run',
  code_taken: 'its promo code went to another customer',
  run_stopped: 'not attempted: the run stopped',
};

/** Prints what send did (or, in a dry run, would do), or the one JSON document of --json. */
export function printSendReport(terminal: Terminal, report: SendReport): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  if (report.windowClosed !== null && !report.dryRun) {
    terminal.info(`Outside the send window: nothing was sent. The window opens ${report.windowClosed.opensAtLocal}.`);
    return;
  }
  if (report.windowClosed !== null) terminal.info(`The send window is closed now; it opens ${report.windowClosed.opensAtLocal}. What would go then:`);
  for (const sync of report.bounceSync.filter((b) => b.stopped > 0)) {
    terminal.info(`Bounces, complaints and opt-outs from ${sync.channel}: ${sync.stopped} address${sync.stopped === 1 ? '' : 'es'} get no more messages ("dunning status" lists them).`);
  }
  if (report.foundUnknown > 0) {
    terminal.warn(
      `${report.foundUnknown} message${report.foundUnknown === 1 ? ' was' : 's were'} left "sending" by a run that died; ` +
        'now "unknown": they are never resent automatically (see "dunning status")',
    );
  }
  if (report.releasedUnknown > 0 || report.keptUnknown > 0) terminal.info(releasedLine(report.releasedUnknown, report.keptUnknown));
  if (report.dryRun) {
    printPlanTable(terminal, report.messages, report.planned);
    warnLookalikeDomains(terminal, report.messages);
    for (const line of report.messages) if (line.note !== undefined) terminal.info(`note: ${line.to} (${line.stage}): ${line.note}`);
  }
  for (const line of report.messages) {
    if (line.fate === 'unknown') terminal.warn(`unknown: ${line.to} (${line.stage}, order ${line.orderIds.join(', ')}): ${line.detail}`);
    else if (line.fate === 'failed' || (line.fate === 'skipped' && line.detail !== '')) {
      terminal.warn(`${line.fate === 'failed' ? (line.permanent === true ? 'refused' : 'failed') : 'skipped'}: ${line.to} (${line.stage}, order ${line.orderIds.join(', ')}): ${line.detail}`);
    }
  }
  for (const line of report.contactList?.customers ?? []) {
    if (line.state === 'failed') terminal.warn(`Mailjet contact list not updated: ${line.email}: ${line.error ?? ''}`);
  }
  for (const line of report.tagRemoval?.customers ?? []) {
    if (line.state === 'failed') terminal.warn(`Mailchimp tags not removed: ${line.email}: ${line.error ?? ''}${line.permanent === true ? ' (not tried again)' : ' (tried again next run)'}`);
  }
  for (const f of report.followUp) terminal.info(`manual follow-up: order ${f.orderId} (${f.email}), ${f.daysOverdue} days overdue`);
  if (report.stopped !== null) {
    terminal.warn(`${terminal.style.red('The run stopped:')} ${report.stopped.reason}`);
    if (report.stopped.hint !== null) terminal.warn(`${terminal.style.dim('hint:')} ${report.stopped.hint}`);
  }
  printSummary(terminal, report);
}

function printPlanTable(terminal: Terminal, lines: readonly MessageLine[], total: number): void {
  const planned = lines.filter((l) => l.fate === 'planned');
  if (planned.length === 0) return;
  const rows = planned.slice(0, SHOWN_MESSAGES).map((l) => [
    l.originalTo === null ? l.to : `${l.to} (for ${l.originalTo})`,
    l.stage,
    l.channel,
    l.orderIds.join(', '),
    l.amounts.join(' + '),
    l.subject,
    l.links[0] ?? '',
  ]);
  terminal.out(renderTable(['to', 'stage', 'via', 'orders', 'open', 'subject', 'link (token masked)'], rows, ['left', 'left', 'left', 'left', 'right']));
  if (total > SHOWN_MESSAGES) terminal.out(`… ${total - Math.min(SHOWN_MESSAGES, planned.length)} more (--json lists every message)`);
}

/** Addresses whose domain mixes Latin with Cyrillic or Greek letters: checked by a person before the real run. */
function warnLookalikeDomains(terminal: Terminal, lines: readonly MessageLine[]): void {
  for (const line of lines) {
    const address = line.originalTo ?? line.to;
    const readable = line.fate === 'planned' ? (line.lookalike ?? null) : null;
    if (readable === null) continue;
    terminal.warn(
      `check: ${address} (order ${line.orderIds.join(', ')}): the domain "${readable}" mixes Latin with Cyrillic or Greek letters; ` +
        'it is another domain than it looks. Fix the address in your shop if it is a typo.',
    );
  }
}

function printSummary(terminal: Terminal, report: SendReport): void {
  const s = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const when = report.windowClosed === null ? '' : ` when the send window opens (${report.windowClosed.opensAtLocal})`;
  const head = report.dryRun
    ? `Dry run: ${s(report.planned, 'message')} would be sent${when}; nothing was sent or recorded.`
    : `${s(report.planned, 'message')} planned: ${report.sent} sent, ${report.failed} failed${unknownPart(report)}.`;
  terminal.info(head);
  const skipped = Object.entries(report.skipped).filter(([, n]) => n > 0);
  if (skipped.length > 0) {
    const parts = skipped.map(([reason, n]) => `${n} ${REASONS[reason as SendSkipReason] ?? reason}`);
    terminal.info(`Cases without a message: ${parts.join(', ')}.`);
  }
  printTagSummary(terminal, report);
  const list = report.contactList;
  if (list !== null && list.failed > 0) terminal.info(`Mailjet contact list: ${list.synced} customers added or updated, ${list.failed} not (the reminders went out).`);
  if (report.unknown > 0) {
    terminal.warn(
      `${s(report.unknown, 'message')} in state unknown: check your mail server's log or your provider's dashboard, then "dunning send --retry-unknown" to send them again.`,
    );
  }
  if (report.rehearsalTo !== null && !report.dryRun) terminal.info(`Rehearsal: every message went to ${report.rehearsalTo}; nothing was recorded as sent.`);
  if (report.outboxDir !== null) terminal.info(`The .eml files are in ${report.outboxDir}`);
  if (report.dryRun && report.planned > 0) {
    terminal.info(report.windowClosed === null ? 'To send them: dunning send' : `To send them: dunning send, from ${report.windowClosed.opensAtLocal} on (before that it sends nothing)`);
  }
}

/** One line on the Mailchimp tags of customers with nothing left to remind (all paid or stopped), when any were due. */
function printTagSummary(terminal: Terminal, report: SendReport): void {
  const tags = report.tagRemoval;
  if (tags === null || tags.due === 0) return;
  const customers = (n: number): string => `${n} customer${n === 1 ? '' : 's'}`;
  if (report.dryRun) {
    terminal.info(`Mailchimp: the dunning tags of ${customers(tags.due)} with nothing left to remind would be removed.`);
    return;
  }
  const notAttempted = tags.due - tags.removed - tags.notInAudience - tags.failed;
  const parts = [
    ...(tags.notInAudience > 0 ? [`${tags.notInAudience} not in the audience`] : []),
    ...(tags.failed > 0 ? [`${tags.failed} failed`] : []),
    ...(notAttempted > 0 ? [`${notAttempted} not attempted (the run stopped; next run)`] : []),
  ];
  terminal.info(`Mailchimp: dunning tags removed from ${customers(tags.removed)} with nothing left to remind${parts.length > 0 ? `; ${parts.join(', ')}` : ''}.`);
}

/** ", 2 unknown" when messages of this run got no answer. */
function unknownPart(report: SendReport): string {
  const unknown = report.messages.filter((l) => l.fate === 'unknown').length;
  return unknown === 0 ? '' : `, ${unknown} unknown`;
}

/** Says that this run took over the lock of a run that died. */
export function printLockTakenOver(terminal: Terminal, holder: { runId: number; pid: number; since: string }): void {
  terminal.warn(`took over the lock of run ${holder.runId} (pid ${holder.pid}, since ${holder.since}), which is no longer running`);
}

/** What --retry-unknown did: how many it released, and how many the run's selection left unknown. */
function releasedLine(released: number, kept: number): string {
  const what = released === 1 ? '1 unknown message released; its case was planned again' : `${released} unknown messages released; their cases were planned again`;
  return kept === 0 ? `--retry-unknown: ${what}.` : `--retry-unknown: ${what}; ${kept} not selected by --email/--stage/--limit stay unknown.`;
}
