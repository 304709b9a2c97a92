import { describe, expect, it } from 'vitest';
import { computeReport, type ReportCase, type ReportInput } from '../../src/core/report.js';

const NOW = new Date('2026-11-30T10:00:00Z');

function kase(id: number, over: Partial<ReportCase> = {}): ReportCase {
  return { id, emailKey: `c${id}@example.de`, currency: 'EUR', status: 'open', openMinor: 10000, dueDate: '2026-11-10', closedAt: null, ...over };
}

/** A scripted month: five cases reminded over three stages, one paid with no reminder, a partial payment, a USD case, a code. */
function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    cases: [
      kase(1, { status: 'paid', openMinor: 5000, closedAt: '2026-11-14T08:00:00.000Z' }), // paid 2 days after reminder
      kase(2, { status: 'paid', openMinor: 20000, closedAt: '2026-11-20T08:00:00.000Z' }), // paid after second
      kase(3, { openMinor: 7000 }), // partial payment after reminder, still open
      kase(4, { status: 'paid', openMinor: 3000, closedAt: '2026-11-05T08:00:00.000Z' }), // paid, never reminded: baseline
      kase(5, { currency: 'USD', status: 'paid', openMinor: 9900, closedAt: '2026-11-26T08:00:00.000Z', emailKey: 'promo@example.com' }), // paid after final, with a code
      kase(6, { openMinor: 12345, dueDate: '2026-11-29' }), // 1 day overdue, reminded
      kase(7, { openMinor: 50000, dueDate: '2026-12-05' }), // not yet due
      kase(8, { openMinor: 1000, dueDate: '2026-06-01' }), // over 90 days
    ],
    reminders: [
      { caseId: 1, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
      { caseId: 2, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
      { caseId: 2, stage: 'second', template: 'second', sentAt: '2026-11-16T08:00:00.000Z' },
      { caseId: 3, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
      { caseId: 5, stage: 'reminder', template: 'reminder', sentAt: '2026-11-12T08:00:00.000Z' },
      { caseId: 5, stage: 'second', template: 'second', sentAt: '2026-11-16T08:00:00.000Z' },
      { caseId: 5, stage: 'final', template: 'final-promo', sentAt: '2026-11-24T08:00:00.000Z' },
      { caseId: 6, stage: 'reminder', template: 'reminder', sentAt: '2026-11-30T08:00:00.000Z' },
    ],
    payments: [
      { caseId: 1, amountMinor: 5000, at: '2026-11-14T08:00:00.000Z' },
      { caseId: 2, amountMinor: 20000, at: '2026-11-20T08:00:00.000Z' },
      { caseId: 3, amountMinor: 3000, at: '2026-11-18T08:00:00.000Z' },
      { caseId: 4, amountMinor: 3000, at: '2026-11-05T08:00:00.000Z' },
      { caseId: 5, amountMinor: 9900, at: '2026-11-26T08:00:00.000Z' },
    ],
    codes: [
      { emailKey: 'promo@example.com', stage: 'final', issuedAt: '2026-11-24T08:00:00.000Z', expiresAt: '2026-11-27T08:00:00.000Z' },
      { emailKey: 'c6@example.de', stage: 'final', issuedAt: '2026-11-24T08:00:00.000Z', expiresAt: '2026-11-27T08:00:00.000Z' },
    ],
    since: null,
    until: null,
    now: NOW,
    timeZone: 'Europe/Berlin',
    stages: ['reminder', 'second', 'final'],
    ...over,
  };
}

describe('computeReport', () => {
  const report = computeReport(input());

  it('counts reminded cases and cases paid after a reminder, with the baseline beside them', () => {
    expect(report.remindedCases).toBe(5);
    expect(report.paidAfterReminder).toBe(3);
    expect(report.baseline).toEqual({ paidWithoutReminder: 1, paidWithout: [{ currency: 'EUR', minor: 3000 }] });
  });

  it('adds up recovered money per currency, partial payments included, never across currencies', () => {
    expect(report.recovered).toEqual([{ currency: 'EUR', minor: 28000 }, { currency: 'USD', minor: 9900 }]);
  });

  it('credits money to the last stage before it came in, with shares per currency', () => {
    expect(report.byStage).toEqual([
      { name: 'reminder', reminded: 5, paidAfter: 1, recovered: [{ currency: 'EUR', minor: 8000 }], share: { EUR: 28.6, USD: 0 } },
      { name: 'second', reminded: 2, paidAfter: 1, recovered: [{ currency: 'EUR', minor: 20000 }], share: { EUR: 71.4, USD: 0 } },
      { name: 'final', reminded: 1, paidAfter: 1, recovered: [{ currency: 'USD', minor: 9900 }], share: { EUR: 0, USD: 100 } },
    ]);
    expect(report.byTemplate.map((t) => [t.name, t.paidAfter])).toEqual([['final-promo', 1], ['reminder', 1], ['second', 1]]);
  });

  it('gives the median days from the first reminder to payment', () => {
    // 2 days (case 1), 8 days (case 2), 14 days (case 5)
    expect(report.medianDaysToPayment).toBe(8);
  });

  it('counts a code as used only when its holder paid while it held', () => {
    expect(report.codes).toEqual({ issued: 2, used: 1 });
  });

  it('shows what is still open and how old it is', () => {
    expect(report.stillOpen.cases).toBe(4);
    expect(report.stillOpen.open).toEqual([{ currency: 'EUR', minor: 70345 }]);
    expect(report.stillOpen.byAge.map((b) => [b.label, b.cases, b.open[0]?.minor ?? 0])).toEqual([
      ['not yet due', 1, 50000], ['1–7 days', 1, 12345], ['8–30 days', 1, 7000], ['31–90 days', 0, 0], ['over 90 days', 1, 1000],
    ]);
  });

  it('draws the timeline per day in the merchant\'s zone and a funnel of the stages', () => {
    expect(report.timeline.map((d) => [d.day, d.recovered])).toEqual([
      ['2026-11-14', [{ currency: 'EUR', minor: 5000 }]],
      ['2026-11-18', [{ currency: 'EUR', minor: 3000 }]],
      ['2026-11-20', [{ currency: 'EUR', minor: 20000 }]],
      ['2026-11-26', [{ currency: 'USD', minor: 9900 }]],
    ]);
    // The funnel holds the figures of byStage: paid after the stage that was a case's last reminder (issue 22).
    expect(report.funnel).toEqual([{ stage: 'reminder', cases: 5, paid: 1 }, { stage: 'second', cases: 2, paid: 1 }, { stage: 'final', cases: 1, paid: 1 }]);
    expect(report.funnel.map((f) => [f.stage, f.cases, f.paid])).toEqual(report.byStage.map((s) => [s.name, s.reminded, s.paidAfter]));
  });

  it('limits everything to the period', () => {
    const late = computeReport(input({ since: '2026-11-19T23:00:00.000Z', until: '2026-11-30T23:00:00.000Z' }));
    expect(late.remindedCases).toBe(2);
    expect(late.paidAfterReminder).toBe(2);
    expect(late.recovered).toEqual([{ currency: 'EUR', minor: 20000 }, { currency: 'USD', minor: 9900 }]);
    expect(late.baseline.paidWithoutReminder).toBe(0);
  });

  it('keeps the period as the calendar days given, and names every currency it holds', () => {
    const late = computeReport(input({ since: '2026-10-31T23:00:00.000Z', until: null, days: { from: '2026-11-01', to: null } }));
    expect(late.period).toEqual({ from: '2026-11-01', to: null, timeZone: 'Europe/Berlin' });
    expect(late.currencies).toEqual(['EUR', 'USD']);
    expect(computeReport(input({ cases: [], reminders: [], payments: [], codes: [] })).currencies).toEqual([]);
  });

  it('lists who paid after which reminder, newest first, with the days after it', () => {
    expect(report.payers.map((p) => [p.day, p.email, p.orders, p.amount, p.stage, p.daysAfterReminder])).toEqual([
      ['2026-11-26', 'promo@example.com', ['5'], [{ currency: 'USD', minor: 9900 }], 'final', 2],
      ['2026-11-20', 'c2@example.de', ['2'], [{ currency: 'EUR', minor: 20000 }], 'second', 4],
      ['2026-11-18', 'c3@example.de', ['3'], [{ currency: 'EUR', minor: 3000 }], 'reminder', 6],
      ['2026-11-14', 'c1@example.de', ['1'], [{ currency: 'EUR', minor: 5000 }], 'reminder', 2],
    ]);
  });

  it('counts a case closed while its customer held a code as the open amount less the discount, and says so', () => {
    const withCode = computeReport(
      input({
        payments: [{ caseId: 5, amountMinor: 9900, at: '2026-11-26T08:00:00.000Z', kind: 'in_full' }],
        codes: [{ emailKey: 'promo@example.com', stage: 'final', issuedAt: '2026-11-24T08:00:00.000Z', expiresAt: '2026-11-27T08:00:00.000Z', discount: { percentOff: 20 } }],
      }),
    );
    expect(withCode.recovered).toEqual([{ currency: 'USD', minor: 7920 }]);
    expect(withCode.estimatedWithCode).toBe(1);
    expect(withCode.payers[0]).toMatchObject({ amount: [{ currency: 'USD', minor: 7920 }], estimated: true });
    // A partial payment says what was paid: no discount is taken off it.
    const partial = computeReport(
      input({
        payments: [{ caseId: 5, amountMinor: 9900, at: '2026-11-26T08:00:00.000Z', kind: 'partial' }],
        codes: [{ emailKey: 'promo@example.com', stage: 'final', issuedAt: '2026-11-24T08:00:00.000Z', expiresAt: '2026-11-27T08:00:00.000Z', discount: { percentOff: 20 } }],
      }),
    );
    expect(partial.recovered).toEqual([{ currency: 'USD', minor: 9900 }]);
    expect(partial.estimatedWithCode).toBe(0);
    // After the code expired, the whole open amount.
    const late = computeReport(
      input({
        payments: [{ caseId: 5, amountMinor: 9900, at: '2026-11-28T08:00:00.000Z', kind: 'in_full' }],
        codes: [{ emailKey: 'promo@example.com', stage: 'final', issuedAt: '2026-11-24T08:00:00.000Z', expiresAt: '2026-11-27T08:00:00.000Z', discount: { percentOff: 20 } }],
      }),
    );
    expect(late.recovered).toEqual([{ currency: 'USD', minor: 9900 }]);
  });
});
