import { hostname } from 'node:os';
import type { RunLog, RunRecord } from '../../app/ports.js';
import type { PgDb } from './connection.js';

interface RunRow {
  id: number;
  command: string;
  args: string;
  started_at: string;
  ended_at: string | null;
  exit_code: number | null;
  summary: string | null;
  pid: number;
  host: string;
}

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
    list: async (last) => (await db.rows<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT $1', [last])).map(toRecord),
  };
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    command: row.command,
    args: JSON.parse(row.args) as string[],
    startedAt: row.started_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Record<string, unknown>),
    pid: row.pid,
    host: row.host,
  };
}
