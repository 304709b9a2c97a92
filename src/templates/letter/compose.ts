import type { Letter, LetterLine } from '../../app/ports.js';
import { printedIban } from '../../core/iban.js';
import { dateFormat, percentFormat } from '../../core/intl-formats.js';
import { formatMoney, type Money } from '../../core/money.js';
import { addressLines, postalAddressOf } from '../../core/postal-address.js';
import type { TemplateContext } from '../context.js';
import { letterWords, type LetterKind, type LetterWords } from './words.js';

/** What a letter needs besides the template data: its kind, the Intl locale, the first order's extra columns. */
export interface LetterSettings {
  kind: LetterKind;
  intlLocale: string;
  subject: string;
  extra: Readonly<Record<string, string>>;
  bank: { accountHolder: string; iban: string; bic?: string | undefined } | undefined;
}

/** The kind of notice a template is: `letzte-mahnung` the last, `mahnung` a Mahnung, anything else a reminder. */
export function kindOfTemplate(template: string): LetterKind {
  if (template === 'letzte-mahnung' || template.startsWith('letzte')) return 'final';
  return template.includes('mahnung') ? 'demand' : 'reminder';
}

/** Writes a message out as a formal letter: the same data its templates see, in the letter's fixed wording. */
export function composeLetter(context: TemplateContext, settings: LetterSettings): Letter {
  const words = letterWords(context.locale);
  const money = (value: Money | Money[]): string => (Array.isArray(value) ? value.map((m) => formatMoney(m, settings.intlLocale)).join(' + ') : formatMoney(value, settings.intlLocale));
  const day = (isoDay: string): string => dateFormat(settings.intlLocale, 'medium', 'UTC').format(new Date(`${isoDay}T00:00:00Z`));
  const { sender, customer } = context;
  const orderIds = context.orders.map((o) => o.orderId);
  const total = money(context.claim?.total ?? context.totalOpen);
  const closing = [
    context.deadline === null ? words.payNow(total) : words.payBy(total, day(context.deadline)),
    ...(context.orderCount === 1 && context.manageLink !== '' ? [words.payOnline(context.manageLink)] : []),
    ...(settings.kind === 'final' && context.nextSteps !== null ? [context.nextSteps] : []),
    words.alreadyPaid,
  ];
  return {
    locale: context.locale,
    senderLine: [sender.company, sender.address].filter((part) => part.trim() !== '').join(' · '),
    recipient: [customer.fullName || customer.email, ...addressLines(postalAddressOf(settings.extra))],
    facts: [
      { label: words.date, value: day(context.today) },
      { label: words.order, value: orderIds.join(', ') },
      { label: words.customer, value: customer.email },
    ],
    subject: settings.subject,
    salutation: customer.fullName === '' ? words.anonymousSalutation : words.salutation(customer.fullName),
    opening: [words.opening[settings.kind]],
    claim: claimTable(context, settings.intlLocale, words, money, day),
    closing,
    bank: settings.bank === undefined ? null : {
      heading: words.bankHeading,
      lines: [
        { label: words.accountHolder, value: settings.bank.accountHolder },
        { label: 'IBAN', value: printedIban(settings.bank.iban) },
        ...(settings.bank.bic === undefined ? [] : [{ label: 'BIC', value: settings.bank.bic.toUpperCase() }]),
        { label: words.reference, value: words.referenceOf(orderIds.join(', ')) },
      ],
    },
    signature: [words.regards, sender.name, ...(sender.company !== sender.name ? [sender.company] : [])],
    footer: [sender.company, sender.address, sender.contact, sender.email].filter((part) => part.trim() !== ''),
    fileName: `${words.fileWord}-${fileSafe(orderIds[0] ?? 'order')}.pdf`,
  };
}

/** The claim as table lines: the principal of each order, then interest, flat fee and fees when there are any. */
function claimTable(context: TemplateContext, intlLocale: string, words: LetterWords, money: (m: Money | Money[]) => string, day: (d: string) => string): Letter['claim'] {
  const lines: LetterLine[] = context.orders.map((o) => ({ label: words.principalOf(o.orderId, day(o.dueDate)), value: money(o.claim?.principal ?? o.open) }));
  const claim = context.claim;
  if (claim === null) return { heading: words.claimHeading, lines, total: { label: words.total, value: money(context.totalOpen) } };
  if (claim.hasInterest) {
    const label = claim.interestRate === null || claim.interestFrom === null
      ? words.interestPlain
      : words.interest(percentFormat(intlLocale).format(claim.interestRate / 100), day(claim.interestFrom), claim.interestDays);
    lines.push({ label, value: money(claim.interest) });
  }
  if (claim.hasFlatFee) lines.push({ label: words.flatFee, value: money(claim.flatFee) });
  if (claim.hasFees) lines.push({ label: words.fees, value: money(claim.fees) });
  return { heading: words.claimHeading, lines, total: { label: words.total, value: money(claim.total) } };
}

/** An order ID as part of a file name: what a mail client or file system might misread becomes "_". */
function fileSafe(orderId: string): string {
  return orderId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'order';
}
