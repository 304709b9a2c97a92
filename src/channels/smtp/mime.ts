import { randomBytes } from 'node:crypto';
import { encode as encodeBase64, wrap as wrapBase64 } from 'nodemailer/lib/base64';
import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { encode as encodeQp, wrap as wrapQp } from 'nodemailer/lib/qp';
import type { Mailbox, OutgoingMessage } from '../../app/ports.js';
import { Memo } from '../../core/memo.js';
import { cleanText } from '../../core/text.js';

/**
 * A value for a mail header: no CR, LF, other control characters or Unicode line breaks, which
 * could end the header early and start a new one (CWE-93, bad-inputs H1, H6-H9).
 */
export function headerText(value: string): string {
  const cleaned = cleanText(value, Number.MAX_SAFE_INTEGER);
  return cleaned.ok ? cleaned.value : '';
}

/** A recipient as nodemailer takes it: always a name and an address object, never one string. */
function mailbox(box: Mailbox): { name: string; address: string } {
  return { name: headerText(box.name), address: box.address };
}

/** nodemailer's options plus the one it reads but does not declare: the random part of every multipart boundary. */
export type ComposeOptions = MailComposerOptions & { baseBoundary?: string };

// nodemailer draws 8 random bytes for each part of each message and uses only the root's; one draw
// per process and a counter keep boundaries unguessable and unique at a tenth of the cost.
const boundaryBase = randomBytes(8).toString('hex');
let boundaryCount = 0;

/**
 * nodemailer normalises a header name with five regular expressions each time it reads or sets a
 * header, some forty times a message: a sixth of composing one (bench:send profile). The result
 * depends on the name alone and a run uses a handful of names, so each is normalised once.
 */
function rememberHeaderNames(): void {
  const node = MimeNode.prototype as unknown as { _normalizeHeaderKey?: (this: unknown, key: unknown) => string };
  const normalise = node._normalizeHeaderKey;
  if (typeof normalise !== 'function') return;
  const known = new Memo<string>(1_000);
  node._normalizeHeaderKey = function (key) {
    if (typeof key !== 'string') return normalise.call(this, key);
    return known.get(key, () => normalise.call(this, key));
  };
}
rememberHeaderNames();

/**
 * The message as nodemailer composes it (UTF-8, text and HTML as alternatives, our Message-ID and
 * X-Dunning-* headers): the outbox builds its file from it, SMTP hands it to the transport, so both
 * carry the same message.
 */
export function mailOptions(message: OutgoingMessage): ComposeOptions {
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
    baseBoundary: `${boundaryBase}${(boundaryCount++).toString(16)}`,
  };
}

/** Builds the RFC 5322 message; Bcc is left out of the headers, as a recipient would see the message. */
export async function composeMime(message: OutgoingMessage): Promise<Buffer> {
  return composeOptions(mailOptions(message));
}

/**
 * Composes a message from nodemailer's options: the bytes MailComposer's build() gives. nodemailer
 * decides the message (structure, headers, encodings, boundaries); build() then streams each part
 * through a pipeline of Node streams, which costs more CPU than all the rest of composing (0.35 of
 * 0.6 ms a message, the largest single cost of a send, issue 4). A tree of string parts, as every
 * reminder is, is written here in one go instead: the same parts in the same order, encoded by
 * nodemailer's own encoders, byte for byte what build() writes (test/unit/mime.test.ts compares
 * them). Any other tree (streams, files, newline conversion, large parts) goes through build().
 */
export async function composeOptions(options: ComposeOptions): Promise<Buffer> {
  const tree = new MailComposer(options).compile();
  if (!writable(tree)) return tree.build();
  const out: string[] = [];
  writeNode(tree, out);
  return Buffer.from(endWithNewline(out.join('')), 'utf8');
}

// nodemailer's quoted-printable stream encodes and wraps larger input in slices of this size.
const SLICE_BYTES = 64 * 1024;

/** True for a tree writeNode writes as build() would: text parts of up to one slice, no newline conversion. */
function writable(node: MimeNode): boolean {
  if (node.newline !== undefined) return false;
  if (node.content !== undefined) {
    if (typeof node.content !== 'string' || Buffer.byteLength(node.content, 'utf8') > SLICE_BYTES) return false;
    // Outside text/* nodemailer encodes a lone CR or LF as data, which qp.encode does not.
    if (!/^text\//i.test(headerOf(node, 'Content-Type'))) return false;
  }
  return node.childNodes.every(writable);
}

/** Appends one node as MimeNode.stream() writes it: headers, content, then the child parts between boundaries. */
function writeNode(node: MimeNode, out: string[]): void {
  // Builds the headers and, with them, sets the node's transfer encoding, content type, multipart kind and boundary.
  out.push(node.buildHeaders(), '\r\n\r\n');
  // The header buildHeaders() set from getTransferEncoding(), which scans the content: once is enough.
  const encoding = headerOf(node, 'Content-Transfer-Encoding');
  if (typeof node.content === 'string' && node.content !== '') out.push(encodeContent(node.content, encoding));
  if (!node.multipart) return;
  node.childNodes.forEach((child, i) => {
    out.push(`${i > 0 ? '\r\n' : ''}--${String(node.boundary)}\r\n`);
    writeNode(child, out);
  });
  out.push(`\r\n--${String(node.boundary)}--\r\n`);
}

function encodeContent(content: string, encoding: string): string {
  // nodemailer's base64 stream writes wrap(encode(input)) however the input is split (nodemailer/lib/base64 says so).
  if (encoding === 'base64') return wrapBase64(encodeBase64(Buffer.from(content, 'utf8')), 76);
  return encoding === 'quoted-printable' ? quotedPrintable(Buffer.from(content, 'utf8')) : content;
}

/**
 * What nodemailer's quoted-printable stream writes for input of one slice (up to 64 KiB): it holds
 * back the spaces and tabs the input ends with and wraps them with the last line, which can break
 * that line elsewhere than wrap() over the whole text would.
 */
function quotedPrintable(bytes: Buffer): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  const text = end > 0 ? wrapQp(encodeQp(bytes.subarray(0, end)), 76) : '';
  if (end === bytes.length) return text;
  const lastLine = text.lastIndexOf('\n') + 1;
  return text.slice(0, lastLine) + wrapQp(text.slice(lastLine) + encodeQp(bytes.subarray(end)), 76);
}

/** A header nodemailer keeps as text; empty when missing (or given as an object, which we never do). */
function headerOf(node: MimeNode, key: string): string {
  const value: unknown = node.getHeader(key);
  return typeof value === 'string' ? value : '';
}

/** The message ends with a line break, as nodemailer's LastNewline makes sure. */
function endWithNewline(text: string): string {
  if (text.endsWith('\n')) return text;
  return text.endsWith('\r') ? `${text}\n` : `${text}\r\n`;
}

/** The SMTP envelope of a message: the customer (or the --to address) plus the Bcc copy. */
export function envelopeOf(message: OutgoingMessage): { from: string; to: string[] } {
  const to = [message.to.address];
  if (message.bcc !== undefined) to.push(message.bcc.address);
  return { from: message.from.address, to };
}
