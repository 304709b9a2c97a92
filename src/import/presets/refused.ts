import { DunningError } from '../../core/errors.js';

/**
 * Exports that list payments, not open orders: importing one would dun every customer who paid.
 * Each is told by headers only it has (all of them must be there), and refused with what to export instead.
 */
const PAYMENT_EXPORTS: readonly { what: string; headers: readonly string[]; instead: string }[] = [
  {
    what: 'a PayPal activity download (a list of payments)',
    headers: ['transaction id', 'gross', 'net', 'from email address'],
    instead: 'export the open orders or invoices from your shop or course platform, not PayPal\'s activity',
  },
  {
    what: 'a PayPal activity download (Aktivitäten: a list of payments)',
    headers: ['transaktionscode', 'brutto', 'netto'],
    instead: 'exportieren Sie die offenen Bestellungen Ihres Shops oder Ihrer Kursplattform, nicht die PayPal-Aktivitäten (export the open orders of your shop or course platform)',
  },
  {
    what: 'a Stripe payments export (charges, not invoices)',
    headers: ['seller message', 'amount refunded', 'captured'],
    instead: 'in the Stripe Dashboard export Invoices (Billing -> Invoices -> Export), which lists what is still due',
  },
];

/** Refuses a header row that is a payments or activity export (exit 2), naming what the file is. */
export function refusePaymentExport(file: string, normalised: readonly string[]): void {
  const present = new Set(normalised);
  for (const kind of PAYMENT_EXPORTS) {
    if (!kind.headers.every((h) => present.has(h))) continue;
    throw new DunningError(`${file}: this is ${kind.what}, not a list of open orders; nothing was imported`, { hint: kind.instead });
  }
}
