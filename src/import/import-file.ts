import { compareCase } from '../core/cases.js';
import { parseOrderLine, type Field, type FieldProblem, type OrderLine, type RawOrderLine } from '../core/order-line.js';
import { cleanText } from '../core/text.js';
import type { CaseWriter, ImportCounts } from '../store/case-writer.js';
import { readCsv, type CsvRecord } from './csv-reader.js';
import type { IdSet } from './id-set.js';
import type { OpenedExport } from './open-export.js';

/** A bad row, as printed: `FILE:LINE: column "Header": what is wrong`. */
export interface RowProblem {
  file: string;
  line: number;
  column: string | null;
  message: string;
}

/** Where one file's rows go and what they may touch. */
export interface FileSink {
  writer: CaseWriter;
  importId: number;
  now: string;
  /** Cases listed by this import so far (all files of the run): snapshot closing and duplicates. */
  seen: IdSet;
  onProblems: (problems: readonly RowProblem[], line: number, cells: readonly string[]) => void;
  onBytes?: (bytes: number) => void;
}

/** Counts of one file, with the details the summary mentions. */
export interface FileCounts extends ImportCounts {
  partialPayments: number;
  reopened: number;
  alreadyPaid: number;
}

/** Reads every row of an export and applies it to the store; bad rows go to onProblem. */
export async function importRows(opened: OpenedExport, sink: FileSink): Promise<{ counts: FileCounts; sha256: string; bytes: number }> {
  const counts: FileCounts = { rows: 0, new: 0, updated: 0, closed: 0, unchanged: 0, rejected: 0, partialPayments: 0, reopened: 0, alreadyPaid: 0 };
  const reject = (record: CsvRecord, problems: readonly { column: string | null; message: string }[]): void => {
    counts.rejected++;
    const rowProblems = problems.map((p) => ({ file: opened.path, line: record.line, column: p.column, message: p.message }));
    sink.onProblems(rowProblems, record.line, record.cells);
  };
  let isHeader = true;
  const result = await readCsv(opened.path, {
    encoding: opened.encoding,
    delimiter: opened.delimiter,
    onBytes: sink.onBytes,
    onRecord: (record) => {
      if (isHeader) {
        isHeader = false;
        return;
      }
      counts.rows++;
      const cellProblem = checkCells(record, opened);
      if (cellProblem !== undefined) return reject(record, [{ column: null, message: cellProblem }]);
      const parsed = parseOrderLine(rawLine(record.cells, opened), extraCells(record.cells, opened), opened.rules);
      if (!parsed.ok) return reject(record, parsed.problems.map((p) => describe(p, opened)));
      const duplicate = applyLine(parsed.line, opened.source, sink, counts);
      if (duplicate !== undefined) reject(record, [{ column: header(opened, 'order_id'), message: duplicate }]);
    },
  });
  return { counts, sha256: result.sha256, bytes: result.bytes };
}

/** Applies one good row; returns why it is a duplicate, if it is one. */
function applyLine(line: OrderLine, source: string, sink: FileSink, counts: FileCounts): string | undefined {
  const extraJson = JSON.stringify(line.extra);
  const known = sink.writer.find(source, line.orderId, line.dueDate);
  if (known !== undefined && sink.seen.has(known.id)) {
    return `order "${line.orderId}" with due date ${line.dueDate} is listed twice; each order and due date once`;
  }
  const change = compareCase(known, line, extraJson);
  if (change.kind === 'new') {
    if (change.status === 'paid') {
      counts.alreadyPaid++;
      return undefined;
    }
    sink.seen.add(sink.writer.insert(source, line, extraJson, sink.importId, sink.now));
    counts.new++;
    return undefined;
  }
  if (known === undefined) return undefined;
  sink.seen.add(known.id);
  if (change.kind === 'unchanged') {
    counts.unchanged++;
    return undefined;
  }
  sink.writer.update(known, line, extraJson, change, sink.importId, sink.now);
  if (change.status === 'paid' && known.status === 'open') counts.closed++;
  else counts.updated++;
  if (change.paymentMinor > 0 && change.status === 'open') counts.partialPayments++;
  if (change.reopened) counts.reopened++;
  return undefined;
}

function checkCells(record: CsvRecord, opened: OpenedExport): string | undefined {
  if (record.malformed) return 'a quote in this row is malformed (inside a quoted cell, write "" for one ")';
  if (record.cells.length !== opened.headers.length) {
    return `the row has ${record.cells.length} cells, the header has ${opened.headers.length} (a stray "${opened.delimiter === '\t' ? 'tab' : opened.delimiter}" or quote?)`;
  }
  if (opened.encoding === 'utf8' && record.cells.some((c) => c.includes('\ufffd'))) {
    return 'the row has bytes that are not UTF-8; save the file as UTF-8, or pass --encoding windows-1252';
  }
  return undefined;
}

function rawLine(cells: readonly string[], opened: OpenedExport): RawOrderLine {
  const raw: RawOrderLine = {};
  for (const [field, column] of opened.mapping.fields) raw[field] = cells[column.index];
  return raw;
}

function extraCells(cells: readonly string[], opened: OpenedExport): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const column of opened.mapping.extra) {
    const value = cleanText(cells[column.index] ?? '', 10_000);
    extra[column.header] = value.ok ? value.value : '';
  }
  return extra;
}

function header(opened: OpenedExport, field: Field): string {
  return opened.mapping.fields.get(field)?.header ?? field;
}

function describe(problem: FieldProblem, opened: OpenedExport): { column: string; message: string } {
  return { column: header(opened, problem.field), message: problem.message };
}
