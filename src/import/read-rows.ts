import type { StoredOrder } from '../core/cases.js';
import { FIELDS, parseOrderLine, type Field, type FollowUpOrder, type NotOpenLine, type RawOrderLine } from '../core/order-line.js';
import { cleanText, clipQuoted } from '../core/text.js';
import type { CsvRecord } from './csv-reader.js';
import type { OpenedExport } from './open-export.js';

/** A problem of one row before it is placed in a file: the column's header (or null for the whole row) and what is wrong. */
export interface CellProblem {
  column: string | null;
  message: string;
}

export type { StoredOrder } from '../core/cases.js';

/** One data row of an export, read and checked: an order line, or why the row is rejected. */
export type ReadRow =
  // A good row's cells are needed only if it turns out to be a duplicate. Across threads they travel as one
  // JSON string, and only for a row whose key the run may have read before (null: it cannot be a duplicate).
  | { line: number; ok: true; order: StoredOrder; extraJson: string; cells: string[] | string | null }
  | { line: number; ok: false; cells: string[]; problems: CellProblem[]; notOpen?: undefined }
  // A row that is no open debt (a paid, refunded or cancelled order): counted, and it closes the order's open cases.
  | { line: number; ok: false; cells: string[]; problems: []; notOpen: NotOpenLine };

/** How to read the rows of one file: the part of an opened export that reading needs. */
export type RowLayout = Pick<OpenedExport, 'path' | 'encoding' | 'delimiter' | 'headers' | 'mapping' | 'rules'>;

/** Reads one CSV record of an export into an order line, or the reasons it is rejected (every problem of the row). */
export function readRow(record: CsvRecord, layout: RowLayout): ReadRow {
  const cellProblem = checkCells(record, layout);
  if (cellProblem !== undefined) return { line: record.line, ok: false, cells: record.cells, problems: [{ column: null, message: clipQuoted(cellProblem) }] };
  const extra = extraCells(record.cells, layout);
  const raw = rawLine(record.cells, layout);
  const parsed = parseOrderLine(raw, extra, layout.rules);
  if (parsed.ok) return { line: record.line, ok: true, order: parsed.line, extraJson: extraJson(extra, layout), cells: record.cells };
  if (parsed.notOpen !== undefined) {
    const notOpen = parsed.notOpen.status === 'follow_up' ? { ...parsed.notOpen, followUp: followUpOf(raw, extra, layout) } : parsed.notOpen;
    return { line: record.line, ok: false, cells: [], problems: [], notOpen };
  }
  return { line: record.line, ok: false, cells: record.cells, problems: parsed.problems.map((p) => ({ column: headerOf(layout, p.field), message: clipQuoted(p.message) })) };
}

/**
 * Who owes what on a row to follow up by hand: the row read as if it were open (its status left
 * out), or, when that finds a problem, the e-mail cell as written; never a case, so never mailed.
 */
function followUpOf(raw: RawOrderLine, extra: Record<string, string>, layout: RowLayout): FollowUpOrder {
  const asOpen = parseOrderLine({ ...raw, status: undefined }, extra, layout.rules);
  if (!asOpen.ok) return { email: (raw.email ?? '').trim(), name: '', openMinor: null, currency: '' };
  const { line } = asOpen;
  return { email: line.email, name: `${line.firstName} ${line.lastName}`.trim(), openMinor: line.openMinor, currency: line.currency };
}

/** The cells of a row as the file had them (null for a good row whose key was read for the first time). */
export function cellsOf(row: ReadRow): string[] | null {
  return typeof row.cells === 'string' ? (JSON.parse(row.cells) as string[]) : row.cells;
}

/** The header a field was read from, as the file wrote it. */
export function headerOf(layout: RowLayout, field: Field): string {
  return layout.mapping.fields.get(field)?.header ?? field;
}

function checkCells(record: CsvRecord, layout: RowLayout): string | undefined {
  if (record.malformed) {
    // A stray quote can swallow the rows after it; say how far, or they seem to vanish.
    const runsOn = record.endLine > record.line ? `, so the row runs on to line ${record.endLine}` : '';
    return `a quote in this row is malformed${runsOn} (inside a quoted cell, write "" for one ")`;
  }
  if (record.cells.length !== layout.headers.length) {
    return `the row has ${record.cells.length} cells, the header has ${layout.headers.length} (a stray "${layout.delimiter === '\t' ? 'tab' : layout.delimiter}" or quote?)`;
  }
  const bad = record.undecodable;
  if (layout.encoding === 'utf8' && bad !== null) {
    if (bad.byte === null) return `the export wrote U+FFFD (a character it could not store) at column ${bad.column}; fix the text in the shop and export again`;
    return `not UTF-8 (a byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} at column ${bad.column}): re-export as UTF-8 or pass --encoding windows-1252`;
  }
  return undefined;
}

function rawLine(cells: readonly string[], layout: RowLayout): RawOrderLine {
  const at = fieldIndexes(layout);
  // Every field in one literal: one object shape for all rows, where filling a {} field by field made a new one per mapping.
  return {
    email: cellAt(cells, at.email), first_name: cellAt(cells, at.first_name), last_name: cellAt(cells, at.last_name), name: cellAt(cells, at.name),
    order_id: cellAt(cells, at.order_id), product: cellAt(cells, at.product), open_amount: cellAt(cells, at.open_amount), paid_amount: cellAt(cells, at.paid_amount),
    due_date: cellAt(cells, at.due_date), token: cellAt(cells, at.token), currency: cellAt(cells, at.currency), locale: cellAt(cells, at.locale),
    status: cellAt(cells, at.status), order_date: cellAt(cells, at.order_date), payment_terms: cellAt(cells, at.payment_terms), pay_link: cellAt(cells, at.pay_link),
    customer_type: cellAt(cells, at.customer_type),
  };
}

/** The cell at a field's index; a field the file lacks has -1, and cells[-1] is a slow property lookup (~70 ns), not an element. */
function cellAt(cells: readonly string[], index: number): string | undefined {
  return index < 0 ? undefined : cells[index];
}

const indexesOf = new WeakMap<RowLayout['mapping'], Record<Field, number>>();

/** The cell index of each field in this layout; -1 (no cell) for a field the file lacks. */
function fieldIndexes(layout: RowLayout): Record<Field, number> {
  let at = indexesOf.get(layout.mapping);
  if (at === undefined) {
    at = Object.fromEntries(FIELDS.map((field) => [field, layout.mapping.fields.get(field)?.index ?? -1])) as Record<Field, number>;
    indexesOf.set(layout.mapping, at);
  }
  return at;
}

const jsonKeysOf = new WeakMap<RowLayout['mapping'], string[] | null>();

/**
 * The extra columns as JSON, byte for byte what JSON.stringify(extra) gives, written out from the
 * headers' JSON made once: stringifying the object cost ~0.4 us a row, the written-out form ~0.17.
 * Headers an object would reorder or drop (array indexes, "__proto__", and repeats, which the column
 * mapping already names apart) take the slow way.
 */
export function extraJson(extra: Record<string, string>, layout: RowLayout): string {
  let keys = jsonKeysOf.get(layout.mapping);
  if (keys === undefined) {
    keys = jsonKeys(layout.mapping.extra.map((column) => column.header));
    jsonKeysOf.set(layout.mapping, keys);
  }
  if (keys === null) return JSON.stringify(extra);
  let json = '{';
  const columns = layout.mapping.extra;
  for (let i = 0; i < keys.length; i++) json += `${keys[i] ?? ''}${JSON.stringify(extra[columns[i]?.header ?? ''])}`;
  return `${json}}`;
}

/** `"header":` per extra column (with the comma before all but the first), or null when an object would not keep them in order. */
function jsonKeys(headers: readonly string[]): string[] | null {
  const arrayIndex = (key: string): boolean => /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
  if (new Set(headers).size !== headers.length || headers.some((h) => h === '__proto__' || arrayIndex(h))) return null;
  return headers.map((header, i) => `${i === 0 ? '' : ','}${JSON.stringify(header)}:`);
}

function extraCells(cells: readonly string[], layout: RowLayout): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const column of layout.mapping.extra) {
    const value = cleanText(cells[column.index] ?? '', 10_000);
    extra[column.header] = value.ok ? value.value : '';
  }
  return extra;
}
