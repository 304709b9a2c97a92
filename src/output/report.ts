import { stringify } from 'csv-stringify/sync';
import { toDecimalString } from '../core/money.js';
import type { Attribution, Payer, RecoveryReport } from '../core/report.js';
import type { OpenClaimCharges } from '../app/report.js';
import { renderReportHtml } from './report-html.js';
import { writeTextWhole } from './write-whole.js';
import { ageLabel, count, moneyList, percent, periodText, rate } from './report-figures.js';
import { fill, plural, reportLabels } from './report-labels/index.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

/** Writes the report as a self-contained HTML page with charts, and says where. */
export function writeReportHtml(terminal: Terminal, file: string, report: RecoveryReport & { lateCharges?: OpenClaimCharges | null }, locale: string, now: Date): void {
  writeTextWhole(file, renderReportHtml(report, locale, now.toISOString()));
  terminal.warn(`Wrote ${file}`);
}

/**
 * Writes who paid after which reminder as CSV for the bookkeeping, newest first: one line per
 * customer, day and stage and currency, amounts as plain decimals with their currency code.
 */
export function writeReportCsv(terminal: Terminal, file: string, report: RecoveryReport): void {
  const header = ['paid_on', 'email', 'name', 'orders', 'amount', 'currency', 'stage', 'template', 'days_after_reminder', 'estimated'];
  const lines = report.payers.flatMap((p: Payer) =>
    p.amount.map((m) => [p.day, p.email, p.name, p.orders.join(' '), toDecimalString(m.minor, m.currency), m.currency, p.stage, p.template, String(p.daysAfterReminder), p.estimated ? 'yes' : 'no']),
  );
  writeTextWhole(file, stringify([header, ...lines]));
  terminal.warn(`Wrote ${file}`);
}

/** Prints the recovery report as tables for people, in the config's language, or one JSON document (its keys stay English). */
export function printReport(terminal: Terminal, report: RecoveryReport, locale: string): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  const t = reportLabels(locale);
  terminal.out(fill(t.recoveryFrom, { period: periodText(report, t) }));
  terminal.out('');
  terminal.out(
    renderTable(
      ['', t.cases, t.amount],
      [
        [t.reminded, String(report.remindedCases), ''],
        [t.paidAfterReminder, `${report.paidAfterReminder}${rate(report.paidAfterReminder, report.remindedCases, locale)}`, moneyList(report.recovered, locale)],
        [t.paidWithoutReminder, String(report.baseline.paidWithoutReminder), moneyList(report.baseline.paidWithout, locale)],
        [t.stillOpen, String(report.stillOpen.cases), moneyList(report.stillOpen.open, locale)],
      ],
      ['left', 'right', 'right'],
    ),
  );
  terminal.out('');
  const median = report.medianDaysToPayment === null ? t.noPaymentsYet : plural(t.days, report.medianDaysToPayment, locale);
  terminal.out(fill(t.medianTime, { value: median }));
  terminal.out(fill(t.promoCodes, { issued: count(report.codes.issued, locale), used: count(report.codes.used, locale) }));
  terminal.out('');
  terminal.out(attributionTable(t.stage, t.noRemindersByStage, report.byStage, locale));
  terminal.out('');
  terminal.out(attributionTable(t.template, t.noRemindersByTemplate, report.byTemplate, locale));
  terminal.out('');
  terminal.out(payersTable(report, locale));
  terminal.out('');
  const ages = report.stillOpen.byAge.map((b, i) => [ageLabel(t, i, b.label), String(b.cases), moneyList(b.open, locale)]);
  terminal.out(renderTable([t.openFor, t.cases, t.amount], ages, ['left', 'right', 'right']));
}

/** Stage or template attribution as a table, headed by `what` (or `none` when nothing was reminded). */
export function attributionTable(what: string, none: string, rows: readonly Attribution[], locale: string): string {
  if (rows.length === 0) return none;
  const t = reportLabels(locale);
  return renderTable(
    [what, t.reminded, t.paidAfter, t.recovered, t.share],
    rows.map((r) => [r.name, String(r.reminded), `${r.paidAfter}${rate(r.paidAfter, r.reminded, locale)}`, moneyList(r.recovered, locale), shares(r.share, locale)]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

function shares(share: Record<string, number>, locale: string): string {
  const entries = Object.entries(share);
  if (entries.length === 0) return '';
  if (entries.length === 1) return percent(entries[0]?.[1] ?? 0, locale);
  return entries.map(([currency, value]) => `${currency} ${percent(value, locale)}`).join(', ');
}

/** Who paid after which reminder, newest first. */
function payersTable(report: RecoveryReport, locale: string): string {
  const t = reportLabels(locale);
  if (report.payers.length === 0) return t.nobodyPaid;
  const table = renderTable(
    [t.paidOn, t.customer, t.orders, t.amount, t.stage, t.daysAfter],
    report.payers.map((p) => [p.day, p.email, p.orders.join(', '), moneyList(p.amount, locale) + (p.estimated ? ' *' : ''), p.stage, String(p.daysAfterReminder)]),
    ['left', 'left', 'left', 'right', 'left', 'right'],
  );
  return report.estimatedWithCode === 0 ? table : `${table}\n${t.estimatedNote}`;
}

/** The late charges on what is still open, apart from the principal (with `lateCharges`). */
export function printLateCharges(terminal: Terminal, charges: OpenClaimCharges | null, locale: string): void {
  if (charges === null || terminal.json) return;
  if (charges.problem !== null) {
    terminal.warn(`note: interest and fees not shown: ${charges.problem}`);
    return;
  }
  const t = reportLabels(locale);
  terminal.out('');
  terminal.out(
    renderTable(
      [t.openClaims, t.cases, t.amount],
      [
        [t.principal, String(charges.cases), moneyList(charges.principal, locale)],
        [t.defaultInterest, '', moneyList(charges.interest, locale)],
        [t.lateFees, '', moneyList(charges.fees, locale)],
        [t.totalClaimed, '', moneyList(charges.total, locale)],
      ],
      ['left', 'right', 'right'],
    ),
  );
}
