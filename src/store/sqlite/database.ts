import { accessSync, closeSync, constants, existsSync, fdatasync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DunningError, storageProblem } from '../../core/errors.js';
import { MIGRATIONS } from './migrations.js';

/** The embedded SQLite database with the schema applied. */
export type Db = Database.Database;

// Marks the file as ours, so another program's SQLite database is refused instead of migrated.
const APPLICATION_ID = 0x64756e6e; // "dunn"
/** Bytes per page of a new database. */
export const PAGE_SIZE = 8192;

export interface OpenDatabaseOptions {
  /** Open an existing database without creating or migrating it. */
  readonly?: boolean;
  /** Refuse to create the database: the command needs data an import puts there. */
  mustExist?: boolean;
}

/**
 * Opens (and creates, readable by its owner only, since it holds customers' tokens) the database,
 * and brings its schema up to date. A database from a newer version of dunning is refused.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  return openDatabaseWithVersions(path, options).db;
}

/** openDatabase, telling also which schema version the file had before and has now (`db migrate`). */
export function openDatabaseWithVersions(path: string, options: OpenDatabaseOptions = {}): { db: Db; schema: { before: number; now: number } } {
  const creating = path !== ':memory:' && !existsSync(path);
  if (creating && (options.readonly === true || options.mustExist === true)) {
    throw new DunningError(`${path}: no database here yet`, { hint: 'run "dunning import FILE" first, or pass --db with the right file' });
  }
  if (creating) closeSync(openSync(path, 'wx', 0o600));
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, timeout: 10_000 });
    db.pragma('foreign_keys = ON');
    // Set before the WAL and the first table, or never: 8 KiB pages wrote 1M new cases in 5.4 s
    // against 6.1 s with the default 4 KiB, and committed them in 0.6 s against 0.75 (medians of 3).
    if (creating) db.pragma(`page_size = ${PAGE_SIZE}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A million-row import (~250 MB of pages) spills to the WAL whatever the cache; appends need few
      // hot pages. A 1M-row import peaked at 217 MiB with 24 MiB of cache and at 184-201 with 8, with
      // no measurable difference in speed (npm run bench).
      db.pragma('cache_size = -8192');
    }
    checkOwnership(db, path);
  } catch (error) {
    if (error instanceof DunningError) throw error;
    throw readOnlyProblem(path) ?? storageProblem(error, path) ?? cannotOpen(path, error);
  }
  const before = Number(db.pragma('user_version', { simple: true }));
  if (!options.readonly) migrate(db, path);
  return { db, schema: { before, now: Number(db.pragma('user_version', { simple: true })) } };
}

function cannotOpen(path: string, error: unknown): DunningError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DunningError(`${path}: cannot open the database: ${reason}`, {
    hint: 'pass --db with a dunning database, or a path where a new one may be created',
  });
}

/** SQLite says only "unable to open database file" when the file or its folder is read-only: say which. */
function readOnlyProblem(path: string): DunningError | null {
  for (const [where, what] of [[path, 'the database file'], [dirname(path), 'the folder of the database']] as const) {
    try {
      accessSync(where, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM') continue;
      const state = code === 'EROFS' ? 'is read-only' : 'is not writable for this user';
      return new DunningError(`${path}: cannot open the database: ${what} ${state} (${code})`, {
        hint: 'make the file and its folder writable for this user (SQLite writes a -wal and a -shm file beside the database), or pass --db with a writable path',
      });
    }
  }
  return null;
}

/**
 * Has a bulk write into a database that holds no cases yet go through a rollback journal instead of
 * the WAL, and returns the function that brings the WAL back. In WAL mode every page of a first
 * import is written twice (into the WAL, then checkpointed into the file): 1.4 s of a 1M-row
 * import (16.1-18.5 s -> 12.8-14.9 s when it was measured; npm run bench:import). A rollback
 * journal only keeps the pages the write changes, and a new database has almost none, so the pages
 * are written once; a killed import still leaves the database as it was (the journal rolls it
 * back). Readers wait for such an import instead of reading beside it, which costs nothing while
 * the database is empty. When another connection has the database open the switch is refused and
 * the write keeps the WAL.
 */
export function leaveWalWhileEmpty(db: Db): () => void {
  const empty = db.prepare('SELECT 1 FROM cases LIMIT 1').get() === undefined;
  if (!empty || db.pragma('journal_mode', { simple: true }) !== 'wal' || !leaveWal(db)) return () => undefined;
  const stopFlushing = flushAlong(db.name);
  return () => {
    stopFlushing();
    db.pragma('journal_mode = WAL');
  };
}

/** How often a long write into the file itself hands what it wrote so far to the disk. */
const FLUSH_EVERY_MS = 250;

/**
 * Has the disk take the pages a long write has put into the database file while it runs, until the
 * returned function stops it. With a rollback journal a first import writes ~250 MB of pages
 * unsynced, and its COMMIT then waited 0.44-0.53 s for the disk (1M rows, `strace -T`); synced
 * along the way, 0.04-0.08 s (npm run bench:import). It only makes durable what SQLite wrote
 * already, so what a crash or a kill leaves is the same as without it.
 */
function flushAlong(path: string): () => void {
  let syncing = false;
  const timer = setInterval(() => {
    const fd = flushDescriptor(path);
    if (fd === undefined) clearInterval(timer);
    else if (!syncing) {
      syncing = true;
      // A failed sync costs nothing: the COMMIT syncs everything itself.
      fdatasync(fd, () => (syncing = false));
    }
  }, FLUSH_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One read-only descriptor per database file for flushAlong, opened at its first tick (a write
 * shorter than that opens none) and never closed: closing any descriptor of a file drops every
 * POSIX lock the process holds on it, SQLite's own included (sqlite.org/howtocorrupt.html, 2.2).
 */
const flushDescriptors = new Map<string, number | undefined>();

function flushDescriptor(path: string): number | undefined {
  if (!flushDescriptors.has(path)) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
    } catch {
      fd = undefined;
    }
    flushDescriptors.set(path, fd);
  }
  return flushDescriptors.get(path);
}

/** Switches to a rollback journal unless another connection has the database open (then SQLite refuses: busy). */
function leaveWal(db: Db): boolean {
  const timeout = Number(db.pragma('busy_timeout', { simple: true }));
  // Waiting would not help: the other connection may be a long run; the import then keeps the WAL.
  db.pragma('busy_timeout = 0');
  try {
    return db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch (error) {
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) return false;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

function checkOwnership(db: Db, path: string): void {
  const appId = Number(db.pragma('application_id', { simple: true }));
  const version = Number(db.pragma('user_version', { simple: true }));
  const tables = Number(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get());
  if (appId !== APPLICATION_ID && (version !== 0 || tables !== 0)) {
    throw new DunningError(`${path} is an SQLite database, but not one of dunning's`, { hint: 'pass --db with another file name' });
  }
  if (version > MIGRATIONS.length) {
    throw new DunningError(
      `${path} was written by a newer version of dunning (schema ${version}; this version knows up to ${MIGRATIONS.length})`,
      { hint: 'upgrade dunning (npm install -g dunning@latest) before using this database' },
    );
  }
}

function migrate(db: Db, path: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version >= MIGRATIONS.length) return;
  const apply = db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] ?? '');
    }
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`${broken.length} ${broken.length === 1 ? 'row refers' : 'rows refer'} to a row that does not exist`);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  // Rebuilding a table others refer to needs foreign keys off (dropping the old one would fail
  // otherwise); they are checked once before the commit instead (SQLite's ALTER TABLE procedure).
  db.pragma('foreign_keys = OFF');
  try {
    apply.immediate();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DunningError(`${path}: could not update the database schema: ${reason}`, { exitCode: 4 });
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
