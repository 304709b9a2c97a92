import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

type Row = Record<string, unknown>;

/** What an import may change: cases, imports and payments, in id order. Runs are left out (every command adds one). */
export interface StoreSnapshot {
  cases: Row[];
  imports: Row[];
  payments: Row[];
}

/** Reads rows from a database file opened read-only, so the test itself changes nothing. */
export function query(path: string, sql: string, ...params: unknown[]): Row[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as Row[];
  } finally {
    db.close();
  }
}

/** The content of a dunning database that "unchanged" compares, or null when there is no file. */
export function snapshot(path: string): StoreSnapshot | null {
  if (!existsSync(path)) return null;
  return {
    cases: query(path, 'SELECT * FROM cases ORDER BY id'),
    imports: query(path, 'SELECT * FROM imports ORDER BY id'),
    payments: query(path, 'SELECT * FROM payments ORDER BY id'),
  };
}

/** A case by order ID, as the store holds it. */
export function caseOf(path: string, orderId: string): Row | undefined {
  return query(path, 'SELECT * FROM cases WHERE order_id = ?', orderId)[0];
}

/** The run log, oldest first. */
export function runsOf(path: string): Row[] {
  return query(path, 'SELECT * FROM runs ORDER BY id');
}
