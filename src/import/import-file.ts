import { compareCase, isPaidInFull } from '../core/cases.js';
import type { CaseWriter, ImportCounts } from '../store/case-writer.js';
import type { IdSet } from './id-set.js';
import { NewCaseQueue, type GoodRow } from './new-cases.js';
import type { RepeatFilter } from './repeat-filter.js';
import type { OpenedExport } from './open-export.js';
import { cellsOf, headerOf, type CellProblem, type ReadRow, type StoredOrder } from './read-rows.js';
import { streamRows, WORKER_FROM_BYTES } from './stream-rows.js';

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
  /** The (order ID, due date) keys of the run's rows so far: a parsing thread sends the cells of a possible repeat only. */
  repeats: RepeatFilter;
  /** The source had no cases when the run began: every row is new unless listed twice, so no lookup is needed and rows are written in groups. */
  fresh: boolean;
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
  const reject = (line: number, cells: readonly string[], problems: readonly CellProblem[]): void => {
    counts.rejected++;
    sink.onProblems(problems.map((p) => ({ file: opened.path, line, column: p.column, message: p.message })), line, cells);
  };
  const rejectRepeat = (row: GoodRow): void => reject(row.line, repeatedCells(row, opened.path), [{ column: headerOf(opened, 'order_id'), message: listedTwice(row.order) }]);
  const newCases = sink.fresh
    ? new NewCaseQueue({
        writer: sink.writer,
        source: opened.source,
        importId: sink.importId,
        now: sink.now,
        onWritten: (row, id) => {
          if (id === undefined) return rejectRepeat(row);
          sink.seen.add(id);
          counts.new++;
        },
      })
    : undefined;
  const result = await streamRows(opened, {
    inWorker: opened.size >= WORKER_FROM_BYTES,
    repeats: sink.repeats,
    onBytes: sink.onBytes,
    onRows: (rows) => {
      for (const row of rows) {
        counts.rows++;
        if (!row.ok) {
          newCases?.flush();
          reject(row.line, row.cells, row.problems);
        } else if (newCases === undefined) {
          if (applyLine(row.order, row.extraJson, opened.source, sink, counts) !== undefined) rejectRepeat(row);
        } else if (isPaidInFull(row.order)) {
          counts.alreadyPaid++;
        } else {
          newCases.add(row);
        }
      }
    },
  });
  newCases?.flush();
  return { counts, sha256: result.sha256, bytes: result.bytes };
}

/** The cells of a row listed twice; the parsing thread sends them for every key the run read before. */
function repeatedCells(row: ReadRow, file: string): string[] {
  const cells = cellsOf(row);
  if (cells === null) throw new Error(`${file}:${row.line}: a repeated row arrived without its cells (the repeat filter missed its key)`);
  return cells;
}

/** Applies one good row of a source the store had cases of; returns why it is a duplicate, if it is one. */
function applyLine(line: StoredOrder, extraJson: string, source: string, sink: FileSink, counts: FileCounts): string | undefined {
  const known = sink.writer.find(source, line.orderId, line.dueDate);
  if (known !== undefined && sink.seen.has(known.id)) return listedTwice(line);
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


/** Why a row is refused when its order and due date came before (built only then, not for every row). */
function listedTwice(line: StoredOrder): string {
  return `order "${line.orderId}" with due date ${line.dueDate} is listed twice; each order and due date once`;
}
