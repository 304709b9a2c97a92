import type { Mailbox, OutgoingMessage } from '../channels/channel.js';
import { stageTag } from '../channels/mailchimp.js';
import type { Config } from '../config/schema.js';
import { mergeFields, orderFields, type MergeFieldInput, type MergeFields, type OrderFields } from '../core/merge-fields.js';
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
export function customerName(message: PlannedMessage): string {
  return headerText(`${message.customer.firstName} ${message.customer.lastName}`);
}

/** The provider variables of a message (the shared merge fields), from what was rendered. */
function mergeFieldInput(message: PlannedMessage, rendered: RenderedMessage, config: Config & { timeZone: string }, promo: MessagePromo | undefined): MergeFieldInput {
  return {
    customer: message.customer,
    cases: message.cases.map((c) => ({ ...c, manageLink: rendered.manageLinks.get(c.id) ?? '' })),
    stage: message.stage,
    locale: rendered.locale,
    timeZone: config.timeZone,
    company: config.sender.company,
    promo,
  };
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
export function buildOutgoing(
  message: PlannedMessage,
  rendered: RenderedMessage,
  config: Config & { timeZone: string },
  promo: MessagePromo | undefined,
  redirectTo: string | undefined,
): OutgoingMessage {
  const { sender } = config;
  const stage = config.sequence.stages.find((s) => s.name === message.stage.name);
  const to: Mailbox = { name: customerName(message), address: redirectTo ?? message.customer.email };
  const headers: Record<string, string> = {
    'X-Dunning-Case': message.cases.map((c) => c.id).join(', '),
    'X-Dunning-Stage': message.stage.name,
  };
  if (redirectTo !== undefined) headers['X-Dunning-Original-To'] = message.customer.email;
  const fields = mergeFieldInput(message, rendered, config, promo);
  // Only provider channels (Mailjet, Mailchimp) read the merge fields, and formatting them costs more
  // than the rest of the message: they are made when first read, once.
  let variables: MergeFields | undefined;
  let orders: OrderFields[] | undefined;
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
    date: message.now,
    text: rendered.text,
    html: rendered.html,
    headers,
    get variables() {
      return (variables ??= mergeFields(fields));
    },
    get orders() {
      return (orders ??= orderFields(fields));
    },
    providerTemplateId: stage?.mailjetTemplateId,
    tag: stageTag(stage ?? { name: message.stage.name }),
  };
}
