import type { RunRecord } from '../app/ports.js';
import { renderTable, utcStamp } from './table.js';
import type { Terminal } from './terminal.js';

/** Prints the run log as a table, or as JSON with --json. */
export function printRuns(terminal: Terminal, runs: readonly RunRecord[]): void {
  if (terminal.json) {
    terminal.document({ runs });
    return;
  }
  if (runs.length === 0) {
    terminal.out('No runs yet.');
    return;
  }
  const rows = runs.map((run) => [
    String(run.id),
    utcStamp(run.startedAt),
    run.command,
    shorten(run.args.filter((a) => a !== run.command).join(' '), 50),
    run.exitCode === null ? (run.endedAt === null ? 'unfinished' : '') : String(run.exitCode),
    summarise(run.summary),
  ]);
  terminal.out(renderTable(['run', 'started (UTC)', 'command', 'arguments', 'exit', 'summary'], rows, ['right']));
}

function summarise(summary: Record<string, unknown> | null): string {
  if (summary === null) return '';
  const parts = Object.entries(summary)
    .filter(([, value]) => (typeof value === 'number' && value !== 0) || typeof value === 'string' || value === true)
    .map(([key, value]) => `${key}=${String(value)}`);
  return shorten(parts.join(' '), 90);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
