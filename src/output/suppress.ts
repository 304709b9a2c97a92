import type { SuppressReport } from '../app/suppress.js';
import type { Terminal } from './terminal.js';

/** Prints what `suppress import` did. */
export function printSuppressReport(terminal: Terminal, report: SuppressReport): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  const what = report.scope === 'all' ? 'no more messages' : 'no more offers (plain reminders still go, without a code)';
  const from = report.column === null ? '' : ` (column "${report.column}")`;
  terminal.out(`${report.file}${from}: ${report.read} address${report.read === 1 ? '' : 'es'} read, ${report.added} new, ${report.already} listed before: ${what}.`);
}
