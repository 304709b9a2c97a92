import { hostname } from 'node:os';
import type { LockHolder, Locks } from '../../app/ports.js';
import { DunningError, ExitCode } from '../../core/errors.js';
import type { Db } from './database.js';

/** Whether a process of this host still runs; EPERM means it runs under another user. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/**
 * Locks in the `locks` table. A lock whose run has ended, or whose process no longer runs on this
 * host, was left by a killed run: it is taken over and its holder returned.
 */
export function sqliteLocks(db: Db, alive: (pid: number) => boolean = processAlive): Locks {
  return {
    acquire: async (name, me) => acquire(db, name, me, alive),
    release: async (name, runId) => {
      db.prepare('DELETE FROM locks WHERE name = ? AND run_id = ?').run(name, runId);
    },
  };
}

function acquire(db: Db, name: string, me: Omit<LockHolder, 'host'>, alive: (pid: number) => boolean): LockHolder | null {
  const host = hostname();
  return db
    .transaction((): LockHolder | null => {
      const holder = db.prepare<[string], LockHolder>('SELECT run_id AS runId, pid, host, since FROM locks WHERE name = ?').get(name);
      if (holder !== undefined && !isAbandoned(db, holder, host, alive)) {
        throw new DunningError(`another ${name} is running: held by run ${holder.runId} (pid ${holder.pid} on ${holder.host}) since ${holder.since}`, {
          exitCode: ExitCode.locked,
          hint:
            holder.host === host
              ? 'wait for it to finish and try again'
              : `if that run on ${holder.host} is dead, delete its lock: sqlite3 DB "DELETE FROM locks WHERE name = '${name}'"`,
        });
      }
      db.prepare('INSERT OR REPLACE INTO locks (name, run_id, pid, host, since) VALUES (?, ?, ?, ?, ?)').run(name, me.runId, me.pid, host, me.since);
      return holder ?? null;
    })
    .immediate();
}

function isAbandoned(db: Db, holder: LockHolder, host: string, alive: (pid: number) => boolean): boolean {
  const ended = db.prepare('SELECT ended_at FROM runs WHERE id = ?').pluck().get(holder.runId);
  if (ended !== undefined && ended !== null) return true;
  // Another host's processes cannot be looked at from here.
  return holder.host === host && !alive(holder.pid);
}

/**
 * The run that holds the send lock and still runs, or null: a message `sending` of any other run
 * was left by a run that died, and may or may not have gone out.
 */
export function liveSendRun(db: Db, alive: (pid: number) => boolean = processAlive): number | null {
  const holder = db.prepare<[string], LockHolder>('SELECT run_id AS runId, pid, host, since FROM locks WHERE name = ?').get('send');
  return holder === undefined || isAbandoned(db, holder, hostname(), alive) ? null : holder.runId;
}
