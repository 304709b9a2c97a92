import type { SyncSummary } from '../app/bounce-sync.js';
import type { BounceSummary } from '../app/bounces.js';
import type { Terminal } from './terminal.js';

/** Prints what `bounces import` found, and the addresses it stopped. */
export function printBounceSummary(terminal: Terminal, s: BounceSummary): void {
  if (terminal.json) {
    terminal.document(s);
    return;
  }
  terminal.out(
    `${s.read} message${s.read === 1 ? '' : 's'} read: ${s.permanent} hard bounce${s.permanent === 1 ? '' : 's'}, ${s.temporary} temporary failure${s.temporary === 1 ? '' : 's'}, ` +
      `${s.complaints} complaint${s.complaints === 1 ? '' : 's'}, ${s.otherMail} about other mail, ${s.notReports} not a report, ${s.already} read before.`,
  );
  for (const stopped of s.stopped) terminal.out(`  ${stopped.email}: ${stopped.said} (${stopped.where}): no more messages, follow up by hand`);
  if (s.stopped.length > 0) terminal.info('"dunning status" lists their cases for manual follow-up; "dunning customer EMAIL --resume" once an address is fixed.');
}

/** Prints what `bounces sync` found, and the addresses it stopped. */
export function printSyncSummary(terminal: Terminal, s: SyncSummary): void {
  if (terminal.json) {
    terminal.document(s);
    return;
  }
  terminal.out(
    `${s.channel}: ${s.asked} sent message${s.asked === 1 ? '' : 's'} looked up: ${s.permanent} bounced, ${s.temporary} temporary failure${s.temporary === 1 ? '' : 's'}, ` +
      `${s.complaints} spam complaint${s.complaints === 1 ? '' : 's'}, ${s.optedOut} opted out, ${s.already} known before.`,
  );
  for (const stopped of s.stopped) terminal.out(`  ${stopped.email}: ${stopped.said} (${stopped.where}): no more messages`);
}
