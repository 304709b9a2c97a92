import { describe, expect, it } from 'vitest';
import { compareCase, snapshotClosing, type KnownCase } from '../../src/core/cases.js';
import type { OrderLine } from '../../src/core/order-line.js';

const line: OrderLine = {
  email: 'anna@example.de',
  emailKey: 'anna@example.de',
  firstName: 'Anna',
  lastName: 'Müller',
  orderId: '4711',
  product: 'Yoga',
  openMinor: 4900,
  paidMinor: 9800,
  currency: 'EUR',
  dueDate: '2026-11-22',
  dueAt: null,
  token: 'tk_1',
  localeHint: null,
  extra: { Rate: '3 von 6' },
};
const extraJson = JSON.stringify(line.extra);
const known: KnownCase = {
  id: 1,
  status: 'open',
  closedReason: null,
  dueAt: null,
  email: line.email,
  firstName: line.firstName,
  lastName: line.lastName,
  product: line.product,
  openMinor: line.openMinor,
  paidMinor: line.paidMinor,
  currency: line.currency,
  token: line.token,
  localeHint: line.localeHint,
  extraJson,
};

describe('compareCase', () => {
  it('makes a row the store does not know a new case, open or (at 0) already paid', () => {
    expect(compareCase(undefined, line, extraJson)).toEqual({ kind: 'new', status: 'open' });
    expect(compareCase(undefined, { ...line, openMinor: 0 }, extraJson)).toEqual({ kind: 'new', status: 'paid' });
  });

  it('finds a row with the same data unchanged', () => {
    expect(compareCase(known, line, extraJson)).toEqual({ kind: 'unchanged' });
    // The e-mail key is derived from the address; the address as written is what counts.
    expect(compareCase(known, { ...line, emailKey: 'other' }, extraJson)).toEqual({ kind: 'unchanged' });
  });

  const updates: [string, Partial<OrderLine>, string, object][] = [
    ['a new address', { email: 'anna@example.com' }, extraJson, { status: 'open', closedReason: null, paymentMinor: 0, reopened: false }],
    ['a new first name', { firstName: 'Anne' }, extraJson, { status: 'open', paymentMinor: 0 }],
    ['a new last name', { lastName: 'Meier' }, extraJson, { status: 'open', paymentMinor: 0 }],
    ['a new product', { product: 'Pilates' }, extraJson, { status: 'open', paymentMinor: 0 }],
    ['a new token', { token: 'tk_2' }, extraJson, { status: 'open', paymentMinor: 0 }],
    ['no token any more', { token: null }, extraJson, { status: 'open', paymentMinor: 0 }],
    ['a locale', { localeHint: 'en' }, extraJson, { status: 'open', paymentMinor: 0 }],
    ['other extra columns', {}, '{"Rate":"4 von 6"}', { status: 'open', paymentMinor: 0 }],
    ['a higher paid amount only', { paidMinor: 14700 }, extraJson, { status: 'open', paymentMinor: 0 }],
    ['a higher open amount', { openMinor: 5900 }, extraJson, { status: 'open', paymentMinor: 0 }],
    // A drop of the open amount is a partial payment; reaching 0 closes the case as paid.
    ['a partial payment', { openMinor: 2900, paidMinor: 11800 }, extraJson, { status: 'open', closedReason: null, paymentMinor: 2000, reopened: false }],
    ['payment in full', { openMinor: 0, paidMinor: 14700 }, extraJson, { status: 'paid', closedReason: 'paid_in_full', paymentMinor: 4900, reopened: false }],
    // Amounts in different currencies are not comparable: no payment is inferred.
    ['another currency', { currency: 'USD', openMinor: 100 }, extraJson, { status: 'open', paymentMinor: 0 }],
  ];
  it.each(updates)('updates a case on %s', (_what, change, extra, expected) => {
    const result = compareCase(known, { ...line, ...change }, extra);
    expect(result).toMatchObject({ kind: 'updated', ...expected });
  });

  it('reopens a case a snapshot closed that an export lists as open again, with no payment', () => {
    const closed: KnownCase = { ...known, status: 'paid', closedReason: 'missing_from_snapshot' };
    expect(compareCase(closed, line, extraJson)).toEqual({ kind: 'updated', status: 'open', closedReason: null, paymentMinor: 0, reopened: true });
    expect(compareCase(closed, { ...line, openMinor: 100 }, extraJson)).toEqual({ kind: 'updated', status: 'open', closedReason: null, paymentMinor: 0, reopened: true });
  });

  it('leaves a paid case paid when the export says 0 again', () => {
    const paid: KnownCase = { ...known, status: 'paid', closedReason: 'paid_in_full', openMinor: 0 };
    expect(compareCase(paid, { ...line, openMinor: 0 }, extraJson)).toEqual({ kind: 'unchanged' });
  });

  it('keeps a cancelled case cancelled whatever the export says', () => {
    const cancelled: KnownCase = { ...known, status: 'cancelled', closedReason: 'cancelled' };
    expect(compareCase(cancelled, { ...line, openMinor: 100 }, extraJson)).toEqual({ kind: 'updated', status: 'cancelled', closedReason: 'cancelled', paymentMinor: 0, reopened: false });
    expect(compareCase(cancelled, line, extraJson)).toEqual({ kind: 'unchanged' });
  });
});

describe('snapshotClosing: more than half of the open cases closed needs --force', () => {
  it.each([
    [0, 0, false],
    [10, 0, false],
    [10, 4, false],
    [10, 5, false],
    [10, 6, true],
    [10, 10, true],
    [1, 1, true],
    [2, 1, false],
    [3, 2, true],
    [1_000_000, 500_000, false],
    [1_000_000, 500_001, true],
  ])('%i open, %i to close -> needs --force: %s', (open, close, expected) => {
    expect(snapshotClosing({ openBefore: open, missing: close, rejectedRows: 0, force: false }).kind).toBe(expected ? 'needs_force' : 'close');
    expect(snapshotClosing({ openBefore: open, missing: close, rejectedRows: 0, force: true }).kind).toBe('close');
  });

  it('keeps the missing cases open while any row was rejected: it may be theirs', () => {
    expect(snapshotClosing({ openBefore: 10, missing: 8, rejectedRows: 1, force: true }).kind).toBe('hold');
    expect(snapshotClosing({ openBefore: 10, missing: 1, rejectedRows: 3, force: false }).kind).toBe('hold');
  });
});
