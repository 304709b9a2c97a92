import type { OutgoingMessage } from '../channels/channel.js';
import type { ChannelName, Config } from '../config/schema.js';
import { maskedManageLink } from '../core/manage-link.js';
import { toDecimalString } from '../core/money.js';
import type { PlannedMessage } from '../core/plan.js';
import { headerText } from '../mail/mime.js';
import type { MessageFate, MessageLine } from './report.js';

/** Open amounts of a message per currency ("1283.56 EUR"): money in different currencies is never added up. */
function amountsOf(message: PlannedMessage): string[] {
  const totals = new Map<string, number>();
  for (const c of message.cases) totals.set(c.currency, (totals.get(c.currency) ?? 0) + c.openMinor);
  return [...totals].map(([currency, minor]) => `${toDecimalString(minor, currency)} ${currency}`);
}

/** The report's line for a planned message, tokens masked; `outgoing` is null when it could not be built. */
export function describeMessage(message: PlannedMessage, outgoing: OutgoingMessage | null, channel: ChannelName, config: Config, fate: MessageFate): MessageLine {
  const redirected = outgoing !== null && outgoing.to.address !== message.customer.email;
  return {
    to: outgoing?.to.address ?? message.customer.email,
    originalTo: redirected ? message.customer.email : null,
    name: headerText(`${message.customer.firstName} ${message.customer.lastName}`),
    stage: message.stage.name,
    channel,
    caseIds: message.cases.map((c) => c.id),
    orderIds: message.cases.map((c) => c.orderId),
    amounts: amountsOf(message),
    links: message.cases.map((c) => maskedManageLink(config.manageLink, c.token)),
    subject: outgoing?.subject ?? '',
    messageId: outgoing?.messageId ?? '',
    fate,
    detail: '',
  };
}
