import type { Preset } from './preset.js';

/**
 * Stripe, Dashboard -> Invoices -> Export. The customer sees the invoice `Number`, so that is the
 * order ID (Stripe's own `id` stays among the extra columns). An `open` invoice is open; `draft`
 * was never sent, `uncollectible` is for the merchant to follow up by hand, not to mail. The
 * "(UTC)" columns are written without an offset, in UTC; amounts as `1299.00`.
 */
export const stripe: Preset = {
  name: 'stripe',
  snapshot: false,
  firstHeaderWins: true,
  required: ['email', 'order_id', 'open_amount', 'status'],
  signature: ['Amount Remaining', 'Amount Due', 'Customer Email', 'Billing', 'Due Date (UTC)'],
  numberFormat: 'en',
  wallZone: 'UTC',
  dueAfterDays: 0,
  status: { open: ['open'], paid: ['paid'], cancelled: ['void'], followUp: ['uncollectible'] },
  headers: {
    order_id: ['Number'],
    email: ['Customer Email'],
    name: ['Customer Name'],
    status: ['Status'],
    open_amount: ['Amount Remaining', 'Amount Due'],
    paid_amount: ['Amount Paid'],
    due_date: ['Due Date (UTC)', 'Due Date'],
    order_date: ['Date (UTC)', 'Created (UTC)'],
    currency: ['Currency'],
    product: ['Description'],
    locale: ['Customer Address Country'],
    // The hosted invoice page, when the export has the column.
    pay_link: ['Hosted Invoice URL', 'hosted_invoice_url'],
  },
};
