import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DunningError } from '../../src/core/errors.js';
import { openDatabase, PAGE_SIZE, type Db } from '../../src/store/sqlite/database.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';

const APPLICATION_ID = 0x64756e6e;

/** A database as dunning's schema `version` left it, with a run, an import, two cases, a payment and a claimed message. */
function databaseAt(path: string, version: number, options: { orphanPayment?: boolean } = {}): void {
  const db = new Database(path);
  for (const sql of MIGRATIONS.slice(0, version)) db.exec(sql);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma(`user_version = ${version}`);
  db.exec(`
    INSERT INTO runs (id, command, args, started_at, pid, host) VALUES (1, 'import', '[]', '2026-11-01T08:00:00Z', 1, 'h');
    INSERT INTO imports (id, run_id, source, file, file_size, file_sha256, settings_hash, mode, imported_at)
      VALUES (1, 1, 'elopage', 'a.csv', 10, 'x', 'y', 'snapshot', '2026-11-01T08:00:00Z');
    INSERT INTO cases (id, source, order_id, due_date, email, email_key, first_name, currency, open_minor, paid_minor, first_open_minor,
      token, extra, status, opened_at, first_import_id, updated_import_id, snoozed_until)
      VALUES (7, 'elopage', '4711', '2026-11-01', 'Eve@Example.com', 'eve@example.com', 'Eve', 'EUR', 4900, 100, 5000,
        'tok-7', '{"Zahlungsart":"PayPal"}', 'open', '2026-11-01T08:00:00Z', 1, 1, '2026-12-01'),
      (9, 'elopage', '4712', '2026-11-01', 'bob@example.com', 'bob@example.com', 'Bob', 'EUR', 0, 5000, 5000,
        NULL, '{}', 'paid', '2026-11-01T08:00:00Z', 1, 1, NULL);
    INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) VALUES (9, 1, 5000, 'in_full', '2026-11-02T08:00:00Z');
    INSERT INTO messages (id, run_id, email_key, stage, channel, template, recipient, state, message_id, created_at, updated_at)
      VALUES (1, 1, 'eve@example.com', 'reminder', 'smtp', 'reminder', 'Eve@Example.com', 'sent', '<m1@x>', '2026-11-02T08:00:00Z', '2026-11-02T08:00:00Z');
    INSERT INTO message_cases (message_id, case_id, stage) VALUES (1, 7, 'reminder');
  `);
  if (options.orphanPayment === true) {
    db.pragma('foreign_keys = OFF');
    db.exec("INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) VALUES (999, 1, 1, 'partial', '2026-11-02T08:00:00Z')");
  }
  db.close();
}

describe('migration 4: the cases table with its status rule as comparisons', () => {
  let temp: TempDir | undefined;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    db = undefined;
    temp?.remove();
  });

  it('keeps every case, payment and claim of a schema-3 database, and the rules on cases', () => {
    temp = makeTempDir('migrate');
    const path = temp.file('dunning.db');
    databaseAt(path, 3);
    const before = new Database(path, { readonly: true });
    const casesBefore = before.prepare('SELECT * FROM cases ORDER BY id').all();
    before.close();

    db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // Later migrations add columns (due_at, issue 19; pay_link, issue 18; customer_type, issue 24) with nothing in them for the old cases.
    expect(db.prepare('SELECT * FROM cases ORDER BY id').all()).toEqual(casesBefore.map((c) => ({ due_at: null, pay_link: null, customer_type: null, ...(c as object) })));
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const sql = String(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'cases'").pluck().get());
    expect(sql).not.toMatch(/status IN/);

    // The status rule, the unique key and the references hold as before.
    const insert = (status: string, orderId: string) =>
      db?.prepare(`INSERT INTO cases (source, order_id, due_date, email, email_key, currency, open_minor, first_open_minor, status, opened_at, first_import_id, updated_import_id)
        VALUES ('elopage', ?, '2026-11-01', 'a@example.com', 'a@example.com', 'EUR', 1, 1, ?, '2026-11-01T08:00:00Z', 1, 1)`).run(orderId, status);
    expect(() => insert('refunded', '1')).toThrow(/CHECK constraint failed/);
    expect(() => insert('open', '4711')).toThrow(/UNIQUE constraint failed/);
    expect(() => insert('cancelled', '2')).not.toThrow();
    expect(() => db?.prepare("INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) VALUES (12345, 1, 1, 'partial', 'x')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db?.prepare('DELETE FROM cases WHERE id = 9').run()).toThrow(/FOREIGN KEY/);
  });

  it('makes a new database with 8 KiB pages in WAL mode, and leaves the pages of an existing one as they are', () => {
    temp = makeTempDir('migrate');
    db = openDatabase(temp.file('new.db'));
    expect(PAGE_SIZE).toBe(8192);
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();

    const old = temp.file('old.db');
    databaseAt(old, 3);
    const before = new Database(old, { readonly: true });
    const pageBefore = Number(before.pragma('page_size', { simple: true }));
    before.close();
    expect(pageBefore).toBe(4096);
    db = openDatabase(old);
    expect(db.pragma('page_size', { simple: true })).toBe(pageBefore);
  });

  it('refuses to migrate a database whose rows refer to missing cases, and leaves it as it was (exit 4)', () => {
    temp = makeTempDir('migrate');
    const path = temp.file('dunning.db');
    databaseAt(path, 3, { orphanPayment: true });
    let error: unknown;
    try {
      openDatabase(path).close();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DunningError);
    expect((error as DunningError).message).toMatch(/could not update the database schema: 1 row refers to a row that does not exist/);
    expect((error as DunningError).exitCode).toBe(4);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(3);
    expect(String(after.prepare("SELECT sql FROM sqlite_schema WHERE name = 'cases'").pluck().get())).toMatch(/status IN/);
    after.close();
  });
});
