import DKIM from 'nodemailer/lib/dkim';
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
    attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, encoding: a.encoding })),
  };
}

/** What DKIM signing needs (config/dkim-key.ts reads it); the key is passed on in memory only. */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * The headers a signature covers: nodemailer's list (RFC 6376 5.4) plus List-Unsubscribe-Post,
 * which RFC 8058 requires to be signed for one-click unsubscribe (issue 23).
 */
const SIGNED_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:Content-ID:' +
  'Content-Description:In-Reply-To:References:List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive';

/** Builds the RFC 5322 message; Bcc is left out of the headers, as a recipient would see the message. */
export async function composeMime(message: OutgoingMessage, dkim?: DkimSigning): Promise<Buffer> {
  return composeOptions(mailOptions(message), dkim);
}

/**
 * Composes a message from nodemailer's options: MailComposer decides structure, headers, encodings
 * and boundaries; with `dkim`, nodemailer's own signer adds the DKIM-Signature header.
 */
export async function composeOptions(options: MailComposerOptions, dkim?: DkimSigning): Promise<Buffer> {
  const raw = await new MailComposer(options).compile().build();
  return dkim === undefined ? raw : signMime(raw, dkim);
}

/** Signs finished MIME bytes with nodemailer's DKIM signer (relaxed/relaxed, rsa-sha256). */
export async function signMime(raw: Buffer, dkim: DkimSigning): Promise<Buffer> {
  const signer = new DKIM({ domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey: dkim.privateKey, headerFieldNames: SIGNED_HEADERS });
  const chunks: Buffer[] = [];
  for await (const chunk of signer.sign(raw)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** The SMTP envelope of a message: the customer (or the --to address) plus the Bcc copy. */
export function envelopeOf(message: OutgoingMessage): { from: string; to: string[] } {
  const to = [message.to.address];
  if (message.bcc !== undefined) to.push(message.bcc.address);
  return { from: message.from.address, to };
}
