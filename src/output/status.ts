import type { CalendarDate } from '../core/dates.js';
import { formatMoney, toDecimalString } from '../core/money.js';
import type { CaseStanding } from '../core/status.js';
import { maskToken } from '../core/text.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

export interface StatusView {
  today: CalendarDate;
  timeZone: string;
  locale: string;
  rows: readonly CaseStanding[];
  totals: readonly { currency: string; minor: number; cases: number }[];
  limit: number | undefined;
}

/** Prints open cases as a table with totals per currency, or as one JSON document. */
export function printStatus(terminal: Terminal, view: StatusView): void {
  if (terminal.json) {
    terminal.document({
      today: view.today,
      timeZone: view.timeZone,
      cases: view.rows.map((r) => ({
        id: r.case.id,
        source: r.case.source,
        orderId: r.case.orderId,
        email: r.case.email,
        firstName: r.case.firstName,
        lastName: r.case.lastName,
        product: r.case.product,
        openMinor: r.case.openMinor,
        open: toDecimalString(r.case.openMinor, r.case.currency),
        currency: r.case.currency,
        dueDate: r.case.dueDate,
        daysOverdue: r.daysOverdue,
        token: maskToken(r.case.token),
        problem: r.problem,
      })),
      totals: view.totals.map((t) => ({ ...t, open: toDecimalString(t.minor, t.currency) })),
    });
    return;
  }
  if (view.rows.length === 0) {
    terminal.out(`No open cases (today is ${view.today}, ${view.timeZone}).`);
    return;
  }
  const shown = view.limit === undefined ? view.rows : view.rows.slice(0, view.limit);
  const table = shown.map((r) => [
    customerName(r.case),
    r.case.orderId,
    r.case.product,
    formatMoney({ minor: r.case.openMinor, currency: r.case.currency }, view.locale),
    r.case.dueDate,
    r.daysOverdue > 0 ? String(r.daysOverdue) : r.daysOverdue === 0 ? 'due today' : `in ${-r.daysOverdue}`,
    r.problem ?? '',
  ]);
  terminal.out(renderTable(['customer', 'order', 'product', 'open', 'due', 'days overdue', 'attention'], table, ['left', 'left', 'left', 'right', 'left', 'right']));
  if (shown.length < view.rows.length) terminal.out(`… ${view.rows.length - shown.length} more (--all shows every case, --json prints them all)`);
  const totals = view.totals.map((t) => `${formatMoney(t, view.locale)} in ${t.cases} case${t.cases === 1 ? '' : 's'}`).join(', ');
  terminal.out(`Open: ${totals} (today is ${view.today}, ${view.timeZone})`);
}

function customerName(c: CaseStanding['case']): string {
  const name = `${c.firstName} ${c.lastName}`.trim();
  return name === '' ? c.email : `${name} <${c.email}>`;
}
