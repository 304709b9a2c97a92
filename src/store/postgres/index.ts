import pg from 'pg';
import type { OpenStoreOptions, Store } from '../../app/ports.js';
import { typeParser } from './connection.js';
import { pgCaseLookup } from './cases.js';
import { pgCustomerBook } from './customers.js';
import { cannotConnect, openPgDatabase } from './database.js';
import { pgImportStore } from './import-session.js';
import { pgLocks } from './locks.js';
import { pgMessageLog } from './messages.js';
import { pgPlanSource } from './plan-source.js';
import { pgPromoCodes } from './promos.js';
import { pgReportSource } from './report.js';
import { pgRunLog } from './runs.js';
import { pgSuppressionList } from './suppressions.js';
import { pgTables } from './tables.js';

/**
 * The PostgreSQL adapter of the store ports (issue 25): a database on a server that several hosts
 * share, its schema brought up to date when opened. `url` is a postgres:// or postgresql:// URL.
 */
export async function openPgStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const { db, schema } = await openPgDatabase(url, options);
  // The send lock's session: a connection of its own, outside the pool, for as long as the run holds it.
  const connectForLock = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url, application_name: 'dunning lock', types: { getTypeParser: typeParser } });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw cannotConnect(db.location, error);
    }
    return client;
  };
  const locks = pgLocks(db, connectForLock);
  return {
    location: db.location,
    runs: pgRunLog(db),
    imports: pgImportStore(db),
    plan: pgPlanSource(db),
    cases: pgCaseLookup(db),
    customers: pgCustomerBook(db),
    messages: pgMessageLog(db),
    promos: pgPromoCodes(db),
    suppressions: pgSuppressionList(db),
    report: pgReportSource(db),
    locks,
    tables: pgTables(db, schema),
    close: async () => {
      await locks.closeAll();
      await db.close();
    },
  };
}
