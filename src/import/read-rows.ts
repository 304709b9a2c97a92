import { parseOrderLine, type Field, type OrderLine, type RawOrderLine } from '../core/order-line.js';
import { cleanText } from '../core/text.js';
import type { CsvRecord } from './csv-reader.js';
import type { OpenedExport } from './open-export.js';

/** A problem of one row before it is placed in a file: the column's header (or null for the whole row) and what is wrong. */
export interface CellProblem {
  column: string | null;
  message: string;
}

/** One data row of an export, read and checked: an order line, or why the row is rejected. */
export type ReadRow = { line: number; ok: true; order: OrderLine; cells: string[] } | { line: number; ok: false; cells: string[]; problems: CellProblem[] };

/** How to read the rows of one file: the part of an opened export that reading needs. */
export type RowLayout = Pick<OpenedExport, 'path' | 'encoding' | 'delimiter' | 'headers' | 'mapping' | 'rules'>;

/** Reads one CSV record of an export into an order line, or the reasons it is rejected (every problem of the row). */
export function readRow(record: CsvRecord, layout: RowLayout): ReadRow {
  const cellProblem = checkCells(record, layout);
  if (cellProblem !== undefined) return { line: record.line, ok: false, cells: record.cells, problems: [{ column: null, message: cellProblem }] };
  const parsed = parseOrderLine(rawLine(record.cells, layout), extraCells(record.cells, layout), layout.rules);
  if (parsed.ok) return { line: record.line, ok: true, order: parsed.line, cells: record.cells };
  return { line: record.line, ok: false, cells: record.cells, problems: parsed.problems.map((p) => ({ column: headerOf(layout, p.field), message: p.message })) };
}

/** The header a field was read from, as the file wrote it. */
export function headerOf(layout: RowLayout, field: Field): string {
  return layout.mapping.fields.get(field)?.header ?? field;
}

function checkCells(record: CsvRecord, layout: RowLayout): string | undefined {
  if (record.malformed) return 'a quote in this row is malformed (inside a quoted cell, write "" for one ")';
  if (record.cells.length !== layout.headers.length) {
    return `the row has ${record.cells.length} cells, the header has ${layout.headers.length} (a stray "${layout.delimiter === '\t' ? 'tab' : layout.delimiter}" or quote?)`;
  }
  if (layout.encoding === 'utf8' && record.cells.some((c) => c.includes('\ufffd'))) {
    return 'the row has bytes that are not UTF-8; save the file as UTF-8, or pass --encoding windows-1252';
  }
  return undefined;
}

function rawLine(cells: readonly string[], layout: RowLayout): RawOrderLine {
  const raw: RawOrderLine = {};
  for (const [field, column] of layout.mapping.fields) raw[field] = cells[column.index];
  return raw;
}

function extraCells(cells: readonly string[], layout: RowLayout): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const column of layout.mapping.extra) {
    const value = cleanText(cells[column.index] ?? '', 10_000);
    extra[column.header] = value.ok ? value.value : '';
  }
  return extra;
}
