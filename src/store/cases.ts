import type { OpenCase } from '../core/status.js';
import type { Db } from './database.js';
import { parseExtra } from './open-cases.js';

/** A case with everything a message about it needs: an open case's fields and the rest of the row. */
export interface CaseForMessage extends OpenCase {
  status: 'open' | 'paid' | 'cancelled';
  paidMinor: number;
  localeHint: string | null;
  extra: Record<string, string>;
}

interface MessageCaseRow extends Omit<CaseForMessage, 'extra'> {
  extra: string;
}

const MESSAGE_CASE_COLUMNS = `id, source, order_id AS orderId, due_date AS dueDate, status, email, email_key AS emailKey,
  first_name AS firstName, last_name AS lastName, product, open_minor AS openMinor, paid_minor AS paidMinor,
  currency, token, locale_hint AS localeHint, extra`;

function toCase(row: MessageCaseRow): CaseForMessage {
  return { ...row, extra: parseExtra(row.extra) };
}

/** Every case (open or closed) of an order ID, in any source. */
export function casesOfOrder(db: Db, orderId: string): CaseForMessage[] {
  return db.prepare<[string], MessageCaseRow>(`SELECT ${MESSAGE_CASE_COLUMNS} FROM cases WHERE order_id = ? ORDER BY due_date`).all(orderId).map(toCase);
}

/** The open cases of one customer (by lower-cased address), oldest due date first. */
export function openCasesOfCustomer(db: Db, emailKey: string): CaseForMessage[] {
  return db
    .prepare<[string], MessageCaseRow>(`SELECT ${MESSAGE_CASE_COLUMNS} FROM cases WHERE email_key = ? AND status = 'open' ORDER BY due_date, id`)
    .all(emailKey)
    .map(toCase);
}

/** The customer of the most overdue open case, if any. */
export function mostOverdueCustomer(db: Db, today: string): string | undefined {
  return db
    .prepare<[string], string>(`SELECT email_key FROM cases WHERE status = 'open' AND due_date < ? ORDER BY due_date, id LIMIT 1`)
    .pluck()
    .get(today);
}

/** Column names of the extra data in the newest case, so checks can try templates with them. */
export function extraColumnNames(db: Db): string[] {
  const extra = db.prepare<[], string>('SELECT extra FROM cases ORDER BY id DESC LIMIT 1').pluck().get();
  return extra === undefined ? [] : Object.keys(JSON.parse(extra) as Record<string, unknown>);
}
