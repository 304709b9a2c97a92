import { stringify } from 'csv-stringify/sync';
import { EXPORT_COLUMNS, layoutColumns, type ExportLayout, type ExportRow, type RowWriter } from '../app/export.js';
import { neutraliseFormula } from '../core/spreadsheet.js';
import type { Terminal } from './terminal.js';
import { writeFileWhole } from './write-whole.js';

const ROWS_PER_CHUNK = 1_000;

/** Files that hold every customer's pay link are readable by their owner only (issue 21). */
export const PRIVATE_FILE = 0o600;

/**
 * Writes the merge-field CSV to stdout, or to `file` (under a temporary name until complete, 0600);
 * with --json and no file, the export is printed as one JSON document instead.
 */
export function exportWriter(terminal: Terminal, file: string | undefined): RowWriter {
  if (file !== undefined) return (rows, layout) => writeFileWhole(file, (write) => writeExportCsv(rows, layout, write), PRIVATE_FILE);
  if (terminal.json) return (rows, layout) => printExportJson(terminal, rows, layout);
  return (rows, layout) => writeExportCsv(rows, layout, (text) => terminal.text(text));
}

/** The export as one JSON document: `{ "columns": [...], "customers": [{ column: value }] }`, manage_links as a list. */
async function printExportJson(terminal: Terminal, pages: AsyncIterable<ExportRow[]> | Iterable<ExportRow[]>, layout: ExportLayout): Promise<number> {
  const customers: Record<string, unknown>[] = [];
  for await (const page of pages) {
    for (const r of page) customers.push({ ...r.fields, manage_links: r.manageLinks, ...layoutValues(r, layout) });
  }
  terminal.document({ columns: [...EXPORT_COLUMNS, ...layoutColumns(layout)], customers });
  return customers.length;
}

/** A row's cells after EXPORT_COLUMNS: its further links, then its own columns. */
function layoutValues(r: ExportRow, layout: ExportLayout): Record<string, string> {
  const out: Record<string, string> = {};
  for (let n = 2; n <= layout.links; n++) out[`manage_link_${n}`] = r.manageLinks[n - 1] ?? '';
  for (const name of layout.extra) out[name] = r.extra[name] ?? '';
  if (layout.state === true) Object.assign(out, { status: r.state?.status ?? '', notes: r.state?.notes ?? '' });
  return out;
}

/**
 * Writes the merge-field CSV, one row per customer, in chunks of text to `write`; cells a
 * spreadsheet would run as a formula are neutralised (CWE-1236). Returns the number of customers.
 */
export async function writeExportCsv(pages: AsyncIterable<ExportRow[]> | Iterable<ExportRow[]>, layout: ExportLayout, write: (text: string) => void): Promise<number> {
  const more = layoutColumns(layout);
  // A BOM so that Excel opens umlauts right; every newsletter tool's importer skips it.
  write(`\ufeff${stringify([[...EXPORT_COLUMNS, ...more]])}`);
  let count = 0;
  let chunk: string[][] = [];
  for await (const page of pages) {
    for (const r of page) {
      count++;
      const values = layoutValues(r, layout);
      chunk.push([
        ...EXPORT_COLUMNS.map((column) => (column === 'manage_links' ? r.manageLinks.join(' ') : String(r.fields[column]))),
        ...more.map((column) => values[column] ?? ''),
      ].map(neutraliseFormula));
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
export function printExportDone(
  terminal: Terminal,
  result: { customers: number; marked: number },
  file: string | undefined,
  markSent: string | true | undefined,
  snippet?: { tool: string; text: string },
): void {
  // With --json and --out the CSV is in the file: the document says where, how many, and the snippet.
  if (terminal.json && file !== undefined) terminal.document({ file, ...result, ...(snippet === undefined ? {} : { mergeSyntax: snippet.tool, snippet: snippet.text }) });
  if (snippet !== undefined) terminal.out(snippet.text);
  if (markSent !== undefined) {
    terminal.warn(`Recorded ${result.marked} customer${result.marked === 1 ? '' : 's'} as sent ${markSent === true ? '(each the stage of their row)' : `"${markSent}"`}.`);
  } else if (file !== undefined) {
    terminal.warn(`Wrote ${result.customers} customer${result.customers === 1 ? '' : 's'} to ${file}; nothing was recorded as sent (use --mark-sent STAGE once you have mailed them).`);
  }
}
