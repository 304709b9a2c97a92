import { hostname } from 'node:os';
import type pg from 'pg';
import type { LockHolder, Locks } from '../../app/ports.js';
import { DunningError, ExitCode } from '../../core/errors.js';
import { LOCK_SPACE, lockKey, type PgDb } from './connection.js';

const HOLDER = 'SELECT run_id AS "runId", pid, host, since FROM locks WHERE name = $1';

/**
 * Locks as PostgreSQL session advisory locks, each held by a connection of its own for as long as
 * the run holds it. The server drops the lock when that session ends, however the process ended
 * (a kill, a crash, a host gone off the network once the server notices): there is never a stale
 * lock to take over. The `locks` row beside it only names the holder for the message of a run
 * that finds the lock taken; a row whose advisory lock nobody holds was left by a run that died.
 */
export function pgLocks(db: PgDb, connect: () => Promise<pg.Client>): Locks & { closeAll(): Promise<void> } {
  const held = new Map<string, pg.Client>();
  return {
    acquire: async (name, me) => {
      const client = await connect();
      try {
        const row = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [LOCK_SPACE, lockKey(name)]);
        if (row.rows[0]?.got !== true) throw lockedBy(name, await db.row<LockHolder>(HOLDER, [name]));
        const previous = await db.row<LockHolder>(HOLDER, [name]);
        await db.run(
          `INSERT INTO locks (name, run_id, pid, host, since) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, pid = excluded.pid, host = excluded.host, since = excluded.since`,
          [name, me.runId, me.pid, hostname(), me.since],
        );
        held.set(name, client);
        return previous ?? null;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    },
    release: async (name, runId) => {
      await db.run('DELETE FROM locks WHERE name = $1 AND run_id = $2', [name, runId]);
      const client = held.get(name);
      held.delete(name);
      // Ending the session is what releases the advisory lock; the connection is not reused.
      await client?.end().catch(() => undefined);
    },
    // A store closed without releasing its locks ends their sessions, which releases them.
    closeAll: async () => {
      for (const client of held.values()) await client.end().catch(() => undefined);
      held.clear();
    },
  };
}

function lockedBy(name: string, holder: LockHolder | undefined): DunningError {
  const who = holder === undefined ? 'another run (starting up)' : `run ${holder.runId} (pid ${holder.pid} on ${holder.host}) since ${holder.since}`;
  return new DunningError(`another ${name} is running: held by ${who}`, {
    exitCode: ExitCode.locked,
    hint: 'wait for it to finish and try again (the lock goes with that run\'s database session, also when it dies)',
  });
}

/**
 * The run that holds the send lock and still runs, or null: its row names it, and the advisory lock
 * is held by some session (pg_locks shows the two keys as classid and objid).
 */
export async function liveSendRun(db: PgDb): Promise<number | null> {
  const row = await db.row<{ runId: number }>(
    `SELECT l.run_id AS "runId" FROM locks l WHERE l.name = $1 AND EXISTS (
       SELECT 1 FROM pg_locks p WHERE p.locktype = 'advisory' AND p.granted AND p.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND p.classid = $2::bigint::oid AND p.objid = $3::bigint::oid AND p.objsubid = 2)`,
    ['send', LOCK_SPACE, lockKey('send')],
  );
  return row?.runId ?? null;
}
