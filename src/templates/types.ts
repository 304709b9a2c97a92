import type { CalendarDate } from '../core/dates.js';
import type { Discount } from '../core/promo.js';

/** One case as a message lists it. */
export interface MessageCase {
  id: number;
  source: string;
  orderId: string;
  dueDate: CalendarDate;
  product: string;
  openMinor: number;
  paidMinor: number;
  currency: string;
  token: string | null;
  extra: Record<string, string>;
  daysOverdue: number;
}

/** The customer a message goes to. */
export interface MessageCustomer {
  email: string;
  emailKey: string;
  firstName: string;
  lastName: string;
  localeHint: string | null;
}

/** A promo code a stage hands out. */
export interface MessagePromo {
  code: string;
  discount: Discount;
  /** When the code stops holding, as an ISO instant. */
  expiresAt: string;
}

/** Everything one message is rendered from. */
export interface MessageRequest {
  customer: MessageCustomer;
  cases: readonly MessageCase[];
  stage: { name: string; number: number; template: string };
  today: CalendarDate;
  now: Date;
  promo?: MessagePromo;
  /** Overrides the customer's language (preview --locale). */
  locale?: string;
}

/** A rendered message: subject, text part and HTML part, in the locale that was chosen. */
export interface RenderedMessage {
  locale: string;
  template: string;
  subject: string;
  text: string;
  html: string;
  /** The manage link of each case, by case id. */
  manageLinks: ReadonlyMap<number, string>;
}
