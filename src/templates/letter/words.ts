/**
 * The fixed wording of a PDF letter, per language (the message's own wording comes from its
 * templates). German and English; a letter in another language is written in English.
 */

/** Which notice a letter is: a reminder, a Mahnung, or the last Mahnung (which says what follows). */
export type LetterKind = 'reminder' | 'demand' | 'final';

/** Every text of a letter that is not the merchant's or the customer's data. */
export interface LetterWords {
  date: string;
  order: string;
  orderDate: string;
  dueDate: string;
  customer: string;
  salutation: (name: string) => string;
  anonymousSalutation: string;
  opening: Record<LetterKind, string>;
  claimHeading: string;
  principalOf: (order: string, due: string) => string;
  interest: (rate: string, from: string, days: number) => string;
  interestPlain: string;
  flatFee: string;
  fees: string;
  total: string;
  payBy: (total: string, deadline: string) => string;
  payNow: (total: string) => string;
  payOnline: (link: string) => string;
  alreadyPaid: string;
  bankHeading: string;
  accountHolder: string;
  reference: string;
  referenceOf: (orders: string) => string;
  regards: string;
  /** The file name's first word: `Mahnung-1001.pdf`. */
  fileWord: string;
}

const DE: LetterWords = {
  date: 'Datum',
  order: 'Bestellung',
  orderDate: 'Bestelldatum',
  dueDate: 'Fällig seit',
  customer: 'Kunde',
  salutation: (name) => `Guten Tag ${name},`,
  anonymousSalutation: 'Sehr geehrte Damen und Herren,',
  opening: {
    reminder: 'sicher ist es Ihnen entgangen: Die unten aufgeführte Forderung ist noch nicht beglichen.',
    demand: 'trotz unserer Zahlungserinnerung ist die unten aufgeführte Forderung noch nicht beglichen. Sie befinden sich seit dem Tag nach der Fälligkeit in Zahlungsverzug.',
    final: 'trotz unserer Zahlungserinnerung und Mahnung ist die unten aufgeführte Forderung weiterhin nicht beglichen. Dies ist unsere letzte Mahnung.',
  },
  claimHeading: 'Forderungsaufstellung',
  principalOf: (order, due) => `Hauptforderung, Bestellung ${order} (fällig am ${due})`,
  interest: (rate, from, days) => `Verzugszinsen (${rate} jährlich seit ${from}, ${days} Tage)`,
  interestPlain: 'Verzugszinsen',
  flatFee: 'Verzugspauschale (§ 288 Abs. 5 BGB)',
  fees: 'Mahngebühren',
  total: 'Gesamtbetrag',
  payBy: (total, deadline) => `Bitte zahlen Sie den Gesamtbetrag von ${total} bis zum ${deadline}.`,
  payNow: (total) => `Bitte zahlen Sie den Gesamtbetrag von ${total} umgehend.`,
  payOnline: (link) => `Sie können online bezahlen: ${link}`,
  alreadyPaid: 'Sollten Sie inzwischen bezahlt haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.',
  bankHeading: 'Bankverbindung für Ihre Überweisung',
  accountHolder: 'Kontoinhaber',
  reference: 'Verwendungszweck',
  referenceOf: (orders) => `Bestellung ${orders}`,
  regards: 'Mit freundlichen Grüßen',
  fileWord: 'Mahnung',
};

const EN: LetterWords = {
  date: 'Date',
  order: 'Order',
  orderDate: 'Order date',
  dueDate: 'Due since',
  customer: 'Customer',
  salutation: (name) => `Dear ${name},`,
  anonymousSalutation: 'Dear Sir or Madam,',
  opening: {
    reminder: 'perhaps it escaped your notice: the claim listed below has not been paid yet.',
    demand: 'despite our reminder, the claim listed below has not been paid. You have been in default since the day after it fell due.',
    final: 'despite our reminder and payment demand, the claim listed below remains unpaid. This is our final demand.',
  },
  claimHeading: 'Statement of claim',
  principalOf: (order, due) => `Principal, order ${order} (due ${due})`,
  interest: (rate, from, days) => `Default interest (${rate} a year since ${from}, ${days} days)`,
  interestPlain: 'Default interest',
  flatFee: 'Flat-rate compensation (§ 288(5) BGB)',
  fees: 'Dunning fees',
  total: 'Total',
  payBy: (total, deadline) => `Please pay the total of ${total} by ${deadline}.`,
  payNow: (total) => `Please pay the total of ${total} immediately.`,
  payOnline: (link) => `You can pay online: ${link}`,
  alreadyPaid: 'If you have paid in the meantime, please disregard this letter.',
  bankHeading: 'Bank details for your transfer',
  accountHolder: 'Account holder',
  reference: 'Reference',
  referenceOf: (orders) => `Order ${orders}`,
  regards: 'Yours sincerely',
  fileWord: 'Mahnung',
};

/** The wording of a letter in a language (English for a language without its own). */
export function letterWords(locale: string): LetterWords {
  return locale.split('-')[0] === 'de' ? DE : EN;
}
