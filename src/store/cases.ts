import type { OpenCase } from '../core/status.js';
import type { Db } from './database.js';

/** Every open case. */
export function listOpenCases(db: Db): OpenCase[] {
  return db
    .prepare<[], OpenCase>(
      `SELECT id, source, order_id AS orderId, due_date AS dueDate, email, email_key AS emailKey, first_name AS firstName,
              last_name AS lastName, product, open_minor AS openMinor, currency, token
       FROM cases WHERE status = 'open'`,
    )
    .all();
}
