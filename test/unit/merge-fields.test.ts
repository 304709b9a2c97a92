import { describe, expect, it } from 'vitest';
import { extraFields, MERGE_FIELD_DESCRIPTIONS, MERGE_FIELD_NAMES, mergeFields, orderFields, safeFieldName, sampleMergeInput, type MergeFieldInput } from '../../src/core/merge-fields.js';

const NBSP = '\u00a0';

function input(overrides: Partial<MergeFieldInput> = {}): MergeFieldInput {
  return {
    customer: { email: 'anna@example.com', firstName: 'Anna', lastName: 'Müller' },
    cases: [
      { orderId: 'A-2', product: 'Kurs', openMinor: 123456, currency: 'EUR', dueDate: '2025-03-04', daysOverdue: 3, manageLink: 'https://x.example/2' },
      { orderId: 'A-1', product: 'Kurs', openMinor: 1000, currency: 'EUR', dueDate: '2025-03-01', daysOverdue: 6, manageLink: 'https://x.example/1' },
    ],
    stage: { name: 'second', number: 2 },
    locale: 'de',
    timeZone: 'Europe/Berlin',
    company: 'Beispiel GmbH',
    ...overrides,
  };
}

describe('mergeFields', () => {
  it('gives every documented name, always', () => {
    const fields = mergeFields(input());
    expect(Object.keys(fields).sort()).toEqual([...MERGE_FIELD_NAMES].sort());
    expect(Object.keys(MERGE_FIELD_DESCRIPTIONS).sort()).toEqual([...MERGE_FIELD_NAMES].sort());
  });

  it.each([
    ['de', `1.244,56${NBSP}€`, '01.03.2025'],
    ['en', '€1,244.56', 'Mar 1, 2025'],
  ])('formats amounts and dates for %s', (locale, amount, date) => {
    const fields = mergeFields(input({ locale }));
    expect(fields.open_amount).toBe(amount);
    expect(fields.due_date).toBe(date);
  });

  it('sums the cases, takes the earliest due date, the largest lateness and the first case link', () => {
    const fields = mergeFields(input());
    expect(fields).toMatchObject({
      open_amount_minor: 124456, currency: 'EUR', due_date_iso: '2025-03-01', days_overdue: 6,
      order_ids: 'A-2, A-1', order_count: 2, products: 'Kurs', manage_link: 'https://x.example/2',
      full_name: 'Anna Müller', stage: 'second', stage_number: 2, company: 'Beispiel GmbH',
    });
  });

  it('never adds amounts in different currencies', () => {
    const fields = mergeFields(input({ cases: [
      { orderId: '1', product: '', openMinor: 1000, currency: 'EUR', dueDate: '2025-03-01', daysOverdue: 1, manageLink: 'l' },
      { orderId: '2', product: '', openMinor: 500, currency: 'CHF', dueDate: '2025-03-01', daysOverdue: 1, manageLink: 'l' },
      { orderId: '3', product: '', openMinor: 250, currency: 'EUR', dueDate: '2025-03-01', daysOverdue: 1, manageLink: 'l' },
    ] }));
    expect(fields.open_amount).toBe(`12,50${NBSP}€, 5,00${NBSP}CHF`);
    expect(fields).toMatchObject({ open_amount_minor: 1250, currency: 'EUR', products: '' });
  });

  it('leaves names empty rather than inventing them, and strips line breaks and control characters', () => {
    const fields = mergeFields(input({ customer: { email: 'a@example.com', firstName: '', lastName: 'Eve\r\nBcc: x@evil.test\u0000' } }));
    expect(fields.first_name).toBe('');
    expect(fields.last_name).toBe('Eve Bcc: x@evil.test');
    expect(fields.full_name).toBe('Eve Bcc: x@evil.test');
  });

  it('fills the promo fields only when the stage hands out a code', () => {
    expect(mergeFields(input())).toMatchObject({ promo_code: '', promo_discount: '', promo_expires: '', promo_expires_iso: '' });
    const withPromo = mergeFields(input({ promo: { code: 'BACK10', expiresAt: '2025-03-13T17:00:00Z', discount: { percentOff: 10 } } }));
    expect(withPromo).toMatchObject({ promo_code: 'BACK10', promo_discount: `10${NBSP}%`, promo_expires: '13.03.2025, 18:00', promo_expires_iso: '2025-03-13T17:00:00.000Z' });
    const amountOff = mergeFields(input({ locale: 'en', promo: { code: 'X', expiresAt: '2025-03-13T17:00:00Z', discount: { amountOff: { minor: 500, currency: 'EUR' } } } }));
    expect(amountOff.promo_discount).toBe('€5.00');
  });

  it('refuses a message without cases', () => {
    expect(() => mergeFields(input({ cases: [] }))).toThrow(/at least one case/);
  });
});

describe('orderFields', () => {
  it('gives one record per case with its own link', () => {
    expect(orderFields(input())).toEqual([
      { order_id: 'A-2', product: 'Kurs', open: `1.234,56${NBSP}€`, open_amount: `1.234,56${NBSP}€`, open_amount_minor: 123456, currency: 'EUR', due_date: '04.03.2025', due_date_iso: '2025-03-04', days_overdue: 3, manage_link: 'https://x.example/2' },
      { order_id: 'A-1', product: 'Kurs', open: `10,00${NBSP}€`, open_amount: `10,00${NBSP}€`, open_amount_minor: 1000, currency: 'EUR', due_date: '01.03.2025', due_date_iso: '2025-03-01', days_overdue: 6, manage_link: 'https://x.example/1' },
    ]);
  });

  it('gives the promo the open amount before and after the discount and its hours', () => {
    const fields = mergeFields({ ...input(), promo: { code: 'BACK10', expiresAt: '2025-03-13T17:00:00.000Z', discount: { percentOff: 10 }, validHours: 48 } });
    expect([fields.promo_before, fields.promo_after, fields.promo_valid_hours]).toEqual([`1.244,56${NBSP}€`, `1.120,10${NBSP}€`, 48]);
    expect(mergeFields(input()).promo_after).toBe('');
  });

  it('gives the merchant\'s own columns under safe names, ours winning a clash', () => {
    expect(extraFields([{ extra: { 'Kunden-Nr.': '', Firma: 'Sonne GmbH', Email: 'x' } }, { extra: { 'Kunden-Nr.': 'K-7', 'Straße & Nr': 'Weg 1', '2. Adresse': 'b' } }])).toEqual({
      kunden_nr: 'K-7', firma: 'Sonne GmbH', strasse_nr: 'Weg 1', x2_adresse: 'b',
    });
    expect(safeFieldName('Kundengruppe (B2B)')).toBe('kundengruppe_b2b');
  });

  it('has a sample input that fills every variable', () => {
    const sample = mergeFields(sampleMergeInput('en'));
    for (const name of MERGE_FIELD_NAMES) expect(String(sample[name])).not.toBe('');
  });
});

describe('the claim fields (issue 24)', () => {
  const interest = (minor: number, days: number, rate: number | null): { minor: number; days: number; from: string | null; rate: number | null; spans: [] } => ({ minor, days, from: days === 0 ? null : '2025-01-16', rate, spans: [] });
  it('are empty without a claim, and give principal, interest, fees, total, rate and the pay-by day with one', () => {
    expect(mergeFields(input())).toMatchObject({ claim_principal: '', claim_interest: '', claim_fees: '', claim_total: '', claim_total_minor: '', interest_rate: '', interest_days: '', pay_by: '', pay_by_iso: '' });
    const claim = {
      orders: new Map([
        [1, { principalMinor: 100000, interest: interest(1215, 61, 727), flatFeeMinor: 4000, feesMinor: 250, totalMinor: 105465 }],
        [2, { principalMinor: 1000, interest: interest(5, 20, 727), flatFeeMinor: 0, feesMinor: 0, totalMinor: 1005 }],
      ]),
      sums: [{ currency: 'EUR', principalMinor: 101000, interestMinor: 1220, flatFeeMinor: 4000, feesMinor: 250, totalMinor: 106470 }],
    };
    expect(mergeFields(input({ claim, payBy: '2025-03-24' }))).toMatchObject({
      claim_principal: `1.010,00${NBSP}€`, claim_interest: `12,20${NBSP}€`, claim_fees: `42,50${NBSP}€`, claim_total: `1.064,70${NBSP}€`, claim_total_minor: 106470,
      interest_rate: `7,27${NBSP}%`, interest_days: 61, pay_by: '24.03.2025', pay_by_iso: '2025-03-24',
    });
  });
});
