import type { Preset } from './preset.js';

/**
 * Shopify, Admin -> Orders -> Export: one row per line item, the order-level cells only in the
 * order's first row. `Financial Status` says which orders are open: `pending`, and
 * `partially_paid` while an outstanding balance is left. `authorized` is not open: the merchant
 * still has to capture it, so the customer owes nothing yet.
 */
export const shopify: Preset = {
  name: 'shopify',
  snapshot: false,
  firstHeaderWins: true,
  required: ['email', 'order_id', 'open_amount', 'status'],
  signature: ['Financial Status', 'Lineitem name', 'Fulfillment Status', 'Outstanding Balance'],
  lineItems: true,
  dueAfterDays: 0,
  status: {
    open: ['pending'],
    openWithBalance: ['partially_paid'],
    paid: ['paid'],
    cancelled: ['refunded', 'partially_refunded', 'voided'],
  },
  headers: {
    order_id: ['Name'],
    email: ['Email'],
    status: ['Financial Status'],
    open_amount: ['Outstanding Balance', 'Total'],
    due_date: ['Next Payment Due At', 'Payment Due At'],
    order_date: ['Created at'],
    payment_terms: ['Payment Terms Name'],
    name: ['Billing Name'],
    product: ['Lineitem name'],
    currency: ['Currency'],
    locale: ['Billing Country'],
  },
};
