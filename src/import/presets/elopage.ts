import type { Preset } from './preset.js';

/** elopage (now ablefy): the "payment pending" export, one row per open instalment, with the token of the manage page. */
export const elopage: Preset = {
  name: 'elopage',
  snapshot: true,
  required: ['email', 'order_id', 'open_amount', 'due_date', 'token'],
  signature: ['Token', 'Offener Betrag', 'Bezahlter Betrag', 'Fälligkeitsdatum'],
  headers: {
    email: ['E-Mail', 'Email', 'E-Mail-Adresse', 'Email address'],
    first_name: ['Vorname', 'First name'],
    last_name: ['Nachname', 'Last name'],
    name: ['Name', 'Full name'],
    order_id: ['Bestell-ID', 'Order ID', 'Bestellnummer', 'Order number'],
    product: ['Produktname', 'Product name', 'Produkt', 'Product'],
    open_amount: ['Offener Betrag', 'Open amount', 'Outstanding amount'],
    paid_amount: ['Bezahlter Betrag', 'Paid amount'],
    due_date: ['Fälligkeitsdatum', 'Due date', 'Fällig am'],
    token: ['Token'],
    currency: ['Währung', 'Currency'],
    locale: ['Sprache', 'Language', 'Land', 'Country'],
    customer_type: ['Kundentyp', 'Kundenart', 'Customer type'],
  },
};
