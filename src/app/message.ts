import type { Customer, PlannedCase } from '../core/case.js';
import type { CalendarDate } from '../core/dates.js';
import type { Duration } from '../core/duration.js';
import type { MergeFieldInput } from '../core/merge-fields.js';
import type { PromoOffer } from '../core/promo.js';
import type { MessageClaim } from '../core/late-charges.js';

/** A case as a message lists it: the planned case's fields a template and a link need. */
export type MessageCase = Pick<PlannedCase, 'id' | 'source' | 'orderId' | 'dueDate' | 'product' | 'openMinor' | 'paidMinor' | 'currency' | 'token' | 'payLink' | 'extra' | 'daysOverdue'>;

/** Everything one message is rendered from. */
export interface RenderRequest {
  customer: Customer;
  cases: readonly MessageCase[];
  /** `payWithin`: the stage's time to pay, from which templates get a `deadline`. */
  stage: { name: string; number: number; template: string; payWithin?: Duration | undefined };
  today: CalendarDate;
  now: Date;
  promo?: PromoOffer | undefined;
  /** Principal, default interest and fees, when the config has `lateCharges`. */
  claim?: MessageClaim | undefined;
  /** Overrides the customer's language (preview --locale). */
  locale?: string | undefined;
}

/** A rendered message: subject, text and HTML, in a language, with each case's own pay link. */
export interface RenderedMessage {
  locale: string;
  template: string;
  subject: string;
  text: string;
  html: string;
  /** The pay/manage link of each case, by case id, built from that case's own token. */
  manageLinks: ReadonlyMap<number, string>;
}

/**
 * What a message says, as data: the customer, each case with its own link, the stage, the language
 * and the promo. Providers' templates and merge fields are made from it (src/core/merge-fields.ts).
 */
export interface MessageData extends MergeFieldInput {
  emailKey: string;
  caseIds: readonly number[];
}
