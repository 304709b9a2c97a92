import { stringify } from 'csv-stringify/sync';
import { toDecimalString } from '../core/money.js';
import type { Attribution, Payer, RecoveryReport } from '../core/report.js';
import type { OpenClaimCharges } from '../app/report.js';
import { renderReportHtml } from './report-html.js';
import { writeTextWhole } from './write-whole.js';
import { moneyList, percent, periodText, rate } from './report-figures.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

/** Writes the report as a self-contained HTML page with charts, and says where. */
export function writeReportHtml(terminal: Terminal, file: string, report: RecoveryReport, locale: string, now: Date): void {
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

/** Prints the recovery report as tables for people, or one JSON document. */
export function printReport(terminal: Terminal, report: RecoveryReport, locale: string): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  terminal.out(`Recovery from ${periodText(report)}`);
  terminal.out('');
  terminal.out(
    renderTable(
      ['', 'cases', 'amount'],
      [
        ['reminded', String(report.remindedCases), ''],
        ['paid after a reminder', `${report.paidAfterReminder}${rate(report.paidAfterReminder, report.remindedCases, locale)}`, moneyList(report.recovered, locale)],
        ['paid without a reminder (baseline)', String(report.baseline.paidWithoutReminder), moneyList(report.baseline.paidWithout, locale)],
        ['still open', String(report.stillOpen.cases), moneyList(report.stillOpen.open, locale)],
      ],
      ['left', 'right', 'right'],
    ),
  );
  terminal.out('');
  terminal.out(`Median time from the first reminder to payment: ${report.medianDaysToPayment === null ? 'no payments yet' : `${report.medianDaysToPayment} days`}`);
  terminal.out(`Promo codes: ${report.codes.issued} issued, ${report.codes.used} used while valid`);
  terminal.out('');
  terminal.out(attributionTable('stage', report.byStage, locale));
  terminal.out('');
  terminal.out(attributionTable('template', report.byTemplate, locale));
  terminal.out('');
  terminal.out(payersTable(report, locale));
  terminal.out('');
  terminal.out(renderTable(['open for', 'cases', 'amount'], report.stillOpen.byAge.map((b) => [b.label, String(b.cases), moneyList(b.open, locale)]), ['left', 'right', 'right']));
}

/** Stage or template attribution as a table. */
export function attributionTable(what: string, rows: readonly Attribution[], locale: string): string {
  if (rows.length === 0) return `No reminders by ${what} yet.`;
  return renderTable(
    [what, 'reminded', 'paid after', 'recovered', 'share'],
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
  if (report.payers.length === 0) return 'Nobody has paid after a reminder in this period.';
  const table = renderTable(
    ['paid on', 'customer', 'orders', 'amount', 'stage', 'days after'],
    report.payers.map((p) => [p.day, p.email, p.orders.join(', '), moneyList(p.amount, locale) + (p.estimated ? ' *' : ''), p.stage, String(p.daysAfterReminder)]),
    ['left', 'left', 'left', 'right', 'left', 'right'],
  );
  return report.estimatedWithCode === 0 ? table : `${table}\n* the open amount less the promo code's discount: the export only said the case closed, while the customer held a valid code`;
}

/** The late charges on what is still open, apart from the principal (with `lateCharges`). */
export function printLateCharges(terminal: Terminal, charges: OpenClaimCharges | null, locale: string): void {
  if (charges === null || terminal.json) return;
  if (charges.problem !== null) {
    terminal.warn(`note: interest and fees not shown: ${charges.problem}`);
    return;
  }
  terminal.out('');
  terminal.out(
    renderTable(
      ['open claims to today', 'cases', 'amount'],
      [
        ['principal', String(charges.cases), moneyList(charges.principal, locale)],
        ['default interest', '', moneyList(charges.interest, locale)],
        ['fees (flat fee and notices)', '', moneyList(charges.fees, locale)],
        ['total claimed', '', moneyList(charges.total, locale)],
      ],
      ['left', 'right', 'right'],
    ),
  );
}
