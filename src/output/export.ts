import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/spreadsheet.js';
import { EXPORT_COLUMNS, type ExportRow } from '../export/rows.js';

const ROWS_PER_CHUNK = 1_000;

/**
 * Writes the merge-field CSV, one row per customer, in chunks of text to `write`; cells a
 * spreadsheet would run as a formula are neutralised (CWE-1236). Returns the number of customers.
 */
export function writeExportCsv(rows: Iterable<ExportRow>, write: (text: string) => void): number {
  // A BOM so that Excel opens umlauts right; every newsletter tool's importer skips it.
  write(`\ufeff${stringify([[...EXPORT_COLUMNS]])}`);
  let count = 0;
  let chunk: string[][] = [];
  for (const r of rows) {
    count++;
    chunk.push(EXPORT_COLUMNS.map((column) => neutraliseFormula(column === 'manage_links' ? r.manageLinks.join(' ') : String(r.fields[column]))));
    if (chunk.length === ROWS_PER_CHUNK) {
      write(stringify(chunk));
      chunk = [];
    }
  }
  if (chunk.length > 0) write(stringify(chunk));
  return count;
}
