import { daysBetween, type CalendarDate } from './dates.js';
import type { Money } from './money.js';
import { tokenProblem } from './token.js';

/** An open case as status lists it. */
export interface OpenCase {
  id: number;
  source: string;
  orderId: string;
  dueDate: CalendarDate;
  email: string;
  emailKey: string;
  firstName: string;
  lastName: string;
  product: string;
  openMinor: number;
  currency: string;
  token: string | null;
}

/** A line of the status overview: the case, how late it is, and what keeps it from a reminder. */
export interface CaseStanding {
  case: OpenCase;
  daysOverdue: number;
  problem: string | null;
}

/** Sorts open cases for the overview: overdue first, the newest problems on top, then those not yet due. */
export function standings(cases: readonly OpenCase[], today: CalendarDate, tokenPattern: RegExp | undefined): CaseStanding[] {
  const rows = cases.map((c) => ({ case: c, daysOverdue: daysBetween(c.dueDate, today), problem: tokenProblem(c.token, tokenPattern) }));
  return rows.sort((a, b) => {
    const aOver = a.daysOverdue > 0;
    const bOver = b.daysOverdue > 0;
    if (aOver !== bOver) return aOver ? -1 : 1;
    return aOver ? a.daysOverdue - b.daysOverdue || a.case.id - b.case.id : b.daysOverdue - a.daysOverdue || a.case.id - b.case.id;
  });
}

/** Open amount per currency: money in different currencies is never added up. */
export function totalsByCurrency(rows: readonly CaseStanding[]): (Money & { cases: number })[] {
  const totals = new Map<string, { minor: number; cases: number }>();
  for (const row of rows) {
    const t = totals.get(row.case.currency) ?? { minor: 0, cases: 0 };
    t.minor += row.case.openMinor;
    t.cases += 1;
    totals.set(row.case.currency, t);
  }
  return [...totals].map(([currency, t]) => ({ currency, minor: t.minor, cases: t.cases })).sort((a, b) => a.currency.localeCompare(b.currency));
}
