import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/spreadsheet.js';
import { EXPORT_COLUMNS, type ExportRow } from '../export/rows.js';

/** The merge-field CSV: one row per customer, cells a spreadsheet would run as a formula neutralised (CWE-1236). */
export function exportCsv(rows: readonly ExportRow[]): string {
  const body = rows.map((r) =>
    EXPORT_COLUMNS.map((column) => neutraliseFormula(column === 'manage_links' ? r.manageLinks.join(' ') : String(r.fields[column]))),
  );
  // A BOM so that Excel opens umlauts right; every newsletter tool's importer skips it.
  return `\ufeff${stringify([[...EXPORT_COLUMNS], ...body])}`;
}
