import type { OutgoingMessage } from '../../app/ports.js';
import { mergeFields, orderFields, type MergeFields, type OrderFields } from '../../core/merge-fields.js';

// A message's variables go into its Send API request and into the contact list; formatting them costs
// more than the rest of the message, so they are made once per message, when first needed.
const made = new WeakMap<OutgoingMessage, MergeFields>();

/** The flat merge variables of a message (first_name, manage_link, open_amount, …): its Mailjet Variables and contact properties. */
export function variablesOf(message: OutgoingMessage): MergeFields {
  let variables = made.get(message);
  if (variables === undefined) {
    variables = mergeFields(message.data);
    made.set(message, variables);
  }
  return variables;
}

/** One record per order of a message, for loops over `orders` in a Mailjet template. */
export function ordersOf(message: OutgoingMessage): OrderFields[] {
  return orderFields(message.data);
}

/** The Mailjet TemplateID of a stage in a language, when the merchant configured one. */
export type TemplateOf = (stage: string, locale: string) => number | undefined;
