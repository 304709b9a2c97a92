import type { StoreOpener } from '../app/ports.js';
import { isServerUrl } from '../core/database-url.js';
import { openSqliteStore } from './sqlite/index.js';

/**
 * Opens the store `--db` names: a postgres:// or postgresql:// URL is a PostgreSQL database (its
 * adapter and driver loaded only then, so SQLite users never load them), anything else a SQLite file.
 */
export const openStore: StoreOpener = async (location, options) => {
  if (isServerUrl(location)) return (await import('./postgres/index.js')).openPgStore(location, options);
  return openSqliteStore(location, options);
};
