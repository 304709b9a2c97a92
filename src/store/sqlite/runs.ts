import { hostname } from 'node:os';
import type { RunLog, RunRecord } from '../../app/ports.js';
import type { Db } from './database.js';

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
export function sqliteRunLog(db: Db): RunLog {
  return {
    start: async (command, args, at) => {
      const info = db
        .prepare('INSERT INTO runs (command, args, started_at, pid, host) VALUES (?, ?, ?, ?, ?)')
        .run(command, JSON.stringify(args), at.toISOString(), process.pid, hostname());
      return Number(info.lastInsertRowid);
    },
    finish: async (runId, at, exitCode, summary) => {
      db.prepare('UPDATE runs SET ended_at = ?, exit_code = ?, summary = ? WHERE id = ?').run(at.toISOString(), exitCode, JSON.stringify(summary), runId);
    },
    list: async (last) => db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(last).map(toRecord),
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
