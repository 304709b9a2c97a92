import { addDays } from '../core/dates.js';
import { claimOf, type MessageClaim } from '../core/late-charges.js';
import type { MessageCase, RenderRequest } from '../app/message.js';

/** Example messages `templates check` renders every template with: a full one and one with every optional field empty. */
export function sampleRequests(template: string, stageNumber: number, today: string, now: Date, extraColumns: readonly string[]): { label: string; request: RenderRequest }[] {
  const stage = { name: template, number: stageNumber, template };
  // With and without a pay-by deadline, in hours: a template must read well in both.
  const full: MessageCase[] = [
    sampleCase(1, 'EX-1001', 'Online-Kurs "Yoga für Anfänger"', 4900, 9800, addDays(today, -5), extraColumns, 'Beispiel'),
    sampleCase(2, 'EX-1002', 'E-Book-Paket', 123456, 0, addDays(today, -2), extraColumns, 'Beispiel'),
  ];
  const empty: MessageCase[] = [sampleCase(3, 'EX-1003', '', 100, 0, addDays(today, -1), extraColumns, '')];
  const expiresAt = new Date(now.getTime() + 72 * 3_600_000).toISOString();
  return [
    {
      label: 'example data',
      request: {
        customer: { email: 'anna.mueller@example.com', emailKey: 'anna.mueller@example.com', firstName: 'Anna', lastName: 'Müller', localeHint: null },
        cases: full,
        stage: { ...stage, payWithin: { days: 1, minutes: 12 * 60 } },
        today,
        now,
        promo: { code: 'DANKE10', discount: { percentOff: 10 }, expiresAt, validHours: 72 },
        claim: sampleClaim(full, today),
      },
    },
    {
      label: 'an order with every optional field empty',
      request: {
        customer: { email: 'kunde@example.com', emailKey: 'kunde@example.com', firstName: '', lastName: '', localeHint: null },
        cases: empty,
        stage,
        today,
        now,
      },
    },
  ];
}

function sampleCase(
  id: number,
  orderId: string,
  product: string,
  openMinor: number,
  paidMinor: number,
  dueDate: string,
  extraColumns: readonly string[],
  extraValue: string,
): MessageCase {
  return {
    id,
    source: 'example',
    orderId,
    dueDate,
    product,
    openMinor,
    paidMinor,
    currency: 'EUR',
    token: `tk_example${id}`,
    extra: Object.fromEntries(extraColumns.map((c) => [c, extraValue])),
    daysOverdue: 1,
  };
}

/** A claim with interest, the flat fee and a stage fee, so every line a notice may show is rendered. */
function sampleClaim(cases: readonly MessageCase[], today: string): MessageClaim {
  const interest = (c: MessageCase, days: number) => ({
    minor: Math.round((c.openMinor * 627 * days) / 3_650_000),
    days,
    from: addDays(today, 1 - days),
    rate: 627,
    spans: [],
  });
  const lines = claimOf(cases.map((c, i) => ({ principalMinor: c.openMinor, interest: interest(c, 5 - 3 * i) })), { customerType: 'b2b', flatFeeB2B: true, feesMinor: 250, currency: 'EUR' });
  const orders = new Map(lines.map((line, i) => [cases[i]?.id ?? i, line]));
  const sum = (pick: (l: (typeof lines)[number]) => number): number => lines.reduce((total, l) => total + pick(l), 0);
  return {
    orders,
    sums: [{ currency: 'EUR', principalMinor: sum((l) => l.principalMinor), interestMinor: sum((l) => l.interest.minor), flatFeeMinor: sum((l) => l.flatFeeMinor), feesMinor: sum((l) => l.feesMinor), totalMinor: sum((l) => l.totalMinor) }],
  };
}
