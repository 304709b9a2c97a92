import { dateFormat, dateTimeFormat } from '../core/intl-formats.js';
import { formatMoney, type Money } from '../core/money.js';
import type { RecoveryReport } from '../core/report.js';
import { fill, type ReportLabels } from './report-labels/index.js';

/** Formats a list of amounts in different currencies, never added together; no amount at all is a dash, in no currency (issue 22). */
export function moneyList(list: readonly Money[], locale: string): string {
  return list.length === 0 ? '–' : list.map((m) => formatMoney(m, locale)).join(' + ');
}

const percents = new Map<string, Intl.NumberFormat>();

/** A share in percent, one decimal at most, in the locale's style (`66,7 %` in de, `66.7%` in en). */
export function percent(value: number, locale: string): string {
  let format = percents.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    percents.set(locale, format);
  }
  return format.format(value / 100);
}

/** " (40 %)" after a count, or nothing when there is nothing to divide by. */
export function rate(part: number, whole: number, locale: string): string {
  return whole === 0 ? '' : ` (${percent(Math.round((part * 1000) / whole) / 10, locale)})`;
}

/** A whole number in the locale's style (`1.234` in de). */
export function count(value: number, locale: string): string {
  return value.toLocaleString(locale);
}

/** A calendar day (YYYY-MM-DD) in the locale's medium style; the day itself, not an instant, so no zone can move it. */
export function calendarDay(day: string, locale: string): string {
  return dateFormat(locale, 'medium', 'UTC').format(new Date(`${day}T00:00:00Z`));
}

/** An instant as the merchant's clock shows it, in the locale's style. */
export function localTime(iso: string, locale: string, timeZone: string): string {
  return dateTimeFormat(locale, timeZone).format(new Date(iso));
}

/** The period's calendar days as the merchant gave them ("from 2026-11-01 to now"), in the report's language, days as `day` writes them. */
export function periodText(report: Pick<RecoveryReport, 'period'>, labels: ReportLabels, day: (d: string) => string = (d) => d): string {
  const { from, to } = report.period;
  return fill(labels.period, { from: from === null ? labels.periodStart : day(from), to: to === null ? labels.periodEnd : day(to) });
}

/** An age bucket of the still-open cases in the report's language: the model's buckets in its order, else its own label. */
export function ageLabel(labels: ReportLabels, index: number, label: string): string {
  return labels.ages[index] ?? label;
}
