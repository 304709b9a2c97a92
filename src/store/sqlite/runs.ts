import { hostname } from 'node:os';
import type { RunLog } from '../../app/ports.js';
import type { Db } from './database.js';
import { toRunRecord, type RunRow } from '../rows.js';

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
    list: async (last) => db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(last).map(toRunRecord),
  };
}
