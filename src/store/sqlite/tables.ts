import type { SchemaVersions, StoreTables } from '../../app/ports.js';
import { DunningError } from '../../core/errors.js';
import { TABLES, checkCounts, tableShape } from '../tables.js';
import type { Db } from './database.js';

/** Rows per batch a table is read in. */
const READ_BATCH = 5_000;

/** The tables of a SQLite store as plain rows (`db copy` in either direction). */
export function sqliteTables(db: Db, schema: SchemaVersions): StoreTables {
  return {
    schema,
    names: () => TABLES.map((t) => t.name),
    count: async (table) => Number(db.prepare(`SELECT count(*) FROM ${tableShape(table).name}`).pluck().get()),
    read: (table) => readTable(db, table),
    isEmpty: async () => TABLES.every((t) => db.prepare(`SELECT 1 FROM ${t.name} LIMIT 1`).get() === undefined),
    fill: async (rows, expected) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const counts: Record<string, number> = {};
        for (const shape of TABLES) {
          if (db.prepare(`SELECT 1 FROM ${shape.name} LIMIT 1`).get() !== undefined) throw new DunningError(`${db.name}: the table ${shape.name} is not empty`);
          const insert = db.prepare(`INSERT INTO ${shape.name} (${shape.columns.join(', ')}) VALUES (${shape.columns.map(() => '?').join(', ')})`);
          for await (const batch of rows(shape.name)) for (const row of batch) insert.run(...row);
          counts[shape.name] = Number(db.prepare(`SELECT count(*) FROM ${shape.name}`).pluck().get());
        }
        checkCounts(db.name, counts, expected);
        db.exec('COMMIT');
        return counts;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

async function* readTable(db: Db, table: string): AsyncGenerator<unknown[][]> {
  const shape = tableShape(table);
  // By rowid (an id column is its alias): each batch starts where the last ended, in the order rows were written.
  const statement = db.prepare<[number, number], unknown[]>(`SELECT rowid, ${shape.columns.join(', ')} FROM ${shape.name} WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw();
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const batch = statement.all(after, READ_BATCH);
    if (batch.length > 0) {
      after = Number(batch[batch.length - 1]?.[0]);
      yield batch.map((row) => row.slice(1));
    }
    if (batch.length < READ_BATCH) return;
  }
}
