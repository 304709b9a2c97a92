import type { PlannedMessage } from '../../core/plan.js';
import { messageIdFor } from '../../core/message-id.js';
import { payDeadline } from '../../core/moments.js';
import type { MessageClaim } from '../../core/late-charges.js';
import type { PromoOffer } from '../../core/promo.js';
import { headerText } from '../../core/text.js';
import { unsubscribeHeaders } from '../../core/unsubscribe.js';
import type { MessageData, RenderedMessage, RenderRequest } from '../message.js';
import type { AppConfig } from '../plan.js';
import type { Mailbox, OutgoingMessage } from '../ports.js';

/** What the renderer gets for a planned message: the plan's customer, cases and stage, the stage's promo, and the claim with late charges. */
export function requestFor(message: PlannedMessage, promo: PromoOffer | undefined, claim?: MessageClaim): RenderRequest {
  const { customer, cases, today, now } = message;
  const { name, number, template, payWithin } = message.stage;
  return { customer, cases, stage: { name, number, template, payWithin }, today, now, promo, claim };
}

/** The customer's display name, or nothing: never a string that could carry a second address. */
export function customerName(message: Pick<PlannedMessage, 'customer'>): string {
  return headerText(`${message.customer.firstName} ${message.customer.lastName}`);
}

/** The Message-ID of a planned message, the same in a dry run, a preview and the real send. */
export function plannedMessageId(message: PlannedMessage, config: Pick<AppConfig, 'sender'>): string {
  return messageIdFor(
    { emailKey: message.customer.emailKey, stage: message.stage.name, repeat: message.stage.repeat, caseIds: message.cases.map((c) => c.id), attempt: message.attempt },
    config.sender.email,
  );
}

/** What the message says as data, for providers' templates and merge fields. */
function messageData(message: PlannedMessage, rendered: RenderedMessage, config: AppConfig, promo: PromoOffer | undefined, claim: MessageClaim | undefined): MessageData {
  const { payWithin } = message.stage;
  return {
    emailKey: message.customer.emailKey,
    caseIds: message.cases.map((c) => c.id),
    customer: message.customer,
    cases: message.cases.map((c) => ({ ...c, manageLink: rendered.manageLinks.get(c.id) ?? '' })),
    stage: message.stage,
    locale: rendered.locale,
    timeZone: config.timeZone,
    company: config.sender.company,
    promo,
    claim,
    payBy: payWithin === undefined ? null : payDeadline(message.now.getTime(), payWithin, config.timeZone).date,
  };
}

/**
 * Turns a planned and rendered message into what every channel takes: recipients as name and
 * address objects, the sender's From/Reply-To/Bcc, our headers, and the message as data. With
 * `redirectTo` (send --to) the message goes to that address instead, without the Bcc copy.
 */
export function buildOutgoing(message: PlannedMessage, rendered: RenderedMessage, config: AppConfig, promo: PromoOffer | undefined, redirectTo: string | undefined, claim?: MessageClaim): OutgoingMessage {
  const { sender } = config;
  const to: Mailbox = { name: customerName(message), address: redirectTo ?? message.customer.email };
  const headers: Record<string, string> = {
    'X-Dunning-Case': message.cases.map((c) => c.id).join(', '),
    'X-Dunning-Stage': message.stage.name,
  };
  if (redirectTo !== undefined) headers['X-Dunning-Original-To'] = message.customer.email;
  // Built for the customer even when --to redirects the message: the test copy shows what they get.
  const first = message.cases[0];
  Object.assign(headers, unsubscribeHeaders(config.unsubscribe, { hasOffer: promo !== undefined, email: message.customer.email, token: first?.token ?? null, orderId: first?.orderId ?? '' }));
  return {
    messageId: plannedMessageId(message, config),
    to,
    from: { name: sender.name, address: sender.email },
    replyTo: sender.replyTo === undefined ? undefined : { name: sender.name, address: sender.replyTo },
    bcc: sender.bcc === undefined || redirectTo !== undefined ? undefined : { name: sender.company, address: sender.bcc },
    subject: headerText(rendered.subject),
    date: message.now,
    text: rendered.text,
    html: rendered.html,
    headers,
    data: messageData(message, rendered, config, promo, claim),
  };
}
