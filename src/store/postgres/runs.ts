import { hostname } from 'node:os';
import type { RunLog } from '../../app/ports.js';
import type { PgDb } from './connection.js';
import { toRunRecord, type RunRow } from '../rows.js';

/** The run log in the `runs` table. */
export function pgRunLog(db: PgDb): RunLog {
  return {
    start: async (command, args, at) => {
      const row = await db.row<{ id: number }>('INSERT INTO runs (command, args, started_at, pid, host) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        command, JSON.stringify(args), at.toISOString(), process.pid, hostname(),
      ]);
      return row?.id ?? 0;
    },
    finish: async (runId, at, exitCode, summary) => {
      await db.run('UPDATE runs SET ended_at = $1, exit_code = $2, summary = $3 WHERE id = $4', [at.toISOString(), exitCode, JSON.stringify(summary), runId]);
    },
    list: async (last) => (await db.rows<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT $1', [last])).map(toRunRecord),
  };
}
