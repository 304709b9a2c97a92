import pg from 'pg';
import { DunningError, ExitCode } from '../../core/errors.js';
import { LOCK_SPACE, PgDb, lockKey, typeParser, withoutPassword } from './connection.js';
import { PG_MIGRATIONS, VERSION_TABLE } from './migrations.js';

/** How a PostgreSQL store is opened (the same options as SQLite's). */
export interface OpenPgOptions {
  readonly?: boolean;
  mustExist?: boolean;
}

/** The schema version a database had when opened, and has now. */
export interface SchemaVersions {
  before: number;
  now: number;
}

/** Connections per store: the plan's reader, the claims' transaction and the rest (the send lock has its own). */
const POOL_SIZE = 4;

/**
 * Connects to the database of a postgres:// URL and brings its schema up to date. The password
 * comes from the URL, PGPASSWORD or ~/.pgpass (the driver reads them); TLS as the URL's sslmode
 * says. What keeps the database from opening is a one-line error (exit 2), never a stack trace.
 */
export async function openPgDatabase(url: string, options: OpenPgOptions = {}): Promise<{ db: PgDb; schema: SchemaVersions }> {
  const location = withoutPassword(url);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, application_name: 'dunning', connectionTimeoutMillis: 15_000, types: { getTypeParser: typeParser } });
  // A connection that breaks while idle in the pool must not end the process; its next query fails instead.
  pool.on('error', () => undefined);
  const db = new PgDb(pool, location);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw cannotConnect(location, error);
  }
  try {
    const schema = await migrate(db, options);
    return { db, schema };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** What the server or the network said, as one line for the user. */
export function cannotConnect(location: string, error: unknown): DunningError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  const reasons: Record<string, [string, string]> = {
    ECONNREFUSED: ['the server refused the connection (is PostgreSQL running there, on that port?)', 'start the server, or pass --db with the right host and port'],
    ENOTFOUND: ['the host name is unknown', 'check the host name in the URL'],
    ETIMEDOUT: ['the server did not answer in time', 'check the host, the port and the firewall between'],
    '28P01': ['the password was refused', 'set the password in PGPASSWORD or ~/.pgpass (or in the URL of DUNNING_DATABASE_URL)'],
    '28000': ['the server refused this user or host', 'check the user in the URL and the server\'s pg_hba.conf'],
    '3D000': ['the database does not exist', 'create it first (createdb NAME), or pass --db with the right database name'],
  };
  const [reason, hint] = reasons[code] ?? [message, 'check the URL given with --db or DUNNING_DATABASE_URL'];
  return new DunningError(`${location}: cannot open the database: ${reason}`, { hint });
}

/**
 * Brings the schema up to date in one transaction. Two hosts opening a new database at the same
 * moment wait for each other (an advisory lock for the transaction), so it is migrated once.
 */
async function migrate(db: PgDb, options: OpenPgOptions): Promise<SchemaVersions> {
  return db.transaction(async () => {
    await db.run('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, lockKey('migrate')]);
    const before = await schemaVersion(db);
    if (before > PG_MIGRATIONS.length) {
      throw new DunningError(
        `${db.location} was written by a newer version of dunning (schema ${before}; this version knows up to ${PG_MIGRATIONS.length})`,
        { hint: 'upgrade dunning (npm install -g dunning@latest) before using this database' },
      );
    }
    if (before === 0 && (options.readonly === true || options.mustExist === true)) {
      throw new DunningError(`${db.location}: no database here yet`, { hint: 'run "dunning import FILE" first, or pass --db with the right database' });
    }
    if (options.readonly === true || before === PG_MIGRATIONS.length) return { before, now: before };
    try {
      for (let v = before; v < PG_MIGRATIONS.length; v++) await db.run(PG_MIGRATIONS[v] ?? '');
      await db.run(`UPDATE ${VERSION_TABLE} SET version = $1`, [PG_MIGRATIONS.length]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DunningError(`${db.location}: could not update the database schema: ${reason}`, { exitCode: ExitCode.internal });
    }
    return { before, now: PG_MIGRATIONS.length };
  });
}

/** The version the database is at: 0 for an empty one; another program's tables are refused. */
async function schemaVersion(db: PgDb): Promise<number> {
  const exists = await db.row<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [VERSION_TABLE]);
  if (exists?.found === true) {
    const known = await db.row<{ version: number }>(`SELECT version FROM ${VERSION_TABLE} WHERE application = 'dunning'`);
    if (known !== undefined) return known.version;
  }
  const tables = await db.row<{ n: number }>('SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema()');
  if ((tables?.n ?? 0) > 0) {
    throw new DunningError(`${db.location} is a PostgreSQL database, but not one of dunning's (it has tables of its own)`, {
      hint: 'pass --db with an empty database (createdb NAME) or one dunning wrote',
    });
  }
  return 0;
}
