import { parseExtra, type StoredCase } from '../../core/case.js';

// The columns of a StoredCase and the model's name for each.
const COLUMNS: readonly (readonly [column: string, name: keyof StoredCase])[] = [
  ['id', 'id'], ['source', 'source'], ['order_id', 'orderId'], ['due_date', 'dueDate'], ['email', 'email'], ['email_key', 'emailKey'],
  ['first_name', 'firstName'], ['last_name', 'lastName'], ['locale_hint', 'localeHint'], ['product', 'product'], ['open_minor', 'openMinor'],
  ['paid_minor', 'paidMinor'], ['currency', 'currency'], ['token', 'token'], ['extra', 'extra'], ['status', 'status'],
  ['closed_reason', 'closedReason'], ['closed_at', 'closedAt'], ['snoozed_until', 'snoozedUntil'], ['stopped_at', 'stoppedAt'], ['stop_reason', 'stopReason'],
];

/** The select list of a whole StoredCase, named as the model names the fields; `table` is the alias in the query, if any. */
export function caseColumns(table?: string): string {
  const prefix = table === undefined ? '' : `${table}.`;
  return COLUMNS.map(([column, name]) => `${prefix}${column} AS ${name}`).join(', ');
}

/** A case row as caseColumns() reads it: the extra columns still JSON. */
export type CaseRow = Omit<StoredCase, 'extra'> & { extra: string };

/** A case row as the model has it. */
export function toStoredCase(row: CaseRow): StoredCase {
  return { ...row, extra: parseExtra(row.extra) };
}
