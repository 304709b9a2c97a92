import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DunningError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/index.js';
import { withoutPassword } from '../../src/store/postgres/connection.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { TABLES } from '../../src/store/tables.js';
import { createPgDatabase, describePg, pgQuery, type PgTestDatabase } from '../support/pg.js';

/** Table name -> its column names, sorted: what both adapters' schemas must agree on. */
type Shape = Record<string, string[]>;

const EXPECTED: Shape = Object.fromEntries(TABLES.map((t) => [t.name, [...t.columns].sort()]));

describe('the schema both adapters share (src/store/tables.ts)', () => {
  it('is what the SQLite migrations make: the same tables, the same columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dunning-schema-'));
    try {
      const path = join(dir, 'dunning.db');
      await (await openStore(path)).close();
      const db = new Database(path, { readonly: true });
      const tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all();
      const shape: Shape = Object.fromEntries(tables.map((t) => [t, db.prepare<[], string>(`SELECT name FROM pragma_table_info('${t}')`).pluck().all().sort()]));
      db.close();
      expect(shape).toEqual(EXPECTED);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has as many PostgreSQL migrations as SQLite ones (a copied database keeps its version)', () => {
    expect(PG_MIGRATIONS).toHaveLength(MIGRATIONS.length);
  });
});

describePg('the schema', () => {
  let db: PgTestDatabase;
  beforeEach(async () => {
    db = await createPgDatabase();
  });
  afterEach(() => db.drop());

  it('is what the PostgreSQL migrations make: the same tables and columns as SQLite', async () => {
    await (await openStore(db.url)).close();
    const columns = await pgQuery<{ table_name: string; column_name: string }>(
      db.url,
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'dunning_schema'",
    );
    const shape: Shape = {};
    for (const c of columns) (shape[c.table_name] ??= []).push(c.column_name);
    for (const list of Object.values(shape)) list.sort();
    expect(shape).toEqual(EXPECTED);
  });

  it('keeps money in bigint and instants in timestamptz', async () => {
    await (await openStore(db.url)).close();
    const types = await pgQuery<{ column_name: string; data_type: string }>(
      db.url,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'cases' AND column_name IN ('open_minor', 'paid_minor', 'id', 'opened_at', 'customer_type') ORDER BY column_name",
    );
    expect(types).toEqual([
      { column_name: 'customer_type', data_type: 'text' },
      { column_name: 'id', data_type: 'bigint' },
      { column_name: 'open_minor', data_type: 'bigint' },
      { column_name: 'opened_at', data_type: 'timestamp with time zone' },
      { column_name: 'paid_minor', data_type: 'bigint' },
    ]);
  });

  it('refuses a database written by a newer dunning, and leaves it alone', async () => {
    await (await openStore(db.url)).close();
    await pgQuery(db.url, 'UPDATE dunning_schema SET version = 99');
    const error = await openStore(db.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DunningError);
    expect((error as DunningError).exitCode).toBe(2);
    expect(new URL(db.url).password).not.toBe('');
    // The message names the database without its password.
    expect((error as DunningError).message).toBe(`${withoutPassword(db.url)} was written by a newer version of dunning (schema 99; this version knows up to ${PG_MIGRATIONS.length})`);
    expect(await pgQuery(db.url, 'SELECT version FROM dunning_schema')).toEqual([{ version: 99 }]);
  });

  it("refuses another program's database and does not migrate it", async () => {
    await pgQuery(db.url, 'CREATE TABLE contacts (name text)');
    const error = await openStore(db.url).catch((e: unknown) => e);
    expect((error as DunningError).message).toMatch(/is a PostgreSQL database, but not one of dunning's/);
    expect(await pgQuery(db.url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()")).toEqual([{ n: 1 }]);
  });

  it('refuses a bigint JavaScript cannot hold exactly, rather than rounding it', async () => {
    const store = await openStore(db.url);
    try {
      await store.runs.start('import', [], new Date('2026-11-23T08:00:00Z'));
      await pgQuery(db.url, 'UPDATE runs SET exit_code = 9007199254740993');
      await expect(store.runs.list(1)).rejects.toThrow(/beyond the integers JavaScript holds exactly/);
    } finally {
      await store.close();
    }
  });

  it('gives instants back as SQLite does, ISO text in UTC with milliseconds', async () => {
    const store = await openStore(db.url);
    try {
      const at = new Date('2026-01-02T03:04:05.006Z');
      await store.runs.start('status', ['status'], at);
      expect((await store.runs.list(1))[0]?.startedAt).toBe('2026-01-02T03:04:05.006Z');
    } finally {
      await store.close();
    }
  });
});
