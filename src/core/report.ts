import { calendarDateIn, daysBetween, type CalendarDate } from './dates.js';
import { groupBy } from './group.js';
import { MoneyTotals, type Money } from './money.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from './report-input.js';
import { addPayer, paidAmount, payerOf, type Payer, type PayerSums } from './report-payers.js';

export type { ReportCase, ReportReminder, ReportPayment, ReportCode } from './report-input.js';

export interface ReportInput {
  cases: readonly ReportCase[];
  reminders: readonly ReportReminder[];
  payments: readonly ReportPayment[];
  codes: readonly ReportCode[];
  /** ISO instants bounding the period (inclusive start, exclusive end); null for open-ended. */
  since: string | null;
  until: string | null;
  now: Date;
  timeZone: string;
  /** Stage names in sequence order, for the funnel. */
  stages: readonly string[];
  /** The period as the merchant gave it: calendar days in timeZone, the last one included. */
  days?: { from: CalendarDate | null; to: CalendarDate | null };
}

export type { Payer } from './report-payers.js';

/** Per stage (or template): reminded cases, and money recovered after it was the last message. */
export interface Attribution {
  name: string;
  reminded: number;
  paidAfter: number;
  recovered: Money[];
  /** Share of all recovered money, per currency, in percent (one decimal). */
  share: Record<string, number>;
}

export interface AgeBucket {
  label: string;
  cases: number;
  open: Money[];
}

/** What the reminders brought back (issue 6, `dunning report`). */
export interface RecoveryReport {
  /** ISO instants bounding the period (inclusive start, exclusive end). */
  since: string | null;
  until: string | null;
  /** The same period as calendar days in timeZone, the last day included: what the merchant gave. */
  period: { from: CalendarDate | null; to: CalendarDate | null; timeZone: string };
  /** Every currency the report holds an amount in, by code; no currency is assumed. */
  currencies: string[];
  remindedCases: number;
  paidAfterReminder: number;
  recovered: Money[];
  baseline: { paidWithoutReminder: number; paidWithout: Money[] };
  medianDaysToPayment: number | null;
  byStage: Attribution[];
  byTemplate: Attribution[];
  codes: { issued: number; used: number };
  stillOpen: { cases: number; open: Money[]; byAge: AgeBucket[] };
  /** Recovered money per calendar day (in the merchant's zone), for the chart. */
  timeline: { day: CalendarDate; recovered: Money[] }[];
  /**
   * Each configured stage in order: the cases it reminded and those paid after it was their last
   * reminder, the very figures of byStage (the chart and the table show one model, issue 22).
   */
  funnel: { stage: string; cases: number; paid: number }[];
  /** Who paid after which reminder, newest first. */
  payers: Payer[];
  /**
   * Payments counted as the open amount less a promo code's discount: the export only said the
   * case closed, while its customer held a valid code.
   */
  estimatedWithCode: number;
}

const AGE_BUCKETS: readonly { label: string; from: number; to: number }[] = [
  { label: 'not yet due', from: -Infinity, to: 0 },
  { label: '1–7 days', from: 1, to: 7 },
  { label: '8–30 days', from: 8, to: 30 },
  { label: '31–90 days', from: 31, to: 90 },
  { label: 'over 90 days', from: 91, to: Infinity },
];

/**
 * Computes the recovery report. Attribution is honest: money counts as recovered by the reminders
 * only when it came in after the case's first reminder; cases paid without one are the baseline.
 */
export function computeReport(input: ReportInput): RecoveryReport {
  const period: Period = {
    has: (at) => (input.since === null || at >= input.since) && (input.until === null || at < input.until),
    reminders: groupBy(input.reminders, (r) => r.caseId),
  };
  for (const list of period.reminders.values()) list.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  const caseById = new Map(input.cases.map((c) => [c.id, c]));
  const byStage: AttributionMap = new Map();
  const byTemplate: AttributionMap = new Map();
  for (const r of input.reminders) {
    if (!period.has(r.sentAt)) continue;
    entry(byStage, r.stage).reminded.add(r.caseId);
    entry(byTemplate, r.template).reminded.add(r.caseId);
  }
  const money = attributePayments(input, period, caseById, byStage, byTemplate);
  const paidCases = input.cases.filter((c) => c.status === 'paid' && c.closedAt !== null && period.has(c.closedAt));
  const paidAfter = paidCases.filter((c) => lastReminderBefore(period, c.id, c.closedAt ?? '') !== undefined);
  for (const c of paidAfter) {
    const last = lastReminderBefore(period, c.id, c.closedAt ?? '');
    if (last === undefined) continue;
    entry(byStage, last.stage).paid.add(c.id);
    entry(byTemplate, last.template).paid.add(c.id);
  }
  const stageRows = attributions(byStage, money.recovered, input.stages);
  const daysToPay = paidAfter.map((c) => (Date.parse(c.closedAt ?? '') - Date.parse(period.reminders.get(c.id)?.[0]?.sentAt ?? '')) / 86_400_000);
  return {
    since: input.since,
    until: input.until,
    period: { from: input.days?.from ?? null, to: input.days?.to ?? null, timeZone: input.timeZone },
    currencies: [...new Set(input.cases.map((c) => c.currency))].sort(),
    remindedCases: new Set(input.reminders.filter((r) => period.has(r.sentAt)).map((r) => r.caseId)).size,
    paidAfterReminder: paidAfter.length,
    recovered: money.recovered,
    baseline: { paidWithoutReminder: paidCases.length - paidAfter.length, paidWithout: money.baseline },
    medianDaysToPayment: median(daysToPay),
    byStage: stageRows,
    byTemplate: attributions(byTemplate, money.recovered, []),
    codes: codeUse(input, period, caseById),
    stillOpen: stillOpen(input),
    timeline: money.timeline,
    funnel: input.stages.map((stage) => {
      const row = stageRows.find((r) => r.name === stage);
      return { stage, cases: row?.reminded ?? 0, paid: row?.paidAfter ?? 0 };
    }),
    payers: money.payers,
    estimatedWithCode: money.estimated,
  };
}

interface Period {
  has: (at: string) => boolean;
  /** Each case's reminders, oldest first. */
  reminders: Map<number, ReportReminder[]>;
}

type AttributionMap = Map<string, { reminded: Set<number>; paid: Set<number>; sums: Sums }>;

function entry(map: AttributionMap, name: string): { reminded: Set<number>; paid: Set<number>; sums: Sums } {
  let found = map.get(name);
  if (found === undefined) {
    found = { reminded: new Set(), paid: new Set(), sums: new Sums() };
    map.set(name, found);
  }
  return found;
}

function lastReminderBefore(period: Period, caseId: number, at: string): ReportReminder | undefined {
  return (period.reminders.get(caseId) ?? []).filter((r) => r.sentAt <= at).at(-1);
}

/** Money in the period: recovered (after a reminder, credited to the last one) or baseline (no reminder before it). */
function attributePayments(input: ReportInput, period: Period, caseById: Map<number, ReportCase>, byStage: AttributionMap, byTemplate: AttributionMap) {
  const recovered = new Sums();
  const baseline = new Sums();
  const timeline = new Map<string, Sums>();
  const payers = new Map<string, PayerSums>();
  let estimated = 0;
  const codes = groupBy(input.codes, (c) => c.emailKey);
  for (const p of input.payments) {
    const c = caseById.get(p.caseId);
    if (c === undefined || !period.has(p.at)) continue;
    const paid = paidAmount(p, c, codes.get(c.emailKey) ?? []);
    const last = lastReminderBefore(period, p.caseId, p.at);
    if (last === undefined) {
      baseline.add(c.currency, paid.minor);
      continue;
    }
    if (paid.estimated) estimated++;
    recovered.add(c.currency, paid.minor);
    const day = calendarDateIn(new Date(p.at), input.timeZone);
    let daySums = timeline.get(day);
    if (daySums === undefined) {
      daySums = new Sums();
      timeline.set(day, daySums);
    }
    daySums.add(c.currency, paid.minor);
    entry(byStage, last.stage).sums.add(c.currency, paid.minor);
    entry(byTemplate, last.template).sums.add(c.currency, paid.minor);
    addPayer(payers, { c, at: p.at, day, last, minor: paid.minor, estimated: paid.estimated, reminderDay: calendarDateIn(new Date(last.sentAt), input.timeZone) });
  }
  return {
    recovered: recovered.list(),
    baseline: baseline.list(),
    timeline: [...timeline].sort(([a], [b]) => a.localeCompare(b)).map(([day, sums]) => ({ day, recovered: sums.list() })),
    payers: [...payers.values()].map(payerOf).sort((a, b) => b.at.localeCompare(a.at) || a.email.localeCompare(b.email)),
    estimated,
  };
}

function codeUse(input: ReportInput, period: Period, caseById: Map<number, ReportCase>): { issued: number; used: number } {
  const issued = input.codes.filter((c) => period.has(c.issuedAt));
  // A code counts as used when a case of its holder was paid while the code was valid.
  const used = issued.filter((code) =>
    [...caseById.values()].some((c) => c.emailKey === code.emailKey && c.status === 'paid' && c.closedAt !== null && c.closedAt >= code.issuedAt && c.closedAt <= code.expiresAt),
  );
  return { issued: issued.length, used: used.length };
}

function stillOpen(input: ReportInput): RecoveryReport['stillOpen'] {
  const today = calendarDateIn(input.now, input.timeZone);
  const open = input.cases.filter((c) => c.status === 'open');
  const total = new Sums();
  const buckets = AGE_BUCKETS.map((b) => ({ label: b.label, cases: 0, sums: new Sums(), from: b.from, to: b.to }));
  for (const c of open) {
    total.add(c.currency, c.openMinor);
    const days = daysBetween(c.dueDate, today);
    const bucket = buckets.find((b) => days >= b.from && days <= b.to);
    if (bucket) {
      bucket.cases++;
      bucket.sums.add(c.currency, c.openMinor);
    }
  }
  return { cases: open.length, open: total.list(), byAge: buckets.map((b) => ({ label: b.label, cases: b.cases, open: b.sums.list() })) };
}

function attributions(map: AttributionMap, totals: Money[], order: readonly string[]): Attribution[] {
  const names = [...new Set([...order.filter((n) => map.has(n)), ...[...map.keys()].sort()])];
  return names.map((name) => {
    const entry = map.get(name);
    const recovered = entry?.sums.list() ?? [];
    const share: Record<string, number> = {};
    for (const t of totals) {
      const part = recovered.find((r) => r.currency === t.currency)?.minor ?? 0;
      share[t.currency] = t.minor === 0 ? 0 : Math.round((part * 1000) / t.minor) / 10;
    }
    return { name, reminded: entry?.reminded.size ?? 0, paidAfter: entry?.paid.size ?? 0, recovered, share };
  });
}

/** Sums per currency, listed by currency code. */
class Sums {
  private readonly totals = new MoneyTotals();
  add(currency: string, minor: number): void {
    this.totals.add(currency, minor);
  }
  list(): Money[] {
    return this.totals.sorted().map(({ currency, minor }) => ({ currency, minor }));
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value * 10) / 10;
}
