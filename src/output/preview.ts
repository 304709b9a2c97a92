import type { DeliveryOutcome, Mailbox, OutgoingMessage } from '../channels/channel.js';
import type { RenderedMessage } from '../templates/types.js';
import type { TemplateCheckReport } from '../templates/check.js';
import type { Terminal } from './terminal.js';

/** Prints a rendered message as text (subject and text part) or as the HTML part. */
export function printPreview(terminal: Terminal, message: RenderedMessage, to: Mailbox, format: 'text' | 'html'): void {
  if (terminal.json) {
    terminal.document({ to, locale: message.locale, template: message.template, subject: message.subject, text: message.text, html: message.html });
    return;
  }
  if (format === 'html') {
    terminal.out(message.html);
    return;
  }
  terminal.out(`To: ${to.name === '' ? to.address : `${to.name} <${to.address}>`}`);
  terminal.out(`Subject: ${message.subject}`);
  terminal.out(`Template: ${message.template} (${message.locale})`);
  terminal.out('');
  terminal.out(message.text.trimEnd());
}

/** Prints raw bytes (the .eml of --format eml) to stdout. */
export function printRaw(terminal: Terminal, text: string): void {
  terminal.out(text.trimEnd());
}

/** Prints what `templates check` found. */
export function printTemplateCheck(terminal: Terminal, report: TemplateCheckReport): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  for (const problem of report.problems) {
    terminal.warn(`${problem.template}${problem.locale ? ` (${problem.locale})` : ''}, ${problem.where}: ${problem.message}`);
  }
  const renders = report.checked.reduce((sum, c) => sum + c.renders, 0);
  terminal.info(`${report.checked.length} template variants checked, ${renders} renders passed, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}.`);
}

/** Says where a test send went and what the channel answered. */
export function printTestSend(terminal: Terminal, message: OutgoingMessage, outcome: DeliveryOutcome): void {
  if (terminal.json) {
    terminal.document({ to: message.to.address, messageId: message.messageId, subject: message.subject, outcome });
    return;
  }
  if (outcome.state === 'sent') terminal.info(`Test message sent to ${message.to.address} (${outcome.response}); no case was changed.`);
  else if (outcome.state === 'unknown') terminal.warn(`Test message to ${message.to.address}: no answer, it may have been sent: ${outcome.error}`);
  else terminal.warn(`Test message to ${message.to.address} failed${outcome.permanent ? '' : ' (temporary)'}: ${outcome.error}`);
}
