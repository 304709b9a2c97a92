import { hostname } from 'node:os';
import type { Db } from './database.js';

/** One command invocation as the run log keeps it. */
export interface RunRecord {
  id: number;
  command: string;
  args: string[];
  startedAt: string;
  endedAt: string | null;
  exitCode: number | null;
  summary: Record<string, unknown> | null;
  pid: number;
  host: string;
}

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

/** Writes the start of a run; `args` must already have secrets masked. */
export function startRun(db: Db, command: string, args: readonly string[], startedAt: Date): number {
  const info = db
    .prepare('INSERT INTO runs (command, args, started_at, pid, host) VALUES (?, ?, ?, ?, ?)')
    .run(command, JSON.stringify(args), startedAt.toISOString(), process.pid, hostname());
  return Number(info.lastInsertRowid);
}

/** Writes how a run ended and what it counted. */
export function finishRun(db: Db, runId: number, endedAt: Date, exitCode: number, summary: Record<string, unknown>): void {
  db.prepare('UPDATE runs SET ended_at = ?, exit_code = ?, summary = ? WHERE id = ?').run(
    endedAt.toISOString(),
    exitCode,
    JSON.stringify(summary),
    runId,
  );
}

/** The newest runs first. */
export function listRuns(db: Db, last: number): RunRecord[] {
  const rows = db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(last) as RunRow[];
  return rows.map((row) => ({
    id: row.id,
    command: row.command,
    args: JSON.parse(row.args) as string[],
    startedAt: row.started_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Record<string, unknown>),
    pid: row.pid,
    host: row.host,
  }));
}
