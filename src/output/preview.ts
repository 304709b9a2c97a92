import type { RenderedMessage } from '../app/message.js';
import type { PreviewResult } from '../app/preview.js';
import type { DeliveryOutcome, Mailbox, OutgoingMessage, TemplateCheckReport } from '../app/ports.js';
import type { Terminal } from './terminal.js';

/** Prints what preview made: the rendered message, the whole MIME message, or what became of the test send. */
export function printPreview(terminal: Terminal, result: PreviewResult, format: 'text' | 'html' | 'eml' | 'pdf'): void {
  if (result.testSend !== null) printTestSend(terminal, result.outgoing, result.testSend);
  else if (result.letter !== null) printLetter(terminal, result.outgoing.to, result.rendered, result.letter);
  else if (result.mime !== null) printRaw(terminal, result.mime);
  else printRendered(terminal, result.rendered, result.outgoing.to, format === 'html' ? 'html' : 'text');
}

/** Prints a rendered message as text (subject and text part) or as the HTML part. */
function printRendered(terminal: Terminal, message: RenderedMessage, to: Mailbox, format: 'text' | 'html'): void {
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

/** Prints the PDF letter as it is (redirected to a file), or with --json its name and bytes in base64. */
function printLetter(terminal: Terminal, to: Mailbox, message: RenderedMessage, letter: { fileName: string; pdf: Buffer }): void {
  if (terminal.json) {
    terminal.document({ to, locale: message.locale, template: message.template, subject: message.subject, fileName: letter.fileName, pdfBase64: letter.pdf.toString('base64') });
    return;
  }
  terminal.bytes(letter.pdf);
}

/** Prints raw bytes (the .eml of --format eml) to stdout. */
function printRaw(terminal: Terminal, text: string): void {
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
function printTestSend(terminal: Terminal, message: OutgoingMessage, outcome: DeliveryOutcome): void {
  if (terminal.json) {
    terminal.document({ to: message.to.address, messageId: message.messageId, subject: message.subject, outcome });
    return;
  }
  if (outcome.state === 'sent') terminal.info(`Test message sent to ${message.to.address} (${outcome.response}); no case was changed.`);
  else if (outcome.state === 'unknown') terminal.warn(`Test message to ${message.to.address}: no answer, it may have been sent: ${outcome.error}`);
  else terminal.warn(`Test message to ${message.to.address} failed${outcome.permanent ? '' : ' (temporary)'}: ${outcome.error}`);
}
