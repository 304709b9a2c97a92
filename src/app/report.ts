import { addDays, calendarDateIn, parseDueDate } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import { computeReport, type RecoveryReport } from '../core/report.js';
import { dayBounds } from '../core/send-window.js';
import type { AppConfig } from './plan.js';
import type { Store } from './ports.js';

/** The period of a report, as the merchant gives it: calendar days in the configured zone. */
export interface ReportPeriod {
  since?: string | undefined;
  until?: string | undefined;
}

/** What the reminders brought back in a period: reminded, paid after a reminder, recovered, per stage and template. */
export async function recoveryReport(store: Store, config: AppConfig, now: Date, period: ReportPeriod): Promise<RecoveryReport> {
  const from = period.since === undefined ? null : calendarDay(period.since, config.timeZone, '--since', now);
  const to = period.until === undefined ? null : calendarDay(period.until, config.timeZone, '--until', now);
  const since = from === null ? null : dayBounds(from, config.timeZone).start.toISOString();
  // --until names the last day of the period: it ends where that day ends.
  const until = to === null ? null : dayBounds(to, config.timeZone).end.toISOString();
  const data = await store.report.reportData();
  return computeReport({ ...data, since, until, days: { from, to }, now, timeZone: config.timeZone, stages: config.sequence.stages.map((s) => s.name) });
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
