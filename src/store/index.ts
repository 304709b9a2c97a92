import type { StoreOpener } from '../app/ports.js';
import { openSqliteStore } from './sqlite/index.js';

/** Opens the store `--db` names: a SQLite file (the only adapter so far). */
export const openStore: StoreOpener = (location, options) => openSqliteStore(location, options);
