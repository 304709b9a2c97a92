import { DunningError, ExitCode } from '../core/errors.js';

/**
 * Every table of the store and its columns, as the newest migration of each adapter leaves them:
 * the one list `db copy` copies and the schema parity test holds both adapters' migrations to.
 * Ordered so that a row only refers to rows of the tables before it (copying in this order keeps
 * every foreign key satisfied). A migration that adds a table or a column adds it here too.
 */
export interface TableShape {
  name: string;
  columns: readonly string[];
  /** Has an `id` the database numbers (a copy keeps the ids and moves the numbering past them). */
  numbered: boolean;
}

/** The tables, in an order where each refers only to tables listed before it. */
export const TABLES: readonly TableShape[] = [
  { name: 'runs', numbered: true, columns: ['id', 'command', 'args', 'started_at', 'ended_at', 'exit_code', 'summary', 'pid', 'host'] },
  {
    name: 'imports',
    numbered: true,
    columns: ['id', 'run_id', 'source', 'file', 'file_size', 'file_sha256', 'settings_hash', 'mode', 'imported_at', 'rows', 'new', 'updated', 'closed', 'unchanged', 'rejected'],
  },
  { name: 'customer_controls', numbered: false, columns: ['email_key', 'snoozed_until', 'stopped_at', 'stop_reason'] },
  {
    name: 'cases',
    numbered: true,
    columns: [
      'id', 'source', 'order_id', 'due_date', 'email', 'email_key', 'first_name', 'last_name', 'product', 'currency', 'open_minor', 'paid_minor', 'first_open_minor',
      'token', 'locale_hint', 'extra', 'status', 'closed_reason', 'opened_at', 'closed_at', 'first_import_id', 'updated_import_id', 'snoozed_until', 'stopped_at',
      'stop_reason', 'due_at', 'pay_link', 'customer_type',
    ],
  },
  { name: 'payments', numbered: true, columns: ['id', 'case_id', 'import_id', 'amount_minor', 'kind', 'recorded_at'] },
  { name: 'notes', numbered: true, columns: ['id', 'email_key', 'case_id', 'run_id', 'text', 'created_at'] },
  {
    name: 'messages',
    numbered: true,
    columns: ['id', 'run_id', 'email_key', 'stage', 'channel', 'template', 'recipient', 'state', 'message_id', 'provider_id', 'response', 'error', 'permanent', 'created_at', 'updated_at'],
  },
  { name: 'message_cases', numbered: false, columns: ['message_id', 'case_id', 'stage', 'released', 'repeat_number'] },
  { name: 'locks', numbered: false, columns: ['name', 'run_id', 'pid', 'host', 'since'] },
  { name: 'promo_codes', numbered: true, columns: ['id', 'stage', 'code', 'pool', 'email_key', 'message_id', 'discount', 'issued_at', 'expires_at', 'loaded_at'] },
  {
    name: 'mailchimp_tag_removals',
    numbered: true,
    columns: ['id', 'run_id', 'email_key', 'email', 'list_id', 'tags', 'state', 'permanent', 'error', 'attempted_at'],
  },
  { name: 'suppressions', numbered: false, columns: ['email_key', 'scope', 'reason', 'detail', 'happened_at', 'source', 'run_id'] },
  { name: 'delivery_reports', numbered: false, columns: ['report_key', 'email_key', 'message_id', 'kind', 'status', 'detail', 'reported_at', 'run_id'] },
];

/** The shape of one table by name; throws for a name the store does not have. */
export function tableShape(name: string): TableShape {
  const shape = TABLES.find((t) => t.name === name);
  if (shape === undefined) throw new Error(`the store has no table "${name}"`);
  return shape;
}

/** Refuses a copy whose target holds other counts than the source had (exit 4: nothing is committed). */
export function checkCounts(where: string, counts: Readonly<Record<string, number>>, expected: Readonly<Record<string, number>>): void {
  const wrong = Object.keys(expected).filter((t) => counts[t] !== expected[t]);
  if (wrong.length === 0) return;
  throw new DunningError(`${where}: the copy was rolled back, its row counts differ from the source's`, {
    exitCode: ExitCode.internal,
    details: wrong.map((t) => `${t}: ${expected[t] ?? 0} in the source, ${counts[t] ?? 0} copied`),
  });
}
