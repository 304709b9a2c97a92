import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { importExports } from '../../src/app/import.js';
import type { AppConfig } from '../../src/app/plan.js';
import type { Store } from '../../src/app/ports.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { openStore } from '../../src/store/index.js';
import { query } from './db.js';
import { csvRow, elopageCsv, type OrderRow } from './exports.js';
import { createPgDatabase, pgQuery, type Adapter } from './pg.js';

/** A real store (a SQLite file in a temp folder), with a config like a merchant's. */
export interface TestStore {
  dir: string;
  path: string;
  store: Store;
  config: AppConfig;
  /** Imports rows through the real import at `now`; returns the import's run id. */
  importRows(rows: readonly OrderRow[], now: Date): Promise<number>;
  /** A run row, as every command writes one. */
  newRun(command: string, now: Date): Promise<number>;
  /** Reads rows from the database file (read only). */
  query<T>(sql: string, ...params: unknown[]): T[];
  /** Changes the database file as another program would, through a connection of its own. */
  write(sql: string, ...params: unknown[]): void;
  /** Reads rows through a connection of its own, on either adapter (`?` placeholders). */
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Changes the database as another program would, on either adapter (`?` placeholders). */
  exec(sql: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** A config as the schema fills it in, over a valid one with a real-looking manage link. */
export function testConfig(config: Record<string, unknown> = {}): AppConfig {
  const parsed = ConfigSchema.parse({
    timeZone: 'Europe/Berlin',
    manageLink: 'https://pay.yoga-sonne.de/payment/{token}/manage',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
    ...config,
  });
  return { ...parsed, timeZone: parsed.timeZone ?? 'Europe/Berlin' };
}

/** Opens a fresh store; `config` is merged over a valid config with a real-looking manage link. */
export async function openTestStore(config: Record<string, unknown> = {}, adapter: Adapter = 'sqlite'): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-store-'));
  const server = adapter === 'postgres' ? await createPgDatabase() : undefined;
  const path = server?.url ?? join(dir, 'dunning.db');
  const store = await openStore(path);
  const full = testConfig(config);
  let files = 0;
  return {
    dir,
    path,
    store,
    config: full,
    newRun: (command, now) => store.runs.start(command, [command], now),
    async importRows(rows, now) {
      const file = join(dir, `export-${++files}.csv`);
      writeFileSync(file, elopageCsv(rows.map(csvRow)));
      const runId = await store.runs.start('import', ['import'], now);
      await importExports(
        { store, config: full, runId, now },
        { files: [file], preset: 'auto', encoding: 'auto', delimiter: 'auto', mode: undefined, source: undefined, strict: true, dryRun: false, force: true, rejectsPath: undefined },
        { onProblems: () => undefined },
      );
      return runId;
    },
    query: <T>(sql: string, ...params: unknown[]): T[] => query(path, sql, ...params) as T[],
    write: (sql, ...params) => sqliteWrite(path, sql, params),
    all: async <T>(sql: string, ...params: unknown[]): Promise<T[]> => (server === undefined ? (query(path, sql, ...params) as T[]) : pgQuery<T>(path, sql, ...params)),
    exec: async (sql, ...params) => {
      if (server !== undefined) await pgQuery(path, sql, ...params);
      else sqliteWrite(path, sql, params);
    },
    async close() {
      await store.close();
      await server?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function sqliteWrite(path: string, sql: string, params: unknown[]): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}
