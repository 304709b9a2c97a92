import type { ChannelName } from '../../config/schema.js';
import { lookalikeDomain } from '../../core/email.js';
import { openByCurrency, toDecimalString } from '../../core/money.js';
import type { PlannedMessage } from '../../core/plan.js';
import { maskToken } from '../../core/text.js';
import type { RenderedMessage } from '../message.js';
import type { OutgoingMessage } from '../ports.js';
import { customerName } from './outgoing.js';
import type { MessageFate, MessageLine } from './report.js';

/** Open amounts of a message per currency ("1283.56 EUR"): money in different currencies is never added up. */
function amountsOf(message: PlannedMessage): string[] {
  return openByCurrency(message.cases).map(({ currency, minor }) => `${toDecimalString(minor, currency)} ${currency}`);
}

/** Each case's manage link with its token masked: reports and dry runs never show a token in full. */
function maskedLinks(message: PlannedMessage, rendered: RenderedMessage | null): string[] {
  if (rendered === null) return [];
  return message.cases.map((c) => {
    const link = rendered.manageLinks.get(c.id) ?? '';
    return c.token === null ? link : link.replaceAll(encodeURIComponent(c.token), maskToken(c.token)).replaceAll(c.token, maskToken(c.token));
  });
}

/** The report's line for a planned message; `built` is null when it could not be rendered. */
export function describeMessage(
  message: PlannedMessage,
  built: { outgoing: OutgoingMessage; rendered: RenderedMessage } | null,
  channel: ChannelName,
  fate: MessageFate,
): MessageLine {
  const outgoing = built?.outgoing ?? null;
  const redirected = outgoing !== null && outgoing.to.address !== message.customer.email;
  const line: MessageLine = {
    to: outgoing?.to.address ?? message.customer.email,
    originalTo: redirected ? message.customer.email : null,
    name: customerName(message),
    stage: message.stage.name,
    channel,
    caseIds: message.cases.map((c) => c.id),
    orderIds: message.cases.map((c) => c.orderId),
    amounts: amountsOf(message),
    links: maskedLinks(message, built?.rendered ?? null),
    subject: outgoing?.subject ?? '',
    messageId: outgoing?.messageId ?? '',
    fate,
    detail: '',
  };
  const lookalike = lookalikeDomain(message.customer.email);
  if (lookalike !== null) line.lookalike = lookalike;
  return line;
}
