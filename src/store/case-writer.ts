import Database, { type Statement } from 'better-sqlite3';
import type { CaseChange, ClosedReason, KnownCase } from '../core/cases.js';
import type { OrderLine } from '../core/order-line.js';
import type { Db } from './database.js';

/** A case as the import finds it, with its row id. */
export interface FoundCase extends KnownCase {
  id: number;
}

/** An earlier import, to recognise a file that was imported before. */
export interface PastImport {
  id: number;
  fileSize: number;
  sha256: string;
  settingsHash: string;
  importedAt: string;
  rows: number;
  rejected: number;
}

export interface ImportCounts {
  rows: number;
  new: number;
  updated: number;
  closed: number;
  unchanged: number;
  rejected: number;
}

interface CaseRow {
  id: number;
  status: KnownCase['status'];
  closed_reason: ClosedReason | null;
  email: string;
  first_name: string;
  last_name: string;
  product: string;
  open_minor: number;
  paid_minor: number;
  currency: string;
  token: string | null;
  locale_hint: string | null;
  extra: string;
}

/**
 * New cases per INSERT of a source that had none. better-sqlite3 spends ~0.75 µs on each call
 * whatever it binds; one call for 50 rows took a 1M-row insert from 4.0-5.4 s to 3.4-3.5 s alone.
 */
export const NEW_CASES_PER_INSERT = 50;

/** A case as a row of an export gives it, with its extra columns as JSON. */
export interface NewCase {
  order: Omit<OrderLine, 'extra'>;
  extraJson: string;
}

/** The values of one case that differ from row to row, in the column order of INSERT_COLUMNS. */
const ROW_VALUES = '(@source, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \'open\', @now, @importId, @importId)';
const VALUES_PER_ROW = 14;
const INSERT_COLUMNS = `(source, order_id, due_date, email, email_key, first_name, last_name, product, currency,
  open_minor, paid_minor, first_open_minor, token, locale_hint, extra, status, opened_at, first_import_id, updated_import_id)`;

/** The statements an import needs, prepared once: the import runs them once per row. */
export class CaseWriter {
  private readonly findStmt;
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly paymentStmt;
  private insertManyStmt: Statement | undefined;
  private readonly oneValues: unknown[] = new Array<unknown>(VALUES_PER_ROW);
  private readonly manyValues: unknown[] = new Array<unknown>(NEW_CASES_PER_INSERT * VALUES_PER_ROW);

  constructor(private readonly db: Db) {
    this.findStmt = db.prepare<[string, string, string], CaseRow>(
      `SELECT id, status, closed_reason, email, first_name, last_name, product, open_minor, paid_minor, currency, token, locale_hint, extra
       FROM cases WHERE source = ? AND order_id = ? AND due_date = ?`,
    );
    this.insertStmt = db.prepare(`INSERT INTO cases ${INSERT_COLUMNS} VALUES ${ROW_VALUES}`);
    this.updateStmt = db.prepare(
      `UPDATE cases SET email = ?, email_key = ?, first_name = ?, last_name = ?, product = ?, currency = ?, open_minor = ?,
         paid_minor = ?, token = ?, locale_hint = ?, extra = ?, status = ?, closed_reason = ?,
         closed_at = CASE WHEN ? = 'open' THEN NULL WHEN status = ? THEN closed_at ELSE ? END, updated_import_id = ?
       WHERE id = ?`,
    );
    this.paymentStmt = db.prepare(
      'INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** The case with this key, if the store has it. */
  find(source: string, orderId: string, dueDate: string): FoundCase | undefined {
    const row = this.findStmt.get(source, orderId, dueDate);
    if (row === undefined) return undefined;
    return {
      id: row.id,
      status: row.status,
      closedReason: row.closed_reason,
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      product: row.product,
      openMinor: row.open_minor,
      paidMinor: row.paid_minor,
      currency: row.currency,
      token: row.token,
      localeHint: row.locale_hint,
      extraJson: row.extra,
    };
  }

  /** Adds a new open case and returns its id. */
  insert(source: string, line: Omit<OrderLine, 'extra'>, extraJson: string, importId: number, now: string): number {
    const values = this.oneValues;
    putRowValues(values, 0, line, extraJson);
    return Number(this.insertStmt.run(...values, { source, now, importId }).lastInsertRowid);
  }

  /**
   * Adds exactly NEW_CASES_PER_INSERT cases of a source that had none in one statement. Returns
   * each case's id in the order given, or undefined for a row whose key is taken: listed twice.
   */
  insertUnseenMany(source: string, cases: readonly NewCase[], importId: number, now: string): (number | undefined)[] {
    if (cases.length !== NEW_CASES_PER_INSERT) throw new Error(`insertUnseenMany takes ${NEW_CASES_PER_INSERT} cases, not ${cases.length}`);
    // OR IGNORE: a statement that may abort half-way keeps a journal of its own (8x the file writes of
    // a 1M-row import, +0.4 s of system time); a repeat is skipped instead and found below.
    this.insertManyStmt ??= this.db.prepare(`INSERT OR IGNORE INTO cases ${INSERT_COLUMNS} VALUES ${Array<string>(NEW_CASES_PER_INSERT).fill(ROW_VALUES).join(', ')}`);
    const values = this.manyValues;
    cases.forEach(({ order, extraJson }, i) => putRowValues(values, i * VALUES_PER_ROW, order, extraJson));
    // Spread, not an array: better-sqlite3 reads an array argument element by element, which was slower.
    const { changes, lastInsertRowid } = this.insertManyStmt.run(...values, { source, now, importId });
    // SQLite gives each new row the largest id plus one, so this statement's rows have the ids from `first` on.
    const first = changes === 0 ? Infinity : Number(lastInsertRowid) - changes + 1;
    if (changes === cases.length) return cases.map((_, i) => first + i);
    return this.sortOutRepeats(source, cases, first);
  }

  /** After a group insert that skipped rows: which rows got which new case, and which repeat a key written before. */
  private sortOutRepeats(source: string, cases: readonly NewCase[], first: number): (number | undefined)[] {
    const claimed = new Set<number>();
    return cases.map(({ order }) => {
      const id = this.findStmt.get(source, order.orderId, order.dueDate)?.id;
      if (id === undefined) throw new Error(`the case of order "${order.orderId}" due ${order.dueDate} was neither written nor found (a NOT NULL or CHECK rule of the cases table?)`);
      if (id < first || claimed.has(id)) return undefined;
      claimed.add(id);
      return id;
    });
  }

  /**
   * Adds a case without looking for it first, for a source that had none: returns undefined when
   * the key is taken, i.e. the run lists that order and due date twice.
   */
  insertUnseen(source: string, line: Omit<OrderLine, 'extra'>, extraJson: string, importId: number, now: string): number | undefined {
    try {
      return this.insert(source, line, extraJson, importId, now);
    } catch (error) {
      // SQLite has undone the statement that broke the key (source, order ID, due date).
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
      throw error;
    }
  }

  /** True when the store holds any case of this source. */
  hasCases(source: string): boolean {
    return this.db.prepare<[string], number>('SELECT 1 FROM cases WHERE source = ? LIMIT 1').pluck().get(source) !== undefined;
  }

  /** Writes what a newer export says about a known case, and the payment it implies. */
  update(known: FoundCase, line: Omit<OrderLine, 'extra'>, extraJson: string, change: Extract<CaseChange, { kind: 'updated' }>, importId: number, now: string): void {
    this.updateStmt.run(
      line.email, line.emailKey, line.firstName, line.lastName, line.product, line.currency, line.openMinor,
      line.paidMinor, line.token, line.localeHint, extraJson, change.status, change.closedReason,
      change.status, change.status, now, importId, known.id,
    );
    if (change.paymentMinor > 0) {
      this.paymentStmt.run(known.id, importId, change.paymentMinor, change.status === 'paid' ? 'in_full' : 'partial', now);
    }
  }

  /** How many cases of a source are open. */
  countOpenCases(source: string): number {
    return this.db.prepare<[string], number>("SELECT count(*) FROM cases WHERE source = ? AND status = 'open'").pluck().get(source) ?? 0;
  }

  /** Ids of the open cases of a source that are not in `seen`, without holding every id in memory. */
  openCaseIdsNotIn(source: string, seen: { has(id: number): boolean }): number[] {
    const missing: number[] = [];
    for (const id of this.db.prepare<[string], number>("SELECT id FROM cases WHERE source = ? AND status = 'open'").pluck().iterate(source)) {
      if (!seen.has(id)) missing.push(id);
    }
    return missing;
  }

  /** Closes cases as paid because a full export no longer lists them. */
  closeMissing(ids: readonly number[], importId: number, now: string): void {
    const payment = this.db.prepare(
      `INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at)
       SELECT id, ?, open_minor, 'missing_from_snapshot', ? FROM cases WHERE id = ?`,
    );
    const close = this.db.prepare(
      `UPDATE cases SET status = 'paid', closed_reason = 'missing_from_snapshot', closed_at = ?, updated_import_id = ? WHERE id = ?`,
    );
    for (const id of ids) {
      payment.run(importId, now, id);
      close.run(now, importId, id);
    }
    this.db.prepare('UPDATE imports SET closed = closed + ? WHERE id = ?').run(ids.length, importId);
  }

  /** The newest import of a source, if any. */
  latestImport(source: string): PastImport | undefined {
    return this.db
      .prepare<[string], PastImport>(
        `SELECT id, file_size AS fileSize, file_sha256 AS sha256, settings_hash AS settingsHash, imported_at AS importedAt, rows, rejected
         FROM imports WHERE source = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(source);
  }

  /** Records an import of one file; counts are filled in by finishImport. */
  startImport(runId: number, source: string, file: string, mode: 'snapshot' | 'partial', settingsHash: string, now: string): number {
    const info = this.db
      .prepare(
        `INSERT INTO imports (run_id, source, file, file_size, file_sha256, settings_hash, mode, imported_at)
         VALUES (?, ?, ?, 0, '', ?, ?, ?)`,
      )
      .run(runId, source, file, settingsHash, mode, now);
    return Number(info.lastInsertRowid);
  }

  /** Stores what an import of one file found. */
  finishImport(importId: number, fileSize: number, sha256: string, counts: ImportCounts): void {
    this.db
      .prepare(
        `UPDATE imports SET file_size = ?, file_sha256 = ?, rows = ?, new = ?, updated = ?, closed = ?, unchanged = ?, rejected = ?
         WHERE id = ?`,
      )
      .run(fileSize, sha256, counts.rows, counts.new, counts.updated, counts.closed, counts.unchanged, counts.rejected, importId);
  }
}

/** Writes the ROW_VALUES of one case into `values` from `at` on (arrays reused, and spread into the call). */
function putRowValues(values: unknown[], at: number, order: Omit<OrderLine, 'extra'>, extraJson: string): void {
  values[at] = order.orderId;
  values[at + 1] = order.dueDate;
  values[at + 2] = order.email;
  values[at + 3] = order.emailKey;
  values[at + 4] = order.firstName;
  values[at + 5] = order.lastName;
  values[at + 6] = order.product;
  values[at + 7] = order.currency;
  values[at + 8] = order.openMinor;
  values[at + 9] = order.paidMinor;
  values[at + 10] = order.openMinor;
  values[at + 11] = order.token;
  values[at + 12] = order.localeHint;
  values[at + 13] = extraJson;
}
