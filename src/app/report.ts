import { addDays, calendarDateIn, parseDueDate } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import { computeReport, type RecoveryReport } from '../core/report.js';
import { dayBounds } from '../core/send-window.js';
import { MoneyTotals, type Money } from '../core/money.js';
import { claimsForOverview } from './late-charges.js';
import type { AppConfig } from './plan.js';
import type { Store } from './ports.js';

/** The period of a report, as the merchant gives it: calendar days in the configured zone. */
export interface ReportPeriod {
  since?: string | undefined;
  until?: string | undefined;
}

/** The open claims with late charges to today, apart from the principal (`lateCharges`): sums per currency. */
export interface OpenClaimCharges {
  cases: number;
  principal: Money[];
  interest: Money[];
  /** The B2B flat fee and the fees of the notices sent. */
  fees: Money[];
  total: Money[];
  /** Why they are missing: a day no base-rate period covers. */
  problem: string | null;
}

/** The report with the late charges of what is still open (null without `lateCharges`). */
export type ReportWithCharges = RecoveryReport & { lateCharges: OpenClaimCharges | null };

/** What the reminders brought back in a period: reminded, paid after a reminder, recovered, per stage and template. */
export async function recoveryReport(store: Store, config: AppConfig, now: Date, period: ReportPeriod): Promise<ReportWithCharges> {
  const from = period.since === undefined ? null : calendarDay(period.since, config.timeZone, '--since', now);
  const to = period.until === undefined ? null : calendarDay(period.until, config.timeZone, '--until', now);
  const since = from === null ? null : dayBounds(from, config.timeZone).start.toISOString();
  // --until names the last day of the period: it ends where that day ends.
  const until = to === null ? null : dayBounds(to, config.timeZone).end.toISOString();
  const data = await store.report.reportData();
  const report = computeReport({ ...data, since, until, days: { from, to }, now, timeZone: config.timeZone, stages: config.sequence.stages.map((s) => s.name) });
  const open = new Set(data.cases.filter((c) => c.status === 'open').map((c) => c.emailKey));
  return { ...report, lateCharges: await openClaimCharges(store, config, [...open], calendarDateIn(now, config.timeZone)) };
}

/** Interest and fees on the open cases of these customers to `today`, summed apart from the principal. */
async function openClaimCharges(store: Store, config: AppConfig, emailKeys: readonly string[], today: string): Promise<OpenClaimCharges | null> {
  if (config.lateCharges === undefined) return null;
  const sums = { principal: new MoneyTotals(), interest: new MoneyTotals(), fees: new MoneyTotals(), total: new MoneyTotals() };
  let cases = 0;
  for (const key of emailKeys) {
    const own = (await store.cases.ofCustomer(key)).filter((c) => c.status === 'open');
    const { claims, problem } = await claimsForOverview(store, config, own, today);
    if (claims === null) return { cases: 0, principal: [], interest: [], fees: [], total: [], problem };
    for (const claim of claims.values()) {
      cases++;
      sums.principal.add(claim.currency, claim.principalMinor);
      sums.interest.add(claim.currency, claim.interestMinor);
      sums.fees.add(claim.currency, claim.flatFeeMinor + claim.feesMinor);
      sums.total.add(claim.currency, claim.totalMinor);
    }
  }
  const list = (totals: MoneyTotals): Money[] => totals.sorted().map(({ currency, minor }) => ({ currency, minor }));
  return { cases, principal: list(sums.principal), interest: list(sums.interest), fees: list(sums.fees), total: list(sums.total), problem: null };
}

/** The calendar day an option names: a date, or `today` / `yesterday` by the run's clock in the configured zone. */
export function calendarDay(text: string, timeZone: string, option: string, now: Date): string {
  const word = text.trim().toLowerCase();
  if (word === 'today' || word === 'yesterday') {
    const today = calendarDateIn(now, timeZone);
    return word === 'today' ? today : addDays(today, -1);
  }
  const date = parseDueDate(text, 'auto', timeZone);
  if (!date.ok || date.value === null) throw new DunningError(`${option}: ${date.ok ? 'no date given' : date.error}`);
  return date.value;
}
