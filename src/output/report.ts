import type { Attribution, RecoveryReport } from '../core/report.js';
import { renderReportHtml } from './report-html.js';
import { writeTextWhole } from './write-whole.js';
import { moneyList, rate } from './report-figures.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

/** Writes the report as a self-contained HTML page with charts, and says where. */
export function writeReportHtml(terminal: Terminal, file: string, report: RecoveryReport, locale: string, now: Date): void {
  writeTextWhole(file, renderReportHtml(report, locale, now.toISOString()));
  terminal.warn(`Wrote ${file}`);
}

/** Prints the recovery report as tables for people, or one JSON document. */
export function printReport(terminal: Terminal, report: RecoveryReport, locale: string): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  const period = `${report.since?.slice(0, 10) ?? 'the beginning'} to ${report.until?.slice(0, 10) ?? 'now'}`;
  terminal.out(`Recovery from ${period}`);
  terminal.out('');
  terminal.out(
    renderTable(
      ['', 'cases', 'amount'],
      [
        ['reminded', String(report.remindedCases), ''],
        ['paid after a reminder', `${report.paidAfterReminder}${rate(report.paidAfterReminder, report.remindedCases)}`, moneyList(report.recovered, locale)],
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
  terminal.out(renderTable(['open for', 'cases', 'amount'], report.stillOpen.byAge.map((b) => [b.label, String(b.cases), moneyList(b.open, locale)]), ['left', 'right', 'right']));
}

/** Stage or template attribution as a table. */
export function attributionTable(what: string, rows: readonly Attribution[], locale: string): string {
  if (rows.length === 0) return `No reminders by ${what} yet.`;
  return renderTable(
    [what, 'reminded', 'paid after', 'recovered', 'share'],
    rows.map((r) => [r.name, String(r.reminded), `${r.paidAfter}${rate(r.paidAfter, r.reminded)}`, moneyList(r.recovered, locale), shares(r.share)]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

function shares(share: Record<string, number>): string {
  const entries = Object.entries(share);
  if (entries.length === 0) return '';
  if (entries.length === 1) return `${entries[0]?.[1] ?? 0} %`;
  return entries.map(([currency, percent]) => `${currency} ${percent} %`).join(', ');
}
