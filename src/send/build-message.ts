import type { Mailbox, OutgoingMessage } from '../channels/channel.js';
import type { Config } from '../config/schema.js';
import { toDecimalString } from '../core/money.js';
import type { PlannedMessage } from '../core/plan.js';
import { headerText } from '../mail/mime.js';
import { messageIdFor } from '../mail/message-id.js';
import type { MessagePromo, MessageRequest, RenderedMessage } from '../templates/types.js';

/** Renders one message (TemplateSet.render); throws a DunningError when this customer's data cannot make one. */
export type RenderMessage = (request: MessageRequest) => RenderedMessage;

/** What the renderer gets for a planned message: the plan's customer, cases and stage, and the stage's promo. */
export function requestFor(message: PlannedMessage, promo: MessagePromo | undefined): MessageRequest {
  const { customer, cases, today, now } = message;
  const { name, number, template } = message.stage;
  return { customer, cases, stage: { name, number, template }, today, now, promo };
}

/** The customer's display name, or nothing: never a string that could carry a second address. */
function customerName(message: PlannedMessage): string {
  return headerText(`${message.customer.firstName} ${message.customer.lastName}`);
}

/** The Message-ID of a planned message, the same in a dry run, a preview and the real send. */
export function plannedMessageId(message: PlannedMessage, config: Config): string {
  return messageIdFor(
    { emailKey: message.customer.emailKey, stage: message.stage.name, caseIds: message.cases.map((c) => c.id), attempt: message.attempt },
    config.sender.email,
  );
}

/**
 * Turns a planned and rendered message into what every channel takes: recipients as name and
 * address objects, the sender's From/Reply-To/Bcc, our headers, and flat merge variables. With
 * `redirectTo` (send --to) the message goes to that address instead, without the Bcc copy.
 */
export function buildOutgoing(message: PlannedMessage, rendered: RenderedMessage, config: Config, redirectTo: string | undefined): OutgoingMessage {
  const { sender } = config;
  const stage = config.sequence.stages.find((s) => s.name === message.stage.name);
  const to: Mailbox = { name: customerName(message), address: redirectTo ?? message.customer.email };
  const headers: Record<string, string> = {
    'X-Dunning-Case': message.cases.map((c) => c.id).join(', '),
    'X-Dunning-Stage': message.stage.name,
  };
  if (redirectTo !== undefined) headers['X-Dunning-Original-To'] = message.customer.email;
  const orders = message.cases.map((c) => ({
    order_id: c.orderId,
    product: c.product,
    open_amount: toDecimalString(c.openMinor, c.currency),
    paid_amount: toDecimalString(c.paidMinor, c.currency),
    currency: c.currency,
    due_date: c.dueDate,
    days_overdue: c.daysOverdue,
    manage_link: rendered.manageLinks.get(c.id) ?? '',
  }));
  const first = orders[0];
  return {
    messageId: plannedMessageId(message, config),
    customerKey: message.customer.emailKey,
    stage: message.stage.name,
    stageNumber: message.stage.number,
    caseIds: message.cases.map((c) => c.id),
    to,
    from: { name: sender.name, address: sender.email },
    replyTo: sender.replyTo === undefined ? undefined : { name: sender.name, address: sender.replyTo },
    bcc: sender.bcc === undefined || redirectTo !== undefined ? undefined : { name: sender.company, address: sender.bcc },
    subject: headerText(rendered.subject),
    text: rendered.text,
    html: rendered.html,
    headers,
    variables: {
      first_name: message.customer.firstName,
      last_name: message.customer.lastName,
      email: message.customer.email,
      stage: message.stage.name,
      stage_number: message.stage.number,
      locale: rendered.locale,
      order_count: orders.length,
      order_id: first?.order_id ?? '',
      open_amount: first?.open_amount ?? '',
      currency: first?.currency ?? '',
      due_date: first?.due_date ?? '',
      manage_link: first?.manage_link ?? '',
    },
    orders,
    providerTemplateId: stage?.mailjetTemplateId,
    tag: stage?.mailchimpTag ?? `dunning-${message.stage.name}`,
  };
}
