import type { CopyReport, MigrateReport } from '../app/db.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

/** Prints what `db migrate` did. */
export function printMigrate(terminal: Terminal, report: MigrateReport): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  if (report.before === report.now) terminal.out(`${report.location}: the schema is up to date (version ${report.now}).`);
  else terminal.out(`${report.location}: the schema was brought from version ${report.before} to ${report.now}.`);
}

/** Prints what `db copy` copied, table by table, as counted in the target. */
export function printCopy(terminal: Terminal, report: CopyReport): void {
  if (terminal.json) {
    terminal.document(report);
    return;
  }
  terminal.out(renderTable(['table', 'rows'], report.tables.map((t) => [t.table, String(t.rows)]), ['left', 'right']));
  const total = report.tables.reduce((sum, t) => sum + t.rows, 0);
  terminal.out(`Copied ${total} rows from ${report.from} to ${report.to}; every table's count matches the source.`);
}
