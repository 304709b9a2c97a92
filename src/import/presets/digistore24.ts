import type { Preset } from './preset.js';

/**
 * Digistore24's order export. `unpaid` and `reminding` are open; `paying` (instalments on track)
 * and `completed` are paid, `aborted` is cancelled. The next instalment's date is the due date.
 */
export const digistore24: Preset = {
  name: 'digistore24',
  snapshot: false,
  firstHeaderWins: true,
  required: ['email', 'order_id', 'open_amount', 'status'],
  signature: ['billing_status', 'amount_brutto', 'renew_url', 'order_details_url', 'billing_type'],
  numberFormat: 'en',
  dueAfterDays: 0,
  status: { open: ['unpaid', 'reminding'], paid: ['paying', 'completed'], cancelled: ['aborted'] },
  headers: {
    order_id: ['order_id'],
    email: ['email', 'buyer_email'],
    first_name: ['address_first_name'],
    last_name: ['address_last_name'],
    status: ['billing_status'],
    open_amount: ['amount_brutto', 'amount'],
    due_date: ['next_payment_at'],
    order_date: ['order_date_time', 'order_date'],
    product: ['product_name'],
    currency: ['currency'],
    locale: ['address_country'],
    // The order's own page, where the buyer pays an open amount; used as the link as it is.
    pay_link: ['order_details_url', 'renew_url'],
  },
};
