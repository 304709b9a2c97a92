import type { OpenStoreOptions, Store } from '../../app/ports.js';
import { sqliteCaseLookup } from './cases.js';
import { sqliteCustomerBook } from './customers.js';
import { openDatabaseWithVersions } from './database.js';
import { sqliteImportStore } from './import-session.js';
import { sqliteLocks } from './locks.js';
import { sqliteMessageLog } from './messages.js';
import { sqlitePlanSource } from './plan-source.js';
import { sqlitePromoCodes } from './promos.js';
import { sqliteReportSource } from './report.js';
import { sqliteRunLog } from './runs.js';
import { sqliteSuppressionList } from './suppressions.js';
import { sqliteTables } from './tables.js';

/**
 * The SQLite adapter of the store ports: one file beside the config, created readable by its owner
 * only (it holds customers' tokens), its schema brought up to date when opened. `:memory:` is a
 * database that vanishes with the process (a dry run in a folder without one).
 */
export async function openSqliteStore(path: string, options: OpenStoreOptions = {}): Promise<Store> {
  const { db, schema } = openDatabaseWithVersions(path, options);
  return {
    location: path,
    runs: sqliteRunLog(db),
    imports: sqliteImportStore(db),
    plan: sqlitePlanSource(db),
    cases: sqliteCaseLookup(db),
    customers: sqliteCustomerBook(db),
    messages: sqliteMessageLog(db),
    promos: sqlitePromoCodes(db),
    suppressions: sqliteSuppressionList(db),
    report: sqliteReportSource(db),
    locks: sqliteLocks(db),
    tables: sqliteTables(db, schema),
    close: async () => {
      db.close();
    },
  };
}
