import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type { Mailbox, OutgoingMessage } from '../../app/ports.js';
import { headerText } from '../../core/text.js';

/** A recipient as nodemailer takes it: always a name and an address object, never one string. */
function mailbox(box: Mailbox): { name: string; address: string } {
  return { name: headerText(box.name), address: box.address };
}

/**
 * The message as nodemailer composes it (UTF-8, text and HTML as alternatives, our Message-ID and
 * X-Dunning-* headers): the outbox builds its file from it, SMTP hands it to the transport, so both
 * carry the same message.
 */
export function mailOptions(message: OutgoingMessage): MailComposerOptions {
  const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, headerText(value)]));
  return {
    from: mailbox(message.from),
    to: mailbox(message.to),
    replyTo: message.replyTo === undefined ? undefined : mailbox(message.replyTo),
    bcc: message.bcc === undefined ? undefined : mailbox(message.bcc),
    subject: headerText(message.subject),
    messageId: message.messageId,
    date: message.date,
    headers,
    text: message.text,
    html: message.html,
    attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}

/** Builds the RFC 5322 message; Bcc is left out of the headers, as a recipient would see the message. */
export async function composeMime(message: OutgoingMessage): Promise<Buffer> {
  return composeOptions(mailOptions(message));
}

/** Composes a message from nodemailer's options: MailComposer decides structure, headers, encodings and boundaries. */
export function composeOptions(options: MailComposerOptions): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** The SMTP envelope of a message: the customer (or the --to address) plus the Bcc copy. */
export function envelopeOf(message: OutgoingMessage): { from: string; to: string[] } {
  const to = [message.to.address];
  if (message.bcc !== undefined) to.push(message.bcc.address);
  return { from: message.from.address, to };
}
