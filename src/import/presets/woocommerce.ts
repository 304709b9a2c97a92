import type { Preset } from './preset.js';

/**
 * WooCommerce, as the order export plugins write it: either labels (`Order Number`, `Order
 * Status`, `Email (Billing)`) or the database's slugs (`order_id`, `status`, `billing_email`).
 * Orders waiting for money are open; a custom status nobody told us about is reported, not open.
 * WooCommerce has no due date: an order is due when it was placed, unless `import.dueAfterDays`.
 */
export const woocommerce: Preset = {
  name: 'woocommerce',
  snapshot: false,
  firstHeaderWins: true,
  required: ['email', 'order_id', 'open_amount', 'status'],
  signature: ['Order Status', 'Email (Billing)', 'billing_email', 'Order Total Amount', 'order_total', 'Order Key'],
  dueAfterDays: 0,
  status: {
    open: ['pending payment', 'pending', 'wc-pending', 'on hold', 'on-hold', 'wc-on-hold', 'failed', 'wc-failed'],
    paid: ['processing', 'wc-processing', 'completed', 'wc-completed'],
    cancelled: ['refunded', 'wc-refunded', 'cancelled', 'wc-cancelled'],
  },
  headers: {
    order_id: ['Order Number', 'order_number', 'Order ID', 'order_id'],
    status: ['Order Status', 'order_status', 'status'],
    order_date: ['Order Date', 'order_date', 'date'],
    email: ['Email (Billing)', 'billing_email', 'Billing Email'],
    first_name: ['First Name (Billing)', 'billing_first_name'],
    last_name: ['Last Name (Billing)', 'billing_last_name'],
    open_amount: ['Order Total Amount', 'order_total', 'Order Total'],
    due_date: ['Due Date', 'due_date'],
    currency: ['Order Currency', 'order_currency', 'Currency', 'currency'],
    product: ['Item Name', 'item_name', 'Product Name', 'products'],
    locale: ['Country Code (Billing)', 'billing_country', 'Country (Billing)'],
  },
};
