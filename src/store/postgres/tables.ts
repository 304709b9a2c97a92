import type { SchemaVersions, StoreTables } from '../../app/ports.js';
import { DunningError } from '../../core/errors.js';
import { TABLES, checkCounts, tableShape, type TableShape } from '../tables.js';
import { ident, type PgDb } from './connection.js';

/** Rows per batch read; and at most this many values per INSERT (PostgreSQL takes 65,535 parameters). */
const READ_BATCH = 5_000;
const VALUES_PER_INSERT = 60_000;

/** The tables of a PostgreSQL store as plain rows: `db copy` writes a shop's history into them. */
export function pgTables(db: PgDb, schema: SchemaVersions): StoreTables {
  return {
    schema,
    names: () => TABLES.map((t) => t.name),
    count: async (table) => (await db.row<{ n: number }>(`SELECT count(*) AS n FROM ${ident(tableShape(table).name)}`))?.n ?? 0,
    read: (table) => readTable(db, tableShape(table)),
    isEmpty: async () => {
      for (const t of TABLES) if ((await db.row(`SELECT 1 FROM ${ident(t.name)} LIMIT 1`)) !== undefined) return false;
      return true;
    },
    fill: (rows, expected) =>
      db.transaction(async () => {
        // Nobody writes while the copy runs, and a second copy into the same database waits and then finds it full.
        await db.run(`LOCK TABLE ${TABLES.map((t) => ident(t.name)).join(', ')} IN EXCLUSIVE MODE`);
        const counts: Record<string, number> = {};
        for (const shape of TABLES) {
          if ((await db.row(`SELECT 1 FROM ${ident(shape.name)} LIMIT 1`)) !== undefined) throw new DunningError(`${db.location}: the table ${shape.name} is not empty`);
          for await (const batch of rows(shape.name)) await insertRows(db, shape, batch);
          if (shape.numbered) await renumber(db, shape.name);
          counts[shape.name] = (await db.row<{ n: number }>(`SELECT count(*) AS n FROM ${ident(shape.name)}`))?.n ?? 0;
        }
        checkCounts(db.location, counts, expected);
        return counts;
      }),
  };
}

async function* readTable(db: PgDb, shape: TableShape): AsyncGenerator<unknown[][]> {
  const columns = shape.columns.map(ident).join(', ');
  // Tables without an id have a key of their own: order by every column for a stable order.
  const order = shape.numbered ? 'id' : columns;
  for (let offset = 0; ; offset += READ_BATCH) {
    const result = await db.pool.query<unknown[]>({ text: `SELECT ${columns} FROM ${ident(shape.name)} ORDER BY ${order} LIMIT $1 OFFSET $2`, values: [READ_BATCH, offset], rowMode: 'array' });
    if (result.rows.length > 0) yield result.rows;
    if (result.rows.length < READ_BATCH) return;
  }
}

/** Inserts rows as they are, ids included, in statements of at most VALUES_PER_INSERT values. */
async function insertRows(db: PgDb, shape: TableShape, rows: readonly unknown[][]): Promise<void> {
  const width = shape.columns.length;
  const perInsert = Math.max(1, Math.floor(VALUES_PER_INSERT / width));
  for (let start = 0; start < rows.length; start += perInsert) {
    const chunk = rows.slice(start, start + perInsert);
    const tuples = chunk.map((_, r) => `(${shape.columns.map((_c, c) => `$${r * width + c + 1}`).join(', ')})`);
    await db.run(`INSERT INTO ${ident(shape.name)} (${shape.columns.map(ident).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`, chunk.flat() as never[]);
  }
}

/** Moves the numbering of a table's ids past the ones copied in, so the next row gets the next id. */
async function renumber(db: PgDb, table: string): Promise<void> {
  await db.run(`SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM ${ident(table)}), 0) + 1, false)`, [table]);
}
