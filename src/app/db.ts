import { DunningError } from '../core/errors.js';
import type { SchemaVersions, Store, StoreOpener } from './ports.js';

/** What `db migrate` did: the database, and its schema version before and after. */
export interface MigrateReport extends SchemaVersions {
  location: string;
}

/** The schema version an opened store had and has: opening it brought the schema up to date. */
export function migrated(store: Store): MigrateReport {
  return { location: store.location, ...store.tables.schema };
}

/** What `db copy` copied: every table and its rows, counted in the target after the copy. */
export interface CopyReport {
  from: string;
  to: string;
  tables: { table: string; rows: number }[];
}

/**
 * Copies a shop's whole history (every table, ids kept) from one database into another that has
 * none yet, in one transaction on the target: refused before writing anything when the target
 * holds any row or the schemas differ, rolled back when the target's counts differ from the
 * source's. The source is brought up to date when it is older, and otherwise only read.
 */
export async function copyStore(openStore: StoreOpener, from: string, to: string): Promise<CopyReport> {
  if (from === to) throw new DunningError('db copy: --from and --to name the same database', { hint: 'give --to an empty database' });
  const source = await openStore(from, { mustExist: true });
  try {
    const target = await openStore(to);
    try {
      await refuseUnfit(source, target);
      const expected: Record<string, number> = {};
      for (const table of source.tables.names()) expected[table] = await source.tables.count(table);
      const counts = await target.tables.fill((table) => source.tables.read(table), expected);
      return { from: source.location, to: target.location, tables: source.tables.names().map((table) => ({ table, rows: counts[table] ?? 0 })) };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

async function refuseUnfit(source: Store, target: Store): Promise<void> {
  if (!(await target.tables.isEmpty())) {
    throw new DunningError(`${target.location} already holds data: db copy writes only into an empty database`, {
      hint: 'create a new database for it (createdb NAME), or pass --to with another one',
    });
  }
  if (source.tables.schema.now !== target.tables.schema.now) {
    throw new DunningError(`${source.location} (schema ${source.tables.schema.now}) and ${target.location} (schema ${target.tables.schema.now}) differ`, {
      hint: 'run the same version of dunning on both',
    });
  }
}
