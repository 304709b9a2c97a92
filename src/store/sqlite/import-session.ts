import Database, { type Statement } from 'better-sqlite3';
import type { CaseUpdate, ImportCounts, ImportSession, ImportStore, NewCase, PastImport } from '../../app/ports.js';
import type { KnownCase, StoredOrder } from '../../core/cases.js';
import type { CustomerType } from '../../core/customer-type.js';
import { leaveWalWhileEmpty, type Db } from './database.js';

interface KnownRow {
  id: number;
  status: KnownCase['status'];
  closed_reason: KnownCase['closedReason'];
  due_at: string | null;
  email: string;
  first_name: string;
  last_name: string;
  product: string;
  open_minor: number;
  paid_minor: number;
  currency: string;
  token: string | null;
  locale_hint: string | null;
  pay_link: string | null;
  customer_type: CustomerType | null;
  extra: string;
}

/**
 * New cases per INSERT. better-sqlite3 spends ~0.75 µs on each call whatever it binds; one call for
 * 50 rows took a 1M-row insert from 4.0-5.4 s to 3.4-3.5 s alone (npm run bench:import).
 */
const CASES_PER_INSERT = 50;

/** The values of one case that differ from row to row, in the column order of INSERT_COLUMNS. */
const ROW_VALUES = '(@source, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \'open\', @now, @importId, @importId)';
const VALUES_PER_ROW = 17;
const INSERT_COLUMNS = `(source, order_id, due_date, due_at, email, email_key, first_name, last_name, product, currency,
  open_minor, paid_minor, first_open_minor, token, locale_hint, extra, pay_link, customer_type, status, opened_at, first_import_id, updated_import_id)`;

/** Imports into SQLite: each in one `BEGIN IMMEDIATE` transaction. */
export function sqliteImportStore(db: Db): ImportStore {
  return {
    begin: async ({ bulk }) => {
      // A first import of a large file writes its pages once, through a rollback journal (database.ts).
      const restore = bulk ? leaveWalWhileEmpty(db) : () => undefined;
      db.exec('BEGIN IMMEDIATE');
      return new SqliteImportSession(db, restore);
    },
  };
}

/** The statements of one import, prepared once: the import runs them once per row. */
class SqliteImportSession implements ImportSession {
  private readonly findStmt: Statement<[string, string, string], KnownRow>;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly paymentStmt: Statement;
  private insertManyStmt: Statement | undefined;
  private readonly oneValues: unknown[] = new Array<unknown>(VALUES_PER_ROW);
  private readonly manyValues: unknown[] = new Array<unknown>(CASES_PER_INSERT * VALUES_PER_ROW);

  constructor(
    private readonly db: Db,
    private readonly restore: () => void,
  ) {
    this.findStmt = db.prepare(
      `SELECT id, status, closed_reason, due_at, email, first_name, last_name, product, open_minor, paid_minor, currency, token, locale_hint, pay_link, customer_type, extra
       FROM cases WHERE source = ? AND order_id = ? AND due_date = ?`,
    );
    this.insertStmt = db.prepare(`INSERT INTO cases ${INSERT_COLUMNS} VALUES ${ROW_VALUES}`);
    this.updateStmt = db.prepare(
      `UPDATE cases SET due_at = ?, email = ?, email_key = ?, first_name = ?, last_name = ?, product = ?, currency = ?, open_minor = ?,
         paid_minor = ?, token = ?, locale_hint = ?, extra = ?, pay_link = ?, customer_type = ?, status = ?, closed_reason = ?,
         closed_at = CASE WHEN ? = 'open' THEN NULL WHEN status = ? THEN closed_at ELSE ? END, updated_import_id = ?
       WHERE id = ?`,
    );
    this.paymentStmt = db.prepare('INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) VALUES (?, ?, ?, ?, ?)');
  }

  async latestImport(source: string): Promise<PastImport | undefined> {
    return (
      this.db
        .prepare<[string], PastImport>(
          `SELECT id, file_size AS fileSize, file_sha256 AS sha256, settings_hash AS settingsHash, imported_at AS importedAt, rows, rejected
           FROM imports WHERE source = ? ORDER BY id DESC LIMIT 1`,
        )
        .get(source)
    );
  }

  async hasCases(source: string): Promise<boolean> {
    return (this.db.prepare<[string], number>('SELECT 1 FROM cases WHERE source = ? LIMIT 1').pluck().get(source) !== undefined);
  }

  async countOpen(source: string): Promise<number> {
    return (this.db.prepare<[string], number>("SELECT count(*) FROM cases WHERE source = ? AND status = 'open'").pluck().get(source) ?? 0);
  }

  async startImport(runId: number, source: string, file: string, mode: 'snapshot' | 'partial', settingsHash: string, at: string): Promise<number> {
    const info = this.db
      .prepare(`INSERT INTO imports (run_id, source, file, file_size, file_sha256, settings_hash, mode, imported_at) VALUES (?, ?, ?, 0, '', ?, ?, ?)`)
      .run(runId, source, file, settingsHash, mode, at);
    return (Number(info.lastInsertRowid));
  }

  async finishImport(importId: number, fileSize: number, sha256: string, counts: ImportCounts): Promise<void> {
    this.db
      .prepare(`UPDATE imports SET file_size = ?, file_sha256 = ?, rows = ?, new = ?, updated = ?, closed = ?, unchanged = ?, rejected = ? WHERE id = ?`)
      .run(fileSize, sha256, counts.rows, counts.new, counts.updated, counts.closed, counts.unchanged, counts.rejected, importId);
      }

  async findCases(source: string, keys: readonly { orderId: string; dueDate: string }[]): Promise<(KnownCase | undefined)[]> {
    return (keys.map((k) => this.find(source, k.orderId, k.dueDate)));
  }

  async addCases(source: string, cases: readonly NewCase[], importId: number, at: string): Promise<(number | undefined)[]> {
    const ids: (number | undefined)[] = [];
    let start = 0;
    for (; start + CASES_PER_INSERT <= cases.length; start += CASES_PER_INSERT) ids.push(...this.insertMany(source, cases.slice(start, start + CASES_PER_INSERT), importId, at));
    for (; start < cases.length; start++) {
      const c = cases[start];
      if (c !== undefined) ids.push(this.insertOne(source, c.order, c.extraJson, importId, at));
    }
    return (ids);
  }

  async updateCases(updates: readonly CaseUpdate[], importId: number, at: string): Promise<void> {
    for (const u of updates) {
      const o = u.order;
      this.updateStmt.run(
        o.dueAt, o.email, o.emailKey, o.firstName, o.lastName, o.product, o.currency, o.openMinor, o.paidMinor, o.token, o.localeHint, u.extraJson, o.payLink ?? null, o.customerType ?? null,
        u.status, u.closedReason, u.status, u.status, at, importId, u.known.id,
      );
      if (u.paymentMinor > 0) this.paymentStmt.run(u.known.id, importId, u.paymentMinor, u.status === 'paid' ? 'in_full' : 'partial', at);
    }
      }

  async openCasesNotIn(source: string, listed: { has(id: number): boolean }): Promise<number[]> {
    const missing: number[] = [];
    for (const id of this.db.prepare<[string], number>("SELECT id FROM cases WHERE source = ? AND status = 'open'").pluck().iterate(source)) {
      if (!listed.has(id)) missing.push(id);
    }
    return (missing);
  }

  async findOrderCases(source: string, orderId: string): Promise<{ id: number; status: KnownCase['status'] }[]> {
    return this.db.prepare<[string, string], { id: number; status: KnownCase['status'] }>('SELECT id, status FROM cases WHERE source = ? AND order_id = ? ORDER BY id').all(source, orderId);
  }

  async closeOrderCases(caseIds: readonly number[], as: 'paid' | 'cancelled', importId: number, at: string): Promise<void> {
    const payment = this.db.prepare(
      `INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) SELECT id, ?, open_minor, 'in_full', ? FROM cases WHERE id = ? AND status = 'open'`,
    );
    const close = this.db.prepare(`UPDATE cases SET status = ?, closed_reason = ?, closed_at = ?, updated_import_id = ? WHERE id = ? AND status = 'open'`);
    for (const id of caseIds) {
      if (as === 'paid') payment.run(importId, at, id);
      close.run(as, as === 'paid' ? 'paid_in_full' : 'cancelled', at, importId, id);
    }
  }

  async closeMissing(caseIds: readonly number[], importId: number, at: string): Promise<void> {
    const payment = this.db.prepare(
      `INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) SELECT id, ?, open_minor, 'missing_from_snapshot', ? FROM cases WHERE id = ?`,
    );
    const close = this.db.prepare(`UPDATE cases SET status = 'paid', closed_reason = 'missing_from_snapshot', closed_at = ?, updated_import_id = ? WHERE id = ?`);
    for (const id of caseIds) {
      payment.run(importId, at, id);
      close.run(at, importId, id);
    }
    this.db.prepare('UPDATE imports SET closed = closed + ? WHERE id = ?').run(caseIds.length, importId);
      }

  async commit(): Promise<void> {
    this.end('COMMIT');
  }

  async rollback(): Promise<void> {
    this.end('ROLLBACK');
  }

  private end(statement: 'COMMIT' | 'ROLLBACK'): void {
    try {
      if (this.db.inTransaction) this.db.exec(statement);
    } finally {
      this.restore();
    }
  }

  private find(source: string, orderId: string, dueDate: string): KnownCase | undefined {
    const row = this.findStmt.get(source, orderId, dueDate);
    if (row === undefined) return undefined;
    return {
      id: row.id, status: row.status, closedReason: row.closed_reason, dueAt: row.due_at, email: row.email, firstName: row.first_name, lastName: row.last_name,
      product: row.product, openMinor: row.open_minor, paidMinor: row.paid_minor, currency: row.currency, token: row.token, localeHint: row.locale_hint,
      payLink: row.pay_link, customerType: row.customer_type, extraJson: row.extra,
    };
  }

  /** Adds one case; undefined when its key is taken (the run lists that order and due date twice). */
  private insertOne(source: string, order: StoredOrder, extraJson: string, importId: number, now: string): number | undefined {
    putRowValues(this.oneValues, 0, order, extraJson);
    try {
      return Number(this.insertStmt.run(...this.oneValues, { source, now, importId }).lastInsertRowid);
    } catch (error) {
      // SQLite has undone the statement that broke the key (source, order ID, due date).
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
      throw error;
    }
  }

  /** Adds exactly CASES_PER_INSERT cases in one statement; undefined for each row whose key was taken. */
  private insertMany(source: string, cases: readonly NewCase[], importId: number, now: string): (number | undefined)[] {
    // OR IGNORE: a statement that may abort half-way keeps a journal of its own (8x the file writes of
    // a 1M-row import, +0.4 s of system time); a repeat is skipped instead and found below.
    this.insertManyStmt ??= this.db.prepare(`INSERT OR IGNORE INTO cases ${INSERT_COLUMNS} VALUES ${Array<string>(CASES_PER_INSERT).fill(ROW_VALUES).join(', ')}`);
    const values = this.manyValues;
    cases.forEach(({ order, extraJson }, i) => putRowValues(values, i * VALUES_PER_ROW, order, extraJson));
    // Spread, not an array: better-sqlite3 reads an array argument element by element, which was slower.
    const { changes, lastInsertRowid } = this.insertManyStmt.run(...values, { source, now, importId });
    // SQLite gives each new row the largest id plus one, so this statement's rows have the ids from `first` on.
    const first = changes === 0 ? Infinity : Number(lastInsertRowid) - changes + 1;
    if (changes === cases.length) return cases.map((_, i) => first + i);
    // Some rows were skipped: which rows got which new case, and which repeat a key written before.
    const claimed = new Set<number>();
    return cases.map(({ order }) => {
      const id = this.findStmt.get(source, order.orderId, order.dueDate)?.id;
      if (id === undefined) throw new Error(`the case of order "${order.orderId}" due ${order.dueDate} was neither written nor found`);
      if (id < first || claimed.has(id)) return undefined;
      claimed.add(id);
      return id;
    });
  }
}

/** Writes the ROW_VALUES of one case into `values` from `at` on (arrays reused, and spread into the call). */
function putRowValues(values: unknown[], at: number, order: StoredOrder, extraJson: string): void {
  values[at] = order.orderId;
  values[at + 1] = order.dueDate;
  values[at + 2] = order.dueAt;
  values[at + 3] = order.email;
  values[at + 4] = order.emailKey;
  values[at + 5] = order.firstName;
  values[at + 6] = order.lastName;
  values[at + 7] = order.product;
  values[at + 8] = order.currency;
  values[at + 9] = order.openMinor;
  values[at + 10] = order.paidMinor;
  values[at + 11] = order.openMinor;
  values[at + 12] = order.token;
  values[at + 13] = order.localeHint;
  values[at + 14] = extraJson;
  values[at + 15] = order.payLink ?? null;
  values[at + 16] = order.customerType ?? null;
}
