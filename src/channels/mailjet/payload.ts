import type { Mailbox, OutgoingMessage } from '../../app/ports.js';
import { extraFields } from '../../core/merge-fields.js';
import { ordersOf, variablesOf, type TemplateOf } from './variables.js';

/** One message of a Send API v3.1 request (send-v3.1.json "Message"). */
export interface MailjetMessage {
  From: MailjetAddress;
  To: MailjetAddress[];
  ReplyTo?: MailjetAddress;
  Bcc?: MailjetAddress[];
  Subject?: string;
  TextPart?: string;
  HTMLPart?: string;
  TemplateID?: number;
  TemplateLanguage?: boolean;
  TemplateErrorReporting?: MailjetAddress;
  Variables?: Record<string, unknown>;
  CustomID: string;
  EventPayload: string;
  CustomCampaign: string;
  Headers?: Record<string, string>;
  Attachments?: { Filename: string; ContentType: string; Base64Content: string }[];
}

interface MailjetAddress {
  Email: string;
  Name?: string;
}

/** The Send API v3.1 request body for a batch of at most 50 messages (a type alias, so it fits the SDK's record type). */
export type MailjetSendBody = {
  Messages: MailjetMessage[];
  SandboxMode?: boolean;
};

/** Builds the request body: our own rendering, or the stage's Mailjet template with our variables. */
export function buildSendBody(messages: readonly OutgoingMessage[], sandbox: boolean, templateOf: TemplateOf): MailjetSendBody {
  const body: MailjetSendBody = { Messages: messages.map((m) => toMailjetMessage(m, templateOf(m.data.stage.name, m.data.locale))) };
  if (sandbox) body.SandboxMode = true;
  return body;
}

/** Maps one message; template mode when the stage names a Mailjet TemplateID. */
export function toMailjetMessage(message: OutgoingMessage, templateId: number | undefined): MailjetMessage {
  const out: MailjetMessage = {
    From: address(message.from),
    To: [address(message.to)],
    CustomID: customId(message),
    // Our Message-ID rides along to Mailjet's event webhooks, so an event finds its row in the store.
    EventPayload: JSON.stringify({ messageId: message.messageId }),
    // One Mailjet campaign per stage gives the merchant statistics per stage in the Mailjet dashboard.
    CustomCampaign: `dunning-${message.data.stage.name}`,
  };
  if (message.replyTo !== undefined) out.ReplyTo = address(message.replyTo);
  if (message.bcc !== undefined) out.Bcc = [address(message.bcc)];
  const headers = allowedHeaders(message.headers);
  if (headers !== undefined) out.Headers = headers;
  // The PDF letter of a stage with attachPdf (send-v3.1.json "Attachments"), in both modes.
  if (message.attachments !== undefined && message.attachments.length > 0) {
    out.Attachments = message.attachments.map((a) => ({
      Filename: a.filename,
      ContentType: a.contentType,
      Base64Content: a.encoding === 'base64' ? a.content : Buffer.from(a.content, 'utf8').toString('base64'),
    }));
  }
  if (templateId === undefined) {
    out.Subject = message.subject;
    out.TextPart = message.text;
    out.HTMLPart = message.html;
    return out;
  }
  // The template brings subject and body: sending HTMLPart too is error send-0004.
  out.TemplateID = templateId;
  // Variables are applied only with TemplateLanguage: true (send-v3.1.json "Variables").
  out.TemplateLanguage = true;
  // The merchant's own columns first, under safe names; ours win a clash (issue 21).
  out.Variables = { ...extraFields(message.data.cases), ...variablesOf(message), orders: ordersOf(message) };
  // A template that fails to render is not delivered; this tells the merchant instead of staying silent.
  out.TemplateErrorReporting = address(message.from);
  return out;
}

function address(mailbox: Mailbox): MailjetAddress {
  return mailbox.name === '' ? { Email: mailbox.address } : { Email: mailbox.address, Name: mailbox.name };
}

// Headers that have their own property are refused in Headers (send-0011).
const DEDICATED = new Set(['from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'content-type', 'message-id', 'date', 'mime-version']);

function allowedHeaders(headers: Record<string, string>): Record<string, string> | undefined {
  const kept = Object.entries(headers).filter(([name]) => !DEDICATED.has(name.toLowerCase()));
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

/** Case and stage of a message, readable in the Mailjet dashboard and its events: `dunning:final:12-15`. */
export function customId(message: OutgoingMessage): string {
  return `dunning:${message.data.stage.name}:${message.data.caseIds.join('-')}`;
}
