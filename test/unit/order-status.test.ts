import { describe, expect, it } from 'vitest';
import { parseOrderLine, type ReadingRules } from '../../src/core/order-line.js';
import { classifyStatus, termsDays } from '../../src/core/order-status.js';
import { shopify } from '../../src/import/presets/shopify.js';
import { stripe } from '../../src/import/presets/stripe.js';
import { woocommerce } from '../../src/import/presets/woocommerce.js';

// Issue 18: which rows of an all-orders export are open debts.

describe('classifyStatus', () => {
  const woo = woocommerce.status ?? { open: [], paid: [], cancelled: [] };
  it.each([
    ['Pending payment', 'open'], ['pending', 'open'], ['On hold', 'open'], ['on-hold', 'open'], ['Failed', 'open'],
    ['Processing', 'paid'], ['Completed', 'paid'], ['Refunded', 'cancelled'], ['Cancelled', 'cancelled'],
    ['Checkout draft', 'other'], ['  ON   HOLD ', 'open'], ['', 'open'],
  ])('WooCommerce %j -> %s', (cell, expected) => {
    expect(classifyStatus(cell, woo).status).toBe(expected);
  });

  const invoices = stripe.status ?? { open: [], paid: [], cancelled: [] };
  it.each([['open', 'open'], ['paid', 'paid'], ['void', 'cancelled'], ['uncollectible', 'follow_up'], ['draft', 'other']])('Stripe %j -> %s', (cell, expected) => {
    expect(classifyStatus(cell, invoices).status).toBe(expected);
  });
});

describe('termsDays', () => {
  it.each([
    ['Net 15', 15], ['Net 30', 30], ['Due on receipt', 0], ['Due on fulfillment', 0], ['14 Tage netto', 14], ['', null], ['Fixed date', null],
  ])('%j -> %j', (cell, expected) => {
    expect(termsDays(cell)).toBe(expected);
  });
});

describe('parseOrderLine with a status column', () => {
  const rules: ReadingRules = { numberFormat: 'auto', dateOrder: 'auto', timeZone: 'Europe/Berlin', currency: 'EUR', status: shopify.status, dueAfterDays: 0 };
  const base = { email: 'a@example.de', order_id: '#1', open_amount: '20.00', order_date: '2026-11-02 10:00:00 +0100' };

  it('a paid row is not open, whatever else it lacks', () => {
    expect(parseOrderLine({ order_id: '#1', status: 'paid' }, {}, rules)).toEqual({ ok: false, problems: [], notOpen: { orderId: '#1', status: 'paid', value: 'paid' } });
  });

  it('partially_paid is open only while a balance is left', () => {
    expect(parseOrderLine({ ...base, status: 'partially_paid' }, {}, rules).ok).toBe(true);
    expect(parseOrderLine({ ...base, open_amount: '0.00', status: 'partially_paid' }, {}, rules)).toMatchObject({ ok: false, notOpen: { status: 'paid', value: 'partially_paid' } });
  });

  it('authorized is not open and closes nothing', () => {
    expect(parseOrderLine({ ...base, status: 'authorized' }, {}, rules)).toMatchObject({ ok: false, notOpen: { status: 'other' } });
  });

  it('the due date comes from the order date and the payment terms', () => {
    const line = parseOrderLine({ ...base, status: 'pending', payment_terms: 'Net 30' }, {}, rules);
    expect(line).toMatchObject({ ok: true, line: { dueDate: '2026-12-02', dueAt: '2026-12-02T09:00:00.000Z' } });
  });

  it('an order date that is not a date is the order date\'s problem', () => {
    expect(parseOrderLine({ ...base, order_date: 'soon', status: 'pending' }, {}, rules)).toMatchObject({ ok: false, problems: [{ field: 'order_date' }] });
  });
});
