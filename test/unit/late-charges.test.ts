import { describe, expect, it } from 'vitest';
import { BaseRates } from '../../src/core/base-rates.js';
import { claimOf, statutoryInterest, type InterestInput } from '../../src/core/late-charges.js';

// Issue 24: default interest under §288 BGB, by the day, at the base rate in force that day.

const rates = new BaseRates();

function interest(input: Partial<InterestInput> & Pick<InterestInput, 'dueDate' | 'today'>): number {
  const result = statutoryInterest({ openMinor: 100_000, payments: [], customerType: 'b2c', rates, ...input });
  if (!result.ok) throw new Error(`uncovered ${result.uncovered}`);
  return result.interest.minor;
}

describe('statutory default interest', () => {
  it.each([
    ['a consumer, 61 days at 7.27 %', { dueDate: '2025-01-15', today: '2025-03-17' }, 1215],
    ['a business, 61 days at 11.27 %', { dueDate: '2025-01-15', today: '2025-03-17', customerType: 'b2b' as const }, 1883],
    ['across a change of the base rate: 15 days at 7.27 %, 45 at 6.27 %', { dueDate: '2025-06-15', today: '2025-08-14' }, 1072],
    ['nothing on the due date itself', { dueDate: '2025-03-17', today: '2025-03-17' }, 0],
    ['one day: the day after the due date', { dueDate: '2025-03-16', today: '2025-03-17' }, 20],
    ['a negative base rate: 2016-07-01 to 2016-12-31 at -0.88 + 5 = 4.12 %', { dueDate: '2016-06-30', today: '2016-12-31' }, Math.round((100_000 * 412 * 184) / 3_650_000)],
    ['a leap year counts 1/365 per day too', { dueDate: '2024-02-28', today: '2024-03-01' }, Math.round((100_000 * 862 * 2) / 3_650_000)],
  ])('%s', (_name, input, expected) => {
    expect(interest(input)).toBe(expected);
  });

  it('counts a partial payment from the day an import saw it', () => {
    // 1,000.00 due 2025-01-15; 400.00 paid, seen on 2025-02-15: 30 days on 1,000, 31 days on 600 (7.27 %).
    const result = statutoryInterest({ dueDate: '2025-01-15', today: '2025-03-17', openMinor: 60_000, payments: [{ day: '2025-02-15', minor: 40_000 }], customerType: 'b2c', rates });
    expect(result.ok && result.interest.spans.map((s) => [s.from, s.to, s.days, s.openMinor, s.rate])).toEqual([
      ['2025-01-16', '2025-02-14', 30, 100_000, 727],
      ['2025-02-15', '2025-03-17', 31, 60_000, 727],
    ]);
    const exact = (100_000 * 727 * 30 + 60_000 * 727 * 31) / 3_650_000;
    expect(result.ok && result.interest.minor).toBe(Math.round(exact));
    expect(result.ok && [result.interest.days, result.interest.from, result.interest.rate]).toEqual([61, '2025-01-16', 727]);
  });

  it('rounds once, half up, after summing exactly', () => {
    // At 13.25 + 5 = 18.25 %, 10.00 for one day is exactly half a cent: up to 1 cent.
    const own = new BaseRates([{ from: '2030-01-01', hundredths: 1325 }]);
    const at = (openMinor: number, today: string) => statutoryInterest({ dueDate: '2029-12-31', today, openMinor, payments: [], customerType: 'b2c', rates: own });
    const half = at(1000, '2030-01-01');
    expect(half.ok && half.interest.minor).toBe(1);
    const under = at(999, '2030-01-01');
    expect(under.ok && under.interest.minor).toBe(0);
    // Two days of half a cent: summed first (1 cent), not rounded per day (2 cents).
    const two = at(1000, '2030-01-02');
    expect(two.ok && two.interest.minor).toBe(1);
  });

  it('takes a period from lateCharges.baseRates, and names the first day no period covers', () => {
    const late = statutoryInterest({ dueDate: '2026-06-15', today: '2026-07-10', openMinor: 100_000, payments: [], customerType: 'b2c', rates });
    expect(late).toEqual({ ok: false, uncovered: '2026-07-01' });
    const own = new BaseRates([{ from: '2026-07-01', hundredths: 127 }]);
    const covered = statutoryInterest({ dueDate: '2026-06-15', today: '2026-07-10', openMinor: 100_000, payments: [], customerType: 'b2c', rates: own });
    expect(covered.ok && covered.interest.minor).toBe(Math.round((100_000 * 627 * 25) / 3_650_000));
    const corrected = new BaseRates([{ from: '2025-07-01', hundredths: 200 }]);
    expect(interest({ dueDate: '2025-06-30', today: '2025-07-01', rates: corrected })).toBe(Math.round((100_000 * 700) / 3_650_000));
    expect(statutoryInterest({ dueDate: '2001-06-01', today: '2002-02-01', openMinor: 1, payments: [], customerType: 'b2c', rates })).toEqual({ ok: false, uncovered: '2001-06-02' });
  });
});

describe('the claim of a message', () => {
  const none = { minor: 0, days: 0, from: null, rate: null, spans: [] };
  const orders = [{ principalMinor: 10_000, interest: { ...none, minor: 120 } }, { principalMinor: 5_000, interest: { ...none, minor: 60 } }];

  it('charges a business the 40 EUR flat fee once per claim, not per order, and a consumer never', () => {
    const b2b = claimOf(orders, { customerType: 'b2b', flatFeeB2B: true, feesMinor: 250, currency: 'EUR' });
    expect(b2b.map((o) => [o.flatFeeMinor, o.feesMinor, o.totalMinor])).toEqual([[4000, 250, 14_370], [0, 0, 5060]]);
    const b2c = claimOf(orders, { customerType: 'b2c', flatFeeB2B: true, feesMinor: 0, currency: 'EUR' });
    expect(b2c.map((o) => o.flatFeeMinor)).toEqual([0, 0]);
    const off = claimOf(orders, { customerType: 'b2b', flatFeeB2B: false, feesMinor: 0, currency: 'EUR' });
    expect(off.map((o) => o.flatFeeMinor)).toEqual([0, 0]);
  });
});
