import { Memo } from '../core/memo.js';
import type { PlanCase } from '../core/plan.js';
import type { Db } from './database.js';

type CaseRow = [
  id: number, source: string, orderId: string, dueDate: string, email: string, emailKey: string, firstName: string, lastName: string,
  localeHint: string | null, product: string, openMinor: number, paidMinor: number, currency: string, token: string | null,
  extra: string, snoozedUntil: string | null, stoppedAt: string | null,
];

const SELECT_OPEN = `SELECT id, source, order_id, due_date, email, email_key, first_name, last_name, locale_hint, product, open_minor,
  paid_minor, currency, token, extra, snoozed_until, stopped_at
  FROM cases WHERE status = 'open' ORDER BY id`;

/**
 * Every open case, for the planner and status. A million open cases must fit in memory, and most of
 * a case's cells repeat from case to case (source, due date, names, product, currency, extra
 * columns): each distinct value is kept once and shared, so the copies SQLite hands out die young.
 * Rows come as arrays because better-sqlite3's row objects cost twice the time to build.
 */
export function loadOpenCases(db: Db): PlanCase[] {
  const text = new Memo<string>();
  const same = (value: string): string => text.get(value, keep);
  const sameOrNull = (value: string | null): string | null => (value === null ? null : same(value));
  const extras = new Memo<Readonly<Record<string, string>>>(1_000);
  const cases: PlanCase[] = [];
  for (const row of db.prepare<[], CaseRow>(SELECT_OPEN).raw().iterate()) {
    const [id, source, orderId, dueDate, email, emailKey, firstName, lastName, localeHint, product, openMinor, paidMinor, currency, token, extra] = row;
    cases.push({
      id, source: same(source), orderId, dueDate: same(dueDate), email,
      // Most addresses are stored in lower case already: then the key is the address itself.
      emailKey: emailKey === email ? email : emailKey,
      firstName: same(firstName), lastName: same(lastName), localeHint: sameOrNull(localeHint), product: same(product),
      openMinor, paidMinor, currency: same(currency), token,
      extra: extras.get(extra, parseExtra), snoozedUntil: row[15], stoppedAt: row[16],
    });
  }
  return cases;
}

function keep(value: string): string {
  return value;
}

/** The extra columns of a case as stored (JSON); frozen, since the planner shares one object among cases with the same ones. */
export function parseExtra(json: string): Readonly<Record<string, string>> {
  const value: unknown = JSON.parse(json);
  if (value === null || typeof value !== 'object') return Object.freeze({});
  return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])));
}
