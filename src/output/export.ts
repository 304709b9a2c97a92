import { stringify } from 'csv-stringify/sync';
import { EXPORT_COLUMNS, type ExportRow, type RowWriter } from '../app/export.js';
import { neutraliseFormula } from '../core/spreadsheet.js';
import type { Terminal } from './terminal.js';
import { writeFileWhole } from './write-whole.js';

const ROWS_PER_CHUNK = 1_000;

/** Writes the merge-field CSV to stdout, or to `file` (under a temporary name until complete). */
export function exportWriter(terminal: Terminal, file: string | undefined): RowWriter {
  if (file === undefined) return (rows) => writeExportCsv(rows, (text) => terminal.text(text));
  return (rows) => writeFileWhole(file, (write) => writeExportCsv(rows, write));
}

/**
 * Writes the merge-field CSV, one row per customer, in chunks of text to `write`; cells a
 * spreadsheet would run as a formula are neutralised (CWE-1236). Returns the number of customers.
 */
export async function writeExportCsv(pages: AsyncIterable<ExportRow[]> | Iterable<ExportRow[]>, write: (text: string) => void): Promise<number> {
  // A BOM so that Excel opens umlauts right; every newsletter tool's importer skips it.
  write(`\ufeff${stringify([[...EXPORT_COLUMNS]])}`);
  let count = 0;
  let chunk: string[][] = [];
  for await (const page of pages) {
    for (const r of page) {
      count++;
      chunk.push(EXPORT_COLUMNS.map((column) => neutraliseFormula(column === 'manage_links' ? r.manageLinks.join(' ') : String(r.fields[column]))));
      if (chunk.length === ROWS_PER_CHUNK) {
        write(stringify(chunk));
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) write(stringify(chunk));
  return count;
}

/** Says what the export recorded, or where it wrote and that nothing was recorded. */
export function printExportDone(terminal: Terminal, result: { customers: number; marked: number }, file: string | undefined, markSent: string | undefined): void {
  if (markSent !== undefined) {
    terminal.warn(`Recorded ${result.marked} customer${result.marked === 1 ? '' : 's'} as sent "${markSent}".`);
  } else if (file !== undefined) {
    terminal.warn(`Wrote ${result.customers} customer${result.customers === 1 ? '' : 's'} to ${file}; nothing was recorded as sent (use --mark-sent STAGE once you have mailed them).`);
  }
}
