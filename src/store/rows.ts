import { parseExtra, type StoredCase } from '../core/case.js';
import type { Memo } from '../core/memo.js';
import type { RunRecord } from '../app/ports.js';
import { customerTypeOf } from '../core/customer-type.js';

// The columns of a StoredCase and the model's name for each.
const COLUMNS: readonly (readonly [column: string, name: keyof StoredCase])[] = [
  ['id', 'id'], ['source', 'source'], ['order_id', 'orderId'], ['due_date', 'dueDate'], ['due_at', 'dueAt'], ['email', 'email'], ['email_key', 'emailKey'],
  ['first_name', 'firstName'], ['last_name', 'lastName'], ['locale_hint', 'localeHint'], ['product', 'product'], ['open_minor', 'openMinor'],
  ['paid_minor', 'paidMinor'], ['currency', 'currency'], ['token', 'token'], ['extra', 'extra'], ['status', 'status'],
  ['closed_reason', 'closedReason'], ['closed_at', 'closedAt'], ['opened_at', 'openedAt'], ['snoozed_until', 'snoozedUntil'], ['stopped_at', 'stoppedAt'], ['stop_reason', 'stopReason'],
  ['pay_link', 'payLink'], ['customer_type', 'customerType'],
];

/**
 * The select list of a whole StoredCase, named as the model names the fields; `table` is the alias
 * in the query, if any. `quoted`: the names in double quotes, which PostgreSQL needs to keep their
 * case (it folds unquoted names to lower case; SQLite keeps them).
 */
export function caseColumns(table?: string, quoted = false): string {
  const prefix = table === undefined ? '' : `${table}.`;
  return COLUMNS.map(([column, name]) => `${prefix}${column} AS ${quoted ? `"${name}"` : name}`).join(', ');
}

/** A case row as caseColumns() reads it: the extra columns still JSON. */
export type CaseRow = Omit<StoredCase, 'extra'> & { extra: string };

/** A case row as the model has it. */
export function toStoredCase(row: CaseRow): StoredCase {
  return { ...row, extra: parseExtra(row.extra) };
}

/** A case row as caseColumns() reads it with better-sqlite3's raw(): the values in the order of the columns. */
export type RawCaseRow = (string | number | null)[];

/**
 * The case of a raw row. The plan reads every open case: rows as arrays are built in half the time
 * of row objects, and the export's extra columns, mostly the same few sets, are parsed once each.
 */
export function caseOfRaw(row: RawCaseRow, extras: Memo<Readonly<Record<string, string>>>): StoredCase {
  const text = (i: number): string => String(row[i]);
  const nullable = (i: number): string | null => (row[i] === null ? null : String(row[i]));
  return {
    id: Number(row[0]), source: text(1), orderId: text(2), dueDate: text(3), dueAt: nullable(4), email: text(5), emailKey: text(6), firstName: text(7),
    lastName: text(8), localeHint: nullable(9), product: text(10), openMinor: Number(row[11]), paidMinor: Number(row[12]), currency: text(13),
    token: nullable(14), extra: extras.get(text(15), parseExtra), status: text(16) as StoredCase['status'],
    closedReason: nullable(17) as StoredCase['closedReason'], closedAt: nullable(18), openedAt: text(19), snoozedUntil: nullable(20),
    stoppedAt: nullable(21), stopReason: nullable(22), payLink: nullable(23), customerType: customerTypeOf(nullable(24)),
  };
}

/** How many columns caseColumns() selects. */
export const CASE_COLUMN_COUNT = COLUMNS.length;

/** A row of the `runs` table as both adapters read it. */
export interface RunRow {
  id: number;
  command: string;
  args: string;
  started_at: string;
  ended_at: string | null;
  exit_code: number | null;
  summary: string | null;
  pid: number;
  host: string;
}

/** A run log row as the run log's port gives it (arguments and summary parsed from their JSON). */
export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    command: row.command,
    args: JSON.parse(row.args) as string[],
    startedAt: row.started_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Record<string, unknown>),
    pid: row.pid,
    host: row.host,
  };
}
